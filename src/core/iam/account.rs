//! The sandbox account's IAM on the IAM page: its roles and users (the flow engine's
//! identities, which the console's `aws iam` calls also change) and its resources'
//! policies, read from the account's `serverless` part, evaluated on the page, and written
//! back.
//!
//! The part is a flow scenario's definitions as JSON (`account::Saved.serverless`,
//! `views::flow::scenario::Definitions`). This module reads and edits it as JSON, touching
//! only the fields it changes, so the IAM page links none of the flow engine's types but
//! [`IdentitySpec`]. What it writes is what IAM would accept: every policy parses, new
//! names follow IAM's rules, a role's policies stay within IAM's quotas
//! (`IdentitySpec::check_quotas`), and an AWS managed policy is attached as it is (its
//! text is AWS's, not the account's to edit).

use super::caller::{Caller, CallerKind};
use super::eval::ResourceKind;
use super::state::{Doc, IamState, Place};
use crate::core::account::SANDBOX_ACCOUNT;
use crate::core::flow::{IdentityKind, IdentitySpec};
use serde_json::Value;

/// The session name of a role the IAM page evaluates as.
pub const SESSION: &str = "iam-page";

/// A resource of the account that carries a resource-based policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountPolicy {
    /// The resource as the flow page names it (`queue orders`, `bucket photos`).
    pub node: String,
    /// Its ARN (a request's resource).
    pub arn: String,
    /// The policy's JSON text, as saved.
    pub text: String,
}

/// The account's roles and users, and its resources' policies, in the part's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountIam {
    /// The roles and users (the built-in script user `admin` only when the account
    /// defines it otherwise).
    pub identities: Vec<IdentitySpec>,
    /// The queues', topics', buckets' and functions' policies, in that order.
    pub policies: Vec<AccountPolicy>,
}

/// A policy as the part holds it: `{"name": …, "text": …}`.
fn doc_of(v: &Value) -> Option<Doc> {
    Some(Doc::new(v["name"].as_str()?, v["text"].as_str()?))
}

fn doc_value(d: &Doc) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("name".into(), Value::String(d.name.clone()));
    m.insert("text".into(), Value::String(d.text.clone()));
    Value::Object(m)
}

/// A role or user as the part holds it (`IdentitySpec`'s JSON, read by hand: the page
/// links no deserializer of its own for it). `None` for an entry that does not read.
fn identity_of(v: &Value) -> Option<IdentitySpec> {
    let kind = match v.get("kind").map(Value::as_str) {
        None | Some(Some("role")) => IdentityKind::Role,
        Some(Some("user")) => IdentityKind::User,
        _ => return None,
    };
    let policies = match v.get("policies") {
        None => vec![],
        Some(l) => l
            .as_array()?
            .iter()
            .map(doc_of)
            .collect::<Option<Vec<Doc>>>()?,
    };
    let boundary = match v.get("boundary") {
        None | Some(Value::Null) => None,
        Some(b) => Some(doc_of(b)?),
    };
    Some(IdentitySpec {
        kind,
        name: v["name"].as_str()?.to_string(),
        policies,
        boundary,
        trust: v["trust"].as_str().map(str::to_string),
    })
}

/// The definitions' lists of resources that can carry a policy: (field, kind as nodes
/// name it).
const WITH_POLICIES: [(&str, &str); 4] = [
    ("queues", "queue"),
    ("topics", "topic"),
    ("buckets", "bucket"),
    ("functions", "function"),
];

/// Reads the account's serverless part. Entries that do not read are left out: the flow
/// page and the console check the part when they open it, and say what is wrong.
pub fn read(part: &Value) -> AccountIam {
    let identities = part["identities"]
        .as_array()
        .map(|l| l.iter().filter_map(identity_of).collect())
        .unwrap_or_default();
    let mut policies = vec![];
    for (field, kind) in WITH_POLICIES {
        for r in part[field].as_array().into_iter().flatten() {
            let (Some(name), Some(text)) = (r["name"].as_str(), r["policy"].as_str()) else {
                continue;
            };
            let node = format!("{kind} {name}");
            if let Some(arn) = crate::core::flow::node_arn(&node) {
                policies.push(AccountPolicy {
                    node,
                    arn,
                    text: text.to_string(),
                });
            }
        }
    }
    AccountIam {
        identities,
        policies,
    }
}

impl IamState {
    /// Evaluates as the account's role or user `spec`: its policies become the identity
    /// layer and its boundary the boundary, and every request is made by it (a role as a
    /// session named [`SESSION`]). The other layers stay as they are. Refused, with the
    /// state unchanged, when the page cannot hold its policies (`IamState::check`).
    pub fn load_identity(&mut self, spec: &IdentitySpec) -> Result<(), String> {
        if spec.policies.len() > super::state::MAX_POLICIES {
            return Err(format!(
                "{} has {} policies; the page holds at most {} in a layer.",
                spec.name,
                spec.policies.len(),
                super::state::MAX_POLICIES
            ));
        }
        self.scenario = String::new();
        self.identity = spec.policies.clone();
        self.boundary = spec.boundary.clone();
        for r in &mut self.requests {
            r.caller = Caller {
                kind: match spec.kind {
                    IdentityKind::Role => CallerKind::Role,
                    IdentityKind::User => CallerKind::User,
                },
                account: SANDBOX_ACCOUNT.into(),
                name: spec.name.clone(),
                session: SESSION.into(),
                ..Caller::default()
            };
        }
        Ok(())
    }

    /// Puts the policy of the account's resource `p` in the resource layer (as a bucket,
    /// queue, topic or function policy) and makes the resource the selected request's.
    pub fn load_resource_policy(&mut self, p: &AccountPolicy) {
        self.scenario = String::new();
        self.resource = Some(Doc::new(&format!("{} policy", p.node), &p.text));
        self.resource_kind = ResourceKind::Generic;
        let i = self.selected();
        if let Some(r) = self.requests.get_mut(i) {
            r.resource = p.arn.clone();
        }
    }
}

/// IAM's rule for policy names: 1–128 letters, digits and `+=,.@_-`.
fn check_policy_name(name: &str) -> Result<(), String> {
    if crate::core::flow::is_iam_name(name, 128) {
        Ok(())
    } else {
        Err(format!("“{name}” is not a valid policy name: IAM policy names have 1 to 128 letters, digits and +=,.@_-"))
    }
}

/// Writes the page's identity-based policies and boundary back as those of the account's
/// role or user `name`, as PutRolePolicy / AttachRolePolicy / PutRolePermissionsBoundary
/// and their deletions would leave it. Returns what changed, in a sentence.
///
/// Refused (the part unchanged), naming the problem, when the identity is gone, a policy
/// does not parse or has a name IAM refuses, two policies share a name, or an AWS managed
/// policy (named by its ARN) was edited or added by hand.
pub fn save_identity(part: &mut Value, name: &str, state: &IamState) -> Result<String, String> {
    let identities = part
        .get_mut("identities")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| format!("The sandbox account has no role or user named {name}."))?;
    let entry = identities
        .iter_mut()
        .find(|v| v["name"].as_str() == Some(name))
        .ok_or_else(|| format!("The sandbox account has no role or user named {name} any more (another tool deleted it)."))?;
    let spec = identity_of(entry)
        .ok_or_else(|| format!("The account's role or user {name} cannot be read."))?;
    // The names the page shows: as typed (trimmed), or the page's default for none.
    let named = |place: Place, d: &Doc| {
        let name = d.name.trim();
        Doc::new(
            &if name.is_empty() {
                place.default_name()
            } else {
                name.to_string()
            },
            &d.text,
        )
    };
    let policies: Vec<Doc> = state
        .identity
        .iter()
        .enumerate()
        .map(|(i, d)| named(Place::Identity(i), d))
        .collect();
    let boundary = state.boundary.as_ref().map(|b| named(Place::Boundary, b));
    let mut seen = std::collections::BTreeSet::new();
    for d in &policies {
        if !seen.insert(d.name.as_str()) {
            return Err(format!(
                "Two identity-based policies are named “{}”: a role's policy names are unique.",
                d.name
            ));
        }
        let original = spec.policies.iter().find(|o| o.name == d.name);
        if IdentitySpec::is_managed(&d.name) {
            if original.map(|o| &o.text) != Some(&d.text) {
                return Err(format!("{} is an AWS managed policy: its text is AWS's and cannot be changed. Rename it to save it as an inline policy.", d.name));
            }
        } else if original.is_none() {
            // Names the account already has are kept as they are.
            check_policy_name(&d.name)?;
        }
        super::parse(&d.text).map_err(|e| format!("Policy {}: {e}", d.name))?;
    }
    if let Some(b) = &boundary {
        super::parse(&b.text).map_err(|e| format!("The permissions boundary: {e}"))?;
    }
    let what = match spec.kind {
        IdentityKind::Role => "role",
        IdentityKind::User => "user",
    };
    if policies == spec.policies && boundary == spec.boundary {
        return Ok(format!("The {what} {name} already has these policies."));
    }
    IdentitySpec {
        policies: policies.clone(),
        ..spec.clone()
    }
    .check_quotas()?;
    let n = policies.len();
    if let Some(o) = entry.as_object_mut() {
        o.insert(
            "policies".into(),
            Value::Array(policies.iter().map(doc_value).collect()),
        );
        o.insert(
            "boundary".into(),
            boundary.as_ref().map_or(Value::Null, doc_value),
        );
    }
    Ok(format!(
        "Saved to the {what} {name} in the sandbox account: {n} identity-based polic{}{}. The flow page and the console use them from now on.",
        if n == 1 { "y" } else { "ies" },
        if boundary.is_some() {
            " and a permissions boundary"
        } else {
            ", no boundary"
        }
    ))
}

/// Writes the page's resource-based policy back as the policy of the account's resource
/// `node` (`queue orders`), as SetQueueAttributes (Policy), SetTopicAttributes,
/// PutBucketPolicy or AddPermission would. Refused when there is no policy on the page, it
/// does not parse, or the resource is gone.
pub fn save_resource_policy(
    part: &mut Value,
    node: &str,
    state: &IamState,
) -> Result<String, String> {
    let doc = state
        .resource
        .as_ref()
        .ok_or("There is no resource-based policy on the page to save.")?;
    super::parse(&doc.text).map_err(|e| format!("The resource-based policy: {e}"))?;
    let (kind, name) = node.split_once(' ').unwrap_or(("", node));
    let field = WITH_POLICIES
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(f, _)| *f)
        .ok_or_else(|| format!("{node} cannot carry a policy."))?;
    let entry = part
        .get_mut(field)
        .and_then(Value::as_array_mut)
        .and_then(|l| l.iter_mut().find(|v| v["name"].as_str() == Some(name)))
        .and_then(Value::as_object_mut)
        .ok_or_else(|| {
            format!("The sandbox account has no {node} any more (another tool deleted it).")
        })?;
    if entry.get("policy").and_then(Value::as_str) == Some(doc.text.as_str()) {
        return Ok(format!("The {node} already has this policy."));
    }
    entry.insert("policy".into(), Value::String(doc.text.clone()));
    Ok(format!(
        "Saved as the policy of {node} in the sandbox account. The flow page and the console use it from now on."
    ))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::views::flow::scenario::Definitions;
    use crate::core::views::flow::templates;

    fn part(template: &str) -> Value {
        serde_json::to_value(templates::scenario(template).definitions()).unwrap()
    }

    fn back(part: &Value) -> Definitions {
        serde_json::from_value(part.clone()).unwrap()
    }

    /// The lab of template `denied`, solved on the IAM page: load the role, see the denial,
    /// fix the policy, save it; the account's definitions then build and allow the call.
    #[test]
    fn the_lab_is_solved_on_the_iam_page_and_saved_to_the_account() {
        let mut p = part("denied");
        let account = read(&p);
        let names: Vec<&str> = account.identities.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            ["create-order-role", "get-order-role", "daily-report-role"]
        );
        // The API's functions carry the policy that lets API Gateway invoke them.
        assert!(account
            .policies
            .iter()
            .any(|r| r.node == "function get-order"
                && r.arn == "arn:aws:lambda:us-east-1:111122223333:function:get-order"));
        let role = account
            .identities
            .iter()
            .find(|i| i.name == "get-order-role")
            .unwrap();
        let mut s = IamState::empty();
        s.requests = vec![super::super::state::Row {
            action: "dynamodb:GetItem".into(),
            resource: "arn:aws:dynamodb:us-east-1:111122223333:table/orders".into(),
            ..Default::default()
        }];
        s.load_identity(role).unwrap();
        assert_eq!(s.requests[0].caller.kind, CallerKind::Role);
        assert_eq!(s.requests[0].caller.name, "get-order-role");
        let decide = |s: &IamState| {
            let c = s.compile();
            let runs = s.run(&c);
            runs[0].as_ref().unwrap().1.decision
        };
        assert_eq!(decide(&s), super::super::Decision::ImplicitDeny);
        s.identity[0].text = s.identity[0]
            .text
            .replace("dynamodb:Query", "dynamodb:GetItem");
        assert_eq!(decide(&s), super::super::Decision::Allow);
        let note = save_identity(&mut p, "get-order-role", &s).unwrap();
        assert!(note.contains("role get-order-role"), "{note}");
        let d = back(&p);
        d.build().map(|_| ()).unwrap();
        let saved = d
            .identities
            .iter()
            .find(|i| i.name == "get-order-role")
            .unwrap();
        assert!(saved.policies[0].text.contains("dynamodb:GetItem"));
        // Nothing else changed: the other roles, the functions, the tables.
        let mut expected = templates::scenario("denied").definitions();
        expected
            .identities
            .iter_mut()
            .find(|i| i.name == "get-order-role")
            .unwrap()
            .policies[0]
            .text = saved.policies[0].text.clone();
        assert_eq!(d, expected);
        // Saving the same again says so.
        assert!(save_identity(&mut p, "get-order-role", &s)
            .unwrap()
            .contains("already has"));
    }

    #[test]
    fn what_iam_would_refuse_is_not_saved() {
        let mut p = part("denied");
        let before = p.clone();
        let role = read(&p).identities[1].clone();
        let mut s = IamState::empty();
        s.load_identity(&role).unwrap();
        let mut bad = s.clone();
        bad.identity[0].text = "{not json".into();
        assert!(save_identity(&mut p, &role.name, &bad)
            .unwrap_err()
            .starts_with("Policy get-order-access:"));
        let mut bad = s.clone();
        bad.identity.push(bad.identity[0].clone());
        assert!(save_identity(&mut p, &role.name, &bad)
            .unwrap_err()
            .contains("Two identity-based policies are named"));
        let mut bad = s.clone();
        bad.identity[0].name = "has space".into();
        assert!(save_identity(&mut p, &role.name, &bad)
            .unwrap_err()
            .contains("not a valid policy name"));
        let mut bad = s.clone();
        bad.identity.push(Doc::new(
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "{}",
        ));
        assert!(save_identity(&mut p, &role.name, &bad)
            .unwrap_err()
            .contains("is an AWS managed policy"));
        assert!(save_identity(&mut p, "gone", &s)
            .unwrap_err()
            .contains("no role or user named gone"));
        assert_eq!(p, before);
    }

    #[test]
    fn the_pages_names_and_iams_quotas_hold() {
        let mut p = part("denied");
        let role = read(&p).identities[1].clone();
        let mut s = IamState::empty();
        s.load_identity(&role).unwrap();
        // A policy added on the page without a name is saved under the page's name for it.
        s.identity.push(Doc::new("", &s.identity[0].text.clone()));
        s.boundary = Some(Doc::new(" ", &s.identity[0].text.clone()));
        save_identity(&mut p, &role.name, &s).unwrap();
        let saved = read(&p).identities[1].clone();
        assert_eq!(saved.policies[1].name, "IdentityPolicy2");
        assert_eq!(saved.boundary.unwrap().name, "Boundary");
        // More than a role's 10,240 characters of inline policy is IAM's LimitExceeded.
        let before = p.clone();
        let mut big = s.clone();
        big.identity[1].text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{}/*"}}]}}"#,
            "b".repeat(10_300)
        );
        assert!(save_identity(&mut p, &role.name, &big)
            .unwrap_err()
            .starts_with("Maximum policy size of 10240 bytes exceeded for role"));
        assert_eq!(p, before);
        // A role with more policies than a layer holds is not loaded.
        let mut many = role.clone();
        many.policies = (0..=super::super::state::MAX_POLICIES)
            .map(|k| Doc::new(&format!("p{k}"), "{}"))
            .collect();
        let mut page = IamState::empty();
        assert!(page
            .load_identity(&many)
            .unwrap_err()
            .contains("at most 20"));
        assert_eq!(page, IamState::empty());
    }

    #[test]
    fn a_resource_policy_round_trips() {
        let mut p = part("fanout");
        let account = read(&p);
        let q = account
            .policies
            .iter()
            .find(|r| r.node.starts_with("queue "))
            .unwrap()
            .clone();
        let mut s = IamState::empty();
        s.load_resource_policy(&q);
        assert_eq!(s.requests[s.selected()].resource, q.arn);
        let text = q.text.replace("sqs:SendMessage", "sqs:*");
        s.resource.as_mut().unwrap().text = text.clone();
        let note = save_resource_policy(&mut p, &q.node, &s).unwrap();
        assert!(note.contains(&q.node), "{note}");
        let again = read(&p);
        assert_eq!(
            again
                .policies
                .iter()
                .find(|r| r.node == q.node)
                .unwrap()
                .text,
            text
        );
        back(&p).build().map(|_| ()).unwrap();
        s.resource.as_mut().unwrap().text = "[".into();
        assert!(save_resource_policy(&mut p, &q.node, &s).is_err());
        assert!(save_resource_policy(&mut p, "queue gone", &s).is_err());
    }

    /// The hand-written reader agrees with `IdentitySpec`'s own deserializer.
    #[test]
    fn identities_read_as_serde_reads_them() {
        for (id, _, _) in templates::TEMPLATES {
            let p = part(id);
            let by_serde: Vec<IdentitySpec> =
                serde_json::from_value(p["identities"].clone()).unwrap();
            assert_eq!(read(&p).identities, by_serde, "{id}");
        }
        let mut spec = IdentitySpec::role("web", "read", "{}");
        spec.kind = IdentityKind::User;
        spec.boundary = Some(Doc::new("cap", "{}"));
        spec.trust = Some("{}".into());
        let v = serde_json::to_value(&spec).unwrap();
        assert_eq!(identity_of(&v), Some(spec));
    }

    #[test]
    fn a_damaged_part_reads_as_what_it_holds() {
        let v: Value = serde_json::json!({
            "identities": [{"kind": "role", "name": "ok"}, 7, {"kind": "nobody"}],
            "queues": [{"name": "q", "policy": 3}, {"policy": "{}"}],
            "buckets": "no",
        });
        let a = read(&v);
        assert_eq!(a.identities.len(), 1);
        assert!(a.policies.is_empty());
        assert_eq!(read(&Value::Null), AccountIam::default());
    }
}
