//! Percent-encoding for state kept in the URL fragment, and reading `key=value` pairs.
//!
//! Fragments never reach a server, so share links carry the whole state of a tool.

/// Characters left as they are: unreserved (RFC 3986) plus a few that are legal in a
/// fragment and keep links readable. `&`, `=`, `+`, `#` and `%` are always encoded.
fn keep(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'_' | b'.' | b'~' | b'/' | b':' | b',' | b'@' | b'!' | b'*' | b'(' | b')'
        )
}

pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for &b in text.as_bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space, as forms and query strings write it).
/// Malformed escapes and invalid UTF-8 are errors, not guesses.
pub fn decode(text: &str) -> Result<String, String> {
    decode_with(text, true)
}

/// Decodes a URL path's `%XX` escapes; `+` stays itself there (`/a+b.txt`).
pub fn decode_path(text: &str) -> Result<String, String> {
    decode_with(text, false)
}

fn decode_with(text: &str, plus_is_space: bool) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => out.push(v),
                    None => {
                        return Err(format!(
                            "a broken escape “{}” at character {}",
                            String::from_utf8_lossy(&bytes[i..(i + 3).min(bytes.len())]),
                            i + 1
                        ))
                    }
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "text that is not valid UTF-8".to_string())
}

/// Splits `a=1&b=2` into pairs (values still encoded).
pub fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn examples() {
        assert_eq!(encode("10.0.0.0/16"), "10.0.0.0/16");
        assert_eq!(encode("{\"a\":\"b c\"}"), "%7B%22a%22:%22b%20c%22%7D");
        assert_eq!(encode("a&b=c#d%"), "a%26b%3Dc%23d%25");
        assert_eq!(decode("a+b%20c").unwrap(), "a b c");
        assert!(decode("%zz").unwrap_err().contains("broken escape"));
        assert!(decode("%4").is_err());
        // A sign is not a hex digit.
        assert!(decode("%+1").is_err());
        assert_eq!(decode_path("/a+b%20c").unwrap(), "/a+b c");
        assert!(decode("%FF").unwrap_err().contains("UTF-8"));
        assert_eq!(
            pairs("v=1&s=x&flag").collect::<Vec<_>>(),
            [("v", "1"), ("s", "x"), ("flag", "")]
        );
    }

    proptest! {
        #[test]
        fn round_trip(s in "\\PC{0,60}") {
            let e = encode(&s);
            prop_assert!(!e.contains(['&', '=', '#', '+', ' ']));
            prop_assert_eq!(decode(&e).unwrap(), s);
        }

        #[test]
        fn decode_never_panics(s in "[%0-9a-fA-F+gz]{0,20}") {
            let _ = decode(&s);
        }
    }
}

/// Text deflated (level 9) and base64url-coded without padding: how links carry state
/// compactly (a tool's `z=`, a sandbox's `#/sandboxes?z=`).
pub fn pack(text: &str) -> String {
    use base64::Engine;
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
}

/// Why packed text could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unpack {
    /// Not base64url text.
    NotBase64,
    /// Its bytes do not inflate (cut short, or larger than the limit).
    NotDeflate,
    /// It inflates to something other than UTF-8 text.
    NotText,
}

/// Reads what [`pack`] wrote, unpacking at most `limit` bytes (a guard against crafted
/// links).
pub fn unpack(text: &str, limit: usize) -> Result<String, Unpack> {
    use base64::Engine;
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim().trim_end_matches('='))
        .map_err(|_| Unpack::NotBase64)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, limit)
        .map_err(|_| Unpack::NotDeflate)?;
    String::from_utf8(bytes).map_err(|_| Unpack::NotText)
}
