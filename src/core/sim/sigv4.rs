//! AWS Signature Version 4 in the query string: the presigned URL (`aws s3 presign`) and
//! its check when the URL is used.
//!
//! The rules are S3's "Authenticating Requests: Using Query Parameters (AWS Signature
//! Version 4)": the canonical request is the method, the URI-encoded path, the query
//! without `X-Amz-Signature` sorted by name, the signed headers (`host` only), and the
//! payload hash `UNSIGNED-PAYLOAD`; the string to sign is `AWS4-HMAC-SHA256`, the date, the
//! scope `<yyyymmdd>/<region>/<service>/aws4_request` and the canonical request's SHA-256;
//! the key is derived by HMAC-SHA256 from `"AWS4" + secret` through the date, region,
//! service and `aws4_request`. The page's example URL is the test oracle.

use sha2::{Digest, Sha256};

/// The longest a presigned URL may last: seven days, in seconds (S3 refuses more when the
/// URL is used).
pub const MAX_EXPIRES_S: i64 = 604_800;

/// What a presigned URL is made from. `path` is the object's path as typed
/// (`/photos/cat 1.jpg`); it is URI-encoded here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presign<'a> {
    pub access_key: &'a str,
    pub secret: &'a str,
    /// The session token of temporary credentials (`X-Amz-Security-Token`).
    pub token: Option<&'a str>,
    pub region: &'a str,
    pub service: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    /// The signing time as `X-Amz-Date` writes it: `20130524T000000Z`.
    pub amz_date: &'a str,
    /// `X-Amz-Expires`, seconds (a negative one is signed as given, and refused by S3).
    pub expires_s: i64,
}

/// Percent-encodes as SigV4 does: every byte but `A-Z a-z 0-9 - _ . ~` as `%XX` in upper
/// case; `/` kept when `keep_slash` (paths), encoded otherwise (query names and values).
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC (RFC 2104) over SHA-256, whose block is 64 bytes.
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(data)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The query parameters of a presigned URL before its signature, as (name, value) pairs
/// not yet encoded, in the order botocore prints them (the token after SignedHeaders).
fn unsigned_params(p: &Presign) -> Vec<(String, String)> {
    let date = p.amz_date.get(..8).unwrap_or_default();
    let mut params = vec![
        (
            "X-Amz-Algorithm".to_string(),
            "AWS4-HMAC-SHA256".to_string(),
        ),
        (
            "X-Amz-Credential".into(),
            format!(
                "{}/{date}/{}/{}/aws4_request",
                p.access_key, p.region, p.service
            ),
        ),
        ("X-Amz-Date".into(), p.amz_date.to_string()),
        ("X-Amz-Expires".into(), p.expires_s.to_string()),
        ("X-Amz-SignedHeaders".into(), "host".into()),
    ];
    if let Some(t) = p.token {
        params.push(("X-Amz-Security-Token".into(), t.to_string()));
    }
    params
}

/// The canonical query: names and values encoded, sorted by encoded name, joined by `&`.
fn canonical_query(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (uri_encode(k, false), uri_encode(v, false)))
        .collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The signature (64 hex digits) of a `method` request for `path` on `host` with the query
/// `params` (signature excluded), by the secret for the credential's date, region and
/// service.
fn signature(
    secret: &str,
    credential: &str,
    amz_date: &str,
    method: &str,
    host: &str,
    path: &str,
    params: &[(String, String)],
) -> String {
    let canonical = format!(
        "{method}\n{}\n{}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD",
        uri_encode(path, true),
        canonical_query(params)
    );
    // The scope is the credential without its access key.
    let scope = credential.split_once('/').map(|x| x.1).unwrap_or_default();
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(
        format!("AWS4{secret}").as_bytes(),
        scope.split('/').next().unwrap_or_default().as_bytes(),
    )
    .to_vec();
    for part in scope.split('/').skip(1) {
        key = hmac(&key, part.as_bytes()).to_vec();
    }
    hex(&hmac(&key, to_sign.as_bytes()))
}

/// The presigned URL for a GET: `https://<host><path>?X-Amz-Algorithm=…&X-Amz-Signature=…`.
pub fn presign_url(p: &Presign) -> String {
    let params = unsigned_params(p);
    let credential = &params
        .iter()
        .find(|(k, _)| k == "X-Amz-Credential")
        .map(|x| x.1.clone())
        .unwrap_or_default();
    let sig = signature(
        p.secret, credential, p.amz_date, "GET", p.host, p.path, &params,
    );
    let printed: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", uri_encode(v, false)))
        .collect();
    format!(
        "https://{}{}?{}&X-Amz-Signature={sig}",
        p.host,
        uri_encode(p.path, true),
        printed.join("&")
    )
}

/// The parts of a presigned URL's query that S3 checks, decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signed {
    pub access_key: String,
    /// `X-Amz-Date`: `20130524T000000Z`.
    pub amz_date: String,
    pub expires_s: i64,
    pub token: Option<String>,
    /// The region and service of the credential's scope.
    pub region: String,
    pub service: String,
    /// Every parameter but the signature, decoded, for [`Signed::verify`].
    params: Vec<(String, String)>,
    credential: String,
    signature: String,
}

/// What a query lacks or gets wrong for S3, in S3's words: (code, message).
pub type QueryError = (&'static str, String);

/// A query name or value decoded; one with a broken escape is kept as sent (its signature
/// then does not match).
fn decode(v: &str) -> String {
    crate::core::urlcodec::decode(v).unwrap_or_else(|_| v.to_string())
}

impl Signed {
    /// Reads a URL's query (after `?`). `None` when it carries no SigV4 query
    /// authentication at all (an anonymous request).
    pub fn read(query: &str) -> Option<Result<Signed, QueryError>> {
        let params: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|x| x.1.clone());
        let algorithm = get("X-Amz-Algorithm")?;
        let missing = || {
            Err((
                "AuthorizationQueryParametersError",
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.".to_string(),
            ))
        };
        if algorithm != "AWS4-HMAC-SHA256" {
            return Some(Err((
                "AuthorizationQueryParametersError",
                "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256\""
                    .into(),
            )));
        }
        let (Some(credential), Some(amz_date), Some(expires), Some(signature)) = (
            get("X-Amz-Credential"),
            get("X-Amz-Date"),
            get("X-Amz-Expires"),
            get("X-Amz-Signature"),
        ) else {
            return Some(missing());
        };
        // Only `host` is signed here (the canonical request names it alone).
        if get("X-Amz-SignedHeaders").as_deref() != Some("host") {
            return Some(missing());
        }
        let Ok(expires_s) = expires.parse::<i64>() else {
            return Some(Err((
                "AuthorizationQueryParametersError",
                "X-Amz-Expires should be a number".into(),
            )));
        };
        if expires_s < 0 {
            return Some(Err((
                "AuthorizationQueryParametersError",
                "X-Amz-Expires must be non-negative".into(),
            )));
        }
        if expires_s > MAX_EXPIRES_S {
            return Some(Err((
                "AuthorizationQueryParametersError",
                format!(
                    "X-Amz-Expires must be less than a week (in seconds) that is {MAX_EXPIRES_S}"
                ),
            )));
        }
        let scope: Vec<&str> = credential.split('/').collect();
        let [access_key, _, region, service, "aws4_request"] = scope[..] else {
            return Some(Err((
                "AuthorizationQueryParametersError",
                "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".".into(),
            )));
        };
        Some(Ok(Signed {
            access_key: access_key.to_string(),
            region: region.to_string(),
            service: service.to_string(),
            amz_date,
            expires_s,
            token: get("X-Amz-Security-Token"),
            params: params
                .iter()
                .filter(|(k, _)| k != "X-Amz-Signature")
                .cloned()
                .collect(),
            credential,
            signature,
        }))
    }

    /// Whether the signature is the one `secret` makes for a `method` request (the method
    /// is signed: a URL presigned for GET does not HEAD) of `path` on `host`.
    pub fn verify(&self, secret: &str, method: &str, host: &str, path: &str) -> bool {
        signature(
            secret,
            &self.credential,
            &self.amz_date,
            method,
            host,
            path,
            &self.params,
        ) == self.signature
    }

    /// The scope's checks after the parameters, in S3's words: the date format, the
    /// credential's date against X-Amz-Date, the service, and the region against the
    /// bucket's (`region`).
    pub fn check_scope(&self, region: &str) -> Result<(), QueryError> {
        let bad = |m: String| Err(("AuthorizationQueryParametersError", m));
        if amz_date_secs(&self.amz_date).is_none() {
            return bad(
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"".into(),
            );
        }
        let date = self.credential.split('/').nth(1).unwrap_or_default();
        if self.amz_date.get(..8) != Some(date) {
            return bad("Invalid credential date. Date is not the same as X-Amz-Date.".into());
        }
        if self.service != "s3" {
            return bad(format!("Error parsing the X-Amz-Credential parameter; incorrect service \"{}\". This endpoint belongs to \"s3\".", self.service));
        }
        if self.region != region {
            return bad(format!("Error parsing the X-Amz-Credential parameter; the region '{}' is wrong; expecting '{region}'", self.region));
        }
        Ok(())
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since 1970-01-01 of an `X-Amz-Date` (`20130524T000000Z`); `None` if malformed.
pub fn amz_date_secs(text: &str) -> Option<i64> {
    let digits = |r: std::ops::Range<usize>| {
        let part = text.get(r)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse::<i64>().ok())?
    };
    if text.len() != 16 || text.as_bytes()[8] != b'T' || !text.ends_with('Z') {
        return None;
    }
    let (y, mo, d) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
    let (h, mi, s) = (digits(9..11)?, digits(11..13)?, digits(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The example of S3's "Authenticating Requests: Using Query Parameters (AWS Signature
    /// Version 4)" page: its URL, byte for byte.
    #[test]
    fn presigns_the_s3_documentation_example() {
        let url = presign_url(&Presign {
            access_key: "AKIAIOSFODNN7EXAMPLE",
            secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            token: None,
            region: "us-east-1",
            service: "s3",
            host: "examplebucket.s3.amazonaws.com",
            path: "/test.txt",
            amz_date: "20130524T000000Z",
            expires_s: 86_400,
        });
        assert_eq!(url, "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
        let query = url.split_once('?').unwrap().1;
        let signed = Signed::read(query).unwrap().unwrap();
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert!(signed.verify(secret, "GET", "examplebucket.s3.amazonaws.com", "/test.txt"));
        assert!(!signed.verify(
            "another secret",
            "GET",
            "examplebucket.s3.amazonaws.com",
            "/test.txt"
        ));
        assert!(!signed.verify(
            secret,
            "GET",
            "examplebucket.s3.amazonaws.com",
            "/other.txt"
        ));
        // The method is signed: a GET URL does not HEAD.
        assert!(!signed.verify(
            secret,
            "HEAD",
            "examplebucket.s3.amazonaws.com",
            "/test.txt"
        ));
        assert_eq!(signed.check_scope("us-east-1"), Ok(()));
        assert_eq!(signed.check_scope("eu-west-1").unwrap_err().1, "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-west-1'");
        // A changed expiry no longer matches its signature.
        let tampered = Signed::read(&query.replace("X-Amz-Expires=86400", "X-Amz-Expires=86401"))
            .unwrap()
            .unwrap();
        assert!(!tampered.verify(secret, "GET", "examplebucket.s3.amazonaws.com", "/test.txt"));
    }

    /// HMAC-SHA256 against RFC 4231's test case 2.
    #[test]
    fn hmac_matches_rfc_4231() {
        assert_eq!(
            hex(&hmac(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // A key longer than the block is hashed first (test case 6).
        assert_eq!(
            hex(&hmac(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn keys_and_tokens_are_encoded_and_signed() {
        let p = Presign {
            access_key: "ASIAEXAMPLE",
            secret: "s",
            token: Some("IQo+b/c="),
            region: "eu-west-1",
            service: "s3",
            host: "photos.s3.eu-west-1.amazonaws.com",
            path: "/uploads/cat 1.jpg",
            amz_date: "20260101T000000Z",
            expires_s: 3600,
        };
        let url = presign_url(&p);
        // botocore's order: the token after SignedHeaders (signing sorts them).
        assert!(url.starts_with("https://photos.s3.eu-west-1.amazonaws.com/uploads/cat%201.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20260101%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=IQo%2Bb%2Fc%3D&X-Amz-Signature="), "{url}");
        let signed = Signed::read(url.split_once('?').unwrap().1)
            .unwrap()
            .unwrap();
        assert_eq!(signed.token.as_deref(), Some("IQo+b/c="));
        assert!(signed.verify("s", "GET", p.host, p.path));
    }

    #[test]
    fn malformed_queries_get_s3s_errors() {
        assert!(Signed::read("versionId=3").is_none());
        let e = |q: &str| Signed::read(q).unwrap().unwrap_err();
        assert_eq!(
            e("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T000000Z").0,
            "AuthorizationQueryParametersError"
        );
        let week = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
        assert_eq!(
            e(week).1,
            "X-Amz-Expires must be less than a week (in seconds) that is 604800"
        );
        assert!(Signed::read(&week.replace("604801", "604800"))
            .unwrap()
            .is_ok());
    }

    #[test]
    fn amz_dates_count_seconds_from_1970() {
        assert_eq!(amz_date_secs("19700101T000000Z"), Some(0));
        assert_eq!(amz_date_secs("20130524T000000Z"), Some(1_369_353_600));
        assert_eq!(amz_date_secs("20260101T000000Z"), Some(1_767_225_600));
        assert_eq!(amz_date_secs("20240229T235959Z"), Some(1_709_251_199));
        assert_eq!(amz_date_secs("2026-01-01"), None);
        assert_eq!(amz_date_secs("20261301T000000Z"), None);
        assert_eq!(amz_date_secs("2026+101T000000Z"), None);
    }
}
