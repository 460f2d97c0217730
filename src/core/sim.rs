//! The simulation kernel every service model runs on (../shared/DESIGN-simulation.md): a
//! virtual clock with an event queue, seeded random numbers, AWS's error shape and the
//! trace of calls and events with their causes. It knows no service.
//!
//! * [`clock`]: virtual time in milliseconds and the queue of scheduled events, popped in
//!   time order (ties in the order they were scheduled): same script, same run;
//! * [`rng`]: SplitMix64, seeded; no OS randomness anywhere;
//! * [`error`]: `AwsError` with AWS's code, HTTP status and message, rendered as the AWS CLI
//!   prints it;
//! * [`trace`]: every call, event and hop with its time, actor, cause, stable code and text;
//! * [`arn`]: ARNs, formatted and read in one place;
//! * [`doc`]: response documents with ordered members, as the AWS CLI prints them.

pub mod arn;
pub mod clock;
pub mod doc;
pub mod error;
pub mod rng;
pub mod sigv4;
pub mod trace;

pub use arn::Arn;
pub use clock::{Clock, EventId};
pub use doc::Doc;
pub use error::AwsError;
pub use rng::Rng;
pub use trace::{Trace, TraceEntry, TraceId, TraceKind};
