//! IAM: policy documents, the request context, and the evaluation of a request against
//! every policy layer, with the reason (issue 13; work in progress: the evaluator core).
//!
//! * [`policy`]: parse a policy document (identity, resource, boundary, session, SCP, RCP);
//! * [`matching`]: actions, resources, ARNs, policy variables;
//! * [`condition`]: condition operators and how a clause is decided;
//! * [`lint`]: Access Analyzer-style checks with their finding types and issue codes;
//! * [`eval`]: the request, the layers, the decision (Allow, ExplicitDeny, ImplicitDeny) and
//!   a trace of every statement.
//!
//! Oracle cases from the IAM User Guide's examples live in `tests/oracles/iam/*.json` and
//! run in `tests/iam_oracles.rs`.

pub mod condition;
pub mod eval;
pub mod lint;
pub mod matching;
pub mod policy;

pub use eval::{
    evaluate, Context, Decision, Evaluation, Layers, Named, Principal, Request, ResourceKind,
};
pub use policy::{parse, Policy, PolicyError};
