//! "Show the math": a computed figure together with the steps that produced it.
//!
//! Every calculator returns its figures as [`Figure`]s; the UI renders the value and can
//! expand it into its [`Step`]s. Keeping the steps in the core means they are tested with
//! the numbers they explain.

/// One step of a derivation, e.g. `2^(32 − 24) = 256`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    /// What this step works out ("addresses in the block").
    pub label: String,
    /// The arithmetic, with the inputs substituted ("2^(32 − 24) = 2^8").
    pub formula: String,
    /// The result of the step ("256").
    pub result: String,
}

impl Step {
    pub fn new(
        label: impl Into<String>,
        formula: impl Into<String>,
        result: impl Into<String>,
    ) -> Step {
        Step {
            label: label.into(),
            formula: formula.into(),
            result: result.into(),
        }
    }
}

/// One charge of a bill, with how it was worked out.
#[derive(Clone, Debug, PartialEq)]
pub struct LineItem {
    /// Stable identifier, used in the `data-testid` of the amount.
    pub id: &'static str,
    pub label: &'static str,
    pub amount: f64,
    pub steps: Vec<Step>,
}

/// A value shown to the user, with how it was obtained.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Figure {
    /// Stable identifier, used as the `data-testid` of the value in the UI.
    pub id: &'static str,
    /// Human label ("Usable in AWS").
    pub label: &'static str,
    /// The formatted value ("251").
    pub value: String,
    /// The derivation; empty when the value is read directly from the input.
    pub steps: Vec<Step>,
    /// An optional remark shown beside the value.
    pub note: Option<String>,
    /// A probability in plain words ("0.0031% ≈ 1 in 32,600") shown beside the value; the
    /// UI's test id is `<id>-plain`.
    pub plain: Option<String>,
}

impl Figure {
    pub fn new(id: &'static str, label: &'static str, value: impl Into<String>) -> Figure {
        Figure {
            id,
            label,
            value: value.into(),
            steps: Vec::new(),
            note: None,
            plain: None,
        }
    }

    pub fn step(mut self, step: Step) -> Figure {
        self.steps.push(step);
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Figure {
        self.note = Some(note.into());
        self
    }

    /// Adds the probability `p` in plain words ([`crate::core::format::plain_probability`]).
    pub fn odds(mut self, p: f64) -> Figure {
        self.plain = crate::core::format::plain_probability(p);
        self
    }
}
