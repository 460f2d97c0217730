//! The sandbox document: a named workspace holding every tool's state.
//!
//! A sandbox is one serializable value with a schema version. Each tool's state is kept as
//! the JSON object of its non-default fields plus the tool's own format version — the same
//! data its share link carries (`core::share`) — so a tool joins sandboxes by registering a
//! [`Slot`] on its registry entry (`core::tools`); the persistence code never changes for it.
//!
//! A sandbox also saves its simulated account (`account::Saved`, ../shared/DESIGN-simulation.md:
//! one account per sandbox). A tool that views part of the account (the VPC builder shows
//! EC2's network) registers an [`AccountView`]: its share link carries that part, the
//! sandbox keeps it in the account, and [`Sandbox::tool_query`] / [`Sandbox::set_tool_query`]
//! move it between the two.
//!
//! Documents from older schemas are migrated step by step ([`MIGRATIONS`]), and a tool's
//! state of an older format by its slot's upgrades; fixtures of each version live in
//! `tests/fixtures/sandbox/` and are loaded by the tests. Documents from a newer schema are
//! refused with a message, never guessed at.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The schema this build writes.
pub const SCHEMA: u32 = 3;
/// The largest file an import accepts.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// Longest sandbox name.
pub const MAX_NAME_CHARS: usize = 80;

/// One tool's saved state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolState {
    /// The tool's own state format version (its share-link `v`).
    pub version: u32,
    /// The fields that differ from the tool's defaults.
    pub state: Value,
}

/// A sandbox. Timestamps are milliseconds since the Unix epoch, supplied by the caller
/// (the core has no clock).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sandbox {
    pub schema: u32,
    pub id: String,
    pub name: String,
    pub created: u64,
    pub updated: u64,
    pub opened: u64,
    /// Increases with every save; two tabs compare it to detect each other's writes.
    pub revision: u64,
    pub tools: BTreeMap<String, ToolState>,
    /// The sandbox's simulated account as `account::Saved` JSON; `null` until a tool
    /// creates resources in it.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub account: Value,
}

impl Sandbox {
    pub fn new(id: String, name: &str, now: u64) -> Sandbox {
        Sandbox {
            schema: SCHEMA,
            id,
            name: clean_name(name).unwrap_or_else(|_| "Untitled sandbox".into()),
            created: now,
            updated: now,
            opened: now,
            revision: 0,
            tools: BTreeMap::new(),
            account: Value::Null,
        }
    }

    /// A tool's state as a share-link query (`v=…&s=…`), "" when it has none; a tool that
    /// shows part of the account gets that part back in its query.
    pub fn tool_query(&self, tool: &str) -> String {
        let Some(slot) = slot(tool) else {
            return String::new();
        };
        let parts: Vec<(AccountView, &Value)> = slot
            .account
            .iter()
            .filter_map(|v| Some((*v, self.account.get(v.key)?)))
            .collect();
        let (version, mut state) = match self.tools.get(tool) {
            Some(t) => (t.version, t.state.clone()),
            // A tool not opened yet in this sandbox still shows the account's parts (the
            // console opens on the network the VPC builder edited, and the other way round).
            None if !parts.is_empty() => (slot.version, Value::Object(Default::default())),
            None => return String::new(),
        };
        for (view, part) in parts {
            view.join(&mut state, part);
        }
        crate::core::share::value_to_query(version, &state)
    }

    /// Stores a tool's state given as its query (an older format is upgraded first; the
    /// part of the account it carries goes to the account); returns whether anything
    /// changed.
    pub fn set_tool_query(&mut self, tool: &str, query: &str) -> bool {
        let slot = slot(tool);
        let mut new = crate::core::share::query_to_value(query)
            .map(|(version, state)| ToolState { version, state });
        if let (Some(t), Some(slot)) = (new.as_mut(), slot) {
            if t.version < slot.version {
                if let Ok(state) =
                    crate::core::share::upgrade(t.version, t.state.clone(), slot.upgrades)
                {
                    *t = ToolState {
                        version: slot.version,
                        state,
                    };
                }
            }
        }
        let views = slot.map_or(&[][..], |s| s.account);
        // The tool's parts of the account: what its link carries, or nothing saved (a tool
        // at its defaults, or one showing a starting design it can rebuild; an undo back
        // to before a change takes the change out of the account too).
        let parts: Vec<(AccountView, Option<Value>)> = views
            .iter()
            .map(|v| (*v, new.as_mut().and_then(|t| v.split(&mut t.state))))
            .collect();
        if self.tools.get(tool) == new.as_ref()
            && parts
                .iter()
                .all(|(v, part)| self.account.get(v.key) == part.as_ref())
        {
            return false;
        }
        for (view, part) in parts {
            set_part(&mut self.account, view.key, part);
        }
        self.put_tool(tool, new);
        true
    }

    /// Replaces (with `None` removes) a part of the account directly, for a tool that edits
    /// a part its link state does not carry (the IAM page saves a role's policies into
    /// `serverless`); the tools that show the part see the change when they next open.
    /// Returns whether anything changed.
    pub fn set_account_part(&mut self, key: &str, part: Option<Value>) -> bool {
        if self.account.get(key) == part.as_ref() {
            return false;
        }
        set_part(&mut self.account, key, part);
        true
    }

    fn put_tool(&mut self, tool: &str, state: Option<ToolState>) {
        match state {
            Some(t) => self.tools.insert(tool.to_string(), t),
            None => self.tools.remove(tool),
        };
    }

    /// A copy with a new identity.
    pub fn duplicate(&self, id: String, now: u64) -> Sandbox {
        let mut name = format!("{} (copy)", self.name);
        if name.chars().count() > MAX_NAME_CHARS {
            name = name.chars().take(MAX_NAME_CHARS).collect();
        }
        Sandbox {
            id,
            name,
            created: now,
            updated: now,
            opened: now,
            revision: 0,
            ..self.clone()
        }
    }
}

/// Trims a name and checks it is usable.
pub fn clean_name(name: &str) -> Result<String, String> {
    let n: String = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if n.is_empty() {
        Err("A sandbox needs a name.".into())
    } else if n.chars().count() > MAX_NAME_CHARS {
        Err(format!("Names are at most {MAX_NAME_CHARS} characters."))
    } else {
        Ok(n)
    }
}

/// How sandboxes hold a tool's state: its format version, a check of a stored state's
/// shape (`share::check_shape`: its fields' kinds, not its content, which the tool reads
/// when it opens; so no module links another tool's reader), the upgrades from older formats and, for a tool that shows part of the account,
/// its [`AccountView`]. Each tool's entry in the registry (`core::tools`) carries its slot:
/// sandboxes know no tool by name.
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    pub version: u32,
    /// The state's top-level fields and their JSON kinds (`share::check_shape`).
    pub shape: crate::core::share::Shape,
    /// The state refuses unknown fields (`deny_unknown_fields`): so does its check.
    pub closed: bool,
    /// `upgrades[n - 1]` turns format `n` into `n + 1` (`version == 1 + upgrades.len()`).
    pub upgrades: &'static [crate::core::share::Upgrade],
    /// The parts of the account the tool shows (none for most tools).
    pub account: &'static [AccountView],
}

/// How a tool's link state and the sandbox's account share a part: one field of the
/// state (the VPC builder's `network`, the console's `account`) is kept in the account
/// under `key` (`ec2`), so every tool that shows that part shows the same one. A link state
/// without the field (or with `null`) carries no part. The parts: `ec2` (the network, shown
/// by the VPC builder and the console) and `serverless` (the buckets, queues, topics,
/// functions, tables, APIs, roles and users as a flow scenario defines them, shown by the
/// flow page and the console).
#[derive(Clone, Copy, Debug)]
pub struct AccountView {
    /// The account document's field that holds the part (`ec2`).
    pub key: &'static str,
    /// The tool state's field that carries it.
    pub field: &'static str,
}

impl AccountView {
    /// Takes the part out of a link state (a JSON object).
    pub fn split(self, state: &mut Value) -> Option<Value> {
        state
            .as_object_mut()?
            .remove(self.field)
            .filter(|n| !n.is_null())
    }

    /// Puts a part back into a link state.
    pub fn join(self, state: &mut Value, part: &Value) {
        if let Some(obj) = state.as_object_mut() {
            obj.insert(self.field.into(), part.clone());
        }
    }
}

/// Sets (or with `None` removes) a part of an account document.
fn set_part(account: &mut Value, key: &str, part: Option<Value>) {
    match part {
        Some(p) => {
            if !account.is_object() {
                *account = Value::Object(Default::default());
            }
            account[key] = p;
        }
        None => {
            if let Some(m) = account.as_object_mut() {
                m.remove(key);
                if m.is_empty() {
                    *account = Value::Null;
                }
            }
        }
    }
}

/// The slot of a tool, by id.
fn slot(tool: &str) -> Option<Slot> {
    crate::core::tools::by_id(tool).and_then(|t| t.state)
}

// Function addresses are not stable enough to compare: slots compare by format version
// (registry entries are told apart by their ids anyway).
impl PartialEq for Slot {
    fn eq(&self, other: &Slot) -> bool {
        self.version == other.version
    }
}

impl Eq for Slot {}

/// Upgrades a document of schema `n` to `n + 1`; index `n - 1` upgrades schema `n`. Each
/// schema has a fixture (`tests/fixtures/sandbox/v<n>*.json`) the tests open.
pub type Migration = fn(Value) -> Result<Value, String>;

pub const MIGRATIONS: &[Migration] = &[account_from_tools, serverless_from_flow];

/// Schema 1 → 2: the account joins the sandbox. A tool that shows part of the account (the
/// VPC builder's network) kept it in its own state; it moves to the account, after the
/// state is brought to the tool's current format (the format `split` reads).
fn account_from_tools(mut doc: Value) -> Result<Value, String> {
    let mut account = Value::Null;
    if let Some(tools) = doc.get_mut("tools").and_then(Value::as_object_mut) {
        for (tool, saved) in tools.iter_mut() {
            let Some(slot) = slot(tool) else { continue };
            if slot.account.is_empty() {
                continue;
            }
            let version = saved.get("version").and_then(Value::as_u64).unwrap_or(1) as u32;
            let Some(state) = saved.get_mut("state").filter(|s| s.is_object()) else {
                continue;
            };
            if version < slot.version {
                *state = crate::core::share::upgrade(version, state.take(), slot.upgrades)
                    .map_err(|e| format!("Field “tools.{tool}.state”: {e}."))?;
                saved["version"] = Value::from(slot.version);
            }
            let Some(state) = saved.get_mut("state") else {
                continue;
            };
            for view in slot.account {
                if let Some(part) = view.split(state) {
                    set_part(&mut account, view.key, Some(part));
                }
            }
        }
    }
    doc["schema"] = Value::from(2);
    if !account.is_null() {
        doc["account"] = account;
    }
    Ok(doc)
}

/// Schema 2 → 3: the flow page's resources join the account (its `serverless` part, which
/// the console shares). An edited flow scenario kept them in the tool's state only: they
/// are copied to the account, as JSON (every module links the migrations;
/// `FlowState::saved` writes the same form). A flow page on a template's scenario has
/// nothing to copy, nor one from before IAM was enforced (the page grants it least
/// privilege when it opens it): their resources reach the account when it is next changed.
fn serverless_from_flow(mut doc: Value) -> Result<Value, String> {
    const SCRIPT: [&str; 4] = ["actions", "horizon_ms", "seed", "grant_pending"];
    let flow = doc.get("tools").and_then(|t| t.get("flow"));
    // A flow state from before IAM was enforced gets its grants when the page opens it
    // (`state::from_query`): its resources reach the account with the page's next save.
    let current = flow
        .and_then(|f| f.get("version"))
        .and_then(Value::as_u64)
        .is_some_and(|v| v >= u64::from(crate::core::views::flow::state::VERSION));
    let mut defs = flow
        .and_then(|f| f.get("state"))
        .and_then(|s| s.get("scenario"))
        .filter(|sc| {
            current && sc.is_object() && sc.get("grant_pending") != Some(&Value::Bool(true))
        })
        .cloned();
    if let Some(Value::Object(fields)) = &mut defs {
        for k in SCRIPT {
            fields.remove(k);
        }
    }
    let has = doc
        .get("account")
        .and_then(|a| a.get("serverless"))
        .is_some();
    if let (Some(defs), false) = (defs, has) {
        set_part(&mut doc["account"], "serverless", Some(defs));
    }
    doc["schema"] = Value::from(3);
    Ok(doc)
}

/// Brings a parsed document up to [`SCHEMA`], or says why it cannot.
pub fn migrate(mut doc: Value) -> Result<Value, String> {
    let Some(obj) = doc.as_object() else {
        return Err("A sandbox file holds one JSON object; this holds something else.".into());
    };
    let schema = match obj.get("schema") {
        Some(Value::Number(n)) => n
            .as_u64()
            .filter(|n| *n >= 1)
            .ok_or("Field “schema”: expected a whole number from 1.")?,
        Some(_) => return Err("Field “schema”: expected a whole number from 1.".into()),
        None => {
            return Err("Field “schema” is missing: this is not a Stratus sandbox file.".into())
        }
    };
    if schema > SCHEMA as u64 {
        return Err(format!(
            "This sandbox was saved by a newer Stratus (schema {schema}; this one reads up to {SCHEMA}). Open it there, or update this copy."
        ));
    }
    for step in &MIGRATIONS[(schema as usize - 1)..] {
        doc = step(doc)?;
    }
    Ok(doc)
}

/// Why a read sandbox cannot be added to the saved ones as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// A saved sandbox has the same id: the user chooses to replace it or keep both.
    Exists { id: String, name: String },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Exists { name, .. } => {
                write!(f, "a sandbox “{name}” with the same id is already saved")
            }
        }
    }
}

/// Whether `s` can join the saved sandboxes: refused when one has its id, unless the user
/// chose to replace it.
pub fn check_import(saved: &[Sandbox], s: &Sandbox, replace: bool) -> Result<(), ImportError> {
    match saved.iter().find(|x| x.id == s.id) {
        Some(x) if !replace => Err(ImportError::Exists {
            id: x.id.clone(),
            name: x.name.clone(),
        }),
        _ => Ok(()),
    }
}

/// Reads a sandbox from JSON text (an import or a stored record), migrating older schemas
/// and checking every field; messages name the field and what was expected.
pub fn from_json(text: &str) -> Result<Sandbox, String> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(format!(
            "The file is {} bytes; a sandbox file may be at most {} bytes.",
            crate::core::format::thousands(text.len() as u128),
            crate::core::format::thousands(MAX_IMPORT_BYTES as u128)
        ));
    }
    let doc: Value =
        serde_json::from_str(text).map_err(|e| format!("The file is not valid JSON: {e}."))?;
    let doc = migrate(doc)?;
    let s: Sandbox = serde_json::from_str(&doc.to_string()).map_err(|e| {
        let e = e.to_string();
        match e.strip_prefix("unknown field ") {
            Some(rest) => format!("Unknown field {rest}."),
            None => format!("The sandbox is malformed: {e}."),
        }
    })?;
    if s.id.is_empty()
        || s.id.len() > 64
        || !s.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err("Field “id”: expected 1 to 64 letters, digits or dashes.".into());
    }
    clean_name(&s.name).map_err(|e| format!("Field “name”: {e}"))?;
    let mut s = s;
    for (tool, t) in s.tools.iter_mut() {
        let Some(slot) = slot(tool) else {
            return Err(format!(
                "Field “tools.{tool}”: there is no tool called “{tool}”."
            ));
        };
        if t.version > slot.version {
            return Err(format!(
                "Field “tools.{tool}.version”: {} is newer than this Stratus reads ({}).",
                t.version, slot.version
            ));
        }
        if t.version < slot.version {
            t.state = crate::core::share::upgrade(t.version, t.state.clone(), slot.upgrades)
                .map_err(|e| format!("Field “tools.{tool}.state”: {e}."))?;
            t.version = slot.version;
        }
        crate::core::share::check_shape(&t.state, slot.shape, slot.closed)
            .map_err(|e| format!("Field “tools.{tool}.state”: {e}."))?;
        // A state that still carries its part of the account (a hand-edited file): the
        // part goes to the account, as a save would put it.
        for view in slot.account {
            if let Some(part) = view.split(&mut t.state) {
                set_part(&mut s.account, view.key, Some(part));
            }
        }
    }
    crate::core::account::Saved::check(&s.account).map_err(|e| format!("Field “account”: {e}."))?;
    Ok(s)
}

/// Pretty, stable JSON (fields in a fixed order, tool states with sorted keys).
pub fn to_json(s: &Sandbox) -> String {
    serde_json::to_string_pretty(s).unwrap_or_default()
}

/// A file name for an export: `stratus-<name>.json` with only safe characters.
pub fn file_name(s: &Sandbox) -> String {
    let slug: String = s
        .name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "stratus-{}.json",
        if slug.is_empty() { "sandbox" } else { &slug }
    )
}

/// Longest share link payload: beyond it the page offers the file instead. Browsers take
/// far longer URLs, but chat tools, slide software and mail clients cut them.
pub const MAX_LINK_CHARS: usize = 8_000;
/// Largest sandbox a link may inflate to (a guard against crafted links).
const MAX_INFLATED_BYTES: usize = 2 * 1024 * 1024;

/// The sandbox as a share-link payload: compact JSON, deflated, base64url without padding.
pub fn to_link(s: &Sandbox) -> Result<String, String> {
    let text = crate::core::urlcodec::pack(&serde_json::to_string(s).unwrap_or_default());
    if text.len() > MAX_LINK_CHARS {
        Err(format!(
            "This sandbox is too large for a link ({} characters; links stay under {}). Export it to a file and share that instead.",
            crate::core::format::thousands(text.len() as u128),
            crate::core::format::thousands(MAX_LINK_CHARS as u128)
        ))
    } else {
        Ok(text)
    }
}

/// Reads a share-link payload written by [`to_link`], checking it like an import.
pub fn from_link(payload: &str) -> Result<Sandbox, String> {
    use crate::core::urlcodec::{unpack, Unpack};
    let text = unpack(payload, MAX_INFLATED_BYTES).map_err(|e| match e {
        Unpack::NotBase64 => {
            "The link is damaged (it is not base64url text); it may have been cut short."
        }
        Unpack::NotDeflate => {
            "The link is damaged (its data does not unpack); it may have been cut short."
        }
        Unpack::NotText => "The link is damaged (not text).",
    })?;
    from_json(&text)
}

/// A sandbox holding `n` resources, for benchmarks: a CIDR table of `n` labelled subnets
/// (the largest state a tool keeps today; VPC resources will join it).
pub fn bench_fixture(n: usize) -> Sandbox {
    use crate::core::cidr::share::{CidrState, StoredMeta, StoredRun, TableState};
    let table = TableState {
        root: "10.0.0.0/8".into(),
        runs: vec![StoredRun(24, 65_536)],
        labels: (0..n)
            .map(|i| StoredMeta {
                cidr: format!("10.{}.{}.0/24", i / 256, i % 256),
                note: format!(
                    "subnet {i}: tier {} in AZ {}",
                    i % 3,
                    (b'a' + (i % 3) as u8) as char
                ),
                colour: (i % 8) as u8,
            })
            .collect(),
    };
    let mut s = Sandbox::new(
        format!("sb-bench-{n}"),
        &format!("Benchmark: {n} resources"),
        0,
    );
    s.set_tool_query(
        "cidr",
        &crate::core::cidr::share::to_query(&CidrState {
            table,
            ..Default::default()
        }),
    );
    s
}

/// Sandboxes sorted for the list: last opened first, then by name.
pub fn sorted(mut list: Vec<Sandbox>) -> Vec<Sandbox> {
    list.sort_by(|a, b| b.opened.cmp(&a.opened).then_with(|| a.name.cmp(&b.name)));
    list
}

/// A fresh id from the caller's randomness (the core has none of its own).
pub fn new_id(random: u64, now: u64) -> String {
    format!("sb-{now:x}-{random:016x}")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn an_import_is_refused_only_for_an_existing_id() {
        let a = Sandbox::new("sb-a".into(), "Alpha", 1);
        let b = Sandbox::new("sb-b".into(), "Beta", 1);
        let saved = vec![a.clone()];
        assert_eq!(check_import(&saved, &b, false), Ok(()));
        assert_eq!(
            check_import(&saved, &a, false),
            Err(ImportError::Exists {
                id: "sb-a".into(),
                name: "Alpha".into()
            })
        );
        assert_eq!(check_import(&saved, &a, true), Ok(()));
        assert!(check_import(&saved, &a, false)
            .unwrap_err()
            .to_string()
            .contains("“Alpha”"));
    }

    use super::*;
    use proptest::prelude::*;

    const V1: &str = include_str!("../../tests/fixtures/sandbox/v1.json");

    fn sample() -> Sandbox {
        let mut s = Sandbox::new("sb-1".into(), "  Week 3:   VPCs ", 1_700_000_000_000);
        s.set_tool_query(
            "lambda",
            &crate::core::lambda::state::to_query(&Default::default()),
        );
        s.set_tool_query(
            "dynamodb",
            &crate::core::dynamodb::state::to_query(&crate::core::dynamodb::state::DynamoState {
                utilization: "55".into(),
                ..Default::default()
            }),
        );
        s
    }

    #[test]
    fn names_are_tidied_and_checked() {
        assert_eq!(sample().name, "Week 3: VPCs");
        assert!(clean_name("   ").is_err());
        assert!(clean_name(&"x".repeat(81)).is_err());
        assert_eq!(file_name(&sample()), "stratus-week-3-vpcs.json");
    }

    #[test]
    fn tool_state_round_trips_through_queries() {
        let s = sample();
        // The default Lambda state has no query, so it is not stored at all.
        assert!(!s.tools.contains_key("lambda"));
        let q = s.tool_query("dynamodb");
        let d = crate::core::dynamodb::state::from_query(&q).unwrap();
        assert_eq!(d.utilization, "55");
        let mut t = s.clone();
        assert!(
            !t.set_tool_query("dynamodb", &q),
            "unchanged state is not a change"
        );
        assert!(t.set_tool_query("dynamodb", ""));
        assert!(t.tools.is_empty());
    }

    #[test]
    fn the_console_and_the_vpc_builder_share_the_accounts_network() {
        use crate::core::views::{console, vpc};
        let mut s = Sandbox::new("sb-2".into(), "shared", 0);
        // The VPC builder opens a template: the design goes to the account.
        let mut v = vpc::state::VpcState::for_template("nat");
        v.network = Some(v.network());
        assert!(s.set_tool_query("vpc", &vpc::state::to_query(&v)));
        let net = s.account["ec2"].clone();
        assert!(net.is_object());
        assert!(!s.tools["vpc"]
            .state
            .as_object()
            .unwrap()
            .contains_key("network"));
        // The console, never opened here, opens on the account's network.
        let c = console::from_query(&s.tool_query("console")).unwrap();
        assert_eq!(
            serde_json::to_value(c.account.as_ref().unwrap()).unwrap(),
            net
        );
        // What the console leaves in the account is what the VPC builder then shows.
        let mut changed: crate::core::services::ec2::network::Network =
            serde_json::from_value(net).unwrap();
        changed.subnets.pop();
        let c = console::ConsoleState {
            lines: vec!["aws ec2 delete-subnet".into()],
            account: Some(changed.clone()),
            ..c
        };
        assert!(s.set_tool_query("console", &console::to_query(&c)));
        assert!(!s.tools["console"]
            .state
            .as_object()
            .unwrap()
            .contains_key("account"));
        let v = vpc::state::from_query(&s.tool_query("vpc")).unwrap();
        assert_eq!(v.network, Some(changed.clone()));
        assert_eq!(console::from_query(&s.tool_query("console")).unwrap(), c);
    }

    #[test]
    fn the_v1_fixture_loads() {
        let s = from_json(V1).unwrap();
        assert_eq!(s.name, "Lecture 4 demo");
        let cidr = crate::core::cidr::share::from_query(&s.tool_query("cidr")).unwrap();
        assert_eq!(cidr.explain, "10.0.0.0/24");
        let ddb = crate::core::dynamodb::state::from_query(&s.tool_query("dynamodb")).unwrap();
        assert_eq!(ddb.utilization, "55");
    }

    #[test]
    fn bad_files_are_named_precisely() {
        let e = |t: &str| from_json(t).unwrap_err();
        assert!(e("{ nope").contains("not valid JSON"));
        assert!(e("[1]").contains("one JSON object"));
        assert!(e("{}").contains("“schema” is missing"));
        assert!(e(r#"{"schema": "1"}"#).contains("whole number"));
        assert!(e(r#"{"schema": 9}"#).contains("newer Stratus (schema 9"));
        let doc = |f: &dyn Fn(&mut Value)| {
            let mut v: Value = serde_json::from_str(V1).unwrap();
            f(&mut v);
            e(&v.to_string())
        };
        assert!(doc(&|v| v["name"] = Value::from(3)).contains("expected a string"));
        assert!(doc(&|v| v["name"] = Value::from(" ")).contains("Field “name”"));
        assert!(doc(&|v| v["id"] = Value::from("a/b")).contains("Field “id”"));
        assert!(doc(&|v| v["extra"] = Value::from(1)).contains("Unknown field `extra`"));
        assert!(
            doc(&|v| v["tools"]["vpc9"] = serde_json::json!({"version": 1, "state": {}}))
                .contains("no tool called “vpc9”")
        );
        assert!(
            doc(&|v| v["tools"]["cidr"]["version"] = Value::from(7)).contains("tools.cidr.version")
        );
        assert!(
            doc(&|v| v["tools"]["dynamodb"]["state"]["utilization"] = Value::from(55))
                .contains("tools.dynamodb.state")
        );
        assert!(doc(&|v| v
            .as_object_mut()
            .unwrap()
            .remove("updated")
            .map(|_| ())
            .unwrap())
        .contains("missing field `updated`"));
        assert!(e(&" ".repeat(MAX_IMPORT_BYTES + 1)).contains("at most"));
    }

    #[test]
    fn the_list_is_sorted_by_last_opened() {
        let mut a = sample();
        a.opened = 5;
        let mut b = a.duplicate("sb-2".into(), 9);
        b.name = "B".into();
        let ids: Vec<_> = sorted(vec![a, b]).into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["sb-2", "sb-1"]);
        assert_eq!(new_id(255, 16), "sb-10-00000000000000ff");
    }

    #[test]
    fn share_links() {
        let s = from_json(V1).unwrap();
        let link = to_link(&s).unwrap();
        assert!(link.len() < 400, "{}", link.len());
        assert!(link
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(from_link(&link).unwrap(), s);
        assert!(from_link("!!!").unwrap_err().contains("not base64url"));
        assert!(from_link(&link[..link.len() / 2])
            .unwrap_err()
            .contains("damaged"));
        // A sandbox too big for a link says so.
        let mut big = s.clone();
        let mut x: u64 = 42;
        let noise: String = (0..40_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + ((x >> 33) % 26) as u8)
            })
            .collect();
        big.set_tool_query(
            "cidr",
            &crate::core::cidr::share::to_query(&crate::core::cidr::share::CidrState {
                list: noise,
                ..Default::default()
            }),
        );
        assert!(to_link(&big).unwrap_err().contains("too large for a link"));
    }

    proptest! {
        #[test]
        fn links_round_trip(name in "[a-zA-Z0-9 ]{1,40}", util in 1u32..=100) {
            prop_assume!(!name.trim().is_empty());
            let mut s = Sandbox::new("sb-1".into(), &name, 1);
            s.set_tool_query("dynamodb", &crate::core::dynamodb::state::to_query(&crate::core::dynamodb::state::DynamoState { utilization: util.to_string(), ..Default::default() }));
            prop_assert_eq!(from_link(&to_link(&s).unwrap()).unwrap(), s);
        }

        #[test]
        fn any_link_is_refused_or_read_without_panicking(text in "[A-Za-z0-9_-]{0,300}") {
            let _ = from_link(&text);
        }

        #[test]
        fn export_then_import_is_the_identity(name in "[a-zA-Z0-9 ]{1,40}", util in 1u32..=100, items in 0u64..1_000_000, rev in 0u64..1000, t in 0u64..4_000_000_000_000) {
            prop_assume!(!name.trim().is_empty());
            let mut s = Sandbox::new(new_id(items, t), &name, t);
            s.revision = rev;
            s.set_tool_query("dynamodb", &crate::core::dynamodb::state::to_query(&crate::core::dynamodb::state::DynamoState {
                utilization: util.to_string(),
                stored_items: items.to_string(),
                ..Default::default()
            }));
            let text = to_json(&s);
            prop_assert_eq!(from_json(&text).unwrap(), s.clone());
            prop_assert_eq!(to_json(&from_json(&text).unwrap()), text, "stable output");
        }

        #[test]
        fn any_text_is_refused_or_read_without_panicking(text in ".{0,300}") {
            let _ = from_json(&text);
        }
    }
}
