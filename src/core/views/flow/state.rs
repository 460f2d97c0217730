//! The flow page's state, for share links and sandboxes: the template (or an edited
//! scenario), the moment shown, failures injected into functions, the selected resource.

use super::scenario::Scenario;
use super::templates;
use crate::core::services::lambda::{Step, When};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How states of older formats become today's: 1 → 2 marks an edited scenario (made before
/// IAM was enforced) with `grant_pending`, and [`from_query`] gives it least-privilege roles
/// and resource policies for what it already does, so it runs as it did. The upgrade itself
/// only edits JSON: every module links the sandbox's upgrades, and the typed scenario (with
/// the grants) belongs to the flow page's module alone.
pub const UPGRADES: &[crate::core::share::Upgrade] = &[mark_for_grants];

fn mark_for_grants(mut state: serde_json::Value) -> Result<serde_json::Value, String> {
    if let Some(o) = state.get_mut("scenario").and_then(|v| v.as_object_mut()) {
        o.insert("grant_pending".into(), serde_json::Value::Bool(true));
    }
    Ok(state)
}

pub const VERSION: u32 = 1 + UPGRADES.len() as u32;

/// A failure injected into a function, on top of its handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Injection {
    /// Every run throws.
    Fail,
    /// Every run takes 5 s longer (past a short timeout).
    Slow,
    /// Reserved concurrency 0: every invocation is throttled.
    Throttle,
}

impl Injection {
    pub const ALL: [Injection; 3] = [Injection::Fail, Injection::Slow, Injection::Throttle];

    pub fn id(self) -> &'static str {
        match self {
            Injection::Fail => "fail",
            Injection::Slow => "slow",
            Injection::Throttle => "throttle",
        }
    }

    pub fn from_id(id: &str) -> Option<Injection> {
        Injection::ALL.into_iter().find(|i| i.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Injection::Fail => "fails on every run",
            Injection::Slow => "runs 5 s slower",
            Injection::Throttle => "is throttled (reserved concurrency 0)",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlowState {
    pub template: String,
    /// The scenario when edited; `None` while it is the template's (short links).
    pub scenario: Option<Scenario>,
    /// The moment shown, ms from the start.
    pub time_ms: u64,
    pub injections: BTreeMap<String, Injection>,
    pub selected: String,
}

impl Default for FlowState {
    fn default() -> Self {
        FlowState {
            template: "photo".into(),
            scenario: None,
            time_ms: 0,
            injections: BTreeMap::new(),
            selected: String::new(),
        }
    }
}

impl FlowState {
    /// The scenario as run: the template's or the edited one, with the injected failures.
    pub fn scenario(&self) -> Scenario {
        let mut s = self
            .scenario
            .clone()
            .unwrap_or_else(|| templates::scenario(&self.template));
        // An injected failure plays out in retries and visibility timeouts: run long enough
        // to see them (async retries end about 3 minutes after the first attempt).
        if !self.injections.is_empty() {
            s.horizon_ms = s.horizon_ms.max(240_000);
        }
        for f in &mut s.functions {
            match self.injections.get(&f.name) {
                Some(Injection::Fail) => f.handler.steps.insert(
                    0,
                    Step::Fail {
                        when: When::Always,
                        error_type: "InjectedFailure".into(),
                        message: "failure injected from the page".into(),
                    },
                ),
                Some(Injection::Slow) => f.handler.steps.insert(0, Step::Run { ms: 5_000 }),
                Some(Injection::Throttle) => f.reserved_concurrency = Some(0),
                None => {}
            }
        }
        s
    }
}

/// The flow state's fields (`sandbox::Slot::shape`). Every module links the sandbox's
/// checks, and the scenario's full deserializer (every service's types) would add ~37 KB
/// gzip to each; the flow page reads the state fully when it opens it, and a damaged
/// scenario or an unknown injection is refused there with its reason.
pub const SHAPE: crate::core::share::Shape = {
    use crate::core::share::Kind;
    &[
        ("template", Kind::Text),
        ("selected", Kind::Text),
        ("time_ms", Kind::Whole),
        ("scenario", Kind::ObjectOrNull),
        ("injections", Kind::Object),
    ]
};

pub fn to_query(s: &FlowState) -> String {
    crate::core::share::to_query(s, VERSION)
}

pub fn from_query(q: &str) -> Result<FlowState, String> {
    let mut s: FlowState = crate::core::share::from_query(q, UPGRADES)?;
    if let Some(sc) = s.scenario.as_mut().filter(|sc| sc.grant_pending) {
        super::grants::least_privilege(sc);
        sc.grant_pending = false;
    }
    Ok(s)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn injections_change_the_run_and_links_round_trip() {
        let mut s = FlowState {
            template: "fanout".into(),
            ..Default::default()
        };
        let calm = s.scenario().run().unwrap();
        assert_eq!(calm.counters["billing-worker"].errors, 0);
        s.injections
            .insert("billing-worker".into(), Injection::Fail);
        let failing = s.scenario().run().unwrap();
        assert!(failing.counters["billing-worker"].errors > 0);
        s.injections
            .insert("shipping-worker".into(), Injection::Throttle);
        let throttled = s.scenario().run().unwrap();
        assert_eq!(
            throttled
                .counters
                .get("shipping-worker")
                .map(|c| c.invocations)
                .unwrap_or(0),
            0
        );
        s.time_ms = 12_345;
        s.selected = "queue billing".into();
        assert_eq!(from_query(&to_query(&s)).unwrap(), s);
        assert_eq!(to_query(&FlowState::default()), "");
        // The sandbox's shape check takes what the page writes and refuses damaged shapes;
        // an unknown injection has the right shape and is refused by the page's reader.
        let check = |v: &serde_json::Value| crate::core::share::check_shape(v, SHAPE, false);
        let good = serde_json::to_value(&s).unwrap();
        assert!(check(&good).is_ok());
        for bad in [
            serde_json::json!([]),
            serde_json::json!({"time_ms": -1}),
            serde_json::json!({"scenario": 3}),
        ] {
            assert!(check(&bad).is_err(), "{bad}");
        }
        let odd = serde_json::json!({"injections": {"f": "explode"}});
        assert!(check(&odd).is_ok());
        let q = crate::core::share::value_to_query(VERSION, &odd);
        assert!(from_query(&q).unwrap_err().contains("explode"));
    }
}
