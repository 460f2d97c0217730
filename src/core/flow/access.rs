//! IAM in the flow engine: every API call a script, a handler or a service makes is
//! authorized by the IAM evaluator (`core::iam::evaluate`) before it reaches its service.
//!
//! * **Identities.** The scenario's IAM roles and users, each with identity-based policies
//!   and an optional permissions boundary. A function calls as a session of its execution
//!   role named after the function (`arn:aws:sts::111122223333:assumed-role/labeler-role/
//!   labeler`), as Lambda does. A scripted call is made by the identity its action names,
//!   or by the IAM user `admin` with the AdministratorAccess policy.
//! * **Resource-based policies** on queues (the `Policy` attribute), topics, buckets and
//!   functions (the policy AddPermission builds). Within one account an identity-based
//!   policy alone can allow; a service principal (`sns.amazonaws.com`) has no identity
//!   policies, so only the resource's policy can let it in (IAM User Guide, "Policy
//!   evaluation logic").
//! * **Who needs what** (AWS documentation): a function's role needs `sqs:ReceiveMessage`,
//!   `sqs:DeleteMessage` and `sqs:GetQueueAttributes` for an SQS event source mapping
//!   ("Using Lambda with Amazon SQS"), `dynamodb:DescribeStream`, `GetRecords`,
//!   `GetShardIterator` and `ListStreams` for a stream ("Using Lambda with DynamoDB"), and
//!   `sqs:SendMessage` / `sns:Publish` / `lambda:InvokeFunction` for its destinations. SNS
//!   needs the queue's policy to allow `sqs:SendMessage` ("Sending Amazon SNS messages to an
//!   Amazon SQS queue"), S3 and SNS and API Gateway need the function's policy to allow
//!   `lambda:InvokeFunction`, and S3 needs the queue's or topic's policy for its
//!   notifications; each call carries `aws:SourceArn` and `aws:SourceAccount`.
//!
//! A denial is answered with the service's own error (`AccessDeniedException`,
//! `AuthorizationError`, `AccessDenied`) and the enhanced message AWS gives ("… because no
//! identity-based policy allows the dynamodb:PutItem action"); the trace records the
//! evaluator's reason, and [`Access::iam_state`] rebuilds the request for the IAM page.

use crate::core::account::SANDBOX_ACCOUNT;
use crate::core::iam::caller::{Caller, CallerKind};
use crate::core::iam::eval::{Layer, ResourceKind};
use crate::core::iam::state::{Doc, IamState, Row};
use crate::core::iam::{self, Decision, Layers, Named, Principal};
use crate::core::sim::{Arn, AwsError, TraceId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What Lambda's poller calls for an SQS event source mapping ("Using Lambda with Amazon
/// SQS": the execution role's permissions).
pub const SQS_POLLER_ACTIONS: [&str; 3] = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
];
/// What Lambda calls to read a DynamoDB stream ("Using Lambda with DynamoDB"); ListStreams
/// is authorized on `*`.
pub const STREAM_POLLER_ACTIONS: [&str; 4] = [
    "dynamodb:DescribeStream",
    "dynamodb:GetShardIterator",
    "dynamodb:GetRecords",
    "dynamodb:ListStreams",
];
/// The identity scripted calls use when their action names none.
pub const ADMIN: &str = "admin";
/// The AWS managed policy AdministratorAccess (every action on every resource).
pub const ADMINISTRATOR_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// An IAM role or user.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityKind {
    #[default]
    Role,
    User,
}

/// A role or user of the scenario with its policies (JSON texts, as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdentitySpec {
    pub kind: IdentityKind,
    pub name: String,
    /// Identity-based policies (inline or managed: the evaluator treats them alike).
    pub policies: Vec<Doc>,
    pub boundary: Option<Doc>,
    /// A role's trust policy (who may assume it) as typed to `aws iam create-role`; `None`
    /// for the flow page's roles, which Lambda assumes ([`IdentitySpec::trust_policy`]).
    /// [`Access::assumable_by`] evaluates it: a function's role must let Lambda assume it,
    /// an instance profile's role EC2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<String>,
}

/// The ARN prefix of AWS managed policies. A policy of an identity whose name starts with
/// it was attached (`aws iam attach-role-policy`); any other is an inline policy (IAM
/// policy names cannot hold `:` or `/`, and the flow page refuses such a name).
pub const AWS_MANAGED: &str = "arn:aws:iam::aws:policy/";

/// The trust policy of a role the flow page defines: Lambda may assume it.
pub const LAMBDA_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// Managed policies attached to one role or user, at most (IAM's default quota; IAM User
/// Guide, "IAM and AWS STS quotas").
pub const MANAGED_PER_IDENTITY: usize = 10;
/// Characters of a role's inline policies together, at most (white space not counted).
pub const INLINE_CHARS_PER_ROLE: usize = 10_240;
/// Characters of a user's inline policies together, at most (white space not counted).
pub const INLINE_CHARS_PER_USER: usize = 2_048;

impl IdentitySpec {
    /// IAM's quotas on one role or user: at most [`MANAGED_PER_IDENTITY`] attached managed
    /// policies, and inline policies of at most [`INLINE_CHARS_PER_ROLE`] (a user:
    /// [`INLINE_CHARS_PER_USER`]) characters together, white space not counted. The error
    /// is IAM's `LimitExceeded` message.
    pub fn check_quotas(&self) -> Result<(), String> {
        let managed = self
            .policies
            .iter()
            .filter(|d| IdentitySpec::is_managed(&d.name))
            .count();
        let what = match self.kind {
            IdentityKind::Role => "Role",
            IdentityKind::User => "User",
        };
        if managed > MANAGED_PER_IDENTITY {
            return Err(format!(
                "Cannot exceed quota for PoliciesPer{what}: {MANAGED_PER_IDENTITY}"
            ));
        }
        let inline: usize = self
            .policies
            .iter()
            .filter(|d| !IdentitySpec::is_managed(&d.name))
            .map(|d| d.text.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        let max = match self.kind {
            IdentityKind::Role => INLINE_CHARS_PER_ROLE,
            IdentityKind::User => INLINE_CHARS_PER_USER,
        };
        if inline > max {
            return Err(format!(
                "Maximum policy size of {max} bytes exceeded for {} {}",
                what.to_ascii_lowercase(),
                self.name
            ));
        }
        Ok(())
    }

    /// The trust policy as typed, or Lambda's for a role defined without one.
    pub fn trust_policy(&self) -> &str {
        self.trust.as_deref().unwrap_or(LAMBDA_TRUST)
    }

    /// Whether the policy `name` is an attached AWS managed policy (named by its ARN).
    pub fn is_managed(name: &str) -> bool {
        name.starts_with(AWS_MANAGED)
    }

    /// A role with one inline policy.
    pub fn role(name: &str, policy_name: &str, policy: &str) -> IdentitySpec {
        IdentitySpec {
            kind: IdentityKind::Role,
            name: name.into(),
            policies: vec![Doc::new(policy_name, policy)],
            boundary: None,
            trust: None,
        }
    }

    /// `arn:aws:iam::111122223333:role/name` or `…:user/name`.
    pub fn arn(&self) -> String {
        match self.kind {
            IdentityKind::Role => Arn::iam_role(SANDBOX_ACCOUNT, &self.name),
            IdentityKind::User => Arn::iam_user(SANDBOX_ACCOUNT, &self.name),
        }
        .to_string()
    }

    /// The built-in script user: `admin` with AdministratorAccess.
    pub fn admin() -> IdentitySpec {
        IdentitySpec {
            kind: IdentityKind::User,
            name: ADMIN.into(),
            policies: vec![Doc::new("AdministratorAccess", ADMINISTRATOR_ACCESS)],
            boundary: None,
            trust: None,
        }
    }
}

/// A resource's policy as typed: the ARN of the resource that carries it, the name traces
/// use (`queue orders`), and the JSON text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourcePolicy {
    pub arn: String,
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Identity {
    spec: IdentitySpec,
    policies: Vec<Named>,
    boundary: Option<Named>,
}

impl IdentitySpec {
    /// `Role name` or `User name`, as errors name it.
    fn what(&self) -> String {
        match self.kind {
            IdentityKind::Role => format!("Role {}", self.name),
            IdentityKind::User => format!("User {}", self.name),
        }
    }
}

impl Identity {
    /// Checks the name and parses every policy; errors name the identity and the policy.
    fn parse(spec: &IdentitySpec) -> Result<Identity, Vec<String>> {
        let what = spec.what();
        check_name(&spec.name).map_err(|e| vec![format!("{what}: {e}")])?;
        let mut errors = vec![];
        let policies = spec
            .policies
            .iter()
            .filter_map(|d| parse_doc(&what, d, &mut errors))
            .collect();
        let boundary = spec
            .boundary
            .as_ref()
            .and_then(|d| parse_doc(&format!("{what} (boundary)"), d, &mut errors));
        if let Some(t) = &spec.trust {
            parse_doc(&what, &Doc::new("trust policy", t), &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Identity {
            spec: spec.clone(),
            policies,
            boundary,
        })
    }
}

/// Parses one policy of `what` (`Role worker-role`); a policy that does not parse is
/// added to `errors`, naming `what` and the policy.
fn parse_doc(what: &str, doc: &Doc, errors: &mut Vec<String>) -> Option<Named> {
    match iam::parse(&doc.text) {
        Ok(policy) => Some(Named {
            name: doc.name.clone(),
            policy,
        }),
        Err(e) => {
            errors.push(format!("{what}, policy {}: {e}", doc.name));
            None
        }
    }
}

/// The account's identities and resource-based policies, parsed once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// `false` leaves IAM out: every call is allowed. Only the engine's tests of other
    /// behaviours build such an account; every scenario enforces IAM.
    pub enforced: bool,
    identities: BTreeMap<String, Identity>,
    resources: BTreeMap<String, (ResourcePolicy, Named)>,
}

/// Who makes a call.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Who {
    /// A role or user of the scenario, by name (a scripted call; a role's session is named
    /// `script`).
    Identity(String),
    /// A function, as a session of its execution role (the role's name, the function's).
    Function { role: String, function: String },
    /// An AWS service acting for a resource (`sns.amazonaws.com` for topic `arn:…`).
    Service {
        principal: &'static str,
        source_arn: String,
    },
}

/// A call IAM refused, for the trace, the page's list and the IAM page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    pub at_ms: u64,
    /// The `IAM_DENIED` trace entry.
    pub trace: TraceId,
    /// The caller as the IAM page's request form describes it.
    pub caller: Caller,
    /// The identity whose policies were evaluated (none for a service).
    pub identity: Option<String>,
    pub action: String,
    pub resource: String,
    /// The resource-based policy consulted (its resource's ARN), if any.
    pub resource_policy: Option<String>,
    /// Context keys the call carried beyond the caller's (`aws:SourceArn = …`), one per line.
    pub context: String,
    pub decision: Decision,
    /// The evaluator's reason.
    pub reason: String,
    /// The message the caller gets (AWS's enhanced access-denied message).
    pub message: String,
}

/// The error code and HTTP status a service answers a denial with.
pub fn denied_code(action: &str) -> (&'static str, u16) {
    match action.split(':').next().unwrap_or("") {
        "sns" => ("AuthorizationError", 403),
        "s3" => ("AccessDenied", 403),
        "sqs" => ("AccessDenied", 403),
        "lambda" => ("AccessDeniedException", 403),
        _ => ("AccessDeniedException", 400),
    }
}

fn layer_words(l: Layer) -> &'static str {
    match l {
        Layer::Identity => "identity-based policy",
        Layer::Resource => "resource-based policy",
        Layer::Boundary => "permissions boundary",
        Layer::Session => "session policy",
        Layer::Scp(_) => "service control policy",
        Layer::Rcp => "resource control policy",
    }
}

impl Access {
    /// Parses every policy; errors name the identity or resource and the policy.
    pub fn build(
        identities: &[IdentitySpec],
        resource_policies: Vec<ResourcePolicy>,
    ) -> Result<Access, Vec<String>> {
        let mut errors = vec![];
        let mut access = Access {
            enforced: true,
            ..Access::default()
        };
        let admin = IdentitySpec::admin();
        let all = identities
            .iter()
            .chain(std::iter::once(&admin).filter(|_| !identities.iter().any(|i| i.name == ADMIN)));
        let mut seen = std::collections::BTreeSet::new();
        for spec in all {
            if check_name(&spec.name).is_ok() && !seen.insert(spec.name.as_str()) {
                errors.push(format!(
                    "{}: EntityAlreadyExists: two roles or users of this scenario have this name.",
                    spec.what()
                ));
                continue;
            }
            match Identity::parse(spec) {
                Ok(i) => {
                    access.identities.insert(spec.name.clone(), i);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        for r in resource_policies {
            let doc = Doc::new(&format!("{} policy", r.name), &r.text);
            if let Some(named) = parse_doc(&r.name, &doc, &mut errors) {
                access.resources.insert(r.arn.clone(), (r, named));
            }
        }
        if errors.is_empty() {
            Ok(access)
        } else {
            Err(errors)
        }
    }

    /// The roles and users as defined, by name; the built-in user `admin` only when the
    /// account defined it otherwise ([`Access::build`] adds it).
    pub fn identity_specs(&self) -> Vec<IdentitySpec> {
        let admin = IdentitySpec::admin();
        self.identities
            .values()
            .map(|i| &i.spec)
            .filter(|s| **s != admin)
            .cloned()
            .collect()
    }

    /// The text of the resource-based policy on the resource `arn`.
    pub fn resource_policy(&self, arn: &str) -> Option<&str> {
        self.resources.get(arn).map(|(r, _)| r.text.as_str())
    }

    /// The names of the roles and users as [`Access::identity_specs`] lists them.
    pub fn identity_names(&self) -> Vec<String> {
        self.identity_specs().into_iter().map(|i| i.name).collect()
    }

    /// The role or user `name` as defined.
    pub fn identity(&self, name: &str) -> Option<&IdentitySpec> {
        self.identities.get(name).map(|i| &i.spec)
    }

    /// The parsed permissions boundary of the role or user `name`, if it has one.
    pub fn boundary_of(&self, name: &str) -> Option<&Named> {
        self.identities.get(name)?.boundary.as_ref()
    }

    /// The parsed identity-based policies of the role or user `name`.
    pub fn policies_of(&self, name: &str) -> Option<&[Named]> {
        self.identities.get(name).map(|i| i.policies.as_slice())
    }

    /// Adds the role or user `spec`, or replaces the one of its name (IAM's CreateRole,
    /// PutRolePolicy, AttachRolePolicy …). Errors name the identity and the policy that
    /// does not parse; the account is unchanged then.
    pub fn put_identity(&mut self, spec: IdentitySpec) -> Result<(), Vec<String>> {
        let parsed = Identity::parse(&spec)?;
        self.identities.insert(spec.name, parsed);
        Ok(())
    }

    /// Removes the role or user `name` (IAM's DeleteRole); `false` if there is none.
    pub fn remove_identity(&mut self, name: &str) -> bool {
        self.identities.remove(name).is_some()
    }

    /// Whether the role `name`'s trust policy lets the AWS service `service`
    /// (`lambda.amazonaws.com`) assume it, as `sts:AssumeRole` is decided (IAM User Guide,
    /// "Policy evaluation logic": the trust policy is the role's resource-based policy).
    /// A role defined without a trust policy is Lambda's ([`LAMBDA_TRUST`]).
    pub fn assumable_by(&self, name: &str, service: &str) -> bool {
        let Some(i) = self.identities.get(name) else {
            return false;
        };
        let Ok(trust) = iam::parse(i.spec.trust_policy()) else {
            return false;
        };
        let layers = Layers {
            resource: Some(Named {
                name: "trust policy".into(),
                policy: trust,
            }),
            resource_kind: ResourceKind::RoleTrust,
            ..Layers::default()
        };
        let request = iam::Request {
            principal: Principal::Service {
                name: service.into(),
            },
            action: "sts:AssumeRole".into(),
            resource: Arn::iam_role(SANDBOX_ACCOUNT, name).to_string(),
            resource_account: None,
            context: iam::Context::default(),
        };
        iam::evaluate(&request, &layers).decision == Decision::Allow
    }

    /// Whether a role or user of this name exists.
    pub fn has_identity(&self, name: &str) -> bool {
        self.identities.contains_key(name)
    }

    /// Whether `name` is a role (a function's execution role must be one).
    pub fn is_role(&self, name: &str) -> bool {
        self.identities
            .get(name)
            .is_some_and(|i| i.spec.kind == IdentityKind::Role)
    }

    fn caller(&self, who: &Who) -> Caller {
        let base = Caller {
            account: SANDBOX_ACCOUNT.into(),
            ..Caller::default()
        };
        match who {
            Who::Identity(name) => {
                let kind = match self.identities.get(name).map(|i| i.spec.kind) {
                    Some(IdentityKind::User) => CallerKind::User,
                    _ => CallerKind::Role,
                };
                Caller {
                    kind,
                    name: name.clone(),
                    session: "script".into(),
                    ..base
                }
            }
            Who::Function { role, function } => Caller {
                kind: CallerKind::Role,
                name: role.clone(),
                session: function.clone(),
                ..base
            },
            Who::Service { principal, .. } => Caller {
                kind: CallerKind::Service,
                name: principal.to_string(),
                ..base
            },
        }
    }

    /// Authorizes `action` on `resource` (an ARN); `policy_of` is the ARN of the resource
    /// whose policy applies (the bucket for an object). `Ok` when IAM allows it; otherwise
    /// the denial (without its trace entry and time, which the engine fills in).
    pub fn authorize(
        &self,
        who: &Who,
        action: &str,
        resource: &str,
        policy_of: &str,
    ) -> Result<(), Box<Denial>> {
        if !self.enforced {
            return Ok(());
        }
        let caller = self.caller(who);
        let name = match who {
            Who::Identity(n) => Some(n.as_str()),
            Who::Function { role, .. } => Some(role.as_str()),
            Who::Service { .. } => None,
        };
        let identity = name.and_then(|n| self.identities.get(n));
        let principal = match who {
            Who::Service { principal, .. } => Principal::Service {
                name: principal.to_string(),
            },
            _ => caller.principal().unwrap_or(Principal::Anonymous),
        };
        let mut context = iam::Context::default();
        for (k, v) in caller.derived_keys() {
            let v: Vec<&str> = v.iter().map(String::as_str).collect();
            context.set(&k, &v);
        }
        let mut typed = String::new();
        if let Who::Service { source_arn, .. } = who {
            context.set("aws:SourceArn", &[source_arn]);
            context.set("aws:SourceAccount", &[SANDBOX_ACCOUNT]);
            typed = format!("aws:SourceArn = {source_arn}\naws:SourceAccount = {SANDBOX_ACCOUNT}");
        }
        let resource_policy = self.resources.get(policy_of);
        let layers = Layers {
            identity: identity.map(|i| i.policies.clone()).unwrap_or_default(),
            resource: resource_policy.map(|(_, n)| n.clone()),
            boundary: identity.and_then(|i| i.boundary.clone()),
            resource_kind: ResourceKind::Generic,
            ..Layers::default()
        };
        let request = iam::Request {
            principal,
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            context,
        };
        let e = iam::evaluate(&request, &layers);
        if e.decision == Decision::Allow {
            return Ok(());
        }
        let who_arn = match who {
            Who::Identity(n) => match identity.map(|i| i.spec.kind) {
                Some(IdentityKind::User) => Arn::iam_user(SANDBOX_ACCOUNT, n).to_string(),
                _ => Arn::assumed_role(SANDBOX_ACCOUNT, n, "script").to_string(),
            },
            Who::Function { role, function } => {
                Arn::assumed_role(SANDBOX_ACCOUNT, role, function).to_string()
            }
            Who::Service { principal, .. } => principal.to_string(),
        };
        let why = match (e.decision, &e.deciding, e.blocking) {
            (Decision::ExplicitDeny, Some((l, _, _)), _) => {
                let w = layer_words(*l);
                let article = if w.starts_with('i') { "an" } else { "a" };
                format!("with an explicit deny in {article} {w}")
            }
            (_, _, Some(l)) => format!("because no {} allows the {action} action", layer_words(l)),
            _ => format!("because no policy allows the {action} action"),
        };
        let message = if identity.is_none() && name.is_some() {
            format!(
                "User: {who_arn} is not authorized to perform: {action} on resource: {resource} because the role or user {} does not exist",
                name.unwrap_or_default()
            )
        } else {
            format!("User: {who_arn} is not authorized to perform: {action} on resource: {resource} {why}")
        };
        Err(Box::new(Denial {
            at_ms: 0,
            trace: TraceId(0),
            caller,
            identity: name.map(str::to_string),
            action: action.into(),
            resource: resource.into(),
            resource_policy: resource_policy.map(|(r, _)| r.arn.clone()),
            context: typed,
            decision: e.decision,
            reason: e.reason,
            message,
        }))
    }

    /// The IAM page's state that evaluates this denial again: the identity's policies and
    /// boundary, the resource's policy, and the request as the only row.
    pub fn iam_state(&self, d: &Denial) -> IamState {
        let mut s = IamState::empty();
        s.scenario = String::new();
        if let Some(i) = d.identity.as_ref().and_then(|n| self.identities.get(n)) {
            s.identity = i.spec.policies.clone();
            s.boundary = i.spec.boundary.clone();
        }
        s.resource = d
            .resource_policy
            .as_ref()
            .and_then(|arn| self.resources.get(arn))
            .map(|(r, _)| Doc::new(&format!("{} policy", r.name), &r.text));
        s.requests = vec![Row {
            caller: d.caller.clone(),
            action: d.action.clone(),
            resource: d.resource.clone(),
            resource_account: String::new(),
            context: d.context.clone(),
        }];
        s.selected = 0;
        s
    }
}

/// IAM's rule for names (`[\w+=,.@-]+`): 1 to `max` letters, digits and `+=,.@_-` (64
/// for a role or user, 128 for a policy; IAM API Reference, CreateRole and PutRolePolicy).
pub fn is_iam_name(name: &str, max: usize) -> bool {
    !name.is_empty()
        && name.len() <= max
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

/// IAM's rule for role and user names: 1–64 letters, digits and `+=,.@_-`.
pub fn check_name(name: &str) -> Result<(), String> {
    if is_iam_name(name, 64) {
        Ok(())
    } else {
        Err(format!(
            "ValidationError: “{}” is not a valid name; a role or user name has 1 to 64 letters, digits and +=,.@_-.",
            crate::core::format::clip(name, 64)
        ))
    }
}

/// The AwsError a denied caller gets.
pub fn denied_error(d: &Denial) -> AwsError {
    let (code, status) = denied_code(&d.action);
    AwsError::new(code, status, d.message.clone())
}

impl super::Flow {
    /// The execution role a function calls as.
    pub(super) fn function_who(&self, function: &str) -> Who {
        Who::Function {
            role: self
                .functions
                .get(function)
                .map(|f| f.role.clone())
                .unwrap_or_default(),
            function: function.to_string(),
        }
    }

    /// sqs:SendMessage on `queue`.
    pub(super) fn may_send(
        &mut self,
        who: &Who,
        queue: &str,
        cause: TraceId,
    ) -> Result<(), AwsError> {
        let arn = super::queue_arn(queue);
        self.gate(
            who,
            "sqs:SendMessage",
            &arn,
            &arn,
            &format!("queue {queue}"),
            Some(cause),
        )
    }

    /// sns:Publish on `topic`.
    pub(super) fn may_publish(
        &mut self,
        who: &Who,
        topic: &str,
        cause: TraceId,
    ) -> Result<(), AwsError> {
        let arn = super::topic_arn(topic);
        self.gate(
            who,
            "sns:Publish",
            &arn,
            &arn,
            &format!("topic {topic}"),
            Some(cause),
        )
    }

    /// An object action (`s3:PutObject`) on `bucket/key`, under the bucket's policy.
    pub(super) fn may_object(
        &mut self,
        who: &Who,
        action: &str,
        bucket: &str,
        key: &str,
        cause: TraceId,
    ) -> Result<(), AwsError> {
        let b = super::bucket_arn(bucket);
        let arn = format!("{b}/{key}");
        self.gate(
            who,
            action,
            &arn,
            &b,
            &format!("bucket {bucket}"),
            Some(cause),
        )
    }

    /// SNS delivering from `topic` to a subscribed queue or function: the endpoint's
    /// resource-based policy must let `sns.amazonaws.com` in for this topic.
    pub(super) fn may_deliver(
        &mut self,
        topic: &str,
        endpoint: &crate::core::services::sns::Endpoint,
        cause: TraceId,
    ) -> Result<(), AwsError> {
        use crate::core::services::sns::Endpoint;
        let who = Who::Service {
            principal: "sns.amazonaws.com",
            source_arn: super::topic_arn(topic),
        };
        let (action, arn, target) = match endpoint {
            Endpoint::Sqs(q) => ("sqs:SendMessage", super::queue_arn(q), format!("queue {q}")),
            Endpoint::Lambda(f) => (
                "lambda:InvokeFunction",
                super::function_arn(f),
                format!("function {f}"),
            ),
        };
        self.gate(&who, action, &arn, &arn, &target, Some(cause))
    }

    /// Whether SQS mapping `k`'s function role may read its queue ([`SQS_POLLER_ACTIONS`]).
    pub(super) fn esm_allowed(&mut self, k: usize) -> bool {
        let m = &self.mappings[k];
        let (queue, function) = (m.queue.clone(), m.function.clone());
        let arn = super::queue_arn(&queue);
        let needs = SQS_POLLER_ACTIONS.map(|a| (a, arn.clone()));
        self.poller_allowed(
            &function,
            &format!("queue {queue}"),
            &needs,
            &arn,
            "ESM_DENIED",
        )
    }

    /// Whether stream mapping `k`'s function role may read its table's stream
    /// ([`STREAM_POLLER_ACTIONS`]; ListStreams on `*`).
    pub(super) fn stream_allowed(&mut self, k: usize) -> bool {
        let m = &self.stream_mappings[k];
        let (table, function) = (m.table.clone(), m.function.clone());
        let arn = super::dynamo::stream_arn(&table);
        let needs = STREAM_POLLER_ACTIONS.map(|a| {
            let on = if a == "dynamodb:ListStreams" {
                "*".to_string()
            } else {
                arn.clone()
            };
            (a, on)
        });
        self.poller_allowed(
            &function,
            &format!("table {table}"),
            &needs,
            "",
            "STREAM_DENIED",
        )
    }

    /// Whether `function`'s role may make every call its poller needs on `target`; the first
    /// denial stops the mapping, which the log says under `code`.
    fn poller_allowed(
        &mut self,
        function: &str,
        target: &str,
        needs: &[(&'static str, String)],
        policy_of: &str,
        code: &'static str,
    ) -> bool {
        let who = self.function_who(function);
        for (action, resource) in needs {
            if self
                .gate(&who, action, resource, policy_of, target, None)
                .is_err()
            {
                let all: Vec<&str> = needs.iter().map(|(a, _)| *a).collect();
                self.record(
                    None,
                    &format!("function {function}"),
                    crate::core::sim::TraceKind::Event,
                    code,
                    format!("the mapping from {target} stops: the execution role may not call {action}, which Lambda's poller needs (with {})", all.join(", ")),
                );
                return false;
            }
        }
        true
    }

    /// Authorizes a call before it reaches its service. A denial is traced on `target` (the
    /// resource, as the diagram names it: `table orders`) with the evaluator's reason, kept
    /// in [`super::Flow::denials`], and returned as the service's access-denied error.
    pub(super) fn gate(
        &mut self,
        who: &Who,
        action: &str,
        resource: &str,
        policy_of: &str,
        target: &str,
        cause: Option<TraceId>,
    ) -> Result<(), AwsError> {
        if !self.access.enforced {
            return Ok(());
        }
        // Policies do not change during a run and the context depends only on the caller:
        // one evaluation per (caller, action, resource, policy) decides every later call.
        let key = (
            who.clone(),
            action.to_string(),
            resource.to_string(),
            policy_of.to_string(),
        );
        let decided = match self.decisions.get(&key) {
            Some(d) => d.clone(),
            None => {
                let d = self
                    .access
                    .authorize(who, action, resource, policy_of)
                    .err();
                self.decisions.insert(key, d.clone());
                d
            }
        };
        let Some(mut d) = decided else {
            return Ok(());
        };
        let by = match who {
            Who::Identity(n) => n.to_string(),
            Who::Function { role, function } => format!("role {role} (function {function})"),
            Who::Service { principal, .. } => principal.to_string(),
        };
        // The reason starts with the decision ("ImplicitDeny: no statement …").
        let text = format!("{action} denied to {by}. {}", d.reason);
        let id = self.record(
            cause,
            target,
            crate::core::sim::TraceKind::Event,
            "IAM_DENIED",
            text,
        );
        d.at_ms = self.clock.now_ms();
        d.trace = id;
        let e = denied_error(&d);
        self.denials.push(*d);
        Err(e)
    }
}

#[cfg(test)]
mod tests;
