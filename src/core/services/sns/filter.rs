//! Amazon SNS subscription filter policies: parsed and checked against AWS's constraints,
//! then matched against a message's attributes or its JSON body, with the reason a message
//! was or was not delivered.
//!
//! Operators (Amazon SNS Developer Guide, "Amazon SNS message filtering" and its pages):
//! exact string and numeric values, `null` (body), `prefix`, `suffix`,
//! `equals-ignore-case`, `anything-but` (values, or a `prefix` or `suffix`), `numeric`
//! (`=`, `<`, `<=`, `>`, `>=`, a range of two), `exists`, `cidr`, and `$or`. Values of one
//! key are ORed, keys are ANDed; a property named in the policy must be present (only
//! `exists: false` matches an absent one); an array value in the message matches when any
//! element does. Constraints ("Filter policy constraints in Amazon SNS"): at most five keys,
//! at most 150 combinations (the product of each key's number of values), numbers from
//! −10⁹ to 10⁹ with five decimals, 256 KB, no nesting for the MessageAttributes scope;
//! string matching is case-sensitive.

use serde_json::Value;
use std::collections::BTreeMap;

/// Where the policy looks: message attributes (the default) or the JSON body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FilterPolicyScope {
    #[default]
    MessageAttributes,
    MessageBody,
}

/// A message attribute as Publish takes it: `String`, `String.Array` (a JSON array),
/// `Number` or `Binary` (never matched).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MessageAttribute {
    pub data_type: String,
    pub value: String,
}

impl MessageAttribute {
    pub fn string(v: &str) -> MessageAttribute {
        MessageAttribute {
            data_type: "String".into(),
            value: v.into(),
        }
    }
    pub fn number(v: &str) -> MessageAttribute {
        MessageAttribute {
            data_type: "Number".into(),
            value: v.into(),
        }
    }
}

pub const MAX_KEYS: usize = 5;
pub const MAX_COMBINATIONS: u64 = 150;
pub const MAX_POLICY_BYTES: usize = 256 * 1024;
pub const NUMERIC_LIMIT: f64 = 1e9;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug, PartialEq)]
enum Cond {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Prefix(String),
    Suffix(String),
    EqualsIgnoreCase(String),
    AnythingBut(Vec<Value>),
    AnythingButPrefix(String),
    AnythingButSuffix(String),
    Numeric(Vec<(Op, f64)>),
    Exists(bool),
    Cidr(crate::core::services::ec2::network::model::Net),
}

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    /// Every part must match (the keys of one object).
    All(Vec<Expr>),
    /// One alternative must match (`$or`).
    Any(Vec<Expr>),
    /// A property (a path in the body) and its conditions, ORed.
    Key { path: Vec<String>, conds: Vec<Cond> },
}

/// A checked filter policy.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterPolicy {
    pub scope: FilterPolicyScope,
    expr: Expr,
}

/// Why a message was delivered or not: the first key that did not match, or every key
/// matching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub matched: bool,
    pub reason: String,
}

fn err(m: impl Into<String>) -> String {
    format!("Invalid filter policy: {}", m.into())
}

fn number(v: &Value, what: &str) -> Result<f64, String> {
    let n = v
        .as_f64()
        .ok_or_else(|| err(format!("{what} needs a number, not {v}.")))?;
    if n.abs() > NUMERIC_LIMIT {
        return Err(err(format!(
            "{n} is outside the numeric range, −1,000,000,000 to 1,000,000,000."
        )));
    }
    let text = v.to_string();
    if let Some((_, decimals)) = text.split_once('.') {
        if decimals
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .len()
            > 5
        {
            return Err(err(format!(
                "{text} has more than five digits after the decimal point."
            )));
        }
    }
    Ok(n)
}

fn text<'a>(v: &'a Value, what: &str) -> Result<&'a str, String> {
    v.as_str()
        .ok_or_else(|| err(format!("{what} needs a string, not {v}.")))
}

fn numeric(list: &Value) -> Result<Vec<(Op, f64)>, String> {
    let items = list
        .as_array()
        .ok_or_else(|| err("numeric takes an array such as [\">=\", 100, \"<\", 200]."))?;
    if items.is_empty() || items.len() % 2 != 0 || items.len() > 4 {
        return Err(err(
            "numeric takes one comparison ([\"=\", 5]) or a range of two ([\">\", 0, \"<=\", 5]).",
        ));
    }
    let mut out = vec![];
    for pair in items.chunks(2) {
        let op = match text(&pair[0], "numeric's operator")? {
            "=" => Op::Eq,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            o => {
                return Err(err(format!(
                    "“{o}” is not a numeric operator (=, <, <=, >, >=)."
                )))
            }
        };
        out.push((op, number(&pair[1], "numeric")?));
    }
    if out.len() == 2 {
        let lower = matches!(out[0].0, Op::Gt | Op::Ge);
        let upper = matches!(out[1].0, Op::Lt | Op::Le);
        if !(lower && upper) || out[0].1 > out[1].1 {
            return Err(err(
                "a numeric range is a lower bound (> or >=) then a higher upper bound (< or <=).",
            ));
        }
    }
    Ok(out)
}

fn condition(v: &Value) -> Result<Cond, String> {
    Ok(match v {
        Value::String(s) => Cond::Str(s.clone()),
        Value::Number(_) => Cond::Num(number(v, "a value")?),
        Value::Bool(b) => Cond::Bool(*b),
        Value::Null => Cond::Null,
        Value::Array(_) => return Err(err("a list of values cannot hold another list.")),
        Value::Object(o) => {
            let mut it = o.iter();
            let (Some((op, arg)), None) = (it.next(), it.next()) else {
                return Err(err(
                    "an operator object has exactly one operator, e.g. {\"prefix\": \"bas\"}.",
                ));
            };
            match op.as_str() {
                "prefix" => Cond::Prefix(text(arg, "prefix")?.into()),
                "suffix" => Cond::Suffix(text(arg, "suffix")?.into()),
                "equals-ignore-case" => {
                    Cond::EqualsIgnoreCase(text(arg, "equals-ignore-case")?.into())
                }
                "exists" => Cond::Exists(
                    arg.as_bool()
                        .ok_or_else(|| err("exists takes true or false."))?,
                ),
                "numeric" => Cond::Numeric(numeric(arg)?),
                "cidr" => {
                    let t = text(arg, "cidr")?;
                    Cond::Cidr(
                        crate::core::services::ec2::network::model::Net::parse(t)
                            .map_err(|e| err(format!("cidr “{t}”: {e}")))?,
                    )
                }
                "anything-but" => {
                    match arg {
                        Value::Object(inner) => match inner.iter().next() {
                            Some((k, v)) if inner.len() == 1 && k == "prefix" => {
                                Cond::AnythingButPrefix(text(v, "anything-but prefix")?.into())
                            }
                            Some((k, v)) if inner.len() == 1 && k == "suffix" => {
                                Cond::AnythingButSuffix(text(v, "anything-but suffix")?.into())
                            }
                            _ => return Err(err(
                                "anything-but takes values, or {\"prefix\": …} or {\"suffix\": …}.",
                            )),
                        },
                        Value::Array(list) => {
                            for x in list {
                                if !(x.is_string() || x.is_number()) {
                                    return Err(err("anything-but lists strings or numbers."));
                                }
                            }
                            Cond::AnythingBut(list.clone())
                        }
                        Value::String(_) | Value::Number(_) => Cond::AnythingBut(vec![arg.clone()]),
                        _ => {
                            return Err(err(
                                "anything-but takes values, or {\"prefix\": …} or {\"suffix\": …}.",
                            ))
                        }
                    }
                }
                other => return Err(err(format!("“{other}” is not a filter operator."))),
            }
        }
    })
}

/// Reads one object of the policy (the top or a `$or` alternative), `path` being where it
/// sits in the body.
fn object(
    o: &serde_json::Map<String, Value>,
    path: &[String],
    scope: FilterPolicyScope,
) -> Result<Expr, String> {
    if o.is_empty() {
        return Err(err(
            "an object of the policy must name at least one property.",
        ));
    }
    let mut parts = vec![];
    for (k, v) in o {
        if k == "$or" {
            let alts = v
                .as_array()
                .filter(|a| a.len() >= 2)
                .ok_or_else(|| err("$or takes an array of at least two objects."))?;
            let mut any = vec![];
            for a in alts {
                let ao = a
                    .as_object()
                    .ok_or_else(|| err("each $or alternative is an object."))?;
                any.push(object(ao, path, scope)?);
            }
            parts.push(Expr::Any(any));
            continue;
        }
        let mut p = path.to_vec();
        p.push(k.clone());
        match v {
            Value::Array(list) => {
                if list.is_empty() {
                    return Err(err(format!("“{k}” lists no values.")));
                }
                let conds = list.iter().map(condition).collect::<Result<Vec<_>, _>>()?;
                parts.push(Expr::Key { path: p, conds });
            }
            Value::Object(inner) if scope == FilterPolicyScope::MessageBody => {
                parts.push(object(inner, &p, scope)?);
            }
            Value::Object(_) => {
                return Err(err(format!(
                    "“{k}” is nested; nested properties need the MessageBody scope."
                )))
            }
            _ => {
                return Err(err(format!(
                    "the values of “{k}” must be in an array, e.g. [{v}]."
                )))
            }
        }
    }
    Ok(Expr::All(parts))
}

/// (keys, combinations) of an expression: keys count once each; a key's values multiply
/// with the other keys'; `$or` alternatives add up.
fn complexity(e: &Expr) -> (usize, u64) {
    match e {
        Expr::Key { conds, .. } => (1, conds.len() as u64),
        Expr::All(parts) => parts
            .iter()
            .map(complexity)
            .fold((0, 1), |(k, c), (k2, c2)| (k + k2, c.saturating_mul(c2))),
        Expr::Any(alts) => alts
            .iter()
            .map(complexity)
            .fold((0, 0), |(k, c), (k2, c2)| (k.max(k2), c.saturating_add(c2))),
    }
}

impl FilterPolicy {
    /// Parses and checks a policy; errors name the problem the way SNS's refusal does
    /// (`InvalidParameter: Invalid filter policy: …`).
    pub fn parse(text: &str, scope: FilterPolicyScope) -> Result<FilterPolicy, String> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(err("the policy is larger than 256 KB."));
        }
        let v: Value = serde_json::from_str(text).map_err(|e| err(format!("not JSON ({e}).")))?;
        let o = v
            .as_object()
            .ok_or_else(|| err("a filter policy is a JSON object of properties."))?;
        let expr = object(o, &[], scope)?;
        let (keys, combinations) = complexity(&expr);
        if keys > MAX_KEYS {
            return Err(err(format!(
                "it has {keys} keys; at most {MAX_KEYS} are allowed."
            )));
        }
        if combinations > MAX_COMBINATIONS {
            return Err(err(format!(
                "its values combine {combinations} ways; at most {MAX_COMBINATIONS} are allowed."
            )));
        }
        Ok(FilterPolicy { scope, expr })
    }

    /// Whether a message with these attributes and this body is delivered, and why.
    pub fn evaluate(&self, attributes: &BTreeMap<String, MessageAttribute>, body: &str) -> Match {
        let doc =
            match self.scope {
                FilterPolicyScope::MessageAttributes => Doc::Attributes(attributes),
                FilterPolicyScope::MessageBody => match serde_json::from_str::<Value>(body) {
                    Ok(v) if v.is_object() => Doc::Body(v),
                    _ => return Match {
                        matched: false,
                        reason:
                            "the body is not a JSON object, so a MessageBody policy cannot match it"
                                .into(),
                    },
                },
            };
        match eval(&self.expr, &doc) {
            Ok(()) => Match {
                matched: true,
                reason: "every property of the policy matches".into(),
            },
            Err(reason) => Match {
                matched: false,
                reason,
            },
        }
    }
}

enum Doc<'a> {
    Attributes(&'a BTreeMap<String, MessageAttribute>),
    Body(Value),
}

/// The values a property holds in the message: `None` when absent; an array's elements.
fn lookup(doc: &Doc, path: &[String]) -> Option<Vec<Value>> {
    match doc {
        Doc::Attributes(attrs) => {
            let a = attrs.get(path.first()?)?;
            Some(match a.data_type.split('.').next().unwrap_or("") {
                "Number" => vec![crate::core::parse_float::parse_f64(a.value.trim())
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)],
                "String" if a.data_type == "String.Array" => {
                    match serde_json::from_str::<Value>(&a.value) {
                        Ok(Value::Array(items)) => items,
                        _ => vec![],
                    }
                }
                "String" => vec![Value::String(a.value.clone())],
                // Binary attributes are never compared.
                _ => vec![],
            })
        }
        Doc::Body(v) => {
            let mut at = v;
            for k in path {
                at = at.as_object()?.get(k)?;
            }
            Some(match at {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            })
        }
    }
}

fn num_eq(a: f64, b: f64) -> bool {
    (a - b).abs() < 5e-6
}

fn cond_matches(c: &Cond, v: &Value) -> bool {
    match c {
        Cond::Str(s) => v.as_str() == Some(s),
        Cond::Num(n) => v.as_f64().is_some_and(|x| num_eq(x, *n)),
        Cond::Bool(b) => v.as_bool() == Some(*b),
        Cond::Null => v.is_null(),
        Cond::Prefix(p) => v.as_str().is_some_and(|s| s.starts_with(p.as_str())),
        Cond::Suffix(p) => v.as_str().is_some_and(|s| s.ends_with(p.as_str())),
        // Unicode case, as SNS compares (the flow and console modules carry the table).
        #[allow(clippy::disallowed_methods)]
        Cond::EqualsIgnoreCase(p) => v
            .as_str()
            .is_some_and(|s| s.to_lowercase() == p.to_lowercase()),
        Cond::AnythingBut(list) => {
            !list.iter().any(|x| match (x, v) {
                (Value::Number(a), Value::Number(b)) => num_eq(
                    a.as_f64().unwrap_or(f64::NAN),
                    b.as_f64().unwrap_or(f64::NAN),
                ),
                (a, b) => a == b,
            }) && (v.is_string() || v.is_number())
        }
        Cond::AnythingButPrefix(p) => v.as_str().is_some_and(|s| !s.starts_with(p.as_str())),
        Cond::AnythingButSuffix(p) => v.as_str().is_some_and(|s| !s.ends_with(p.as_str())),
        Cond::Numeric(ops) => v.as_f64().is_some_and(|x| {
            ops.iter().all(|(op, n)| match op {
                Op::Eq => num_eq(x, *n),
                Op::Lt => x < *n,
                Op::Le => x <= *n,
                Op::Gt => x > *n,
                Op::Ge => x >= *n,
            })
        }),
        Cond::Exists(_) => true,
        Cond::Cidr(net) => v.as_str().is_some_and(|s| {
            crate::core::services::ec2::network::model::parse_any_ip(s)
                .is_ok_and(|ip| net.contains(ip))
        }),
    }
}

fn show(path: &[String]) -> String {
    path.join(".")
}

fn eval(e: &Expr, doc: &Doc) -> Result<(), String> {
    match e {
        Expr::All(parts) => parts.iter().try_for_each(|p| eval(p, doc)),
        Expr::Any(alts) => {
            let mut reasons = vec![];
            for a in alts {
                match eval(a, doc) {
                    Ok(()) => return Ok(()),
                    Err(r) => reasons.push(r),
                }
            }
            Err(format!(
                "no $or alternative matches ({})",
                reasons.join("; ")
            ))
        }
        Expr::Key { path, conds } => {
            let values = lookup(doc, path);
            // exists decides on presence alone.
            for c in conds {
                if let Cond::Exists(want) = c {
                    if values.is_some() == *want {
                        return Ok(());
                    }
                }
            }
            let Some(values) = values else {
                return Err(format!("“{}” is not in the message", show(path)));
            };
            if values.iter().any(|v| {
                conds
                    .iter()
                    .any(|c| !matches!(c, Cond::Exists(_)) && cond_matches(c, v))
            }) {
                Ok(())
            } else {
                let shown: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                Err(format!(
                    "“{}” is {} and no value of the policy matches it",
                    show(path),
                    shown.join(", ")
                ))
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn body_policy(p: &str) -> FilterPolicy {
        FilterPolicy::parse(p, FilterPolicyScope::MessageBody).unwrap()
    }

    fn attrs(list: &[(&str, MessageAttribute)]) -> BTreeMap<String, MessageAttribute> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    /// AWS's example ("Amazon SNS example filter policies"): the policy matches the body.
    #[test]
    fn the_documented_example_matches() {
        let p = body_policy(
            r#"{"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],"customer_interests":["rugby","football","baseball"],"price_usd":[{"numeric":[">=",100]}]}"#,
        );
        let body = r#"{"customer_interests":["soccer","rugby","hockey"],"store":"example_corp","event":"order_placed","price_usd":210.75}"#;
        assert!(p.evaluate(&BTreeMap::new(), body).matched);
        let cancelled = body.replace("order_placed", "order_cancelled");
        let m = p.evaluate(&BTreeMap::new(), &cancelled);
        assert!(!m.matched);
        assert!(
            m.reason.contains("“event” is \"order_cancelled\""),
            "{}",
            m.reason
        );
        let cheap = body.replace("210.75", "99.5");
        assert!(!p.evaluate(&BTreeMap::new(), &cheap).matched);
    }

    #[test]
    fn operators() {
        let a = |p: &str, v: MessageAttribute| {
            FilterPolicy::parse(p, FilterPolicyScope::MessageAttributes)
                .unwrap()
                .evaluate(&attrs(&[("k", v)]), "")
                .matched
        };
        let s = MessageAttribute::string;
        assert!(a(r#"{"k":[{"prefix":"bas"}]}"#, s("basketball")));
        assert!(!a(r#"{"k":[{"prefix":"bas"}]}"#, s("rugby")));
        assert!(a(r#"{"k":[{"suffix":".png"}]}"#, s("cat.png")));
        assert!(a(r#"{"k":[{"equals-ignore-case":"RUGBY"}]}"#, s("Rugby")));
        assert!(!a(r#"{"k":["RUGBY"]}"#, s("Rugby")), "case-sensitive");
        assert!(a(r#"{"k":[{"anything-but":["a","b"]}]}"#, s("c")));
        assert!(!a(r#"{"k":[{"anything-but":["a","b"]}]}"#, s("a")));
        assert!(a(
            r#"{"k":[{"anything-but":{"prefix":"order-"}}]}"#,
            s("refund-1")
        ));
        assert!(!a(
            r#"{"k":[{"anything-but":{"prefix":"order-"}}]}"#,
            s("order-1")
        ));
        assert!(a(
            r#"{"k":[{"numeric":[">",0,"<=",150]}]}"#,
            MessageAttribute::number("150")
        ));
        assert!(!a(
            r#"{"k":[{"numeric":[">",0,"<=",150]}]}"#,
            MessageAttribute::number("150.5")
        ));
        assert!(
            !a(r#"{"k":[{"numeric":[">",0]}]}"#, s("5")),
            "a String attribute is not a number"
        );
        assert!(a(r#"{"k":[{"cidr":"10.0.0.0/24"}]}"#, s("10.0.0.255")));
        assert!(!a(r#"{"k":[{"cidr":"10.0.0.0/24"}]}"#, s("10.0.1.1")));
        assert!(a(r#"{"k":[{"exists":true}]}"#, s("x")));
        assert!(a(
            r#"{"k":["rugby"]}"#,
            MessageAttribute {
                data_type: "String.Array".into(),
                value: r#"["soccer","rugby"]"#.into()
            }
        ));
        // A property of the policy must be present, except for exists: false.
        let p = FilterPolicy::parse(
            r#"{"k":[{"anything-but":"x"}]}"#,
            FilterPolicyScope::MessageAttributes,
        )
        .unwrap();
        assert!(!p.evaluate(&BTreeMap::new(), "").matched);
        let p = FilterPolicy::parse(
            r#"{"k":[{"exists":false}]}"#,
            FilterPolicyScope::MessageAttributes,
        )
        .unwrap();
        assert!(p.evaluate(&BTreeMap::new(), "").matched);
        // $or: either alternative.
        let p = body_policy(
            r#"{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}"#,
        );
        assert!(
            p.evaluate(
                &BTreeMap::new(),
                r#"{"source":"aws.cloudwatch","namespace":"AWS/EC2"}"#
            )
            .matched
        );
        assert!(
            !p.evaluate(
                &BTreeMap::new(),
                r#"{"source":"aws.cloudwatch","namespace":"AWS/RDS"}"#
            )
            .matched
        );
        // Nested body properties.
        let p = body_policy(r#"{"order":{"status":["paid"]}}"#);
        assert!(
            p.evaluate(&BTreeMap::new(), r#"{"order":{"status":"paid"}}"#)
                .matched
        );
        assert!(!p.evaluate(&BTreeMap::new(), "not json").matched);
    }

    #[test]
    fn constraints_are_enforced_with_a_reason() {
        let e = |p: &str| FilterPolicy::parse(p, FilterPolicyScope::MessageAttributes).unwrap_err();
        assert!(
            e(r#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#)
                .contains("6 keys")
        );
        let many: Vec<String> = (0..13).map(|i| format!("\"v{i}\"")).collect();
        let list = many.join(",");
        assert!(e(&format!(r#"{{"a":[{list}],"b":[{list}]}}"#)).contains("169 ways"));
        assert!(e(r#"{"a":[{"numeric":[">",1000000001]}]}"#).contains("numeric range"));
        assert!(e(r#"{"a":[{"numeric":[">",1.123456]}]}"#).contains("five digits"));
        assert!(e(r#"{"a":{"b":["x"]}}"#).contains("MessageBody scope"));
        assert!(e(r#"{"a":"x"}"#).contains("must be in an array"));
        assert!(e(r#"{"a":[{"wild":"x"}]}"#).contains("not a filter operator"));
        assert!(e(r#"{"a":[{"numeric":["<",5,">",1]}]}"#).contains("lower bound"));
        assert!(e("[1]").contains("JSON object"));
        assert!(e("{").contains("not JSON"));
    }
}
