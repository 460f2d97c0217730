//! One simulated AWS account (../shared/DESIGN-simulation.md): the state of every modelled
//! service and the one dispatcher every API call goes through. [`Account::call`] authorizes
//! the caller with the IAM evaluator, routes the request to its service, and records the
//! call and its outcome in the trace, so a refusal or a denial can be explained later.
//!
//! Services so far: EC2's network (the VPC model; in AWS the VPC API is part of EC2). The
//! flow simulator's services join as fields here and variants of [`Request`]. Tool pages are
//! views of an account: a sandbox saves one account ([`Saved`], its `account` field) and
//! each tool's view of it; the VPC page builds an account around the network it shows for
//! each edit.

use crate::core::iam::{self, Decision, Layers, Named, Principal};
use crate::core::services::ec2::compute;
use crate::core::services::ec2::network::edit::{apply, Edit};
use crate::core::services::ec2::network::Network;
use crate::core::sim::{Arn, AwsError, Doc, Trace, TraceKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The account ID every sandbox's account has: the one AWS's documentation uses in its
/// examples, so ARNs a student copies from the docs name this account.
pub const SANDBOX_ACCOUNT: &str = "111122223333";
/// The Region a sandbox's account works in.
pub const SANDBOX_REGION: &str = "us-east-1";

/// Who calls: the account's root user (not limited by identity-based policies, as in AWS), or
/// an IAM principal, authorized by the policies attached to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    Root,
    Principal(Principal),
}

impl Caller {
    /// The ARN the trace names the caller by.
    pub fn arn(&self, account: &str) -> String {
        match self {
            Caller::Root => Arn::root(account).to_string(),
            Caller::Principal(Principal::User { arn })
            | Caller::Principal(Principal::FederatedUser { arn }) => arn.clone(),
            Caller::Principal(Principal::RoleSession { session_arn, .. }) => session_arn.clone(),
            Caller::Principal(Principal::Service { name }) => name.clone(),
            Caller::Principal(Principal::WebIdentity { provider }) => provider.clone(),
            Caller::Principal(Principal::Anonymous) => "anonymous".into(),
        }
    }
}

/// An API request, by service.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// An EC2 call on the network (VPCs, subnets, gateways, groups …). Calls on instances as
    /// machines go through [`Account::call_instances`] (kept apart so that a page that only
    /// edits the network does not carry the instance model in its wasm module).
    Ec2(Edit),
}

impl Request {
    /// The service's IAM prefix (`ec2`).
    pub fn service(&self) -> &'static str {
        match self {
            Request::Ec2(_) => "ec2",
        }
    }

    /// The API operation (`CreateSubnet`).
    pub fn operation(&self) -> &'static str {
        match self {
            Request::Ec2(e) => e.operation(),
        }
    }

    /// The ARN of the resource the call acts on (`*` when it is authorized on every
    /// resource).
    pub fn resource_arn(&self, region: &str, account: &str) -> String {
        match self {
            Request::Ec2(e) => e
                .resource_id()
                .and_then(|id| {
                    let kind = crate::core::services::ec2::network::id_kind(id)?;
                    let resource = format!("{}/{id}", kind.arn_type);
                    Some(Arn::new("ec2", region, account, &resource).to_string())
                })
                .unwrap_or_else(|| "*".into()),
        }
    }

    /// The IAM action the call needs (`ec2:CreateSubnet`).
    pub fn action(&self) -> String {
        format!("{}:{}", self.service(), self.operation())
    }
}

/// A successful call's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// The EC2 request was applied.
    Ec2Applied,
    /// The call's response document, as the AWS CLI prints it.
    Doc(Doc),
}

/// What a sandbox saves of its account: each service's state under its IAM prefix. A
/// service the account has not used is absent. Services join as fields; `deny_unknown_fields`
/// makes a document from a newer Stratus fail with a message instead of losing data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saved {
    /// EC2's network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ec2: Option<Network>,
    /// The serverless resources (S3, SQS, SNS, Lambda, DynamoDB, API Gateway and the roles
    /// and users they run as), as a flow scenario's definitions
    /// (`views::flow::scenario::Scenario::definitions`). Kept as JSON here: only the
    /// modules that show them (the flow page, the console) link their reader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serverless: Option<serde_json::Value>,
}

/// The services of a saved account and their JSON kinds.
const SAVED_SHAPE: crate::core::share::Shape = &[
    ("ec2", crate::core::share::Kind::ObjectOrNull),
    ("serverless", crate::core::share::Kind::ObjectOrNull),
];

impl Saved {
    /// Checks a saved account document (a sandbox's `account` field; `null` when absent).
    pub fn check(doc: &serde_json::Value) -> Result<(), String> {
        if doc.is_null() {
            return Ok(());
        }
        if !doc.is_object() {
            return Err("expected an object of services".into());
        }
        // By shape, as the tools' states are (`share::check_shape`): the network's reader
        // stays in the modules that show it, which report a damaged one when they open it.
        crate::core::share::check_shape(doc, SAVED_SHAPE, true)
    }
}

/// Trace codes of the dispatcher.
pub const CALL_OK: &str = "API_CALL";
pub const CALL_REFUSED: &str = "API_ERROR";
pub const CALL_DENIED: &str = "IAM_DENIED";

/// The account.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    /// The 12-digit account ID.
    pub id: String,
    /// The Region calls are made in (`us-east-1`).
    pub region: String,
    /// EC2's network: VPCs, subnets, gateways, filters, instances and their interfaces.
    pub ec2: Network,
    /// Identity-based policies attached to IAM principals, by the user's or role's ARN.
    pub policies: BTreeMap<String, Vec<Named>>,
    /// Permissions boundaries of IAM principals, by the user's or role's ARN: the most their
    /// identity-based policies can grant (IAM User Guide, "Permissions boundaries").
    pub boundaries: BTreeMap<String, Named>,
    /// Every call and its outcome.
    pub trace: Trace,
    /// Virtual time of the next call, in milliseconds (calls are instantaneous here; the
    /// flow simulator's clock will drive it).
    pub now_ms: u64,
}

impl Account {
    /// An account holding `network`, with no IAM principals yet.
    pub fn new(id: &str, region: &str, network: Network) -> Account {
        Account {
            id: id.into(),
            region: region.into(),
            ec2: network,
            policies: BTreeMap::new(),
            boundaries: BTreeMap::new(),
            trace: Trace::new(),
            now_ms: 0,
        }
    }

    /// Attaches an identity-based policy to a user or role (by its ARN).
    pub fn attach(&mut self, principal_arn: &str, policy: Named) {
        self.policies
            .entry(principal_arn.to_string())
            .or_default()
            .push(policy);
    }

    /// The one entrance for API calls: authorize, route, record. A denial is EC2's
    /// `UnauthorizedOperation` (HTTP 403) with the evaluator's reason; a refusal is the
    /// service's own error. Either way the state is unchanged and the trace says why.
    pub fn call(&mut self, caller: &Caller, req: Request) -> Result<Response, AwsError> {
        let resources = [req.resource_arn(&self.region, &self.id)];
        self.dispatch(
            caller,
            req.operation(),
            &req.action(),
            &resources,
            |a| match &req {
                Request::Ec2(edit) => match apply(&a.ec2, edit) {
                    Ok(n) => {
                        a.ec2 = n;
                        Ok(Response::Ec2Applied)
                    }
                    Err(r) => Err(r.error()),
                },
            },
        )
    }

    /// A call on instances as machines (RunInstances, StopInstances, DescribeInstances …):
    /// authorized on each instance it names (`*` for the rest, as EC2 authorizes Describe*
    /// and RunInstances here), run at the account's time, recorded. Answers the response
    /// document the AWS CLI prints.
    pub fn call_instances(&mut self, caller: &Caller, c: &compute::Call) -> Result<Doc, AwsError> {
        let resources = self.instance_resources(c);
        let action = format!("ec2:{}", c.operation());
        let r = self.dispatch(caller, c.operation(), &action, &resources, |a| {
            let (id, now) = (a.id.clone(), a.now_ms);
            compute::call(&mut a.ec2, now, &id, c).map(Response::Doc)
        })?;
        Ok(match r {
            Response::Doc(d) => d,
            Response::Ec2Applied => Doc::Map(vec![]),
        })
    }

    /// The ARNs an instance call is authorized on: each instance it names, or `*`.
    pub fn instance_resources(&self, c: &compute::Call) -> Vec<String> {
        let ids = c.instances();
        if ids.is_empty() {
            return vec!["*".into()];
        }
        ids.iter()
            .map(|id| {
                Arn::new("ec2", &self.region, &self.id, &format!("instance/{id}")).to_string()
            })
            .collect()
    }

    /// Authorize `action` on every resource, run `apply`, record the outcome.
    fn dispatch(
        &mut self,
        caller: &Caller,
        operation: &str,
        action: &str,
        resources: &[String],
        apply: impl FnOnce(&mut Account) -> Result<Response, AwsError>,
    ) -> Result<Response, AwsError> {
        let actor = caller.arn(&self.id);
        if let Caller::Principal(p) = caller {
            if let Some(e) = resources
                .iter()
                .find_map(|r| self.authorize_action(p, action, r).err())
            {
                self.trace.record(
                    self.now_ms,
                    None,
                    actor,
                    TraceKind::Call,
                    CALL_DENIED,
                    e.cli(operation),
                );
                return Err(e);
            }
        }
        let result = apply(self);
        let (code, text) = match &result {
            Ok(_) => (CALL_OK, format!("{operation} succeeded.")),
            Err(e) => (CALL_REFUSED, e.cli(operation)),
        };
        self.trace
            .record(self.now_ms, None, actor, TraceKind::Call, code, text);
        result
    }

    /// Evaluates `p`'s identity-based policies for `action` (`ec2:StartInstances`) on
    /// `resource` (an ARN or `*`); a denial is EC2's `UnauthorizedOperation` (HTTP 403) with
    /// the evaluator's reason.
    pub fn authorize_action(
        &self,
        p: &Principal,
        action: &str,
        resource: &str,
    ) -> Result<(), AwsError> {
        let key = match p {
            Principal::User { arn } | Principal::FederatedUser { arn } => arn.clone(),
            Principal::RoleSession { role_arn, .. } => role_arn.clone(),
            _ => String::new(),
        };
        let layers = Layers {
            identity: self.policies.get(&key).cloned().unwrap_or_default(),
            boundary: self.boundaries.get(&key).cloned(),
            ..Default::default()
        };
        let request = iam::Request {
            principal: p.clone(),
            action: action.to_string(),
            resource: resource.to_string(),
            resource_account: Some(self.id.clone()),
            context: iam::Context::default(),
        };
        let e = iam::evaluate(&request, &layers);
        if e.decision == Decision::Allow {
            Ok(())
        } else {
            Err(AwsError::new(
                "UnauthorizedOperation",
                403,
                format!(
                    "You are not authorized to perform this operation. {}",
                    e.reason
                ),
            ))
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::ec2::network::templates;
    use crate::core::services::ec2::network::Net;

    fn subnet(cidr: &str) -> Request {
        Request::Ec2(Edit::CreateSubnet {
            name: "b".into(),
            vpc: "vpc-main".into(),
            az: "us-east-1b".into(),
            cidr: Net::parse(cidr).unwrap(),
        })
    }

    #[test]
    fn root_calls_apply_and_refusals_keep_the_state() {
        let mut a = Account::new("111122223333", "us-east-1", templates::single_web_server());
        let before = a.ec2.subnets.len();
        assert_eq!(
            a.call(&Caller::Root, subnet("10.0.2.0/24")),
            Ok(Response::Ec2Applied)
        );
        assert_eq!(a.ec2.subnets.len(), before + 1);
        let e = a.call(&Caller::Root, subnet("10.0.2.0/25")).unwrap_err();
        assert_eq!(e.code, "InvalidSubnet.Conflict");
        assert_eq!(a.ec2.subnets.len(), before + 1);
        let codes: Vec<_> = a.trace.entries().iter().map(|t| t.code).collect();
        assert_eq!(codes, [CALL_OK, CALL_REFUSED]);
        assert!(a.trace.entries()[1].text.starts_with(
            "An error occurred (InvalidSubnet.Conflict) when calling the CreateSubnet operation:"
        ));
        assert_eq!(a.trace.entries()[0].actor, "arn:aws:iam::111122223333:root");
    }

    #[test]
    fn iam_principals_need_an_allow() {
        let mut a = Account::new("111122223333", "us-east-1", templates::single_web_server());
        let alice = Caller::Principal(Principal::User {
            arn: "arn:aws:iam::111122223333:user/alice".into(),
        });
        let e = a.call(&alice, subnet("10.0.2.0/24")).unwrap_err();
        assert_eq!((e.code, e.status), ("UnauthorizedOperation", 403));
        assert!(e.message.contains("ImplicitDeny"), "{}", e.message);
        assert_eq!(a.trace.entries()[0].code, CALL_DENIED);
        a.attach(
            "arn:aws:iam::111122223333:user/alice",
            Named {
                name: "NetworkAdmin".into(),
                policy: iam::parse(
                    r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:Create*", "Resource": "*"}]}"#,
                )
                .unwrap(),
            },
        );
        assert_eq!(
            a.call(&alice, subnet("10.0.2.0/24")),
            Ok(Response::Ec2Applied)
        );
        // Resource-level permissions: deleting subnet-1 only.
        a.attach(
            "arn:aws:iam::111122223333:user/alice",
            Named {
                name: "DeleteOneSubnet".into(),
                policy: iam::parse(
                    r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:DeleteSubnet", "Resource": "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-2"}]}"#,
                )
                .unwrap(),
            },
        );
        let other = Request::Ec2(Edit::delete("subnet-public-a").unwrap());
        assert_eq!(
            other.resource_arn("us-east-1", "111122223333"),
            "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-public-a"
        );
        let e = a.call(&alice, other).unwrap_err();
        assert_eq!(e.code, "UnauthorizedOperation");
        // ec2:DeleteSubnet on subnet-1 is not allowed either.
        let del = Request::Ec2(Edit::delete("subnet-1").unwrap());
        assert_eq!(del.action(), "ec2:DeleteSubnet");
        assert_eq!(
            a.call(&alice, del).unwrap_err().code,
            "UnauthorizedOperation"
        );
    }
}
