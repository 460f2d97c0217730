//! The billable size of an item, attribute by attribute.
//!
//! Rules (Developer Guide, "Item sizes and formats"): every attribute costs its name's
//! UTF-8 bytes plus its value: strings their UTF-8 bytes; binary its raw bytes; numbers
//! their base-100 digit pairs plus one byte (plus one if negative; see [`number_size`]);
//! booleans and null one byte; lists
//! and maps 3 bytes plus 1 byte per element plus the elements (and, for maps, their keys);
//! sets the sum of their elements. An item may be at most 400 KB (409,600 bytes).

use serde_json::{Map, Value};
use std::fmt;

/// Lists and maps nest at most this deep (Developer Guide, "Supported data types").
pub const MAX_NESTING: usize = 32;

/// How deep lists and maps nest in a value: 0 for a scalar or set, 1 for a flat list.
fn nesting(a: &Attr) -> usize {
    match a {
        Attr::L(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Attr::M(entries) => 1 + entries.iter().map(|(_, x)| nesting(x)).max().unwrap_or(0),
        _ => 0,
    }
}

/// Largest item DynamoDB stores.
pub const MAX_ITEM_BYTES: u64 = 400 * 1024;
/// Above this share of the limit the calculator warns.
pub const WARN_SHARE: f64 = 0.9;

/// A DynamoDB attribute value.
#[derive(Clone, Debug, PartialEq)]
pub enum Attr {
    S(String),
    /// A number kept as its decimal text (DynamoDB numbers have up to 38 digits).
    N(String),
    B(Vec<u8>),
    Bool(bool),
    Null,
    L(Vec<Attr>),
    M(Vec<(String, Attr)>),
    Ss(Vec<String>),
    Ns(Vec<String>),
    Bs(Vec<Vec<u8>>),
}

/// How the pasted JSON is to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonKind {
    /// Decide from the shape: DynamoDB JSON when every attribute is `{"S": ...}`-like.
    Auto,
    Plain,
    Dynamo,
}

/// What is wrong with an item, with the path of the attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

fn err(path: &str, message: impl Into<String>) -> ItemError {
    ItemError {
        path: path.to_string(),
        message: message.into(),
    }
}

/// Smallest positive magnitude DynamoDB stores: 1E-130 (Developer Guide, "Data types").
pub const MIN_EXPONENT: i64 = -130;
/// DynamoDB numbers are below 1E+126 in magnitude (largest 9.99…9E+125, 38 nines).
pub const MAX_EXPONENT: i64 = 126;
/// DynamoDB keeps at most 38 significant digits.
pub const MAX_DIGITS: usize = 38;

/// How a DynamoDB number is stored, worked out from its decimal text.
///
/// The rule, measured on live DynamoDB by bisecting the 400 KB item limit to the byte
/// (../shared/facts/pricing-and-sizing.md, "DynamoDB"): the digits are grouped in pairs
/// outward from the decimal point (base 100); pairs that are all zero at either end are
/// dropped; the size is the pairs left plus 1 byte, plus 1 more for a negative number;
/// zero is 1 byte. It is the layout of a base-100 floating-point number with an exponent
/// byte and a terminator for negatives, which is why the largest number takes 21 bytes:
/// 20 pairs and the exponent byte leave no room for the terminator. The Developer Guide's
/// "1 byte per two significant digits, plus 1" is the shortcut this refines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberSize {
    /// The base-100 digit pairs stored, most significant first ("01", "50" for 1.5).
    pub pairs: Vec<String>,
    pub negative: bool,
    /// The base-100 exponent: the first pair is worth 100^exponent (0 for zero).
    pub exponent: i64,
    /// Significant digits (leading and trailing zeros trimmed; 0 for zero).
    pub digits: usize,
    /// Stored bytes of the value (its attribute name not included).
    pub bytes: u64,
}

impl NumberSize {
    /// The arithmetic behind `bytes`, for "show the math": `01|50 → 2 pairs + 1 = 3 bytes`.
    pub fn explain(&self) -> String {
        if self.pairs.is_empty() {
            return "zero → 1 byte".to_string();
        }
        let n = self.pairs.len();
        let sign = if !self.negative {
            ""
        } else if n < 20 {
            " + 1 (negative)"
        } else {
            " (negative, no room for a terminator)"
        };
        format!(
            "{} → {n} pair{} + 1{sign} = {} byte{}",
            self.pairs.join("|"),
            if n == 1 { "" } else { "s" },
            self.bytes,
            if self.bytes == 1 { "" } else { "s" }
        )
    }
}

/// Reads a DynamoDB number (`-12.5`, `1.5E+10`, `007`) and works out its stored size.
///
/// Errors name the problem: not a number, a malformed exponent, more than 38 significant
/// digits, or a magnitude outside 1E-130 ..= 9.99…9E+125 (DynamoDB's range).
pub fn number_size(text: &str) -> Result<NumberSize, String> {
    let t = text.trim();
    let (negative, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    // The exponent is kept as text until it is known to be small: "1e99999999999999999999"
    // is refused by the range check, not by an integer overflow.
    let exp: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (neg, digits) = match e.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, e.strip_prefix('+').unwrap_or(e)),
            };
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return Err(format!("“{t}” is not a number: the exponent is malformed."));
            }
            let digits = digits.trim_start_matches('0');
            // Anything with more than 6 exponent digits is far outside DynamoDB's range.
            let v: i64 = if digits.len() > 6 {
                1_000_000
            } else {
                digits.parse().unwrap_or(0)
            };
            if neg {
                -v
            } else {
                v
            }
        }
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit())
    {
        return Err(format!(
            "“{t}” is not a number (digits, an optional sign, point and exponent only)."
        ));
    }
    // All digits, and where the decimal point falls among them once the exponent is applied.
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).map(|c| c - b'0').collect();
    let lead = all.iter().take_while(|&&d| d == 0).count();
    if lead == all.len() {
        return Ok(NumberSize {
            pairs: vec![],
            negative: false,
            exponent: 0,
            digits: 0,
            bytes: 1,
        });
    }
    let trail = all.iter().rev().take_while(|&&d| d == 0).count();
    let sig = &all[lead..all.len() - trail];
    if sig.len() > MAX_DIGITS {
        return Err(format!(
            "“{t}” has {} significant digits; DynamoDB keeps at most 38.",
            sig.len()
        ));
    }
    // `point`: the number is 0.d1d2d3… × 10^point (d1 ≠ 0). Bounded: |exp| ≤ 10^6 and the
    // text is at most a few hundred thousand digits, so i64 cannot overflow.
    let point = int.len() as i64 - lead as i64 + exp;
    // The magnitude lies in [10^(point−1), 10^point).
    if point - 1 < MIN_EXPONENT {
        return Err(format!(
            "“{t}” is too small: DynamoDB stores magnitudes from 1E-130 (0 itself is fine)."
        ));
    }
    if point > MAX_EXPONENT {
        return Err(format!(
            "“{t}” is too large: DynamoDB stores magnitudes below 1E+126."
        ));
    }
    // Digit k (0-based) has place value 10^(point − 1 − k); its pair is that place ÷ 2,
    // rounded down. The first and last digits are non-zero, so no end pair is all zero.
    let place = |k: usize| point - 1 - k as i64;
    let hi = place(0).div_euclid(2);
    let lo = place(sig.len() - 1).div_euclid(2);
    let mut pairs = Vec::with_capacity((hi - lo + 1) as usize);
    for pair in (lo..=hi).rev() {
        let digit_at = |p: i64| -> u8 {
            let k = point - 1 - p;
            if k >= 0 && (k as usize) < sig.len() {
                sig[k as usize]
            } else {
                0
            }
        };
        pairs.push(format!("{}{}", digit_at(2 * pair + 1), digit_at(2 * pair)));
    }
    let n = pairs.len() as u64;
    let bytes = n + 1 + u64::from(negative && n < 20);
    Ok(NumberSize {
        pairs,
        negative,
        exponent: hi,
        digits: sig.len(),
        bytes,
    })
}

/// Checks a DynamoDB number and returns its significant digits (0 for zero).
pub fn significant_digits(text: &str) -> Result<usize, String> {
    number_size(text).map(|n| n.digits)
}

/// Bytes a number occupies (see [`number_size`] for the rule).
pub fn number_bytes(text: &str) -> Result<u64, String> {
    number_size(text).map(|n| n.bytes)
}

fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if clean.len() % 4 != 0 {
        return Err("binary values must be base64 (length a multiple of 4)".into());
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    for chunk in clean.chunks(4) {
        let mut v = 0u32;
        let mut pad = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let d = if c == b'=' && i >= 2 {
                pad += 1;
                0
            } else if pad > 0 {
                return Err("misplaced “=” in base64".into());
            } else {
                ALPHABET
                    .iter()
                    .position(|&a| a == c)
                    .ok_or_else(|| format!("“{}” is not a base64 character", c as char))?
                    as u32
            };
            v = (v << 6) | d;
        }
        let bytes = v.to_be_bytes();
        out.extend_from_slice(&bytes[1..4 - pad]);
    }
    Ok(out)
}

fn is_dynamo_value(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.len() == 1 && m.keys().all(|k| matches!(k.as_str(), "S" | "N" | "B" | "BOOL" | "NULL" | "M" | "L" | "SS" | "NS" | "BS")))
}

/// Parses an item from JSON text.
pub fn parse_item(
    text: &str,
    kind: JsonKind,
) -> Result<(Vec<(String, Attr)>, JsonKind), ItemError> {
    let value: Value = serde_json::from_str(text.trim())
        .map_err(|e| err("", format!("The item is not valid JSON: {e}.")))?;
    let Value::Object(map) = value else {
        return Err(err(
            "",
            "An item is a JSON object: { \"attribute\": value, … }.",
        ));
    };
    if map.is_empty() {
        return Err(err("", "The item has no attributes."));
    }
    let kind = match kind {
        JsonKind::Auto if map.values().all(is_dynamo_value) => JsonKind::Dynamo,
        JsonKind::Auto => JsonKind::Plain,
        k => k,
    };
    let attrs = map
        .into_iter()
        .map(|(k, v)| {
            let a = match kind {
                JsonKind::Dynamo => from_dynamo(&k, &v)?,
                _ => from_plain(&k, &v)?,
            };
            if nesting(&a) > MAX_NESTING {
                return Err(err(
                    &k,
                    format!("Lists and maps nest at most {MAX_NESTING} levels deep in DynamoDB; this one nests {}.", nesting(&a)),
                ));
            }
            Ok((k, a))
        })
        .collect::<Result<Vec<_>, ItemError>>()?;
    Ok((attrs, kind))
}

fn from_plain(path: &str, v: &Value) -> Result<Attr, ItemError> {
    Ok(match v {
        Value::Null => Attr::Null,
        Value::Bool(b) => Attr::Bool(*b),
        Value::Number(n) => {
            let t = n.to_string();
            significant_digits(&t).map_err(|m| err(path, m))?;
            Attr::N(t)
        }
        Value::String(s) => Attr::S(s.clone()),
        Value::Array(items) => Attr::L(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| from_plain(&format!("{path}[{i}]"), x))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(m) => Attr::M(
            m.iter()
                .map(|(k, x)| Ok((k.clone(), from_plain(&format!("{path}.{k}"), x)?)))
                .collect::<Result<_, ItemError>>()?,
        ),
    })
}

fn str_list(path: &str, v: &Value, what: &str) -> Result<Vec<String>, ItemError> {
    let Value::Array(items) = v else {
        return Err(err(
            path,
            format!("{what} must be a JSON array of strings."),
        ));
    };
    if items.is_empty() {
        return Err(err(
            path,
            format!("{what} cannot be empty (DynamoDB rejects empty sets)."),
        ));
    }
    items
        .iter()
        .map(|x| {
            x.as_str()
                .map(str::to_string)
                .ok_or_else(|| err(path, format!("{what} must contain strings only.")))
        })
        .collect()
}

fn from_dynamo(path: &str, v: &Value) -> Result<Attr, ItemError> {
    let Value::Object(m) = v else {
        return Err(err(
            path,
            "In DynamoDB JSON every value is an object such as {\"S\": \"text\"}.",
        ));
    };
    let Some((tag, inner)) = m.iter().next().filter(|_| m.len() == 1) else {
        return Err(err(path, "A DynamoDB JSON value has exactly one type key (S, N, B, BOOL, NULL, M, L, SS, NS or BS)."));
    };
    Ok(match (tag.as_str(), inner) {
        ("S", Value::String(s)) => Attr::S(s.clone()),
        ("N", Value::String(s)) => {
            significant_digits(s).map_err(|e| err(path, e))?;
            Attr::N(s.trim().to_string())
        }
        ("N", _) => {
            return Err(err(
                path,
                "A number is written as a string in DynamoDB JSON: {\"N\": \"12\"}.",
            ))
        }
        ("B", Value::String(s)) => Attr::B(base64_decode(s).map_err(|e| err(path, e))?),
        ("BOOL", Value::Bool(b)) => Attr::Bool(*b),
        ("NULL", Value::Bool(true)) => Attr::Null,
        ("L", Value::Array(items)) => Attr::L(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| from_dynamo(&format!("{path}[{i}]"), x))
                .collect::<Result<_, _>>()?,
        ),
        ("M", Value::Object(inner)) => Attr::M(from_dynamo_map(path, inner)?),
        ("SS", x) => {
            let ss = str_list(path, x, "A string set (SS)")?;
            if let Some(d) = first_duplicate(&ss) {
                return Err(err(path, format!("A string set (SS) holds “{d}” twice; DynamoDB refuses sets with duplicates.")));
            }
            Attr::Ss(ss)
        }
        ("NS", x) => {
            let ns = str_list(path, x, "A number set (NS)")?;
            // The value each text stands for (1 and 1.0 are one number), sorted to find twins.
            let mut keys = Vec::with_capacity(ns.len());
            for (i, n) in ns.iter().enumerate() {
                let v = number_size(n).map_err(|e| err(path, e))?;
                keys.push((v.negative, v.exponent, v.pairs, i));
            }
            keys.sort();
            if let Some(w) = keys
                .windows(2)
                .find(|w| (w[0].0, w[0].1, &w[0].2) == (w[1].0, w[1].1, &w[1].2))
            {
                let n = &ns[w[0].3.max(w[1].3)];
                return Err(err(path, format!("A number set (NS) holds “{}” twice; DynamoDB refuses sets with duplicates (1 and 1.0 are the same number).", n.trim())));
            }
            Attr::Ns(ns)
        }
        ("BS", x) => {
            let bs = str_list(path, x, "A binary set (BS)")?
                .iter()
                .map(|s| base64_decode(s).map_err(|e| err(path, e)))
                .collect::<Result<Vec<_>, _>>()?;
            if first_duplicate(&bs).is_some() {
                return Err(err(path, "A binary set (BS) holds the same value twice; DynamoDB refuses sets with duplicates."));
            }
            Attr::Bs(bs)
        }
        (tag, _) => {
            return Err(err(
                path,
                format!("The value of type {tag} has the wrong JSON shape."),
            ))
        }
    })
}

fn first_duplicate<T: Ord + Clone>(items: &[T]) -> Option<T> {
    let mut sorted = items.to_vec();
    sorted.sort();
    sorted
        .windows(2)
        .find(|w| w[0] == w[1])
        .map(|w| w[0].clone())
}

fn from_dynamo_map(path: &str, m: &Map<String, Value>) -> Result<Vec<(String, Attr)>, ItemError> {
    m.iter()
        .map(|(k, x)| Ok((k.clone(), from_dynamo(&format!("{path}.{k}"), x)?)))
        .collect()
}

/// Bytes of a value (without its attribute name).
pub fn value_bytes(a: &Attr) -> u64 {
    match a {
        Attr::S(s) => s.len() as u64,
        Attr::N(n) => number_bytes(n).unwrap_or(0),
        Attr::B(b) => b.len() as u64,
        Attr::Bool(_) | Attr::Null => 1,
        Attr::L(items) => 3 + items.iter().map(|x| 1 + value_bytes(x)).sum::<u64>(),
        Attr::M(entries) => {
            3 + entries
                .iter()
                .map(|(k, x)| 1 + k.len() as u64 + value_bytes(x))
                .sum::<u64>()
        }
        Attr::Ss(v) => v.iter().map(|s| s.len() as u64).sum(),
        Attr::Ns(v) => v.iter().map(|n| number_bytes(n).unwrap_or(0)).sum(),
        Attr::Bs(v) => v.iter().map(|b| b.len() as u64).sum(),
    }
}

/// One line of the size breakdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrSize {
    pub name: String,
    pub type_name: &'static str,
    pub name_bytes: u64,
    pub value_bytes: u64,
}

pub fn type_name(a: &Attr) -> &'static str {
    match a {
        Attr::S(_) => "S",
        Attr::N(_) => "N",
        Attr::B(_) => "B",
        Attr::Bool(_) => "BOOL",
        Attr::Null => "NULL",
        Attr::L(_) => "L",
        Attr::M(_) => "M",
        Attr::Ss(_) => "SS",
        Attr::Ns(_) => "NS",
        Attr::Bs(_) => "BS",
    }
}

/// The size of an item, with a line per top-level attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemSize {
    pub attributes: Vec<AttrSize>,
    /// Every number in the item (N, NS members, numbers inside L and M) with its path,
    /// in document order, for "show the math".
    pub numbers: Vec<(String, NumberSize)>,
    pub total: u64,
}

fn collect_numbers(path: &str, a: &Attr, out: &mut Vec<(String, NumberSize)>) {
    let mut push = |p: String, n: &str| {
        if let Ok(size) = number_size(n) {
            out.push((p, size));
        }
    };
    match a {
        Attr::N(n) => push(path.to_string(), n),
        Attr::Ns(v) => {
            for (i, n) in v.iter().enumerate() {
                push(format!("{path}<{i}>"), n);
            }
        }
        Attr::L(items) => {
            for (i, x) in items.iter().enumerate() {
                collect_numbers(&format!("{path}[{i}]"), x, out);
            }
        }
        Attr::M(entries) => {
            for (k, x) in entries {
                collect_numbers(&format!("{path}.{k}"), x, out);
            }
        }
        _ => {}
    }
}

impl ItemSize {
    pub fn of(attrs: &[(String, Attr)]) -> ItemSize {
        let attributes: Vec<AttrSize> = attrs
            .iter()
            .map(|(k, a)| AttrSize {
                name: k.clone(),
                type_name: type_name(a),
                name_bytes: k.len() as u64,
                value_bytes: value_bytes(a),
            })
            .collect();
        let total = attributes
            .iter()
            .map(|a| a.name_bytes + a.value_bytes)
            .sum();
        let mut numbers = Vec::new();
        for (k, a) in attrs {
            collect_numbers(k, a, &mut numbers);
        }
        ItemSize {
            attributes,
            numbers,
            total,
        }
    }

    /// Fails for items over 400 KB; `Ok(true)` when above 90% of the limit.
    pub fn check_limit(&self) -> Result<bool, String> {
        if self.total > MAX_ITEM_BYTES {
            Err(format!(
                "The item is {} bytes; DynamoDB's limit is 409,600 bytes (400 KB). Store large values in S3 and keep a pointer.",
                crate::core::format::thousands(self.total as u128)
            ))
        } else {
            Ok(self.total as f64 > WARN_SHARE * MAX_ITEM_BYTES as f64)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn size(json: &str) -> u64 {
        let (attrs, _) = parse_item(json, JsonKind::Auto).unwrap();
        ItemSize::of(&attrs).total
    }

    /// Sizes measured on live DynamoDB (value alone, by bisecting the 400 KB item limit;
    /// ../shared/facts/pricing-and-sizing.md and issue 12).
    #[test]
    fn measured_number_sizes() {
        let forty_digits_38 = "12345678901234567890123456789012345678";
        for (text, bytes) in [
            ("1.5", 3),
            ("100.5", 4),
            ("-42", 3),
            ("0", 1),
            ("12345", 4),
            ("0.15", 2),
            ("1786461547", 6),
            (forty_digits_38, 20),
        ] {
            assert_eq!(number_bytes(text), Ok(bytes), "{text}");
        }
        // The same values, written differently, store the same bytes.
        for (text, bytes) in [
            ("-0", 1),
            ("0.000", 1),
            ("1.5e0", 3),
            ("15E-1", 3),
            ("001.50", 3),
            ("+12345", 4),
            ("1.2345e4", 4),
            ("-4.2E1", 3),
        ] {
            assert_eq!(number_bytes(text), Ok(bytes), "{text}");
        }
        // Pairs outward from the point; all-zero end pairs dropped, inner ones kept.
        let n = number_size("1.5").unwrap();
        assert_eq!(n.pairs, ["01", "50"]);
        assert_eq!(n.explain(), "01|50 → 2 pairs + 1 = 3 bytes");
        assert_eq!(number_size("1000").unwrap().pairs, ["10"]);
        assert_eq!(number_size("10001").unwrap().pairs, ["01", "00", "01"]);
        assert_eq!(number_size("0.0015").unwrap().pairs, ["15"]);
        assert_eq!(number_size("0.015").unwrap().pairs, ["01", "50"]);
        assert_eq!(
            number_size("-42").unwrap().explain(),
            "42 → 1 pair + 1 + 1 (negative) = 3 bytes"
        );
        assert_eq!(number_size("0").unwrap().explain(), "zero → 1 byte");
        // The largest: 38 digits split across 20 pairs is 21 bytes, negative or not.
        let odd = format!("1.{}", &forty_digits_38[1..]);
        assert_eq!(number_bytes(&odd), Ok(21));
        assert_eq!(number_bytes(&format!("-{odd}")), Ok(21));
        assert_eq!(number_bytes(&format!("-{forty_digits_38}")), Ok(21));
        // Range: 1E-130 up to 9.99…E+125.
        assert_eq!(number_bytes("1E-130"), Ok(2));
        // 9.99…9E+125 (38 nines) falls on 19 pairs: 20 bytes.
        assert_eq!(
            number_bytes(&format!("{}E+125", "9.".to_string() + &"9".repeat(37))),
            Ok(20)
        );
        assert!(number_bytes("1E-131").unwrap_err().contains("too small"));
        assert!(number_bytes("1E+126").unwrap_err().contains("too large"));
        assert!(number_bytes("1e99999999999999999999999")
            .unwrap_err()
            .contains("too large"));
        assert!(number_bytes("1e-99999999999999999999999")
            .unwrap_err()
            .contains("too small"));
        assert_eq!(number_bytes("0e99999999999999999999999"), Ok(1));
        assert_eq!(significant_digits("123.45"), Ok(5));
        assert_eq!(significant_digits("0.00100"), Ok(1));
        assert!(significant_digits("12abc")
            .unwrap_err()
            .contains("is not a number"));
        assert!(significant_digits("1e").unwrap_err().contains("exponent"));
        assert!(significant_digits("--1")
            .unwrap_err()
            .contains("is not a number"));
        assert!(significant_digits(".")
            .unwrap_err()
            .contains("is not a number"));
        assert!(significant_digits(&"9".repeat(39))
            .unwrap_err()
            .contains("at most 38"));
    }

    /// An independent formulation: the number as an integer mantissa M times 10^E, E made
    /// even, then M written in base 100 by division, trailing zero base-100 digits dropped.
    fn base100_digits(mut m: u128) -> u64 {
        while m % 100 == 0 {
            m /= 100;
        }
        let mut n = 0u64;
        while m > 0 {
            m /= 100;
            n += 1;
        }
        n
    }

    fn base100_bytes(m: u128, e: i64, negative: bool) -> u64 {
        if m == 0 {
            return 1;
        }
        // Base-100 digits of M × 10 (odd E) or M (even E), trailing zero digits dropped.
        let n = if e.rem_euclid(2) == 1 {
            match m.checked_mul(10) {
                Some(x) => base100_digits(x),
                // M × 10 overflows u128 only for 38-digit M: its 39 decimal digits make 20
                // base-100 digits, the last (M mod 10) × 10, zero only when M ends in 0.
                None if m % 10 == 0 => base100_digits(m / 10),
                None => 20,
            }
        } else {
            base100_digits(m)
        };
        n + 1 + u64::from(negative && n < 20)
    }

    proptest::proptest! {
        #[test]
        fn pairs_match_base_100_division(m in proptest::prop_oneof![0u128..10u128.pow(37), 10u128.pow(37)..10u128.pow(38)], e in -120i64..80, negative: bool, style in 0u8..3, pad in 0usize..3) {
            let digits = m.to_string();
            // Write M × 10^E in one of three ways: exponent form, plain decimal, padded.
            let text = match style {
                0 => format!("{digits}E{e}"),
                _ => {
                    let len = digits.len() as i64;
                    let point = len + e; // digits before the point
                    let plain = if e >= 0 {
                        format!("{digits}{}", "0".repeat(e as usize))
                    } else if point > 0 {
                        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
                    } else {
                        format!("0.{}{digits}", "0".repeat((-point) as usize))
                    };
                    if style == 2 { format!("{}{plain}{}", "0".repeat(pad), if plain.contains('.') { "0".repeat(pad) } else { String::new() }) } else { plain }
                }
            };
            let text = if negative { format!("-{text}") } else { text };
            let expected = base100_bytes(m, e, negative && m != 0);
            proptest::prop_assert_eq!(number_bytes(&text), Ok(expected), "{}", text);
        }

        #[test]
        fn any_text_is_sized_or_refused(text in "[-+0-9.eE]{0,60}") {
            if let Ok(n) = number_size(&text) {
                proptest::prop_assert!((1..=21).contains(&n.bytes));
            }
        }
    }

    #[test]
    fn developer_guide_rules() {
        // Name bytes + value bytes: "id" (2) + "abc" (3) = 5.
        assert_eq!(size(r#"{"id": "abc"}"#), 5);
        // UTF-8 strings count bytes, not characters: "é" is 2 bytes.
        assert_eq!(size(r#"{"n": "é"}"#), 3);
        // Booleans and null: 1 byte.
        assert_eq!(size(r#"{"a": true, "b": null}"#), 4);
        // A list: 3 + 1 per element + elements: [1, "x"] = 3 + (1+2) + (1+1) = 8; name 1.
        assert_eq!(size(r#"{"l": [1, "x"]}"#), 9);
        // A map: 3 + per entry (1 + key + value): {"k": "v"} = 3 + 1 + 1 + 1 = 6; name 1.
        assert_eq!(size(r#"{"m": {"k": "v"}}"#), 7);
        // Empty list or map: 3 bytes.
        assert_eq!(size(r#"{"e": []}"#), 4);
    }

    #[test]
    fn dynamodb_json_and_plain_json_agree() {
        let plain = r#"{"pk": "user#1", "age": 42, "tags": ["a", "b"], "meta": {"ok": true}}"#;
        let dynamo = r#"{"pk": {"S": "user#1"}, "age": {"N": "42"}, "tags": {"L": [{"S": "a"}, {"S": "b"}]}, "meta": {"M": {"ok": {"BOOL": true}}}}"#;
        assert_eq!(
            parse_item(dynamo, JsonKind::Auto).unwrap().1,
            JsonKind::Dynamo
        );
        assert_eq!(size(plain), size(dynamo));
        // Sets and binary.
        assert_eq!(size(r#"{"s": {"SS": ["ab", "c"]}}"#), 1 + 3);
        assert_eq!(size(r#"{"b": {"B": "aGVsbG8="}}"#), 1 + 5);
        assert_eq!(size(r#"{"ns": {"NS": ["1", "22", "333"]}}"#), 2 + 2 + 2 + 3);
        // Numbers inside sets, lists and maps use the same rule: 1.5 and -42 are 3 bytes each.
        assert_eq!(
            size(r#"{"ns": {"NS": ["1.5", "-42", "0"]}}"#),
            2 + 3 + 3 + 1
        );
        assert_eq!(
            size(r#"{"l": [1.5, -42, 0]}"#),
            1 + 3 + (1 + 3) + (1 + 3) + (1 + 1)
        );
        assert_eq!(size(r#"{"m": {"a": 1.5}}"#), 1 + 3 + 1 + 1 + 3);
        // Plain JSON keeps every digit: a 38-digit integer is 20 bytes, not an f64's 10.
        assert_eq!(
            size(r#"{"n": 12345678901234567890123456789012345678}"#),
            1 + 20
        );
        assert_eq!(size(r#"{"n": 1.50}"#), 1 + 3);
    }

    #[test]
    fn bad_items_are_explained() {
        let e = |t: &str| parse_item(t, JsonKind::Auto).unwrap_err().to_string();
        assert!(e("{not json").contains("not valid JSON"));
        assert!(e("[1,2]").contains("JSON object"));
        assert!(e("{}").contains("no attributes"));
        assert!(e(r#"{"price": {"N": "12abc"}}"#).starts_with("price: “12abc” is not a number"));
        assert!(parse_item(r#"{"x": {"N": 12}}"#, JsonKind::Dynamo)
            .unwrap_err()
            .to_string()
            .contains("written as a string"));
        assert!(e(r#"{"s": {"SS": []}}"#).contains("cannot be empty"));
        assert!(e(r#"{"b": {"B": "***"}}"#).contains("base64"));
        assert!(e(r#"{"s": {"SS": ["a", "b", "a"]}}"#).contains("holds “a” twice"));
        assert!(e(r#"{"n": {"NS": ["1", "1.0"]}}"#).contains("holds “1.0” twice"));
        assert!(parse_item(r#"{"n": {"NS": ["1", "100", "-1"]}}"#, JsonKind::Auto).is_ok());
        assert!(e(r#"{"b": {"BS": ["aGk=", "aGk="]}}"#).contains("twice"));
        assert!(
            parse_item(r#"{"a": {"M": {"b": {"Q": 1}}}}"#, JsonKind::Dynamo)
                .unwrap_err()
                .to_string()
                .starts_with("a.b:")
        );
    }

    #[test]
    fn nesting_is_limited_to_32_levels() {
        let nest = |n: usize| format!(r#"{{"a": {}1{}}}"#, "[".repeat(n), "]".repeat(n));
        assert!(parse_item(&nest(32), JsonKind::Plain).is_ok());
        let e = parse_item(&nest(33), JsonKind::Plain)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("at most 32 levels") && e.contains("nests 33"),
            "{e}"
        );
    }

    #[test]
    fn the_400_kb_limit() {
        let big = format!(r#"{{"d": "{}"}}"#, "x".repeat(409_600));
        let s = ItemSize::of(&parse_item(&big, JsonKind::Plain).unwrap().0);
        assert_eq!(s.total, 409_601);
        assert!(s.check_limit().unwrap_err().contains("409,601 bytes"));
        let near = format!(r#"{{"d": "{}"}}"#, "x".repeat(380_000));
        assert_eq!(
            ItemSize::of(&parse_item(&near, JsonKind::Plain).unwrap().0).check_limit(),
            Ok(true)
        );
        assert_eq!(
            ItemSize::of(&parse_item(r#"{"a": 1}"#, JsonKind::Plain).unwrap().0).check_limit(),
            Ok(false)
        );
    }
}
