//! `--query`: JMESPath expressions, evaluated by the `jmespath` crate (the JMESPath
//! project's Rust implementation, checked against its compliance suite in
//! `tests/jmespath_compliance.rs`). Documents go in as JMESPath variables and come back as
//! [`Doc`]s.
//!
//! The crate keeps objects sorted by key; results are put back in the response's key order
//! (`Reservations[0].Instances[0]` lists AmiLaunchIndex, ImageId … as DescribeInstances
//! does). One difference from the AWS CLI (Python) remains: the keys a multiselect hash
//! makes up (`{ID: InstanceId, State: State.Name}`) come back sorted, where the CLI keeps
//! the order written. Text, table and YAML output sort keys anyway.

use crate::core::sim::Doc;
use jmespath::{Rcvar, Variable};
use std::collections::BTreeMap;

/// The most operators (brackets, dots, pipes, `!`, `*`, `&`, `@`) an expression may have.
pub const MAX_DEPTH: usize = 128;
/// The longest expression accepted, in bytes.
pub const MAX_LEN: usize = 4_096;

/// A compiled expression.
pub struct Query(jmespath::Expression<'static>);

/// Compiles an expression; the error is the CLI's "Bad value for --query" message.
pub fn compile(expr: &str) -> Result<Query, String> {
    // The parser and the interpreter recurse per operator (a bracket, `!`, `.`, `|`, `&&`):
    // a bound on their number keeps the stack small in the browser.
    let operators = expr
        .chars()
        .filter(|ch| matches!(ch, '(' | '[' | '{' | '!' | '.' | '|' | '&' | '@' | '*'))
        .count();
    if operators > MAX_DEPTH {
        return Err(format!(
            "Bad value for --query {expr}: the expression has more than {MAX_DEPTH} operators (brackets, dots, pipes, !)"
        ));
    }
    if expr.len() > MAX_LEN {
        return Err(format!(
            "Bad value for --query: the expression is longer than {MAX_LEN} characters"
        ));
    }
    let text = legacy_literals(expr);
    let ast = jmespath::parse(&text).map_err(|e| format!("Bad value for --query {expr}: {e}"))?;
    Ok(Query(jmespath::Expression::new(
        text,
        fix_ast(ast),
        &RUNTIME,
    )))
}

/// The crate's functions, with `to_number` replaced (see [`fix_variable`]).
static RUNTIME: std::sync::LazyLock<jmespath::Runtime> = std::sync::LazyLock::new(|| {
    use jmespath::functions::{ArgumentType, CustomFunction, Signature};
    let mut rt = jmespath::Runtime::new();
    rt.register_builtin_functions();
    rt.register_function(
        "to_number",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Any], None),
            Box::new(|args, _ctx| {
                Ok(Rcvar::new(match &*args[0] {
                    Variable::Number(n) => Variable::Number(n.clone()),
                    Variable::String(s) => match serde_json::from_str::<serde_json::Value>(s) {
                        Ok(serde_json::Value::Number(n)) => Variable::Number(n),
                        _ => Variable::Null,
                    },
                    _ => Variable::Null,
                }))
            }),
        )),
    );
    rt
});

/// With serde_json's `arbitrary_precision` on (as it is in this crate), the jmespath crate
/// reads a non-integer number through serde as an object holding its digits; literals are
/// turned back into numbers here.
fn fix_variable(v: &Variable) -> Variable {
    match v {
        Variable::Object(m) => {
            if let (1, Some(Variable::String(digits))) =
                (m.len(), m.get(NUMBER_TOKEN).map(|x| &**x))
            {
                if let Ok(n) = digits.parse::<serde_json::Number>() {
                    return Variable::Number(n);
                }
            }
            Variable::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), Rcvar::new(fix_variable(x))))
                    .collect(),
            )
        }
        Variable::Array(a) => {
            Variable::Array(a.iter().map(|x| Rcvar::new(fix_variable(x))).collect())
        }
        other => other.clone(),
    }
}

const NUMBER_TOKEN: &str = "$serde_json::private::Number";

fn fix_ast(ast: jmespath::ast::Ast) -> jmespath::ast::Ast {
    use jmespath::ast::{Ast, KeyValuePair};
    let b = |x: Box<Ast>| Box::new(fix_ast(*x));
    match ast {
        Ast::Literal { offset, value } => Ast::Literal {
            offset,
            value: Rcvar::new(fix_variable(&value)),
        },
        Ast::Comparison {
            offset,
            comparator,
            lhs,
            rhs,
        } => Ast::Comparison {
            offset,
            comparator,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        Ast::Condition {
            offset,
            predicate,
            then,
        } => Ast::Condition {
            offset,
            predicate: b(predicate),
            then: b(then),
        },
        Ast::Expref { offset, ast } => Ast::Expref {
            offset,
            ast: b(ast),
        },
        Ast::Flatten { offset, node } => Ast::Flatten {
            offset,
            node: b(node),
        },
        Ast::Function { offset, name, args } => Ast::Function {
            offset,
            name,
            args: args.into_iter().map(fix_ast).collect(),
        },
        Ast::MultiList { offset, elements } => Ast::MultiList {
            offset,
            elements: elements.into_iter().map(fix_ast).collect(),
        },
        Ast::MultiHash { offset, elements } => Ast::MultiHash {
            offset,
            elements: elements
                .into_iter()
                .map(|kv| KeyValuePair {
                    key: kv.key,
                    value: fix_ast(kv.value),
                })
                .collect(),
        },
        Ast::Not { offset, node } => Ast::Not {
            offset,
            node: b(node),
        },
        Ast::Projection { offset, lhs, rhs } => Ast::Projection {
            offset,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        Ast::ObjectValues { offset, node } => Ast::ObjectValues {
            offset,
            node: b(node),
        },
        Ast::And { offset, lhs, rhs } => Ast::And {
            offset,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        Ast::Or { offset, lhs, rhs } => Ast::Or {
            offset,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        Ast::Subexpr { offset, lhs, rhs } => Ast::Subexpr {
            offset,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        leaf @ (Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Slice { .. }) => leaf,
    }
}

/// A backtick literal that is not JSON (`` `test` ``) is read as a string, as the Python
/// JMESPath the AWS CLI uses reads it (a deprecated form the user guide still shows).
fn legacy_literals(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        // The closing backtick (an escaped one, \`, belongs to the literal).
        let mut end = None;
        let bytes = after.as_bytes();
        for (k, b) in bytes.iter().enumerate() {
            if *b == b'`' && (k == 0 || bytes[k - 1] != b'\\') {
                end = Some(k);
                break;
            }
        }
        let Some(end) = end else {
            out.push_str(&rest[start..]);
            return out;
        };
        let body = &after[..end];
        let text = body.replace("\\`", "`");
        if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
            out.push('`');
            out.push_str(body);
            out.push('`');
        } else {
            out.push('`');
            out.push_str(
                &serde_json::Value::String(text.trim().to_string())
                    .to_string()
                    .replace('`', "\\`"),
            );
            out.push('`');
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

impl Query {
    /// Evaluates the expression on `doc`. A runtime error (a function given the wrong type)
    /// is reported as the CLI reports it.
    pub fn search(&self, doc: &Doc) -> Result<Doc, String> {
        // Handed over as it is: the crate's generic input goes through serde, which turns
        // numbers into objects when serde_json's `arbitrary_precision` is on (as it is here).
        let data = Ready(Rcvar::new(to_variable(doc)));
        let mut order = std::collections::HashMap::new();
        key_order(doc, &mut order);
        self.0
            .search(data)
            .map(|v| ordered(from_variable(&v), &order))
            .map_err(|e| e.to_string())
    }
}

/// A variable handed to the interpreter as it is (not Serialize, so the crate's serde path
/// does not apply).
struct Ready(Rcvar);

impl jmespath::ToJmespath for Ready {
    fn to_jmespath(self) -> Result<Rcvar, jmespath::JmespathError> {
        Ok(self.0)
    }
}

/// A document as a JMESPath variable.
pub fn to_variable(d: &Doc) -> Variable {
    match d {
        Doc::Null => Variable::Null,
        Doc::Bool(b) => Variable::Bool(*b),
        Doc::Int(i) => Variable::Number(serde_json::Number::from(*i)),
        Doc::Float(f) => serde_json::Number::from_f64(*f).map_or(Variable::Null, Variable::Number),
        Doc::Str(s) => Variable::String(s.clone()),
        Doc::List(l) => Variable::Array(l.iter().map(|x| Rcvar::new(to_variable(x))).collect()),
        Doc::Map(m) => Variable::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), Rcvar::new(to_variable(v))))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// Each key's first position in a document (depth first): results list their keys in the
/// order the response had them, as the CLI's do.
fn key_order(d: &Doc, order: &mut std::collections::HashMap<String, usize>) {
    match d {
        Doc::Map(m) => {
            for (k, v) in m {
                let n = order.len();
                order.entry(k.clone()).or_insert(n);
                key_order(v, order);
            }
        }
        Doc::List(l) => l.iter().for_each(|x| key_order(x, order)),
        _ => {}
    }
}

/// Sorts every object's keys by their position in the input (keys the query made up, as a
/// multiselect hash's, come after, sorted).
fn ordered(d: Doc, order: &std::collections::HashMap<String, usize>) -> Doc {
    match d {
        Doc::Map(m) => {
            let mut m: Vec<(String, Doc)> =
                m.into_iter().map(|(k, v)| (k, ordered(v, order))).collect();
            m.sort_by(|a, b| {
                let rank = |k: &String| order.get(k).copied().unwrap_or(usize::MAX);
                rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.0.cmp(&b.0))
            });
            Doc::Map(m)
        }
        Doc::List(l) => Doc::List(l.into_iter().map(|x| ordered(x, order)).collect()),
        other => other,
    }
}

/// A JMESPath variable as a document (an expression reference, which no query returns on
/// its own, becomes null).
pub fn from_variable(v: &Variable) -> Doc {
    match v {
        Variable::Null | Variable::Expref(_) => Doc::Null,
        Variable::Bool(b) => Doc::Bool(*b),
        Variable::Number(n) => match n.as_i64() {
            Some(i) => Doc::Int(i),
            None => Doc::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Variable::String(s) => Doc::Str(s.clone()),
        Variable::Array(a) => Doc::List(a.iter().map(|x| from_variable(x)).collect()),
        Variable::Object(m) => match fix_variable(v) {
            Variable::Number(n) => from_variable(&Variable::Number(n)),
            _ => Doc::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), from_variable(v)))
                    .collect(),
            ),
        },
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::cli::parse_json_ordered;

    /// The three volumes of the user guide's "Filtering AWS CLI output" page.
    const VOLUMES: &str = r#"{"Volumes": [
      {"AvailabilityZone": "us-west-2a", "Attachments": [{"AttachTime": "2013-09-17T00:55:03.000Z", "InstanceId": "i-a071c394", "VolumeId": "vol-e11a5288", "State": "attached", "DeleteOnTermination": true, "Device": "/dev/sda1"}], "VolumeType": "standard", "VolumeId": "vol-e11a5288", "State": "in-use", "SnapshotId": "snap-f23ec1c8", "CreateTime": "2013-09-17T00:55:03.000Z", "Size": 30},
      {"AvailabilityZone": "us-west-2a", "Attachments": [{"AttachTime": "2013-09-18T20:26:16.000Z", "InstanceId": "i-4b41a37c", "VolumeId": "vol-2e410a47", "State": "attached", "DeleteOnTermination": true, "Device": "/dev/sda1"}], "VolumeType": "standard", "VolumeId": "vol-2e410a47", "State": "in-use", "SnapshotId": "snap-708e8348", "CreateTime": "2013-09-18T20:26:15.000Z", "Size": 8},
      {"AvailabilityZone": "us-west-2a", "Attachments": [{"AttachTime": "2020-11-20T19:54:06.000Z", "InstanceId": "i-1jd73kv8", "VolumeId": "vol-a1b3c7nd", "State": "attached", "DeleteOnTermination": true, "Device": "/dev/sda1"}], "VolumeType": "standard", "VolumeId": "vol-a1b3c7nd", "State": "in-use", "SnapshotId": "snap-234087fb", "CreateTime": "2020-11-20T19:54:05.000Z", "Size": 15}
    ]}"#;

    fn q(expr: &str) -> String {
        let doc = parse_json_ordered(VOLUMES).unwrap();
        compile(expr)
            .unwrap()
            .search(&doc)
            .unwrap()
            .to_json_compact()
    }

    fn ids(expr: &str) -> Vec<String> {
        let doc = parse_json_ordered(VOLUMES).unwrap();
        let Doc::List(l) = compile(expr).unwrap().search(&doc).unwrap() else {
            panic!("{expr}")
        };
        l.iter()
            .map(|v| v.get("VolumeId").and_then(Doc::as_str).unwrap().to_string())
            .collect()
    }

    #[test]
    fn the_filter_output_pages_queries() {
        assert_eq!(
            ids("Volumes[*]"),
            ["vol-e11a5288", "vol-2e410a47", "vol-a1b3c7nd"]
        );
        assert_eq!(ids("Volumes[0:2:1]"), ["vol-e11a5288", "vol-2e410a47"]);
        assert_eq!(ids("Volumes[::2]"), ["vol-e11a5288", "vol-a1b3c7nd"]);
        assert_eq!(ids("Volumes[::-2]"), ["vol-a1b3c7nd", "vol-e11a5288"]);
        assert_eq!(
            q("Volumes[*].Attachments[*].State"),
            r#"[["attached"], ["attached"], ["attached"]]"#
        );
        assert_eq!(
            q("Volumes[*].Attachments[].State"),
            r#"["attached", "attached", "attached"]"#
        );
        assert_eq!(
            q("Volumes[*].Attachments[?State=='attached'].VolumeId"),
            r#"[["vol-e11a5288"], ["vol-2e410a47"], ["vol-a1b3c7nd"]]"#
        );
        // What a shell passes for the page's single-quoted version: a field named attached.
        assert_eq!(
            q("Volumes[*].Attachments[?State==attached].VolumeId"),
            "[[], [], []]"
        );
        assert_eq!(
            q("Volumes[*].Attachments[?State=='attached'].VolumeId[]"),
            r#"["vol-e11a5288", "vol-2e410a47", "vol-a1b3c7nd"]"#
        );
        assert_eq!(
            q("Volumes[?Size < `20`].VolumeId"),
            r#"["vol-2e410a47", "vol-a1b3c7nd"]"#
        );
        assert_eq!(
            q("Volumes[*].Attachments[].InstanceId | [0]"),
            r#""i-a071c394""#
        );
        assert_eq!(
            q("Volumes[*].Attachments[].InstanceId"),
            r#"["i-a071c394", "i-4b41a37c", "i-1jd73kv8"]"#
        );
        assert_eq!(
            q("Volumes[].[VolumeId, VolumeType]"),
            r#"[["vol-e11a5288", "standard"], ["vol-2e410a47", "standard"], ["vol-a1b3c7nd", "standard"]]"#
        );
        assert_eq!(
            q("Volumes[].[VolumeId, VolumeType, Attachments[].[InstanceId, State]]"),
            r#"[["vol-e11a5288", "standard", [["i-a071c394", "attached"]]], ["vol-2e410a47", "standard", [["i-4b41a37c", "attached"]]], ["vol-a1b3c7nd", "standard", [["i-1jd73kv8", "attached"]]]]"#
        );
        assert_eq!(
            q("Volumes[].[VolumeId, VolumeType, Attachments[].[InstanceId, VolumeId][]][]"),
            r#"["vol-e11a5288", "standard", ["i-a071c394", "vol-e11a5288"], "vol-2e410a47", "standard", ["i-4b41a37c", "vol-2e410a47"], "vol-a1b3c7nd", "standard", ["i-1jd73kv8", "vol-a1b3c7nd"]]"#
        );
        assert_eq!(
            q("Volumes[].{VolumeType: VolumeType}"),
            r#"[{"VolumeType": "standard"}, {"VolumeType": "standard"}, {"VolumeType": "standard"}]"#
        );
        assert_eq!(
            ids("sort_by(Volumes, &VolumeId)"),
            ["vol-2e410a47", "vol-a1b3c7nd", "vol-e11a5288"]
        );
        assert_eq!(q("sort_by(Volumes, &Size)[].Size"), "[8, 15, 30]");
        assert_eq!(q("Volumes.Tags[?Value == `test`]"), "null");
        assert_eq!(q("Volumes[?not_null(Tags[?Value == `test`].Value)]"), "[]");
        assert_eq!(
            q("Volumes[?not_null(Tags[?Value == `test`].Value)] | []"),
            "[]"
        );
        assert_eq!(q("length(Volumes[?Size > `10`])"), "2");
    }

    #[test]
    fn bad_expressions_are_named() {
        let e = compile("Reservations[").err().unwrap();
        assert!(
            e.starts_with("Bad value for --query Reservations[: "),
            "{e}"
        );
        let doc = parse_json_ordered(VOLUMES).unwrap();
        assert!(compile("length(`1`)").unwrap().search(&doc).is_err());
    }
}
