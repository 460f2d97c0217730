//! The flow page's state, for share links and sandboxes: the template (or an edited
//! scenario), the moment shown, failures injected into functions, the selected resource.

use super::scenario::{Definitions, Scenario};
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
    /// The resources the scenario runs on, as the sandbox's account keeps them (its
    /// `serverless` part, which the console shares: `sandbox::AccountView`). Only in the
    /// form a sandbox saves ([`FlowState::saved`]); [`from_query`] folds it into
    /// `scenario`, so the page never sees it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<Definitions>,
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
            resources: None,
            time_ms: 0,
            injections: BTreeMap::new(),
            selected: String::new(),
        }
    }
}

impl FlowState {
    /// The scenario as built: the edited one or the template's, on the account's resources
    /// when the state carries them.
    pub fn base(&self) -> Scenario {
        let base = self
            .scenario
            .clone()
            .unwrap_or_else(|| templates::scenario(&self.template));
        match &self.resources {
            Some(defs) => base.with_definitions(defs),
            None => base,
        }
    }

    /// The state as a sandbox saves it: the resources always given (the account's
    /// `serverless` part, so the console finds them even while they are the template's).
    /// An edited scenario keeps its own copy of them too: the account's win when the page
    /// opens, and the copy stands in when the account has none (another tool's undo took
    /// its part out).
    pub fn saved(&self) -> FlowState {
        FlowState {
            resources: Some(self.base().definitions()),
            ..self.clone()
        }
    }

    /// The scenario as run: the template's or the edited one, with the injected failures.
    pub fn scenario(&self) -> Scenario {
        let mut s = self.base();
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
        ("resources", Kind::ObjectOrNull),
        ("injections", Kind::Object),
    ]
};

pub fn to_query(s: &FlowState) -> String {
    crate::core::share::to_query(s, VERSION)
}

pub fn from_query(q: &str) -> Result<FlowState, String> {
    let mut s: FlowState = crate::core::share::from_query(q, UPGRADES)?;
    // The account's resources (a sandbox's state): the scenario runs on them, and stays
    // the template's (a short link) while they are the template's.
    if s.resources.is_some() {
        let full = s.base();
        s.resources = None;
        s.scenario = (full != templates::scenario(&s.template)).then_some(full);
    }
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
        assert!(check(&serde_json::to_value(s.saved()).unwrap()).is_ok());
        assert!(check(&odd).is_ok());
        let q = crate::core::share::value_to_query(VERSION, &odd);
        assert!(from_query(&q).unwrap_err().contains("explode"));
    }

    #[test]
    fn a_sandbox_keeps_the_resources_in_the_account_and_the_script_in_the_tool() {
        // The template's resources are saved explicitly, and read back as the template.
        let t = FlowState {
            template: "dlq".into(),
            ..Default::default()
        };
        let saved = t.saved();
        assert_eq!(
            saved.resources,
            Some(templates::scenario("dlq").definitions())
        );
        assert_eq!(saved.scenario, None);
        assert_eq!(from_query(&to_query(&saved)).unwrap(), t);
        // An edited scenario: the script stays with the tool, the resources go to the account.
        let mut edited = templates::scenario("dlq");
        edited.horizon_ms = 99_000;
        edited.topics.clear();
        let e = FlowState {
            template: "dlq".into(),
            scenario: Some(edited.clone()),
            ..Default::default()
        };
        let saved = e.saved();
        assert_eq!(saved.scenario, Some(edited.clone()));
        assert_eq!(saved.resources, Some(edited.definitions()));
        assert_eq!(from_query(&to_query(&saved)).unwrap(), e);
        // Through a sandbox: the account holds the part, the tool the rest.
        let mut sb = crate::core::sandbox::Sandbox::new("sb-f".into(), "F", 0);
        assert!(sb.set_tool_query("flow", &to_query(&saved)));
        assert!(sb.tools["flow"].state.get("resources").is_none());
        assert_eq!(
            sb.account["serverless"],
            serde_json::to_value(edited.definitions()).unwrap()
        );
        assert_eq!(from_query(&sb.tool_query("flow")).unwrap(), e);
        // Another tool (the console) changed the account: the script runs on its resources.
        let mut other = edited.definitions();
        other.queues.push(super::super::scenario::QueueSpec {
            name: "made-in-the-console".into(),
            attributes: Default::default(),
            policy: None,
        });
        sb.account["serverless"] = serde_json::to_value(&other).unwrap();
        let opened = from_query(&sb.tool_query("flow")).unwrap();
        let sc = opened.scenario.unwrap();
        assert_eq!(sc.definitions(), other);
        assert_eq!(sc.actions, edited.actions);
        // Without the account's part (another tool's undo took it out), the page's own
        // copy stands in.
        let account = sb.account.clone();
        sb.account = serde_json::Value::Null;
        assert_eq!(from_query(&sb.tool_query("flow")).unwrap(), e);
        sb.account = account;
        // A flow page never opened in the sandbox opens the account's resources on the
        // default template's script.
        sb.tools.clear();
        let fresh = from_query(&sb.tool_query("flow")).unwrap();
        assert_eq!(fresh.template, "photo");
        assert_eq!(fresh.scenario.unwrap().definitions(), other);
    }
}
