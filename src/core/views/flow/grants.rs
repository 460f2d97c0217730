//! Least privilege from a scenario's wiring: what each function's execution role must be
//! allowed (each API call its handler makes, each event source it reads, each destination
//! it sends to) and what each resource's policy must let services do (SNS sending to a
//! queue or invoking a function, S3 notifying, API Gateway invoking). Templates start with
//! exactly these grants, the Build panel adds the grants an edit newly needs (as the AWS
//! consoles do when they wire a trigger), and older links get them when they are upgraded.
//!
//! Grants name exact ARNs; a name written as a template (`{{detail.queue}}`) becomes `*`.

use super::scenario::Scenario;
use crate::core::account::SANDBOX_ACCOUNT;
use crate::core::flow::{bucket_arn, node_arn, table_arn, IdentityKind, IdentitySpec};
use crate::core::iam::state::Doc;
use crate::core::services::lambda::{Destination, Step};
use crate::core::services::s3::Target;
use crate::core::services::sns::Endpoint;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// One permission a scenario needs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    /// Function `function`'s execution role may do `action` on `resource`.
    Role {
        function: String,
        action: String,
        resource: String,
    },
    /// The policy of `node` (`queue orders`) lets `service` do `action` on it, for calls
    /// from `source_arn`.
    Resource {
        node: String,
        service: String,
        action: String,
        source_arn: String,
    },
}

fn name_arn(kind: &str, name: &str) -> String {
    let name = if name.contains("{{") { "*" } else { name };
    node_arn(&format!("{kind} {name}")).unwrap_or_else(|| "*".into())
}

/// The execution role function `f` has, or the one a grant gives it ([`new_role_name`]).
pub fn role_of(s: &Scenario, function: &str) -> String {
    s.functions
        .iter()
        .find(|f| f.name == function)
        .map(|f| f.role.clone())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| new_role_name(s, function))
}

/// A name for a new execution role of `function` that no role or user has: `<f>-role`, then
/// `<f>-role-2` …, the function's part cut so the whole stays within IAM's 64 characters (a
/// function name may itself have 64).
pub fn new_role_name(s: &Scenario, function: &str) -> String {
    let taken = |n: &str| s.identities.iter().any(|i| i.name == n);
    (1..)
        .map(|k| {
            let suffix = if k == 1 {
                "-role".to_string()
            } else {
                format!("-role-{k}")
            };
            let keep = 64 - suffix.len();
            let head: String = function.chars().take(keep).collect();
            format!("{head}{suffix}")
        })
        .find(|n| !taken(n))
        .unwrap_or_default()
}

fn destination(function: &str, d: &Destination, out: &mut BTreeSet<Grant>) {
    let (action, resource) = match d {
        Destination::Sqs(q) => ("sqs:SendMessage", name_arn("queue", q)),
        Destination::Sns(t) => ("sns:Publish", name_arn("topic", t)),
        Destination::Lambda(f) => ("lambda:InvokeFunction", name_arn("function", f)),
    };
    out.insert(Grant::Role {
        function: function.into(),
        action: action.into(),
        resource,
    });
}

/// Every permission the scenario's wiring and handlers need.
pub fn required(s: &Scenario) -> BTreeSet<Grant> {
    let mut out = BTreeSet::new();
    let mut role = |function: &str, action: &str, resource: String| {
        out.insert(Grant::Role {
            function: function.into(),
            action: action.into(),
            resource,
        });
    };
    for f in &s.functions {
        for step in &f.handler.steps {
            match step {
                Step::SendMessage { queue, .. } => {
                    role(&f.name, "sqs:SendMessage", name_arn("queue", queue))
                }
                Step::Publish { topic, .. } => {
                    role(&f.name, "sns:Publish", name_arn("topic", topic))
                }
                Step::PutObject { bucket, .. } => {
                    let b = if bucket.contains("{{") { "*" } else { bucket };
                    role(&f.name, "s3:PutObject", format!("{}/*", bucket_arn(b)))
                }
                Step::DynamoDb { call, .. } if call.operation.multi() => {
                    // Each table and action the batch or transaction names; a templated
                    // table name becomes a wildcard (`orders-*`).
                    for (t, action) in call.filled().targets().unwrap_or_default() {
                        role(&f.name, &action, table_arn(&t));
                    }
                }
                Step::DynamoDb { call, .. } => {
                    let t = call.table.trim();
                    let mut arn = if t.contains("{{") {
                        table_arn("*")
                    } else {
                        table_arn(t)
                    };
                    let index = call.index_name.trim();
                    if !index.is_empty() && call.operation.name() == "Query" {
                        let index = if index.contains("{{") { "*" } else { index };
                        arn = format!("{arn}/index/{index}");
                    }
                    role(&f.name, &format!("dynamodb:{}", call.operation.name()), arn)
                }
                _ => {}
            }
        }
    }
    for m in &s.mappings {
        for action in crate::core::flow::SQS_POLLER_ACTIONS {
            role(&m.function, action, name_arn("queue", &m.queue));
        }
    }
    for m in &s.stream_mappings {
        let stream = crate::core::flow::stream_arn(&m.table);
        for action in crate::core::flow::STREAM_POLLER_ACTIONS {
            let on = if action == "dynamodb:ListStreams" {
                "*".to_string()
            } else {
                stream.clone()
            };
            role(&m.function, action, on);
        }
    }
    for f in &s.functions {
        let a = &f.async_config;
        for d in a.on_success.iter().chain(a.on_failure.iter()) {
            destination(&f.name, d, &mut out);
        }
    }
    for m in &s.stream_mappings {
        if let Some(d) = &m.on_failure {
            destination(&m.function, d, &mut out);
        }
    }
    let mut resource = |node: String, service: &str, action: &str, source_arn: String| {
        out.insert(Grant::Resource {
            node,
            service: service.into(),
            action: action.into(),
            source_arn,
        });
    };
    for t in &s.topics {
        let source = name_arn("topic", &t.name);
        for sub in &t.subscriptions {
            match &sub.endpoint {
                Endpoint::Sqs(q) => resource(
                    format!("queue {q}"),
                    "sns.amazonaws.com",
                    "sqs:SendMessage",
                    source.clone(),
                ),
                Endpoint::Lambda(f) => resource(
                    format!("function {f}"),
                    "sns.amazonaws.com",
                    "lambda:InvokeFunction",
                    source.clone(),
                ),
            }
        }
    }
    for b in &s.buckets {
        let source = bucket_arn(&b.name);
        for rule in &b.notifications {
            let (node, action) = match &rule.target {
                Target::Lambda(f) => (format!("function {f}"), "lambda:InvokeFunction"),
                Target::Sqs(q) => (format!("queue {q}"), "sqs:SendMessage"),
                Target::Sns(t) => (format!("topic {t}"), "sns:Publish"),
            };
            resource(node, "s3.amazonaws.com", action, source.clone());
        }
    }
    for a in &s.apis {
        let source = format!(
            "arn:aws:execute-api:{}:{SANDBOX_ACCOUNT}:{}/*",
            crate::core::account::SANDBOX_REGION,
            crate::core::services::apigateway::api_id(a)
        );
        for r in &a.routes {
            resource(
                format!("function {}", r.function),
                "apigateway.amazonaws.com",
                "lambda:InvokeFunction",
                source.clone(),
            );
        }
    }
    out
}

fn empty_policy() -> Value {
    json!({"Version": "2012-10-17", "Statement": []})
}

/// The statements of a policy text as a list (an object becomes a list of one); `None`
/// when the text is not a JSON object (left for the student to fix).
fn statements(policy: &mut Value) -> Option<&mut Vec<Value>> {
    let obj = policy.as_object_mut()?;
    let st = obj.entry("Statement").or_insert_with(|| json!([]));
    if st.is_object() {
        *st = json!([st.clone()]);
    }
    st.as_array_mut()
}

/// Adds `action` to the allow statement `matches` picks, or appends `fresh`.
fn add_action(
    text: Option<&str>,
    action: &str,
    matches: impl Fn(&Value) -> bool,
    fresh: Value,
) -> Option<String> {
    let mut policy = match text {
        Some(t) => serde_json::from_str::<Value>(t).ok()?,
        None => empty_policy(),
    };
    let list = statements(&mut policy)?;
    match list.iter_mut().find(|st| matches(st)) {
        Some(st) => {
            let actions = st.get_mut("Action")?;
            if actions.is_string() {
                *actions = json!([actions.clone()]);
            }
            let v = actions.as_array_mut()?;
            if !v.iter().any(|a| a.as_str() == Some(action)) {
                v.push(json!(action));
            }
        }
        None => list.push(fresh),
    }
    Some(policy_text(&policy))
}

/// Where a policy element goes in the text: as AWS's examples write them (Version before
/// Statement; Sid, Effect, Principal, Action, Resource, Condition), others after, A–Z.
fn rank(key: &str) -> usize {
    const ORDER: [&str; 11] = [
        "Version",
        "Id",
        "Statement",
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
    ];
    ORDER.iter().position(|k| *k == key).unwrap_or(ORDER.len())
}

/// A policy as readable JSON: two-space indents, elements in [`rank`] order, a short array
/// of strings on one line.
pub fn policy_text(v: &Value) -> String {
    fn write(v: &Value, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent + 1);
        match v {
            Value::Object(m) if !m.is_empty() => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
                out.push_str("{\n");
                for (k, key) in keys.iter().enumerate() {
                    out.push_str(&pad);
                    out.push_str(&Value::String(key.to_string()).to_string());
                    out.push_str(": ");
                    write(&m[key.as_str()], indent + 1, out);
                    if k + 1 < keys.len() {
                        out.push(',');
                    }
                    out.push('\n');
                }
                out.push_str(&"  ".repeat(indent));
                out.push('}');
            }
            Value::Array(a) if a.iter().all(Value::is_string) && a.len() <= 3 => {
                out.push_str(
                    &Value::Array(a.clone())
                        .to_string()
                        .replace("\",\"", "\", \""),
                );
            }
            Value::Array(a) if !a.is_empty() => {
                out.push_str("[\n");
                for (k, x) in a.iter().enumerate() {
                    out.push_str(&pad);
                    write(x, indent + 1, out);
                    if k + 1 < a.len() {
                        out.push(',');
                    }
                    out.push('\n');
                }
                out.push_str(&"  ".repeat(indent));
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(v, 0, &mut out);
    out
}

fn is_allow(st: &Value) -> bool {
    st.get("Effect").and_then(Value::as_str) == Some("Allow") && st.get("Condition").is_none()
}

/// Adds one grant to the scenario (creating the function's role when it has none);
/// `false` when the policy it belongs in is not valid JSON (nothing changes).
pub fn add(s: &mut Scenario, g: &Grant) -> bool {
    match g {
        Grant::Role {
            function,
            action,
            resource,
        } => {
            let role = role_of(s, function);
            if let Some(f) = s.functions.iter_mut().find(|f| f.name == *function) {
                f.role = role.clone();
            }
            if !s.identities.iter().any(|i| i.name == role) {
                s.identities.push(IdentitySpec {
                    kind: IdentityKind::Role,
                    name: role.clone(),
                    policies: vec![],
                    boundary: None,
                    trust: None,
                });
            }
            let Some(identity) = s.identities.iter_mut().find(|i| i.name == role) else {
                return false;
            };
            let policy_name = format!("{function}-access");
            let at = identity.policies.iter().position(|d| d.name == policy_name);
            let text = at.map(|i| identity.policies[i].text.as_str());
            let fresh = json!({"Effect": "Allow", "Action": [action], "Resource": resource});
            let matches = |st: &Value| {
                is_allow(st) && st.get("Resource").and_then(Value::as_str) == Some(resource)
            };
            let Some(new) = add_action(text, action, matches, fresh) else {
                return false;
            };
            match at {
                Some(i) => identity.policies[i].text = new,
                None => identity.policies.push(Doc::new(&policy_name, &new)),
            }
            true
        }
        Grant::Resource {
            node,
            service,
            action,
            source_arn,
        } => {
            let Some(arn) = node_arn(node) else {
                return false;
            };
            let slot = s.policy_mut(node);
            let Some(slot) = slot else {
                return false;
            };
            let condition = json!({"ArnLike": {"aws:SourceArn": source_arn}});
            let fresh = json!({
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": [action],
                "Resource": arn,
                "Condition": condition,
            });
            let matches = |st: &Value| {
                st.get("Effect").and_then(Value::as_str) == Some("Allow")
                    && st.pointer("/Principal/Service").and_then(Value::as_str) == Some(service)
                    && st.get("Resource").and_then(Value::as_str) == Some(arn.as_str())
                    && st.get("Condition") == Some(&condition)
            };
            let Some(new) = add_action(slot.as_deref(), action, matches, fresh) else {
                return false;
            };
            *slot = Some(new);
            true
        }
    }
}

/// A resource ARN as the page names it: `queue orders`, `the stream of table orders`,
/// `objects of bucket photos`, or the ARN itself.
pub fn short(arn: &str) -> String {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let (service, rest) = match parts.as_slice() {
        [_, _, service, _, _, rest] => (*service, *rest),
        _ => return arn.to_string(),
    };
    match service {
        "sqs" => format!("queue {rest}"),
        "sns" => format!("topic {rest}"),
        "lambda" => format!("function {}", rest.trim_start_matches("function:")),
        "s3" => match rest.strip_suffix("/*") {
            Some(b) => format!("objects of bucket {b}"),
            None => format!("bucket {rest}"),
        },
        "dynamodb" => {
            let rest = rest.trim_start_matches("table/");
            if let Some((t, _)) = rest.split_once("/stream/") {
                format!("the stream of table {t}")
            } else if let Some((t, i)) = rest.split_once("/index/") {
                format!("index {i} of table {t}")
            } else {
                format!("table {rest}")
            }
        }
        _ => arn.to_string(),
    }
}

/// Grants what `after` needs beyond what `before` needed; returns what it granted, in
/// words, one phrase per role and resource ("role worker-role sqs:DeleteMessage,
/// sqs:ReceiveMessage on queue orders"); empty when nothing new was needed.
pub fn grant_new(before: &Scenario, after: &mut Scenario) -> Vec<String> {
    let had = required(before);
    let mut groups: std::collections::BTreeMap<(String, String), Vec<String>> =
        std::collections::BTreeMap::new();
    for g in required(after).difference(&had) {
        let key = match g {
            Grant::Role {
                function, resource, ..
            } => (
                format!("role {}", role_of(after, function)),
                format!("on {}", short(resource)),
            ),
            Grant::Resource { node, service, .. } => {
                (service.clone(), format!("in the policy of {node}"))
            }
        };
        if add(after, g) {
            let action = match g {
                Grant::Role { action, .. } | Grant::Resource { action, .. } => action.clone(),
            };
            groups.entry(key).or_default().push(action);
        }
    }
    groups
        .into_iter()
        .map(|((who, what), actions)| format!("{who} {} {what}", actions.join(", ")))
        .collect()
}

/// Grants everything the scenario needs: every function gets an execution role (its own,
/// `<name>-role`, when it has none) allowed exactly its calls, and every resource a policy
/// statement for each service that delivers to it.
pub fn least_privilege(s: &mut Scenario) {
    for g in required(s) {
        add(s, &g);
    }
    for f in s.functions.clone() {
        if f.role.is_empty() {
            let role = role_of(s, &f.name);
            if let Some(c) = s.functions.iter_mut().find(|c| c.name == f.name) {
                c.role = role.clone();
            }
            if !s.identities.iter().any(|i| i.name == role) {
                s.identities.push(IdentitySpec {
                    kind: IdentityKind::Role,
                    name: role,
                    policies: vec![],
                    boundary: None,
                    trust: None,
                });
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
