//! The trace: every API call, scheduled event and network hop the simulation performs, with
//! its virtual time, who acted, what caused it (another entry), a stable code and a sentence.
//! Diagrams animate it, logs print it, tests assert on it — the `steps::Figure` idea applied
//! to time.

use serde::{Deserialize, Serialize};

/// An entry's position in its trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TraceId(pub u64);

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TraceKind {
    /// An API call (from the console, a script or a service acting for a principal).
    Call,
    /// A scheduled behaviour firing (a timeout ending, a retry, a poll).
    Event,
    /// One step of a packet or message on its way.
    Hop,
}

/// One entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEntry {
    pub id: TraceId,
    /// Virtual time in milliseconds.
    pub at_ms: u64,
    /// The entry that led to this one (the upload that triggered the function …).
    pub cause: Option<TraceId>,
    /// Who acted: a principal's ARN, a service, a resource id.
    pub actor: String,
    pub kind: TraceKind,
    /// A stable code (`SQS_VISIBILITY_TIMEOUT`, `IAM_IMPLICIT_DENY` …) for tests and docs.
    pub code: &'static str,
    /// The explanation, in words.
    pub text: String,
}

/// The entries in the order they happened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    entries: Vec<TraceEntry>,
}

impl Trace {
    pub fn new() -> Trace {
        Trace::default()
    }

    /// Records an entry and returns its id (to name it as a later entry's cause).
    pub fn record(
        &mut self,
        at_ms: u64,
        cause: Option<TraceId>,
        actor: impl Into<String>,
        kind: TraceKind,
        code: &'static str,
        text: impl Into<String>,
    ) -> TraceId {
        // A position always fits in 64 bits.
        let id = TraceId(self.entries.len() as u64);
        self.entries.push(TraceEntry {
            id,
            at_ms,
            cause,
            actor: actor.into(),
            kind,
            code,
            text: text.into(),
        });
        id
    }

    pub fn entries(&self) -> &[TraceEntry] {
        &self.entries
    }

    pub fn get(&self, id: TraceId) -> Option<&TraceEntry> {
        usize::try_from(id.0).ok().and_then(|i| self.entries.get(i))
    }

    /// The chain of causes from an entry back to the one that started it, oldest first:
    /// "why did this happen?".
    pub fn causes(&self, id: TraceId) -> Vec<&TraceEntry> {
        let mut out = vec![];
        let mut at = self.get(id);
        while let Some(e) = at {
            out.push(e);
            // Causes always come earlier; a cause at or after the entry would loop.
            at = e.cause.filter(|c| *c < e.id).and_then(|c| self.get(c));
        }
        out.reverse();
        out
    }

    /// The entries caused directly by `id`.
    pub fn effects(&self, id: TraceId) -> impl Iterator<Item = &TraceEntry> {
        self.entries.iter().filter(move |e| e.cause == Some(id))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn causes_chain_back_to_the_start() {
        let mut t = Trace::new();
        let put = t.record(
            0,
            None,
            "user/alice",
            TraceKind::Call,
            "S3_PUT_OBJECT",
            "PutObject photo.jpg",
        );
        let notify = t.record(
            5,
            Some(put),
            "bucket photos",
            TraceKind::Event,
            "S3_NOTIFICATION",
            "ObjectCreated:Put to labeler",
        );
        let run = t.record(
            9,
            Some(notify),
            "function labeler",
            TraceKind::Call,
            "LAMBDA_INVOKE",
            "Invoke (async)",
        );
        let codes: Vec<_> = t.causes(run).iter().map(|e| e.code).collect();
        assert_eq!(codes, ["S3_PUT_OBJECT", "S3_NOTIFICATION", "LAMBDA_INVOKE"]);
        assert_eq!(t.effects(put).count(), 1);
        assert_eq!(t.entries().len(), 3);
    }
}
