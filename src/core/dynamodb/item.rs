//! The billable size of an item, attribute by attribute.
//!
//! Rules (Developer Guide, "Item sizes and formats"): every attribute costs its name's
//! UTF-8 bytes plus its value: strings their UTF-8 bytes; binary its raw bytes; numbers
//! about one byte per two significant digits plus one; booleans and null one byte; lists
//! and maps 3 bytes plus 1 byte per element plus the elements (and, for maps, their keys);
//! sets the sum of their elements. An item may be at most 400 KB (409,600 bytes).

use serde_json::{Map, Value};
use std::fmt;

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

/// Checks a DynamoDB number and returns its significant digits.
pub fn significant_digits(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !e.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("“{t}” is not a number: the exponent is malformed."));
        }
    }
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return Err(format!(
            "“{t}” is not a number (digits, an optional sign, point and exponent only)."
        ));
    }
    let digits: String = format!("{int}{frac}");
    let trimmed = digits.trim_start_matches('0').trim_end_matches('0');
    let n = trimmed.len().max(1);
    if n > 38 {
        return Err(format!(
            "“{t}” has {n} significant digits; DynamoDB keeps at most 38."
        ));
    }
    Ok(n)
}

/// Bytes a number occupies: one per two significant digits, rounded up, plus one.
pub fn number_bytes(text: &str) -> Result<u64, String> {
    significant_digits(text).map(|d| d.div_ceil(2) as u64 + 1)
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
        ("SS", x) => Attr::Ss(str_list(path, x, "A string set (SS)")?),
        ("NS", x) => {
            let ns = str_list(path, x, "A number set (NS)")?;
            for n in &ns {
                significant_digits(n).map_err(|e| err(path, e))?;
            }
            Attr::Ns(ns)
        }
        ("BS", x) => Attr::Bs(
            str_list(path, x, "A binary set (BS)")?
                .iter()
                .map(|s| base64_decode(s).map_err(|e| err(path, e)))
                .collect::<Result<_, _>>()?,
        ),
        (tag, _) => {
            return Err(err(
                path,
                format!("The value of type {tag} has the wrong JSON shape."),
            ))
        }
    })
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
    pub total: u64,
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
        ItemSize { attributes, total }
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

    #[test]
    fn numbers_count_significant_digits() {
        assert_eq!(significant_digits("123.45"), Ok(5));
        assert_eq!(significant_digits("0.00100"), Ok(1));
        assert_eq!(significant_digits("-1000"), Ok(1));
        assert_eq!(significant_digits("1.5e10"), Ok(2));
        assert_eq!(number_bytes("12345"), Ok(4));
        assert_eq!(number_bytes("7"), Ok(2));
        assert_eq!(number_bytes("0"), Ok(2));
        assert!(significant_digits("12abc")
            .unwrap_err()
            .contains("is not a number"));
        assert!(significant_digits("1e").unwrap_err().contains("exponent"));
        assert!(significant_digits(&"9".repeat(39))
            .unwrap_err()
            .contains("at most 38"));
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
        assert!(
            parse_item(r#"{"a": {"M": {"b": {"Q": 1}}}}"#, JsonKind::Dynamo)
                .unwrap_err()
                .to_string()
                .starts_with("a.b:")
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
