//! The request, the policy layers, and the decision with its trace.
//!
//! Order of evaluation (IAM User Guide, "Policy evaluation logic" and "Cross-account policy
//! evaluation logic"): an explicit Deny in any layer wins; then every level of SCPs (root,
//! each OU, the account) must allow; RCPs only deny; a resource-based policy that names the
//! principal's user or role-session ARN allows by itself within the account; otherwise an
//! identity-based policy must allow, and the permissions boundary and session policies, when
//! present, must allow too (a resource policy naming the role ARN counts as an allow but is
//! still limited by them). Across accounts both sides must allow: the identity side in the
//! principal's account and the resource-based policy in the resource's.

use super::condition;
use super::matching::{
    action as action_match, resource as resource_match, resource_ruled_out, substitute_resource,
};
use super::policy::{Effect, Policy, PrincipalKind, Principals, Statement};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The request context: keys (case-insensitive) with one or more values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    keys: BTreeMap<String, (String, Vec<String>)>,
}

impl Context {
    /// Sets a key (its name kept as written for display) to its values.
    pub fn set(&mut self, key: &str, values: &[&str]) {
        self.keys.insert(
            key.to_ascii_lowercase(),
            (
                key.to_string(),
                values.iter().map(|v| v.to_string()).collect(),
            ),
        );
    }

    /// A key's values; `None` when the request does not carry it.
    pub fn get(&self, key: &str) -> Option<&Vec<String>> {
        // A request carries a handful of keys: a scan without allocating beats a lookup
        // that lowercases the key first.
        self.keys
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, (_, v))| v)
    }
}

/// Who makes the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// An IAM user: `arn:aws:iam::111122223333:user/alice`.
    User { arn: String },
    /// A role session: the role's ARN and the session's
    /// (`arn:aws:sts::111122223333:assumed-role/app/session`).
    RoleSession {
        role_arn: String,
        session_arn: String,
    },
    /// A federated user session (`arn:aws:sts::111122223333:federated-user/bob`).
    FederatedUser { arn: String },
    /// An AWS service (`lambda.amazonaws.com`).
    Service { name: String },
    /// A user of an external identity provider calling `sts:AssumeRoleWithWebIdentity` or
    /// `sts:AssumeRoleWithSAML`: the provider is what a trust policy's `Federated` element
    /// names (`cognito-identity.amazonaws.com`, `accounts.google.com`,
    /// `arn:aws:iam::111122223333:saml-provider/Okta`).
    WebIdentity { provider: String },
    /// Nobody signed the request.
    Anonymous,
}

impl Principal {
    /// An IAM user, role session or federated user: the organization's own principals, the
    /// ones SCPs, identity-based policies and boundaries govern (not AWS services, anonymous
    /// callers or users of external identity providers).
    pub fn is_iam(&self) -> bool {
        !matches!(
            self,
            Principal::Service { .. } | Principal::Anonymous | Principal::WebIdentity { .. }
        )
    }

    /// A session (role or federated user): session policies apply to it.
    pub fn is_session(&self) -> bool {
        matches!(
            self,
            Principal::RoleSession { .. } | Principal::FederatedUser { .. }
        )
    }

    /// The account in an ARN (`arn:partition:service:region:account:…`).
    pub fn account(&self) -> Option<&str> {
        let arn = match self {
            Principal::User { arn } | Principal::FederatedUser { arn } => arn,
            Principal::RoleSession { session_arn, .. } => session_arn,
            _ => return None,
        };
        arn.split(':').nth(4).filter(|a| !a.is_empty())
    }
}

/// One request: principal, action, resource and context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub principal: Principal,
    /// `s3:GetObject`.
    pub action: String,
    /// The resource's ARN (`*` for actions without one).
    pub resource: String,
    /// The account that owns the resource; `None` means the principal's own account.
    pub resource_account: Option<String>,
    pub context: Context,
}

/// A policy in a layer, with the name traces use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub policy: Policy,
}

/// Every policy that applies to the request, by layer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layers {
    pub identity: Vec<Named>,
    /// The resource-based policy (bucket, queue, key, trust policy).
    pub resource: Option<Named>,
    pub boundary: Option<Named>,
    /// Session policies passed when the role was assumed.
    pub session: Vec<Named>,
    /// SCPs by level, root first, then each OU, then the account; empty when the account is
    /// not in an organization.
    pub scps: Vec<Vec<Named>>,
    /// RCPs (deny-only) attached anywhere above the resource's account.
    pub rcps: Vec<Named>,
    /// What the resource-based policy guards; role trust policies and KMS key policies
    /// must allow even within the account.
    pub resource_kind: ResourceKind,
}

/// The kind of resource-based policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    /// Bucket, queue, topic, function … policies: within the account an identity-based
    /// policy alone can allow.
    #[default]
    Generic,
    /// A role's trust policy (sts:AssumeRole): it must allow the caller, or trust the
    /// account and an identity-based policy allow (STS API Reference, AssumeRole).
    RoleTrust,
    /// A KMS key policy: "Unless the key policy explicitly allows it, you cannot use IAM
    /// policies to allow access to a KMS key" (AWS KMS Developer Guide, "Key policies").
    KmsKey,
}

impl ResourceKind {
    /// Whether a policy of this kind is consulted for `action`: a role's trust policy only
    /// for STS actions (sts:AssumeRole, sts:TagSession …; not iam:PassRole or iam:GetRole,
    /// which act on the role as an IAM resource); other kinds for every action.
    pub fn governs(self, action: &str) -> bool {
        match self {
            ResourceKind::RoleTrust => action
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("sts:")),
            _ => true,
        }
    }
}

/// The outcome (IAM's own names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub fn name(self) -> &'static str {
        match self {
            Decision::Allow => "Allow",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
        }
    }
}

/// Which layer a policy belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    Scp(usize),
    Rcp,
    Resource,
    Identity,
    Boundary,
    Session,
}

impl Layer {
    pub fn name(self) -> String {
        match self {
            Layer::Scp(0) => "SCP (root)".into(),
            Layer::Scp(n) => format!("SCP (level {n})"),
            Layer::Rcp => "RCP".into(),
            Layer::Resource => "resource-based policy".into(),
            Layer::Identity => "identity-based policy".into(),
            Layer::Boundary => "permissions boundary".into(),
            Layer::Session => "session policy".into(),
        }
    }
}

/// One statement's verdict in the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceLine {
    pub layer: Layer,
    pub policy: Rc<str>,
    /// "Sid DenyLogs" or "Statement[2]".
    pub statement: Rc<str>,
    /// The statement's 0-based position in its policy.
    pub index: usize,
    pub effect: Effect,
    /// `Ok(())` when the statement applies; otherwise why not (`Display` says it in words).
    pub applies: Result<(), Why>,
}

/// Why a statement does not apply to the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// The action is not in Action (`excluded`: it is listed in NotAction).
    Action { action: Rc<str>, excluded: bool },
    /// The resource does not match Resource (`excluded`: it matches NotResource).
    Resource { resource: Rc<str>, excluded: bool },
    /// The caller is not named in Principal.
    NotNamed,
    /// The caller is named in NotPrincipal.
    ExcludedPrincipal,
    /// A statement of a resource-based policy without Principal.
    NoPrincipal,
    /// A condition is false: operator, key, request and policy values in words.
    Condition(String),
    /// A policy variable has no value in the request and no default.
    Unresolved(String),
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Action {
                action,
                excluded: false,
            } => write!(f, "{action} is not in Action"),
            Why::Action {
                action,
                excluded: true,
            } => write!(f, "{action} is excluded by NotAction"),
            Why::Resource {
                resource,
                excluded: false,
            } => write!(f, "{resource} does not match Resource"),
            Why::Resource {
                resource,
                excluded: true,
            } => write!(f, "{resource} is excluded by NotResource"),
            Why::NotNamed => write!(f, "the caller is not named in Principal"),
            Why::ExcludedPrincipal => write!(f, "the caller is excluded by NotPrincipal"),
            Why::NoPrincipal => write!(f, "a resource-based policy statement needs a Principal"),
            Why::Condition(c) | Why::Unresolved(c) => write!(f, "{c}"),
        }
    }
}

/// The decision, the one-line reason, the deciding statement and every statement's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    pub reason: String,
    /// (layer, policy, statement) that decided, when one did.
    pub deciding: Option<(Layer, String, String)>,
    /// For an ImplicitDeny: the layer that had to allow and did not (an SCP level, the
    /// resource-based policy across accounts or for a trust/key policy, the identity-based
    /// policies, the boundary, the session policies).
    pub blocking: Option<Layer>,
    pub trace: Vec<TraceLine>,
}

/// How a resource-based policy named the principal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Naming {
    /// The account (`111122223333` or `…:root`): the account's own policies decide.
    Account,
    /// `"*"`, or the role's ARN: an allow still limited by boundaries and session policies.
    Indirect,
    /// The user's or the role session's own ARN.
    Direct,
}

fn principal_naming(p: &Principals, who: &Principal) -> Option<Naming> {
    let Principals::Named(entries) = p else {
        return Some(Naming::Indirect);
    };
    let mut best = None;
    for (kind, values) in entries {
        for v in values {
            let n = match (kind, who) {
                (PrincipalKind::Aws, _) if v == "*" => Some(Naming::Indirect),
                (PrincipalKind::Service, Principal::Service { name }) if v == name => {
                    Some(Naming::Direct)
                }
                // `Federated` names identity providers, not federated-user sessions (those
                // are named by their ARN under `AWS`): IAM User Guide, "Principal".
                (PrincipalKind::Federated, Principal::WebIdentity { provider })
                    if v == provider =>
                {
                    Some(Naming::Direct)
                }
                (PrincipalKind::Aws, Principal::User { arn })
                | (PrincipalKind::Aws, Principal::FederatedUser { arn })
                    if v == arn =>
                {
                    Some(Naming::Direct)
                }
                (PrincipalKind::Aws, Principal::RoleSession { session_arn, .. })
                    if v == session_arn =>
                {
                    Some(Naming::Direct)
                }
                (PrincipalKind::Aws, Principal::RoleSession { role_arn, .. }) if v == role_arn => {
                    Some(Naming::Indirect)
                }
                (PrincipalKind::Aws, _) => {
                    let account = who.account();
                    let named = v
                        .strip_prefix("arn:aws:iam::")
                        .and_then(|r| r.strip_suffix(":root"))
                        .unwrap_or(v);
                    (account == Some(named)).then_some(Naming::Account)
                }
                _ => None,
            };
            best = best.max(n);
        }
    }
    best
}

/// Whether a statement applies to the request, or why not. `resource_policy`: the
/// statement's Principal/NotPrincipal is checked (and reported as how it names the caller).
fn applies(
    s: &Statement,
    policy: &Policy,
    req: &Request,
    names: &(Rc<str>, Rc<str>),
    resource_policy: bool,
    has_boundary: bool,
) -> Result<Option<Naming>, Why> {
    if let Some((yes, actions)) = &s.action {
        let hit = actions.iter().any(|a| action_match(a, &req.action));
        if hit != *yes {
            return Err(Why::Action {
                action: names.0.clone(),
                excluded: !*yes,
            });
        }
    }
    let vars = policy.has_variables();
    if let Some((yes, resources)) = &s.resource {
        let mut hit = false;
        for r in resources {
            // (Only for Resource: under NotResource an unresolved variable must still make
            // the statement not apply.)
            if *yes && resource_ruled_out(r, &req.resource) {
                continue;
            }
            let pattern = if vars {
                // A variable without a value makes the statement not apply: it must not
                // turn a NotResource into "everything".
                substitute_resource(r, &req.context).ok_or_else(|| {
                    Why::Unresolved(format!(
                        "{r} uses a policy variable the request has no value for"
                    ))
                })?
            } else {
                std::borrow::Cow::Borrowed(r.as_str())
            };
            if resource_match(&pattern, &req.resource) {
                hit = true;
                break;
            }
        }
        if hit != *yes {
            return Err(Why::Resource {
                resource: names.1.clone(),
                excluded: !*yes,
            });
        }
    }
    let mut naming = None;
    if resource_policy {
        match &s.principal {
            Some((true, p)) => match principal_naming(p, &req.principal) {
                Some(n) => naming = Some(n),
                None => return Err(Why::NotNamed),
            },
            Some((false, p)) => {
                // NotPrincipal excludes a caller only by its own ARN (naming its account or,
                // for a session, only its role excludes nobody), and never one with a
                // permissions boundary (IAM User Guide, "NotPrincipal").
                if !has_boundary && principal_naming(p, &req.principal) == Some(Naming::Direct) {
                    return Err(Why::ExcludedPrincipal);
                }
                naming = Some(Naming::Indirect);
            }
            None => return Err(Why::NoPrincipal),
        }
    }
    for c in &s.conditions {
        condition::evaluate(c, &req.context, vars).map_err(Why::Condition)?;
    }
    Ok(naming)
}

/// A statement that applies: its effect, label and how it names the caller.
type Hit = (Effect, String, Option<Naming>);

struct Walk<'a> {
    req: &'a Request,
    /// The action and resource, shared by every "why not" of the trace.
    names: (Rc<str>, Rc<str>),
    /// The caller has a permissions boundary (NotPrincipal then excludes nobody).
    has_boundary: bool,
    trace: Vec<TraceLine>,
}

impl Walk<'_> {
    /// Traces every statement of a policy; returns the first Deny and the Allows that apply.
    fn policy(&mut self, layer: Layer, named: &Named) -> Vec<Hit> {
        let mut hits = vec![];
        let name: Rc<str> = Rc::from(named.name.as_str());
        for s in &named.policy.statements {
            let r = applies(
                s,
                &named.policy,
                self.req,
                &self.names,
                layer == Layer::Resource,
                self.has_boundary,
            );
            if let Ok(n) = &r {
                hits.push((s.effect, s.label(), *n));
            }
            self.trace.push(TraceLine {
                layer,
                policy: name.clone(),
                statement: s.label_rc(),
                index: s.index,
                effect: s.effect,
                applies: r.map(|_| ()),
            });
        }
        hits
    }
}

/// Which layers govern a request, decided once for the walk and the decision.
struct Applies {
    /// SCPs, identity-based policies and boundaries (IAM principals only).
    iam: bool,
    /// Session policies (sessions only).
    session: bool,
    /// The kind of the resource-based policy, when there is one that governs the action.
    resource: Option<ResourceKind>,
    /// A permissions boundary caps the caller.
    boundary: bool,
}

/// Evaluates a request against every layer (see the module documentation for the order).
pub fn evaluate(req: &Request, layers: &Layers) -> Evaluation {
    let iam = req.principal.is_iam();
    // A trust policy is not consulted for actions it does not govern (iam:PassRole on the
    // role, say): the request is decided as if there were none.
    let resource = layers
        .resource
        .as_ref()
        .filter(|_| layers.resource_kind.governs(&req.action));
    let applies = Applies {
        iam,
        session: req.principal.is_session(),
        resource: resource.map(|_| layers.resource_kind),
        boundary: iam && layers.boundary.is_some(),
    };
    let mut w = Walk {
        req,
        names: (
            Rc::from(req.action.as_str()),
            Rc::from(req.resource.as_str()),
        ),
        has_boundary: applies.boundary,
        trace: vec![],
    };
    let mut all: Vec<(Layer, String, Vec<Hit>)> = vec![];
    // SCPs govern the organization's own principals (AWS Organizations, "Service control
    // policies"); identity-based policies and boundaries belong to IAM users and roles: a
    // service or an anonymous caller has none, whatever the page has attached.
    if iam {
        for (i, level) in layers.scps.iter().enumerate() {
            for p in level {
                let hits = w.policy(Layer::Scp(i), p);
                all.push((Layer::Scp(i), p.name.clone(), hits));
            }
        }
    }
    for p in &layers.rcps {
        let hits = w.policy(Layer::Rcp, p);
        all.push((Layer::Rcp, p.name.clone(), hits));
    }
    if let Some(p) = resource {
        let hits = w.policy(Layer::Resource, p);
        all.push((Layer::Resource, p.name.clone(), hits));
    }
    if iam {
        for p in &layers.identity {
            let hits = w.policy(Layer::Identity, p);
            all.push((Layer::Identity, p.name.clone(), hits));
        }
        if let Some(p) = &layers.boundary {
            let hits = w.policy(Layer::Boundary, p);
            all.push((Layer::Boundary, p.name.clone(), hits));
        }
    }
    if applies.session {
        for p in &layers.session {
            let hits = w.policy(Layer::Session, p);
            all.push((Layer::Session, p.name.clone(), hits));
        }
    }
    let trace = std::mem::take(&mut w.trace);
    let (decision, reason, deciding, blocking) = decide(req, layers, &all, &applies);
    Evaluation {
        decision,
        reason,
        deciding,
        blocking,
        trace,
    }
}

/// The decision, the reason, the deciding statement and (for an implicit deny) the layer
/// whose missing allow decided it.
type Decided = (
    Decision,
    String,
    Option<(Layer, String, String)>,
    Option<Layer>,
);

/// The decision from the statements that apply, layer by layer (see [`evaluate`]).
fn decide(
    req: &Request,
    layers: &Layers,
    all: &[(Layer, String, Vec<Hit>)],
    applies: &Applies,
) -> Decided {
    let d = Decider {
        req,
        layers,
        all,
        applies,
    };
    // 1. An explicit deny anywhere wins.
    if let Some(deny) = d.explicit_deny() {
        return deny;
    }
    // 2. Every SCP level must allow.
    if let Some(gap) = d.scp_without_allow() {
        return gap;
    }
    let allows = d.allows();
    if d.cross_account() {
        return d.cross_account_decision(&allows);
    }
    d.same_account_decision(&allows)
}

/// An allowing statement: its layer, policy name, statement label, and (for a
/// resource-based policy) how it named the caller.
type Allowed = (Layer, String, String, Option<Naming>);

/// A decision by a statement (allow or explicit deny).
fn done(decision: Decision, reason: String, deciding: Option<(Layer, String, String)>) -> Decided {
    (decision, reason, deciding, None)
}

/// An implicit deny, for want of an allow in `layer`.
fn blocked(reason: String, layer: Layer) -> Decided {
    (Decision::ImplicitDeny, reason, None, Some(layer))
}

/// The deciding statement of an allow.
fn deciding(a: &Allowed) -> Option<(Layer, String, String)> {
    Some((a.0, a.1.clone(), a.2.clone()))
}

/// What [`decide`] works from: the request, its layers, and every statement that matched.
struct Decider<'a> {
    req: &'a Request,
    layers: &'a Layers,
    all: &'a [(Layer, String, Vec<Hit>)],
    applies: &'a Applies,
}

/// The allows the later steps weigh: from the resource-based and identity-based policies,
/// and whether the boundary and session policies (when they govern) allow too.
struct Allows {
    resource: Option<Allowed>,
    identity: Option<Allowed>,
    boundary_ok: bool,
    session_ok: bool,
}

impl Decider<'_> {
    /// The first explicit deny, in any layer.
    fn explicit_deny(&self) -> Option<Decided> {
        let req = self.req;
        for (layer, name, hits) in self.all {
            if let Some((_, label, _)) = hits.iter().find(|h| h.0 == Effect::Deny) {
                return Some(done(
                    Decision::ExplicitDeny,
                    format!(
                        "ExplicitDeny: {label} of {} {name} denies {} on {}.",
                        layer.name(),
                        req.action,
                        req.resource
                    ),
                    Some((*layer, name.clone(), label.clone())),
                ));
            }
        }
        None
    }

    /// The first allowing statement of a layer.
    fn allow_in(&self, layer: Layer) -> Option<Allowed> {
        self.all
            .iter()
            .filter(|(l, _, _)| *l == layer)
            .find_map(|(l, n, hits)| {
                hits.iter()
                    .find(|h| h.0 == Effect::Allow)
                    .map(|h| (*l, n.clone(), h.1.clone(), h.2))
            })
    }

    /// When SCPs apply, the first level of SCPs that allows nothing.
    fn scp_without_allow(&self) -> Option<Decided> {
        if !self.applies.iam {
            return None;
        }
        for (i, _) in self.layers.scps.iter().enumerate() {
            if self.allow_in(Layer::Scp(i)).is_none() {
                return Some(blocked(format!("ImplicitDeny: no statement of the {} allows {}; every level of SCPs must allow it.", Layer::Scp(i).name(), self.req.action), Layer::Scp(i)));
            }
        }
        None
    }

    /// The allows of the resource-based, identity-based, boundary and session layers.
    fn allows(&self) -> Allows {
        let applies = self.applies;
        Allows {
            resource: self.allow_in(Layer::Resource),
            identity: self.allow_in(Layer::Identity),
            boundary_ok: !applies.boundary || self.allow_in(Layer::Boundary).is_some(),
            session_ok: !applies.session
                || self.layers.session.is_empty()
                || self.allow_in(Layer::Session).is_some(),
        }
    }

    /// Whether the resource belongs to another account than the caller.
    fn cross_account(&self) -> bool {
        match (&self.req.resource_account, self.req.principal.account()) {
            (Some(r), Some(p)) => r != p,
            _ => false,
        }
    }

    /// Across accounts, the resource-based policy and an identity-based policy must both
    /// allow (and the boundary and session policies not cap it).
    fn cross_account_decision(&self, a: &Allows) -> Decided {
        let req = self.req;
        let Some(r) = &a.resource else {
            return blocked(format!("ImplicitDeny: the resource belongs to account {}; across accounts its resource-based policy must allow the caller too, and none does.", req.resource_account.as_deref().unwrap_or("?")), Layer::Resource);
        };
        match (&a.identity, a.boundary_ok, a.session_ok) {
            (None, _, _) => blocked(format!("ImplicitDeny: the resource-based policy allows it, but across accounts an identity-based policy in the caller's account must allow {} too.", req.action), Layer::Identity),
            (Some(_), false, _) => blocked("ImplicitDeny: the permissions boundary does not allow it.".into(), Layer::Boundary),
            (Some(_), _, false) => blocked("ImplicitDeny: the session policies do not allow it.".into(), Layer::Session),
            (Some(i), true, true) => done(
                Decision::Allow,
                format!("Allow: {} of {} {} and {} of the resource-based policy {} both allow it (cross-account).", i.2, i.0.name(), i.1, r.2, r.1),
                deciding(i),
            ),
        }
    }

    /// Within the account: a resource policy naming the caller directly is enough; trust and
    /// key policies must allow; otherwise an identity-based allow (or a resource policy
    /// naming the role or "*"), within the boundary and session policies.
    fn same_account_decision(&self, a: &Allows) -> Decided {
        let req = self.req;
        // 3. Within the account: a resource policy naming the user or session ARN is enough.
        if let Some(r) = a.resource.as_ref().filter(|r| r.3 == Some(Naming::Direct)) {
            return done(
                Decision::Allow,
                format!("Allow: {} of the resource-based policy {} names the caller directly, so no identity-based policy is needed.", r.2, r.1),
                deciding(r),
            );
        }
        if let Some(missing) = self.required_resource_policy_missing(a) {
            return missing;
        }
        let granted = a
            .identity
            .clone()
            .or_else(|| a.resource.clone().filter(|r| r.3 == Some(Naming::Indirect)));
        let Some(g) = granted else {
            return self.nothing_grants();
        };
        if !a.boundary_ok {
            return blocked(format!("ImplicitDeny: {} allows it, but the permissions boundary does not: a boundary caps what identity-based policies can grant.", g.1), Layer::Boundary);
        }
        if !a.session_ok {
            return blocked(format!("ImplicitDeny: {} allows it, but the session policies passed with AssumeRole do not.", g.1), Layer::Session);
        }
        done(
            Decision::Allow,
            format!(
                "Allow: {} of {} {} allows {} on {}.",
                g.2,
                g.0.name(),
                g.1,
                req.action,
                req.resource
            ),
            deciding(&g),
        )
    }

    /// Trust and key policies must allow even within the account: the implicit deny when
    /// such a policy governs and does not.
    fn required_resource_policy_missing(&self, a: &Allows) -> Option<Decided> {
        let required = match self.applies.resource {
            // Without a governing policy there is nothing to require.
            None | Some(ResourceKind::Generic) => None,
            Some(ResourceKind::RoleTrust) => Some("the role's trust policy"),
            Some(ResourceKind::KmsKey) => Some("the key policy"),
        };
        if let (Some(what), None) = (required, &a.resource) {
            return Some(blocked(format!("ImplicitDeny: {what} does not allow the caller; unlike other resource policies it must, even within the account, whatever identity-based policies allow."), Layer::Resource));
        }
        None
    }

    /// The implicit deny when no policy grants: for a caller without identity-based
    /// policies, no resource policy names it; otherwise no identity-based (or resource-based)
    /// statement allows.
    fn nothing_grants(&self) -> Decided {
        let req = self.req;
        if !self.applies.iam {
            return blocked(
                format!(
                    "ImplicitDeny: {} has no identity-based policies; only a resource-based policy that names it can allow {} on {}, and none does.",
                    match req.principal {
                        Principal::Service { .. } => "an AWS service",
                        Principal::WebIdentity { .. } => "a web identity user",
                        _ => "an anonymous caller",
                    },
                    req.action,
                    req.resource
                ),
                Layer::Resource,
            );
        }
        blocked(
            format!(
                "ImplicitDeny: no statement of any identity-based{} policy allows {} on {}.",
                if self.applies.resource.is_some() {
                    " or resource-based"
                } else {
                    ""
                },
                req.action,
                req.resource
            ),
            Layer::Identity,
        )
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::iam::parse;
    use proptest::prelude::*;

    fn named(name: &str, json: &str) -> Named {
        Named {
            name: name.into(),
            policy: parse(json).unwrap(),
        }
    }

    fn user_req(action: &str, resource: &str) -> Request {
        Request {
            principal: Principal::User {
                arn: "arn:aws:iam::111122223333:user/alice".into(),
            },
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            context: Context::default(),
        }
    }

    fn session_req(action: &str, resource: &str) -> Request {
        Request {
            principal: Principal::RoleSession {
                role_arn: "arn:aws:iam::111122223333:role/app".into(),
                session_arn: "arn:aws:sts::111122223333:assumed-role/app/s1".into(),
            },
            ..user_req(action, resource)
        }
    }

    const ADMIN: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
    const S3_ONLY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "S3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;

    #[test]
    fn a_boundary_caps_an_admin() {
        let l = Layers {
            identity: vec![named("Admin", ADMIN)],
            boundary: Some(named("S3Only", S3_ONLY)),
            ..Default::default()
        };
        assert_eq!(
            evaluate(&user_req("s3:GetObject", "arn:aws:s3:::b/k"), &l).decision,
            Decision::Allow
        );
        let e = evaluate(&user_req("iam:CreateUser", "*"), &l);
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert!(e.reason.contains("permissions boundary"), "{}", e.reason);
    }

    #[test]
    fn resource_policies_within_the_account() {
        let bucket = |principal: &str| {
            named(
                "bucket",
                &format!(
                    r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "Grant", "Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}]}}"#
                ),
            )
        };
        // Naming the user's ARN is enough, even with a boundary that allows nothing of S3.
        let none = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}"#;
        let l = Layers {
            resource: Some(bucket("arn:aws:iam::111122223333:user/alice")),
            boundary: Some(named("EC2Only", none)),
            ..Default::default()
        };
        let e = evaluate(&user_req("s3:GetObject", "arn:aws:s3:::b/k"), &l);
        assert_eq!(e.decision, Decision::Allow, "{}", e.reason);
        assert!(e.reason.contains("names the caller directly"));
        // Naming the role's ARN: still limited by the boundary.
        let l = Layers {
            resource: Some(bucket("arn:aws:iam::111122223333:role/app")),
            boundary: Some(named("EC2Only", none)),
            ..Default::default()
        };
        assert_eq!(
            evaluate(&session_req("s3:GetObject", "arn:aws:s3:::b/k"), &l).decision,
            Decision::ImplicitDeny
        );
        let l = Layers {
            boundary: None,
            ..l
        };
        assert_eq!(
            evaluate(&session_req("s3:GetObject", "arn:aws:s3:::b/k"), &l).decision,
            Decision::Allow
        );
        // Naming the session ARN: a session policy that allows nothing does not limit it.
        let l = Layers {
            resource: Some(bucket("arn:aws:sts::111122223333:assumed-role/app/s1")),
            session: vec![named("session", none)],
            ..Default::default()
        };
        assert_eq!(
            evaluate(&session_req("s3:GetObject", "arn:aws:s3:::b/k"), &l).decision,
            Decision::Allow
        );
        // Someone else is not named.
        let l = Layers {
            resource: Some(bucket("arn:aws:iam::111122223333:user/bob")),
            ..Default::default()
        };
        let e = evaluate(&user_req("s3:GetObject", "arn:aws:s3:::b/k"), &l);
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert!(e.trace.iter().any(|t| t.applies == Err(Why::NotNamed)));
        assert!(e.trace.iter().any(|t| t
            .applies
            .as_ref()
            .is_err_and(|w| w.to_string() == "the caller is not named in Principal")));
    }

    #[test]
    fn session_policies_and_variables() {
        let l = Layers {
            identity: vec![named("Admin", ADMIN)],
            session: vec![named("S3Only", S3_ONLY)],
            ..Default::default()
        };
        assert_eq!(
            evaluate(&session_req("s3:PutObject", "arn:aws:s3:::b/k"), &l).decision,
            Decision::Allow
        );
        let e = evaluate(&session_req("ec2:RunInstances", "*"), &l);
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert!(e.reason.contains("session policies"));
        // ${aws:username} home folder: only under Version 2012-10-17.
        let home = |version: &str| {
            named(
                "Home",
                &format!(
                    r#"{{"Version": "{version}", "Statement": [{{"Sid": "Home", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${{aws:username}}/*"}}]}}"#
                ),
            )
        };
        let mut req = user_req("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt");
        req.context.set("aws:username", &["alice"]);
        let l = Layers {
            identity: vec![home("2012-10-17")],
            ..Default::default()
        };
        assert_eq!(evaluate(&req, &l).decision, Decision::Allow);
        let other = Request {
            resource: "arn:aws:s3:::home/bob/notes.txt".into(),
            ..req.clone()
        };
        assert_eq!(evaluate(&other, &l).decision, Decision::ImplicitDeny);
        let l = Layers {
            identity: vec![home("2008-10-17")],
            ..Default::default()
        };
        assert_eq!(
            evaluate(&req, &l).decision,
            Decision::ImplicitDeny,
            "no variables under 2008-10-17"
        );
        // Before the fifth colon a variable is text: the account is not substituted.
        let acct = named(
            "Acct",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q"}]}"#,
        );
        let mut q = user_req("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q");
        q.context.set("aws:PrincipalAccount", &["111122223333"]);
        let l = Layers {
            identity: vec![acct],
            ..Default::default()
        };
        assert_eq!(evaluate(&q, &l).decision, Decision::ImplicitDeny);
    }

    #[test]
    fn trust_policies_govern_sts_only_and_services_have_no_identity_policies() {
        let trust = named(
            "Trust",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
        );
        let pass = named(
            "Pass",
            r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Pass", "Effect": "Allow", "Action": ["iam:PassRole", "sts:AssumeRole"], "Resource": "*"}]}"#,
        );
        let l = Layers {
            identity: vec![pass],
            resource: Some(trust),
            resource_kind: ResourceKind::RoleTrust,
            ..Default::default()
        };
        let role = "arn:aws:iam::111122223333:role/app";
        // iam:PassRole on the role is decided by the caller's policies alone.
        let e = evaluate(&user_req("iam:PassRole", role), &l);
        assert_eq!(e.decision, Decision::Allow, "{}", e.reason);
        // sts:AssumeRole needs the trust policy, which names only EC2.
        let e = evaluate(&user_req("sts:AssumeRole", role), &l);
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert_eq!(e.blocking, Some(Layer::Resource));
        let ec2 = Request {
            principal: Principal::Service {
                name: "ec2.amazonaws.com".into(),
            },
            ..user_req("sts:AssumeRole", role)
        };
        let e = evaluate(&ec2, &l);
        assert_eq!(e.decision, Decision::Allow);
        // The user's identity policy is not the service's: it is not even traced.
        assert!(e.trace.iter().all(|t| t.layer != Layer::Identity));
        // A service without a resource policy naming it: the resource layer is to blame.
        let s3 = Request {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            ..ec2.clone()
        };
        let e = evaluate(&s3, &l);
        assert_eq!(e.blocking, Some(Layer::Resource));
        assert!(
            e.reason.contains("has no identity-based policies"),
            "{}",
            e.reason
        );
        // A trust kind left without its policy requires nothing.
        let bare = Layers {
            resource: None,
            ..l.clone()
        };
        assert_eq!(
            evaluate(&user_req("sts:AssumeRole", role), &bare).decision,
            Decision::Allow
        );
    }

    #[test]
    fn federated_names_identity_providers_not_federated_users() {
        let trust = named(
            "Trust",
            r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Cognito", "Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#,
        );
        let l = Layers {
            resource: Some(trust),
            resource_kind: ResourceKind::RoleTrust,
            ..Default::default()
        };
        let role = "arn:aws:iam::111122223333:role/app-users";
        let web = |provider: &str| Request {
            principal: Principal::WebIdentity {
                provider: provider.into(),
            },
            ..user_req("sts:AssumeRoleWithWebIdentity", role)
        };
        let e = evaluate(&web("cognito-identity.amazonaws.com"), &l);
        assert_eq!(e.decision, Decision::Allow, "{}", e.reason);
        assert_eq!(
            evaluate(&web("accounts.google.com"), &l).decision,
            Decision::ImplicitDeny
        );
        // A GetFederationToken session is not an identity provider.
        let fed = Request {
            principal: Principal::FederatedUser {
                arn: "cognito-identity.amazonaws.com".into(),
            },
            ..user_req("sts:AssumeRoleWithWebIdentity", role)
        };
        assert_eq!(evaluate(&fed, &l).decision, Decision::ImplicitDeny);
    }

    /// A small pool of statements to build random policy sets from.
    fn statement(i: usize) -> &'static str {
        const POOL: [&str; 8] = [
            r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"}"#,
            r#"{"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#,
            r#"{"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Action": "ec2:*", "NotResource": "arn:aws:s3:::*"}"#,
            r#"{"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::secret/*"}"#,
            r#"{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:username": "alice"}}}"#,
        ];
        POOL[i % POOL.len()]
    }

    fn policy_of(ids: &[usize]) -> Named {
        let body: Vec<&str> = ids.iter().map(|i| statement(*i)).collect();
        named(
            "p",
            &format!(
                r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
                body.join(",")
            ),
        )
    }

    fn requests() -> Vec<Request> {
        let mut v = vec![];
        for action in [
            "s3:GetObject",
            "s3:DeleteObject",
            "s3:PutObject",
            "ec2:RunInstances",
        ] {
            for resource in ["arn:aws:s3:::b/k", "arn:aws:s3:::secret/k", "*"] {
                let mut r = user_req(action, resource);
                r.context.set("aws:username", &["alice"]);
                v.push(r.clone());
                r.context.set("aws:MultiFactorAuthPresent", &["true"]);
                v.push(r);
            }
        }
        v
    }

    proptest! {
        #[test]
        fn more_allows_never_deny_more_denies_never_allow(ids in proptest::collection::vec(0usize..8, 0..6), extra in 0usize..8) {
            let before = Layers { identity: vec![policy_of(&ids)], ..Default::default() };
            let mut more = ids.clone();
            more.push(extra);
            let after = Layers { identity: vec![policy_of(&more)], ..Default::default() };
            let is_allow = statement(extra).contains("\"Allow\"");
            for r in requests() {
                let (a, b) = (evaluate(&r, &before).decision, evaluate(&r, &after).decision);
                if is_allow {
                    prop_assert!(!(a == Decision::Allow && b != Decision::Allow), "an Allow turned {:?} into {:?}", a, b);
                } else {
                    prop_assert!(!(a != Decision::Allow && b == Decision::Allow), "a Deny turned {:?} into {:?}", a, b);
                }
            }
        }

        #[test]
        fn statement_order_never_matters(ids in proptest::collection::vec(0usize..8, 0..6), seed in 0usize..100) {
            let mut shuffled = ids.clone();
            if !shuffled.is_empty() {
                let n = shuffled.len();
                shuffled.rotate_left(seed % n);
                shuffled.reverse();
            }
            let a = Layers { identity: vec![policy_of(&ids)], ..Default::default() };
            let b = Layers { identity: vec![policy_of(&shuffled)], ..Default::default() };
            for r in requests() {
                prop_assert_eq!(evaluate(&r, &a).decision, evaluate(&r, &b).decision);
            }
        }
    }
}
