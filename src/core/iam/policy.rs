//! IAM policy documents: parsed from JSON into statements, with errors that name the
//! element and, for JSON syntax, the line and column.
//!
//! Grammar: IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM JSON
//! policy language". Every element is accepted: Version, Id, Statement (an object or a
//! list), Sid, Effect, Action/NotAction, Resource/NotResource, Principal/NotPrincipal (AWS,
//! Service, Federated, CanonicalUser, or "*"), Condition; string-or-list everywhere.

use serde_json::{Map, Value};
use std::fmt;

/// The only policy language version with policy variables (IAM User Guide, "Version").
pub const VERSION_2012: &str = "2012-10-17";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    /// As a policy writes it: `Allow` or `Deny`.
    pub fn name(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// Which kind of principal a Principal entry names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalKind {
    pub fn key(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// A Principal or NotPrincipal element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principals {
    /// `"*"`: everyone, anonymous users included.
    Any,
    /// `{"AWS": [...], "Service": [...]}`.
    Named(Vec<(PrincipalKind, Vec<String>)>),
}

/// One condition: an operator applied to a key with one or more values (OR across values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// The operator as written (`ForAnyValue:StringLikeIfExists`).
    pub operator: String,
    pub key: String,
    /// Values as text (numbers and booleans are written as JSON has them).
    pub values: Vec<String>,
}

/// A statement, with its position in the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// 0-based position in Statement.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    /// `Action` (`Some(true, …)`) or `NotAction` (`Some(false, …)`).
    pub action: Option<(bool, Vec<String>)>,
    pub resource: Option<(bool, Vec<String>)>,
    pub principal: Option<(bool, Principals)>,
    /// AND across clauses.
    pub conditions: Vec<Clause>,
    /// [`Statement::label`], made once.
    label: std::rc::Rc<str>,
}

impl Statement {
    /// "Sid DenyLogs" or "Statement[2]": how traces name it.
    pub fn label(&self) -> String {
        self.label.to_string()
    }

    /// The label, shared (traces hold one per statement).
    pub fn label_rc(&self) -> std::rc::Rc<str> {
        self.label.clone()
    }
}

/// A parsed policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub version: Option<String>,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
}

impl Policy {
    /// Whether policy variables (`${aws:username}`) are substituted: only under 2012-10-17.
    pub fn has_variables(&self) -> bool {
        self.version.as_deref() == Some(VERSION_2012)
    }
}

/// What is wrong with a policy document: the element's path (`Statement[1].Effect`) and,
/// for JSON syntax errors, the line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub path: String,
    pub message: String,
    /// 1-based line and column, when the JSON itself is malformed.
    pub position: Option<(usize, usize)>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.position, self.path.is_empty()) {
            (Some((l, c)), _) => write!(f, "line {l}, column {c}: {}", self.message),
            (None, true) => write!(f, "{}", self.message),
            (None, false) => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

fn err(path: &str, message: impl Into<String>) -> PolicyError {
    PolicyError {
        path: path.to_string(),
        message: message.into(),
        position: None,
    }
}

/// The text of a scalar JSON value as IAM reads it (`true`, `12`, `"x"` → `x`).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string or a list of strings.
fn strings(path: &str, v: &Value) -> Result<Vec<String>, PolicyError> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| err(&format!("{path}[{i}]"), "must be a string"))
            })
            .collect(),
        _ => Err(err(path, "must be a string or a list of strings")),
    }
}

fn principals(path: &str, v: &Value) -> Result<Principals, PolicyError> {
    match v {
        Value::String(s) if s == "*" => Ok(Principals::Any),
        Value::String(s) => Err(err(
            path,
            format!("must be \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}, found \"{s}\""),
        )),
        Value::Object(m) => {
            let mut out = vec![];
            for (k, x) in m {
                let kind = match k.as_str() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    other => {
                        return Err(err(
                            &format!("{path}.{other}"),
                            "is not a principal type (AWS, Service, Federated or CanonicalUser)",
                        ))
                    }
                };
                out.push((kind, strings(&format!("{path}.{k}"), x)?));
            }
            Ok(Principals::Named(out))
        }
        _ => Err(err(path, "must be \"*\" or an object")),
    }
}

fn conditions(path: &str, v: &Value) -> Result<Vec<Clause>, PolicyError> {
    let Value::Object(ops) = v else {
        return Err(err(
            path,
            "must be an object: {\"StringEquals\": {\"aws:username\": \"alice\"}}",
        ));
    };
    let mut out = vec![];
    for (op, keys) in ops {
        let Value::Object(keys) = keys else {
            return Err(err(
                &format!("{path}.{op}"),
                "must be an object of condition keys and values",
            ));
        };
        if super::condition::Operator::parse(op).is_none() {
            return Err(err(
                &format!("{path}.{op}"),
                format!("\"{op}\" is not a condition operator"),
            ));
        }
        for (key, values) in keys {
            let p = format!("{path}.{op}.{key}");
            let values = match values {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        scalar(x).ok_or_else(|| {
                            err(&format!("{p}[{i}]"), "must be a string, number or boolean")
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                x => vec![scalar(x)
                    .ok_or_else(|| err(&p, "must be a string, number, boolean or a list"))?],
            };
            out.push(Clause {
                operator: op.clone(),
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}

/// `Action`/`NotAction` (or the Resource, Principal pair) of a statement: at most one.
fn pair<T>(
    m: &Map<String, Value>,
    path: &str,
    yes: &str,
    no: &str,
    read: impl Fn(&str, &Value) -> Result<T, PolicyError>,
) -> Result<Option<(bool, T)>, PolicyError> {
    match (m.get(yes), m.get(no)) {
        (Some(_), Some(_)) => Err(err(path, format!("has both {yes} and {no}; use one"))),
        (Some(v), None) => Ok(Some((true, read(&format!("{path}.{yes}"), v)?))),
        (None, Some(v)) => Ok(Some((false, read(&format!("{path}.{no}"), v)?))),
        (None, None) => Ok(None),
    }
}

fn statement(index: usize, path: &str, v: &Value) -> Result<Statement, PolicyError> {
    let Value::Object(m) = v else {
        return Err(err(path, "must be an object"));
    };
    const KNOWN: [&str; 10] = [
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "Id",
    ];
    if let Some(k) = m.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(err(
            &format!("{path}.{k}"),
            "is not a statement element (Sid, Effect, Action, NotAction, Resource, NotResource, Principal, NotPrincipal, Condition)",
        ));
    }
    let effect = match m.get("Effect") {
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(Value::String(s)) => {
            return Err(err(
                &format!("{path}.Effect"),
                format!("must be Allow or Deny, found \"{s}\""),
            ))
        }
        Some(_) => return Err(err(&format!("{path}.Effect"), "must be Allow or Deny")),
        None => return Err(err(path, "has no Effect (Allow or Deny)")),
    };
    let sid = match m.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(err(&format!("{path}.Sid"), "must be a string")),
    };
    let action = pair(m, path, "Action", "NotAction", strings)?;
    if action.is_none() {
        return Err(err(path, "has no Action or NotAction"));
    }
    let label = match &sid {
        Some(s) if !s.is_empty() => format!("Sid {s}"),
        _ => format!("Statement[{index}]"),
    };
    Ok(Statement {
        label: label.into(),
        index,
        sid,
        effect,
        action,
        resource: pair(m, path, "Resource", "NotResource", strings)?,
        principal: pair(m, path, "Principal", "NotPrincipal", principals)?,
        conditions: match m.get("Condition") {
            Some(c) => conditions(&format!("{path}.Condition"), c)?,
            None => vec![],
        },
    })
}

/// Parses a policy document. Errors name the element ("Statement[1].Effect must be Allow or
/// Deny, found \"allow\"") or, for malformed JSON, the line and column.
pub fn parse(text: &str) -> Result<Policy, PolicyError> {
    let v: Value = serde_json::from_str(text).map_err(|e| PolicyError {
        path: String::new(),
        message: format!("the policy is not valid JSON ({e})"),
        position: Some((e.line(), e.column())),
    })?;
    let Value::Object(m) = v else {
        return Err(err("", "a policy is a JSON object with a Statement"));
    };
    if let Some(k) = m
        .keys()
        .find(|k| !["Version", "Id", "Statement"].contains(&k.as_str()))
    {
        return Err(err(k, "is not a policy element (Version, Id, Statement)"));
    }
    let version = match m.get("Version") {
        None => None,
        Some(Value::String(s)) if s == VERSION_2012 || s == "2008-10-17" => Some(s.clone()),
        Some(x) => {
            return Err(err(
                "Version",
                format!("must be \"2012-10-17\" (or the old \"2008-10-17\"), found {x}"),
            ))
        }
    };
    let id = m.get("Id").and_then(Value::as_str).map(str::to_string);
    let statements = match m.get("Statement") {
        None => return Err(err("", "the policy has no Statement")),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, s)| statement(i, &format!("Statement[{i}]"), s))
            .collect::<Result<Vec<_>, _>>()?,
        Some(s @ Value::Object(_)) => vec![statement(0, "Statement", s)?],
        Some(_) => return Err(err("Statement", "must be an object or a list of objects")),
    };
    Ok(Policy {
        version,
        id,
        statements,
    })
}

/// What kind of policy a document is: it decides which elements AWS requires or refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Identity,
    /// A resource-based policy: bucket, queue, topic, function, trust or key policy.
    Resource,
    Boundary,
    Session,
    Scp,
    Rcp,
}

/// Parses a policy of a given kind: [`parse`], then the elements AWS refuses or requires
/// for that kind, so a policy AWS would not accept is not evaluated either. Sources: IAM
/// User Guide, "IAM JSON policy elements: Principal" ("You cannot use the Principal element
/// in an identity-based policy"; resource-based policies must name one) and "Resource" (an
/// identity-based statement must include Resource or NotResource); AWS Organizations User
/// Guide, RCP syntax (Principal must be "*"; no NotPrincipal).
pub fn parse_as(text: &str, kind: Kind) -> Result<Policy, PolicyError> {
    let p = parse(text)?;
    let what = match kind {
        Kind::Identity => "an identity-based policy",
        Kind::Resource => "a resource-based policy",
        Kind::Boundary => "a permissions boundary",
        Kind::Session => "a session policy",
        Kind::Scp => "an SCP",
        Kind::Rcp => "an RCP",
    };
    for s in &p.statements {
        let path = format!("Statement[{}]", s.index);
        match kind {
            Kind::Identity | Kind::Boundary | Kind::Session | Kind::Scp => {
                if let Some((yes, _)) = &s.principal {
                    let el = if *yes { "Principal" } else { "NotPrincipal" };
                    return Err(err(
                        &format!("{path}.{el}"),
                        format!("{el} is not allowed in {what}, which applies to whoever it is attached to (AWS refuses the policy)"),
                    ));
                }
                if kind != Kind::Scp && s.resource.is_none() {
                    return Err(err(
                        &path,
                        format!("has no Resource or NotResource; a statement of {what} must name what it applies to (\"*\" for everything)"),
                    ));
                }
            }
            Kind::Resource => {
                if s.principal.is_none() {
                    return Err(err(
                        &path,
                        "has no Principal or NotPrincipal; a resource-based policy must say whom each statement applies to",
                    ));
                }
            }
            Kind::Rcp => {
                if !matches!(&s.principal, Some((true, Principals::Any))) {
                    return Err(err(
                        &format!("{path}.Principal"),
                        "must be \"*\" in an RCP (NotPrincipal and named principals are not supported; narrow it with conditions)",
                    ));
                }
            }
        }
    }
    Ok(p)
}

/// The 1-based first and last line of each statement in a policy's text, in order (the
/// object of `Statement`, or each object of its list), so an editor can mark the statement a
/// trace line or finding names. Reads only the JSON structure: it works on text that does not
/// parse as a policy too, and returns what it found before any damage.
pub fn statement_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = vec![];
    let mut stack: Vec<char> = vec![];
    let (mut line, mut in_str, mut escaped) = (1usize, false, false);
    // The last string read in the top-level object, and the key it became.
    let (mut text_buf, mut last_str, mut key) = (String::new(), None::<String>, String::new());
    let (mut in_list, mut start) = (false, None::<usize>);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
                if stack.len() == 1 {
                    last_str = Some(std::mem::take(&mut text_buf));
                }
            } else if stack.len() == 1 && text_buf.len() < 16 {
                text_buf.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                text_buf.clear();
            }
            ':' if stack.len() == 1 => key = last_str.take().unwrap_or_default(),
            '{' | '[' => {
                let d = stack.len();
                if d == 1 && key == "Statement" {
                    if c == '{' {
                        start = Some(line);
                    } else {
                        in_list = true;
                    }
                } else if d == 2 && in_list && c == '{' {
                    start = Some(line);
                }
                stack.push(c);
            }
            '}' | ']' => {
                stack.pop();
                let d = stack.len();
                if c == '}' && ((in_list && d == 2) || (!in_list && d == 1 && key == "Statement")) {
                    if let Some(s) = start.take() {
                        out.push((s, line));
                    }
                }
                if c == ']' && in_list && d == 1 {
                    in_list = false;
                }
                if d == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    out
}

/// The statement an element path names: `Statement[2].Effect` → 2, `Statement.Action` → 0.
pub fn statement_of_path(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("Statement")?;
    if rest.is_empty() || rest.starts_with('.') {
        return Some(0);
    }
    let inner = rest.strip_prefix('[')?;
    inner[..inner.find(']')?].parse().ok()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_element_and_both_shapes() {
        let p = parse(
            r#"{"Version": "2012-10-17", "Id": "x", "Statement": {"Sid": "A", "Effect": "Allow",
                "Action": "s3:GetObject", "NotResource": ["arn:aws:s3:::b/*"],
                "Principal": {"AWS": ["111122223333"], "Service": "lambda.amazonaws.com"},
                "Condition": {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": true}}}}"#,
        )
        .unwrap();
        assert!(p.has_variables());
        let s = &p.statements[0];
        assert_eq!(s.label(), "Sid A");
        assert_eq!(s.action, Some((true, vec!["s3:GetObject".to_string()])));
        assert_eq!(
            s.resource,
            Some((false, vec!["arn:aws:s3:::b/*".to_string()]))
        );
        assert_eq!(s.conditions.len(), 2);
        // Operators come sorted by name (the JSON object is read as a map).
        assert_eq!(s.conditions[0].values, ["true"]);
        assert_eq!(s.conditions[1].values, ["10"]);
        let any =
            parse(r#"{"Statement": [{"Effect": "Deny", "NotAction": "iam:*", "Principal": "*"}]}"#)
                .unwrap();
        assert!(!any.has_variables());
        assert_eq!(any.statements[0].principal, Some((true, Principals::Any)));
        assert_eq!(any.statements[0].label(), "Statement[0]");
    }

    #[test]
    fn problems_are_named() {
        let e = |t: &str| parse(t).unwrap_err().to_string();
        assert_eq!(
            e(
                r#"{"Statement": [{"Effect": "Allow", "Action": "*"}, {"Effect": "allow", "Action": "*"}]}"#
            ),
            "Statement[1].Effect: must be Allow or Deny, found \"allow\""
        );
        assert!(e("{\n  \"Statement\": [\n  }").starts_with("line 3, column 3:"));
        assert!(e(r#"{"Statement": [{"Effect": "Allow"}]}"#).contains("no Action"));
        assert!(
            e(r#"{"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "*"}]}"#)
                .contains("both Action and NotAction")
        );
        assert!(e(r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEqualz": {"a": "b"}}}]}"#).contains("not a condition operator"));
        assert!(e(
            r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"IAM": "x"}}]}"#
        )
        .contains("Statement[0].Principal.IAM"));
        assert!(e(r#"{"Version": "2012-10-18", "Statement": []}"#).contains("2012-10-17"));
        assert!(e(r#"{"Statment": []}"#).contains("Statment: is not a policy element"));
        assert!(e(r#"[1]"#).contains("JSON object"));
    }

    #[test]
    fn each_kind_refuses_what_aws_refuses() {
        let e = |t: &str, k| parse_as(t, k).unwrap_err().to_string();
        let with_principal = r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#;
        assert!(e(with_principal, Kind::Identity).starts_with(
            "Statement[0].Principal: Principal is not allowed in an identity-based policy"
        ));
        assert!(e(with_principal, Kind::Boundary).contains("permissions boundary"));
        assert!(parse_as(with_principal, Kind::Resource).is_ok());
        assert!(parse_as(with_principal, Kind::Rcp).is_ok());
        let no_resource = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}"#;
        assert!(e(no_resource, Kind::Identity).contains("has no Resource"));
        assert!(parse_as(no_resource, Kind::Scp).is_ok());
        assert!(e(no_resource, Kind::Resource).contains("has no Principal"));
        let named = r#"{"Statement": [{"Effect": "Deny", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}]}"#;
        assert!(e(named, Kind::Rcp).contains("must be \"*\" in an RCP"));
        // A trust policy has no Resource.
        let trust = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
        assert!(parse_as(trust, Kind::Resource).is_ok());
    }

    #[test]
    fn statements_are_found_by_line() {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",\n     \"Action\": \"s3:*\", \"Condition\": {\"Bool\": {\"k\": \"}\"}}},\n    {\"Sid\": \"B\",\n      \"Effect\": \"Deny\",\n      \"Action\": \"*\"\n    }\n  ]\n}";
        assert_eq!(statement_lines(text), [(4, 5), (6, 9)]);
        let one = "{\"Statement\": {\"Effect\": \"Allow\",\n\"Action\": \"*\"}, \"Id\": \"x\"}";
        assert_eq!(statement_lines(one), [(1, 2)]);
        // Damaged text: what came before the damage.
        assert_eq!(statement_lines("{\"Statement\": [{}, {\n"), [(1, 1)]);
        assert_eq!(statement_lines("{\"Id\": {\"Statement\": {}}}"), []);
        assert_eq!(statement_of_path("Statement[12].Effect"), Some(12));
        assert_eq!(statement_of_path("Statement.Action"), Some(0));
        assert_eq!(statement_of_path("Version"), None);
    }
}
