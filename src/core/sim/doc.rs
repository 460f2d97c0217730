//! A response document as an AWS API returns it and the AWS CLI prints it: JSON values whose
//! object members keep their order (the order of the service's response shape), which
//! `serde_json::Value` here does not (its maps are sorted). The console's formatters
//! (`core::cli::format`) print it; a `--query` goes through JMESPath and back.

use std::fmt::Write;

/// A JSON value with ordered object members.
#[derive(Clone, Debug, PartialEq)]
pub enum Doc {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Doc>),
    Map(Vec<(String, Doc)>),
}

impl Doc {
    /// An object from `(key, value)` pairs, in that order.
    pub fn obj<const N: usize>(members: [(&str, Doc); N]) -> Doc {
        Doc::Map(
            members
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Doc> {
        match self {
            Doc::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Doc::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is a string, number, boolean or null (not a list or object).
    pub fn is_scalar(&self) -> bool {
        !matches!(self, Doc::List(_) | Doc::Map(_))
    }

    /// Pretty JSON as the AWS CLI prints it: 4-space indentation, `": "` after keys, no
    /// trailing newline, non-ASCII kept as it is.
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, 0);
        out
    }

    fn write_json(&self, out: &mut String, depth: usize) {
        let pad = |out: &mut String, d: usize| {
            for _ in 0..d {
                out.push_str("    ");
            }
        };
        match self {
            Doc::List(items) if items.is_empty() => out.push_str("[]"),
            Doc::Map(members) if members.is_empty() => out.push_str("{}"),
            Doc::List(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    pad(out, depth + 1);
                    item.write_json(out, depth + 1);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, depth);
                out.push(']');
            }
            Doc::Map(members) => {
                out.push_str("{\n");
                for (i, (k, v)) in members.iter().enumerate() {
                    pad(out, depth + 1);
                    write_json_string(out, k, false);
                    out.push_str(": ");
                    v.write_json(out, depth + 1);
                    out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
                }
                pad(out, depth);
                out.push('}');
            }
            scalar => scalar.write_scalar_json(out, false),
        }
    }

    fn write_scalar_json(&self, out: &mut String, ascii: bool) {
        match self {
            Doc::Null => out.push_str("null"),
            Doc::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Doc::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Doc::Float(f) => out.push_str(&float_text(*f)),
            Doc::Str(s) => write_json_string(out, s, ascii),
            Doc::List(_) | Doc::Map(_) => {}
        }
    }

    /// Compact JSON (`{"a": 1, "b": [1, 2]}`, Python's default separators), as JMESPath
    /// results print inside text cells.
    pub fn to_json_compact(&self) -> String {
        let mut out = String::new();
        self.write_compact(&mut out, false);
        out
    }

    /// Compact JSON as Python's `json.dumps` writes it with its default `ensure_ascii`:
    /// characters past `~` as `\uXXXX` (surrogate pairs above U+FFFF). botocore writes its
    /// pagination tokens so.
    pub fn to_json_ascii(&self) -> String {
        let mut out = String::new();
        self.write_compact(&mut out, true);
        out
    }

    fn write_compact(&self, out: &mut String, ascii: bool) {
        match self {
            Doc::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_compact(out, ascii);
                }
                out.push(']');
            }
            Doc::Map(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_json_string(out, k, ascii);
                    out.push_str(": ");
                    v.write_compact(out, ascii);
                }
                out.push('}');
            }
            scalar => scalar.write_scalar_json(out, ascii),
        }
    }

    /// From parsed JSON (object members in the order serde_json keeps them: sorted).
    pub fn from_json(v: &serde_json::Value) -> Doc {
        match v {
            serde_json::Value::Null => Doc::Null,
            serde_json::Value::Bool(b) => Doc::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Doc::Int(i),
                None => Doc::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Doc::Str(s.clone()),
            serde_json::Value::Array(a) => Doc::List(a.iter().map(Doc::from_json).collect()),
            serde_json::Value::Object(m) => Doc::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Doc::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// A float as Python's `repr` writes it: shortest round-trip digits, with `.0` on whole
/// numbers (`20.0`, `0.1`, `1e+16`).
pub fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".into()
        } else if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == f.trunc() && f.abs() < 1e16 {
        return format!("{f:.1}");
    }
    let s = format!("{f}");
    if f.abs() >= 1e16 || (f != 0.0 && f.abs() < 1e-4) {
        // Python switches to exponent notation here: 1e+16, 1e-05.
        let e = format!("{f:e}");
        return match e.split_once('e') {
            Some((m, x)) if !x.starts_with('-') => format!("{m}e+{x:0>2}"),
            Some((m, x)) => format!("{m}e-{:0>2}", &x[1..]),
            None => e,
        };
    }
    s
}

/// A JSON string as Python's `json` writes it; `ascii`: its `ensure_ascii`, which escapes
/// every character past `~` (0x7f included).
fn write_json_string(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ascii && (c as u32) > 0x7e) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl From<&str> for Doc {
    fn from(s: &str) -> Doc {
        Doc::Str(s.into())
    }
}
impl From<String> for Doc {
    fn from(s: String) -> Doc {
        Doc::Str(s)
    }
}
impl From<bool> for Doc {
    fn from(b: bool) -> Doc {
        Doc::Bool(b)
    }
}
impl From<i64> for Doc {
    fn from(i: i64) -> Doc {
        Doc::Int(i)
    }
}
impl From<u32> for Doc {
    fn from(i: u32) -> Doc {
        Doc::Int(i64::from(i))
    }
}
impl From<u16> for Doc {
    fn from(i: u16) -> Doc {
        Doc::Int(i64::from(i))
    }
}
impl From<u8> for Doc {
    fn from(i: u8) -> Doc {
        Doc::Int(i64::from(i))
    }
}
impl From<f64> for Doc {
    fn from(f: f64) -> Doc {
        Doc::Float(f)
    }
}
impl From<Vec<Doc>> for Doc {
    fn from(v: Vec<Doc>) -> Doc {
        Doc::List(v)
    }
}
impl<T: Into<Doc>> From<Option<T>> for Doc {
    fn from(v: Option<T>) -> Doc {
        v.map_or(Doc::Null, Into::into)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn pretty_json_is_the_clis_four_space_json() {
        let d = Doc::obj([
            ("InstanceId", "i-0abc".into()),
            (
                "State",
                Doc::obj([("Code", 16u32.into()), ("Name", "running".into())]),
            ),
            ("Tags", Doc::List(vec![])),
            ("Ratio", 20.0.into()),
        ]);
        assert_eq!(
            d.to_json_pretty(),
            "{\n    \"InstanceId\": \"i-0abc\",\n    \"State\": {\n        \"Code\": 16,\n        \"Name\": \"running\"\n    },\n    \"Tags\": [],\n    \"Ratio\": 20.0\n}"
        );
        assert_eq!(
            Doc::List(vec![1i64.into(), Doc::Null, "é\"".into()]).to_json_compact(),
            "[1, null, \"é\\\"\"]"
        );
        // json.dumps(["é😀\x7f"]) with ensure_ascii.
        assert_eq!(
            Doc::List(vec!["é😀\u{7f}".into()]).to_json_ascii(),
            "[\"\\u00e9\\ud83d\\ude00\\u007f\"]"
        );
    }

    #[test]
    fn floats_print_as_python_prints_them() {
        for (f, s) in [
            (20.0, "20.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (-3.25, "-3.25"),
        ] {
            assert_eq!(float_text(f), s);
        }
    }
}
