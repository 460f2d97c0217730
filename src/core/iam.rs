//! IAM: policy documents, the request context, and the evaluation of a request against
//! every policy layer, with the reason; the #/iam page's state and scenario library.
//!
//! * [`policy`]: parse a policy document (identity, resource, boundary, session, SCP, RCP);
//! * [`matching`]: actions, resources, ARNs, policy variables;
//! * [`condition`]: condition operators and how a clause is decided;
//! * [`lint`]: Access Analyzer-style checks with their finding types and issue codes;
//! * [`eval`]: the request, the layers, the decision (Allow, ExplicitDeny, ImplicitDeny) and
//!   a trace of every statement;
//! * [`caller`]: a caller as the page describes it (user, role session, service …), the
//!   context keys derived from it, and the request context as typed;
//! * [`state`]: the page's state, each editor's report, the layer-by-layer summary;
//! * [`scenarios`]: the course's and the IAM User Guide's examples, ready to load.
//!
//! Oracle cases from the IAM User Guide's examples live in `tests/oracles/iam/*.json` and
//! run in `tests/iam_oracles.rs`.

pub mod account;
pub mod caller;
pub mod condition;
pub mod eval;
pub mod lint;
pub mod matching;
pub mod policy;
pub mod scenarios;
pub mod state;

pub use eval::{
    evaluate, Context, Decision, Evaluation, Layers, Named, Principal, Request, ResourceKind,
};
pub use policy::{parse, Policy, PolicyError};
