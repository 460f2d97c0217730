//! The IAM page's state (policies by layer as typed, the requests of the "test many" table)
//! and what the page shows from it: each editor's parse error, findings and statement
//! lines; each request's evaluation; the layer-by-layer summary of one evaluation.

use super::caller::{self, Caller};
use super::eval::{evaluate, Decision, Evaluation, Layer, Layers, Named, Request, ResourceKind};
use super::lint::{lint, Finding};
use super::policy::{parse_as, statement_lines, statement_of_path, Effect, Kind, PolicyError};
use serde::{Deserialize, Serialize};

/// The state format version (the share link's `v`).
/// How states of older formats become today's ([`crate::core::share::Upgrade`]); none yet.
pub const UPGRADES: &[crate::core::share::Upgrade] = &[];

/// The fields of a saved [`IamState`] and their JSON kinds: how a sandbox checks it without
/// linking its reader into every module (`sandbox::Slot::shape`; the page reads it fully).
pub const SHAPE: crate::core::share::Shape = {
    use crate::core::share::Kind;
    &[
        ("scenario", Kind::Text),
        ("identity", Kind::List),
        ("resource", Kind::ObjectOrNull),
        ("resource_kind", Kind::Text),
        ("boundary", Kind::ObjectOrNull),
        ("session", Kind::List),
        ("scps", Kind::List),
        ("rcps", Kind::List),
        ("requests", Kind::List),
        ("selected", Kind::Whole),
    ]
};
/// The state's format version (a link's `v`, a sandbox's `tools.*.version`).
pub const VERSION: u32 = 1 + UPGRADES.len() as u32;
/// The longest policy text an editor evaluates. AWS's largest policies are far smaller
/// (a role's inline policies 10,240 characters, a bucket policy 20 KB: IAM and S3 quotas).
pub const MAX_POLICY_CHARS: usize = 65_536;
/// Policies per layer (AWS: 10 managed policies per user or role by default, raisable to 20).
pub const MAX_POLICIES: usize = 20;
/// SCP levels: the root, up to five levels of OUs, the account (AWS Organizations quotas).
pub const MAX_SCP_LEVELS: usize = 7;
/// Rows of the "test many" table.
pub const MAX_REQUESTS: usize = 100;

/// A policy as typed: its name and JSON text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Doc {
    pub name: String,
    pub text: String,
}

impl Doc {
    pub fn new(name: &str, text: &str) -> Doc {
        Doc {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// One request of the table, as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Row {
    pub caller: Caller,
    pub action: String,
    pub resource: String,
    /// The resource's account: "" means the one in the ARN, else the caller's.
    pub resource_account: String,
    /// Context keys, one `key = value` per line ([`caller::parse_context`]).
    pub context: String,
}

impl Default for Row {
    fn default() -> Self {
        Row {
            caller: Caller::default(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::example-bucket/report.csv".into(),
            resource_account: String::new(),
            context: String::new(),
        }
    }
}

/// The page's whole state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IamState {
    /// The library scenario this started from ("" for none), to name it on the page.
    pub scenario: String,
    pub identity: Vec<Doc>,
    pub resource: Option<Doc>,
    pub resource_kind: ResourceKind,
    pub boundary: Option<Doc>,
    pub session: Vec<Doc>,
    /// SCPs by level: root first, then each OU, then the account.
    pub scps: Vec<Vec<Doc>>,
    pub rcps: Vec<Doc>,
    pub requests: Vec<Row>,
    /// The row whose evaluation is shown in full.
    pub selected: usize,
}

impl Default for IamState {
    fn default() -> Self {
        super::scenarios::three_outcomes()
    }
}

/// Where an editor sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Identity(usize),
    Resource,
    Boundary,
    Session(usize),
    /// (level, position in the level).
    Scp(usize, usize),
    Rcp(usize),
}

impl Place {
    /// A stable key for test ids and element ids: `identity-0`, `resource`, `scp-1-0` …
    pub fn key(self) -> String {
        match self {
            Place::Identity(i) => format!("identity-{i}"),
            Place::Resource => "resource".into(),
            Place::Boundary => "boundary".into(),
            Place::Session(i) => format!("session-{i}"),
            Place::Scp(l, i) => format!("scp-{l}-{i}"),
            Place::Rcp(i) => format!("rcp-{i}"),
        }
    }

    /// The evaluator's layer for this place.
    pub fn layer(self) -> Layer {
        match self {
            Place::Identity(_) => Layer::Identity,
            Place::Resource => Layer::Resource,
            Place::Boundary => Layer::Boundary,
            Place::Session(_) => Layer::Session,
            Place::Scp(l, _) => Layer::Scp(l),
            Place::Rcp(_) => Layer::Rcp,
        }
    }

    /// The name the page gives a policy typed without one (`IdentityPolicy1`, `Boundary` …).
    pub fn default_name(self) -> String {
        match self {
            Place::Identity(i) => format!("IdentityPolicy{}", i + 1),
            Place::Resource => "ResourcePolicy".into(),
            Place::Boundary => "Boundary".into(),
            Place::Session(i) => format!("SessionPolicy{}", i + 1),
            Place::Scp(l, i) => format!("SCP-L{l}-{}", i + 1),
            Place::Rcp(i) => format!("RCP{}", i + 1),
        }
    }

    /// The kind of policy this place holds.
    pub fn kind(self) -> Kind {
        match self {
            Place::Identity(_) => Kind::Identity,
            Place::Resource => Kind::Resource,
            Place::Boundary => Kind::Boundary,
            Place::Session(_) => Kind::Session,
            Place::Scp(..) => Kind::Scp,
            Place::Rcp(_) => Kind::Rcp,
        }
    }
}

/// What the page shows beside one editor.
#[derive(Clone, Debug, PartialEq)]
pub struct DocReport {
    pub place: Place,
    /// The name traces use: as typed, or a default; made unique within its layer.
    pub name: String,
    pub error: Option<PolicyError>,
    pub findings: Vec<Finding>,
    /// First and last line of each statement ([`statement_lines`]).
    pub lines: Vec<(usize, usize)>,
}

impl DocReport {
    /// The lines of the statement at `index`, if the text shows it.
    pub fn statement(&self, index: usize) -> Option<(usize, usize)> {
        self.lines.get(index).copied()
    }

    /// The line a parse error points at: its JSON position, else its statement's first line.
    pub fn error_line(&self) -> Option<usize> {
        let e = self.error.as_ref()?;
        e.position
            .map(|(l, _)| l)
            .or_else(|| statement_of_path(&e.path).and_then(|i| self.statement(i).map(|s| s.0)))
    }
}

/// Every editor's report and, when every policy parses, the layers to evaluate.
#[derive(Clone, Debug, PartialEq)]
pub struct Compiled {
    pub docs: Vec<DocReport>,
    /// `Err`: one line per broken policy ("identity-based policy Admin: line 3 …").
    pub layers: Result<Layers, Vec<String>>,
}

impl IamState {
    /// No policies and one request: where "Clear" starts.
    pub fn empty() -> IamState {
        IamState {
            scenario: String::new(),
            identity: vec![],
            resource: None,
            resource_kind: ResourceKind::Generic,
            boundary: None,
            session: vec![],
            scps: vec![],
            rcps: vec![],
            requests: vec![Row::default()],
            selected: 0,
        }
    }

    /// The policy at `place`, to edit.
    pub fn doc_mut(&mut self, place: Place) -> Option<&mut Doc> {
        match place {
            Place::Identity(i) => self.identity.get_mut(i),
            Place::Resource => self.resource.as_mut(),
            Place::Boundary => self.boundary.as_mut(),
            Place::Session(i) => self.session.get_mut(i),
            Place::Scp(l, i) => self.scps.get_mut(l).and_then(|l| l.get_mut(i)),
            Place::Rcp(i) => self.rcps.get_mut(i),
        }
    }

    /// Removes the policy at `place` (an SCP level left empty stays: it then allows nothing,
    /// which is itself a lesson; remove the level to drop it).
    pub fn remove(&mut self, place: Place) {
        fn take<T>(v: &mut Vec<T>, i: usize) {
            if i < v.len() {
                v.remove(i);
            }
        }
        match place {
            Place::Identity(i) => take(&mut self.identity, i),
            Place::Resource => {
                self.resource = None;
                self.resource_kind = ResourceKind::Generic;
            }
            Place::Boundary => self.boundary = None,
            Place::Session(i) => take(&mut self.session, i),
            Place::Scp(l, i) => {
                if let Some(level) = self.scps.get_mut(l) {
                    take(level, i)
                }
            }
            Place::Rcp(i) => take(&mut self.rcps, i),
        }
    }

    /// Every editor with its place, in page order.
    pub fn editors(&self) -> Vec<(Place, &Doc)> {
        let mut out: Vec<(Place, &Doc)> = vec![];
        for (l, level) in self.scps.iter().enumerate() {
            out.extend(level.iter().enumerate().map(|(i, d)| (Place::Scp(l, i), d)));
        }
        out.extend(
            self.rcps
                .iter()
                .enumerate()
                .map(|(i, d)| (Place::Rcp(i), d)),
        );
        out.extend(self.resource.iter().map(|d| (Place::Resource, d)));
        out.extend(
            self.identity
                .iter()
                .enumerate()
                .map(|(i, d)| (Place::Identity(i), d)),
        );
        out.extend(self.boundary.iter().map(|d| (Place::Boundary, d)));
        out.extend(
            self.session
                .iter()
                .enumerate()
                .map(|(i, d)| (Place::Session(i), d)),
        );
        out
    }

    /// Parses and checks every policy.
    pub fn compile(&self) -> Compiled {
        let mut docs: Vec<DocReport> = vec![];
        let mut layers = Layers {
            resource_kind: self.resource_kind,
            scps: vec![vec![]; self.scps.len()],
            ..Default::default()
        };
        let mut broken = vec![];
        for (place, doc) in self.editors() {
            let mut name = doc.name.trim().to_string();
            if name.is_empty() {
                name = place.default_name();
            }
            let base = name.clone();
            let mut n = 2;
            while docs
                .iter()
                .any(|d| d.place.layer() == place.layer() && d.name == name)
            {
                name = format!("{base} ({n})");
                n += 1;
            }
            let lines = statement_lines(&doc.text);
            let parsed = if doc.text.chars().count() > MAX_POLICY_CHARS {
                Err(PolicyError {
                    path: String::new(),
                    message: format!(
                        "the policy is longer than {MAX_POLICY_CHARS} characters, far beyond any AWS policy (a bucket policy holds up to 20 KB)"
                    ),
                    position: None,
                })
            } else {
                parse_as(&doc.text, place.kind())
            };
            let (error, findings) = match parsed {
                Ok(policy) => {
                    let findings = lint(&policy, place.kind());
                    let named = Named {
                        name: name.clone(),
                        policy,
                    };
                    match place {
                        Place::Identity(_) => layers.identity.push(named),
                        Place::Resource => layers.resource = Some(named),
                        Place::Boundary => layers.boundary = Some(named),
                        Place::Session(_) => layers.session.push(named),
                        Place::Scp(l, _) => layers.scps[l].push(named),
                        Place::Rcp(_) => layers.rcps.push(named),
                    }
                    (None, findings)
                }
                Err(e) => {
                    broken.push(format!("{} {name}: {e}", place.layer().name()));
                    (Some(e), vec![])
                }
            };
            docs.push(DocReport {
                place,
                name,
                error,
                findings,
                lines,
            });
        }
        Compiled {
            docs,
            layers: if broken.is_empty() {
                Ok(layers)
            } else {
                Err(broken)
            },
        }
    }

    /// Each row's request and evaluation, or what is wrong with the row. `None` for every
    /// row while a policy does not parse.
    pub fn run(&self, compiled: &Compiled) -> Vec<Result<(Request, Evaluation), Vec<String>>> {
        self.requests
            .iter()
            .map(|r| {
                let req = caller::request(
                    &r.caller,
                    &r.action,
                    &r.resource,
                    &r.resource_account,
                    &r.context,
                )?;
                // While a policy does not parse there is no decision; the page lists the
                // broken policies once, not under every row.
                let layers = compiled.layers.as_ref().map_err(|_| vec![])?;
                let e = evaluate(&req, layers);
                Ok((req, e))
            })
            .collect()
    }

    /// Whether the state differs from the scenario it started from (the selected row aside);
    /// false without one.
    pub fn edited(&self) -> bool {
        super::scenarios::by_id(&self.scenario).is_some_and(|sc| {
            let mut original = sc.state();
            original.selected = self.selected;
            original != *self
        })
    }

    /// The selected row, kept inside the table.
    pub fn selected(&self) -> usize {
        self.selected.min(self.requests.len().saturating_sub(1))
    }

    /// Limits a state from a link or a sandbox can break: too many policies, levels or rows.
    pub fn check(&self) -> Result<(), String> {
        let lists = [
            ("identity-based policies", self.identity.len()),
            ("session policies", self.session.len()),
            ("RCPs", self.rcps.len()),
        ];
        for (what, n) in lists {
            if n > MAX_POLICIES {
                return Err(format!("{n} {what}; the page takes at most {MAX_POLICIES}"));
            }
        }
        if self.scps.len() > MAX_SCP_LEVELS {
            return Err(format!(
                "{} SCP levels; an organization has at most {MAX_SCP_LEVELS} (root, five OU levels, the account)",
                self.scps.len()
            ));
        }
        if let Some(l) = self.scps.iter().find(|l| l.len() > MAX_POLICIES) {
            return Err(format!(
                "{} SCPs on one level; the page takes at most {MAX_POLICIES}",
                l.len()
            ));
        }
        if self.requests.len() > MAX_REQUESTS {
            return Err(format!(
                "{} requests; the table takes at most {MAX_REQUESTS}",
                self.requests.len()
            ));
        }
        Ok(())
    }
}

/// What one layer said about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Said {
    /// A statement denies.
    Deny,
    /// A statement allows.
    Allow,
    /// Policies are there but no statement allows.
    NoAllow,
    /// Nothing is attached in this layer.
    Empty,
    /// The layer does not govern this caller (why).
    Skipped(&'static str),
}

/// One box of the evaluation diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerStep {
    pub layer: Layer,
    pub said: Said,
    /// The statement that said it ("Sid DenyLogs in Admin"), for Deny and Allow.
    pub statement: Option<String>,
    /// This layer decided the outcome.
    pub decisive: bool,
}

/// The layers of an evaluation in the order AWS evaluates them: each SCP level, RCPs, the
/// resource-based policy, identity-based policies, the boundary, session policies. Layers
/// with nothing attached are shown (identity always; the rest when the state has them).
pub fn layer_steps(req: &Request, layers: &Layers, e: &Evaluation) -> Vec<LayerStep> {
    let mut order: Vec<Layer> = (0..layers.scps.len()).map(Layer::Scp).collect();
    if !layers.rcps.is_empty() {
        order.push(Layer::Rcp);
    }
    if layers.resource.is_some() {
        order.push(Layer::Resource);
    }
    order.push(Layer::Identity);
    if layers.boundary.is_some() {
        order.push(Layer::Boundary);
    }
    if !layers.session.is_empty() {
        order.push(Layer::Session);
    }
    let service_or_anonymous = !req.principal.is_iam();
    let session_caller = req.principal.is_session();
    order
        .into_iter()
        .map(|layer| {
            let lines: Vec<_> = e.trace.iter().filter(|t| t.layer == layer).collect();
            let hit = |effect| {
                lines
                    .iter()
                    .find(|t| t.effect == effect && t.applies.is_ok())
                    .map(|t| format!("{} in {}", t.statement, t.policy))
            };
            let skipped = match layer {
                Layer::Scp(_) if service_or_anonymous => {
                    Some("SCPs govern only the organization's own users and roles")
                }
                Layer::Identity | Layer::Boundary if service_or_anonymous => {
                    Some("only IAM users and roles have identity-based policies and boundaries")
                }
                Layer::Resource if !layers.resource_kind.governs(&req.action) => {
                    Some("a role's trust policy governs only STS actions such as sts:AssumeRole")
                }
                Layer::Session if !session_caller => {
                    Some("session policies apply only to role and federated sessions")
                }
                _ => None,
            };
            let (said, statement) = if let Some(why) = skipped {
                (Said::Skipped(why), None)
            } else if let Some(s) = hit(Effect::Deny) {
                (Said::Deny, Some(s))
            } else if let Some(s) = hit(Effect::Allow) {
                (Said::Allow, Some(s))
            } else if layer == Layer::Identity && layers.identity.is_empty() {
                (Said::Empty, None)
            } else {
                (Said::NoAllow, None)
            };
            let decisive = match e.decision {
                Decision::ImplicitDeny => e.blocking == Some(layer),
                _ => e.deciding.as_ref().is_some_and(|d| d.0 == layer),
            };
            LayerStep {
                layer,
                said,
                statement,
                decisive,
            }
        })
        .collect()
}

/// The verdict on one statement for the editor's margin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The statement decided the request.
    Deciding,
    /// It applies (Allow or Deny) but did not decide.
    Applies,
    /// It does not apply.
    Skipped,
}

/// Each statement's mark in the editor at `place` (named `name`), from an evaluation.
pub fn marks(e: &Evaluation, place: Place, name: &str) -> Vec<(usize, Mark, Effect)> {
    e.trace
        .iter()
        .filter(|t| t.layer == place.layer() && &*t.policy == name)
        .map(|t| {
            let deciding = e
                .deciding
                .as_ref()
                .is_some_and(|d| d.0 == t.layer && d.1 == name && *d.2 == *t.statement);
            let mark = match (&t.applies, deciding) {
                (Ok(()), true) => Mark::Deciding,
                (Ok(()), false) => Mark::Applies,
                (Err(_), _) => Mark::Skipped,
            };
            (t.index, mark, t.effect)
        })
        .collect()
}

pub fn to_query(s: &IamState) -> String {
    crate::core::share::to_query(s, VERSION)
}

pub fn from_query(q: &str) -> Result<IamState, String> {
    let s: IamState = crate::core::share::from_query(q, UPGRADES)?;
    s.check()?;
    Ok(s)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn user_row(action: &str, resource: &str) -> Row {
        Row {
            action: action.into(),
            resource: resource.into(),
            ..Default::default()
        }
    }

    const GET_LIST: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
  {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"}
]}"#;

    #[test]
    fn the_table_decides_every_row_and_marks_statements() {
        let s = IamState {
            scenario: String::new(),
            identity: vec![Doc::new("ReadIam", GET_LIST)],
            requests: vec![
                user_row("iam:GetUser", "*"),
                user_row("iam:CreatePolicy", "*"),
                user_row("iam:GetCredentialReport", "*"),
            ],
            ..IamState::empty()
        };
        let c = s.compile();
        assert_eq!(c.docs[0].lines, [(2, 2), (3, 3)]);
        let out = s.run(&c);
        let d: Vec<_> = out.iter().map(|r| r.as_ref().unwrap().1.decision).collect();
        assert_eq!(
            d,
            [
                Decision::Allow,
                Decision::ImplicitDeny,
                Decision::ExplicitDeny
            ]
        );
        let (req, e) = out[2].as_ref().unwrap();
        let m = marks(e, Place::Identity(0), "ReadIam");
        assert_eq!(
            m,
            [
                (0, Mark::Applies, Effect::Allow),
                (1, Mark::Deciding, Effect::Deny)
            ]
        );
        let steps = layer_steps(req, c.layers.as_ref().unwrap(), e);
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].said, Said::Deny);
        assert!(steps[0].decisive);
        // The implicit deny is laid at the identity layer's door.
        let (req, e) = out[1].as_ref().unwrap();
        let steps = layer_steps(req, c.layers.as_ref().unwrap(), e);
        assert_eq!(
            (steps[0].said.clone(), steps[0].decisive),
            (Said::NoAllow, true)
        );
    }

    #[test]
    fn a_broken_policy_stops_evaluation_and_points_at_its_line() {
        let s = IamState {
            identity: vec![
                Doc::new(
                    "",
                    "{\n \"Statement\": [\n  {\"Effect\": \"allow\", \"Action\": \"*\"}\n ]\n}",
                ),
                Doc::new("", "{\n \"Statement\": [\n"),
            ],
            requests: vec![Row::default()],
            ..IamState::empty()
        };
        let c = s.compile();
        assert_eq!(c.docs[0].name, "IdentityPolicy1");
        assert_eq!(c.docs[0].error_line(), Some(3));
        assert_eq!(c.docs[1].error_line(), Some(3));
        let broken = c.layers.clone().unwrap_err();
        assert_eq!(broken.len(), 2);
        assert!(broken[0].starts_with("identity-based policy IdentityPolicy1: Statement[0].Effect"));
        assert!(s.run(&c)[0].is_err());
    }

    #[test]
    fn names_are_unique_within_a_layer() {
        let p = r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#;
        let s = IamState {
            identity: vec![Doc::new("Admin", p), Doc::new("Admin", p)],
            boundary: Some(Doc::new("Admin", p)),
            ..IamState::empty()
        };
        let names: Vec<_> = s.compile().docs.into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["Admin", "Admin (2)", "Admin"]);
    }

    #[test]
    fn links_round_trip_and_limits_hold() {
        for sc in super::super::scenarios::SCENARIOS {
            let s = sc.state();
            assert_eq!(from_query(&to_query(&s)).unwrap(), s, "{}", sc.id);
        }
        assert_eq!(to_query(&IamState::default()), "");
        let mut s = IamState::default();
        assert!(!s.edited());
        s.selected = 2;
        assert!(!s.edited());
        s.requests.pop();
        assert!(s.edited());
        assert!(!IamState::empty().edited());
        let many = IamState {
            requests: vec![Row::default(); MAX_REQUESTS + 1],
            ..IamState::empty()
        };
        assert!(from_query(&to_query(&many))
            .unwrap_err()
            .contains("at most 100"));
    }
}
