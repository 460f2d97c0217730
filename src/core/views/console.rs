//! The console page's state: the starting account (a network and serverless resources,
//! from templates or carried over from the VPC builder and the flow page) and the command
//! lines typed. Replaying the lines rebuilds the session exactly (the clock, the account,
//! the files, the transcript), so a share link or a sandbox keeps a whole session in a few
//! hundred bytes.
//!
//! In a sandbox the EC2 network is the account's, shared with the VPC builder
//! (`sandbox::AccountView`, key `ec2`). The state carries the network as the session leaves
//! it ([`ConsoleState::account`]); the sandbox keeps that in its account, where the VPC
//! builder shows and edits it. When the console opens on an account network that differs
//! from what its lines leave, the VPC builder changed it since: the session goes on from
//! the changed network, recorded as a [`Replaced`] at that point of the lines, and the
//! transcript says what changed ([`reconcile`]).
//!
//! The serverless resources are shared the same way with the flow page (`AccountView`
//! key `serverless`): the state carries the definitions the session leaves
//! ([`ConsoleState::resources`], `views::flow::scenario::definitions_of`), and definitions
//! the flow page changed are taken in as a [`Replaced`] too (`Flow::redefine`: what stays
//! keeps its objects, messages and items).

use crate::core::cli::{Console, Output};
use crate::core::flow::Flow;
use crate::core::services::ec2::network::templates;
use crate::core::services::ec2::network::Network;
use crate::core::share::{Kind, Shape};
use crate::core::views::flow::scenario::{definitions_of, Definitions};
use crate::core::views::flow::templates as flow_templates;
use serde::{Deserialize, Serialize};

/// The most lines a session keeps (older ones are refused with a message, not dropped).
pub const MAX_LINES: usize = 400;
/// The longest line accepted, in characters.
pub const MAX_LINE: usize = 8_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleState {
    /// The starting network: a VPC builder template id.
    pub template: String,
    /// The starting serverless resources: a flow page template id (its buckets, queues,
    /// topics, functions and tables, without its script).
    pub serverless: String,
    /// A network of its own instead of the template's: the VPC builder's design, when the
    /// console is opened from there ("Open in the console").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
    /// Serverless resources of its own instead of the template's (a scenario's
    /// definitions): the account's, when the session started on what the flow page made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitions: Option<Definitions>,
    /// Command lines entered, in order (answers to `aws configure` included).
    pub lines: Vec<String>,
    /// Where another tool replaced the account's network during the session, in order of
    /// `at` (at most [`MAX_REPLACED`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replaced: Vec<Replaced>,
    /// The account's EC2 network as the session leaves it, without machine state (what a
    /// sandbox saves of a network): the part of the account this tool shares, `None` while
    /// the session has not changed its starting network (and shares nothing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<Network>,
    /// The account's serverless resources as the session leaves them (a scenario's
    /// definitions, what the flow page shows): shared like `account`, `None` while the
    /// session has not changed its starting resources and the account had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<Definitions>,
    /// The fingerprint of the resources this session last put in the account
    /// ([`Definitions::fingerprint`], "" for none): resources in the account with another
    /// fingerprint were changed by another tool since. (The session's own may not always be
    /// shareable, [`Session::shareable`], and then differ from the account's.)
    #[serde(skip_serializing_if = "String::is_empty")]
    pub shared: String,
}

/// The account's network as another tool (the VPC builder) left it, or its serverless
/// resources as the flow page left them, taken into the session before line `at` runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replaced {
    /// The index of the first line that runs on what was replaced (`lines.len()` when no
    /// line has run on it yet).
    pub at: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Definitions>,
}

/// The most replacements by other tools a session records; at the next, the session starts anew
/// on the account's network and resources (each one carries a whole network or set of
/// resources, and links stay short).
pub const MAX_REPLACED: usize = 20;

impl Default for ConsoleState {
    fn default() -> Self {
        ConsoleState {
            template: "web".into(),
            serverless: "photo".into(),
            network: None,
            definitions: None,
            lines: Vec::new(),
            replaced: Vec::new(),
            account: None,
            resources: None,
            shared: String::new(),
        }
    }
}

impl ConsoleState {
    /// A new session on a VPC builder template's network ("Starting network"). In a
    /// sandbox the network replaces the account's (the VPC builder shows it too), and the
    /// session starts on the account's serverless resources as they are.
    pub fn with_network_template(&self, template: &str, in_sandbox: bool) -> ConsoleState {
        let account =
            in_sandbox.then(|| saved_form(&crate::core::views::vpc::state::template(template)));
        let definitions = in_sandbox
            .then(|| self.account_resources())
            .flatten()
            .or_else(|| self.definitions.clone());
        ConsoleState {
            template: template.to_string(),
            network: None,
            definitions,
            lines: Vec::new(),
            replaced: Vec::new(),
            account,
            shared: String::new(),
            ..self.clone()
        }
    }

    /// A new session on the sandbox account's network and serverless resources as they are
    /// (Reset in a sandbox: the account keeps what the session built, and the VPC builder
    /// and the flow page still show it); `None` when the account holds neither.
    pub fn anew_on_account(&self) -> Option<ConsoleState> {
        (self.account.is_some() || self.resources.is_some()).then(|| ConsoleState {
            network: self.account.clone(),
            account: self.account.clone(),
            definitions: self.account_resources(),
            resources: self.resources.clone(),
            ..ConsoleState::default()
        })
    }

    /// The account's serverless resources when a session can start on them (ones that do
    /// not build, from a damaged account, are not started on).
    fn account_resources(&self) -> Option<Definitions> {
        self.resources.clone().filter(|d| d.build().is_ok())
    }

    /// A new session on a flow template's serverless resources ("Starting serverless
    /// resources"), on the same network. In a sandbox they replace the account's (the flow
    /// page shows them too).
    pub fn with_serverless_template(&self, id: &str, in_sandbox: bool) -> ConsoleState {
        let resources = in_sandbox.then(|| flow_templates::scenario(id).definitions());
        ConsoleState {
            serverless: id.to_string(),
            network: self.account.clone().or_else(|| self.network.clone()),
            definitions: None,
            lines: Vec::new(),
            replaced: Vec::new(),
            resources,
            shared: String::new(),
            ..self.clone()
        }
    }
}

pub const UPGRADES: &[crate::core::share::Upgrade] = &[];
pub const VERSION: u32 = 1 + UPGRADES.len() as u32;

pub fn to_query(s: &ConsoleState) -> String {
    crate::core::share::to_query(s, VERSION)
}

pub fn from_query(q: &str) -> Result<ConsoleState, String> {
    let s: ConsoleState = crate::core::share::from_query(q, UPGRADES)?;
    if templates::network(&s.template).is_none() {
        return Err(format!(
            "The link names an unknown starting network “{}”.",
            s.template
        ));
    }
    if !flow_templates::TEMPLATES
        .iter()
        .any(|(id, _, _)| *id == s.serverless)
    {
        return Err(format!(
            "The link names an unknown set of serverless resources “{}”.",
            s.serverless
        ));
    }
    if let Some(long) = s.lines.iter().position(|l| l.chars().count() > MAX_LINE) {
        return Err(format!(
            "Line {} of the link is longer than {MAX_LINE} characters.",
            long + 1
        ));
    }
    if s.lines.len() > MAX_LINES {
        return Err(format!(
            "The link holds {} command lines; a session keeps at most {MAX_LINES}.",
            s.lines.len()
        ));
    }
    if s.replaced.len() > MAX_REPLACED {
        return Err(format!(
            "The link holds {} replacements by other tools; a session keeps at most {MAX_REPLACED}.",
            s.replaced.len()
        ));
    }
    let mut last = 0;
    // Definitions the session starts on or takes in must build (a damaged or crafted
    // link is refused with what is wrong, before any line runs on it).
    let starts = s.definitions.iter().map(|d| ("starting", d));
    let taken = s
        .replaced
        .iter()
        .filter_map(|r| Some(("replacing", r.resources.as_ref()?)));
    for (what, d) in starts.chain(taken) {
        if let Err(e) = d.build() {
            return Err(format!(
                "The link's {what} serverless resources are not valid: {}",
                e.join("; ")
            ));
        }
    }
    for r in &s.replaced {
        if r.at < last || r.at > s.lines.len() {
            return Err(format!(
                "The link's replacement at line {} is out of order or past its {} lines.",
                r.at,
                s.lines.len()
            ));
        }
        last = r.at;
    }
    Ok(s)
}

/// A network as a sandbox saves it: every instance's machine state left out (it is not
/// saved, `Instance::compute`), so two networks compare as their saved documents do.
pub fn saved_form(network: &Network) -> Network {
    let mut n = network.clone();
    for i in &mut n.instances {
        i.compute = Default::default();
    }
    n
}

/// The state after the session changed: `state` with the network the session now leaves in
/// the account (shared once the session changed its starting network, or once the account
/// had one), and likewise its serverless resources, when they can be shared
/// ([`Session::shareable`]; otherwise the account keeps the ones it had). `session` must be
/// synced to `state`.
pub fn with_account(mut state: ConsoleState, session: &Session) -> ConsoleState {
    share_network(&mut state, session);
    share_resources(&mut state, session);
    state
}

/// [`with_account`]'s network half.
fn share_network(state: &mut ConsoleState, session: &Session) {
    let now = saved_form(&session.console.account.ec2);
    if state.account.is_some() || now != session.start {
        state.account = Some(now);
    }
}

/// [`with_account`]'s serverless half.
fn share_resources(state: &mut ConsoleState, session: &Session) {
    if let Ok(defs) = session.shareable() {
        if state.resources.is_some() || !defs.same(&session.start_definitions) {
            state.shared = defs.fingerprint();
            state.resources = Some(defs);
        }
    }
}

/// The state to write when the account's network differs from what the session leaves:
/// another tool changed it. The session goes on from the account's network: it becomes the
/// starting network of a session with no lines yet, a [`Replaced`] at the current line
/// otherwise (the last one updated when no line ran since it; a new session at
/// [`MAX_REPLACED`]). A session that changed its starting network and shares none writes
/// it (an older link). `None`: nothing to write. `session` must be synced to `state`.
///
/// The serverless resources likewise: definitions the flow page changed are taken in
/// (when they build; ones that do not are left for the session's own to overwrite, and
/// the flow page shows what is wrong with them).
pub fn reconcile(state: &ConsoleState, session: &Session) -> Option<ConsoleState> {
    let now = saved_form(&session.console.account.ec2);
    let network = state
        .account
        .as_ref()
        .filter(|a| saved_form(a) != now)
        .cloned();
    // Taken in as the account they build reads back (a service may normalize what it is
    // given), so what was taken in compares equal the next time.
    // Resources this session put there itself are not another tool's change (its own may
    // have moved on in a way that cannot be shared).
    let resources = state
        .resources
        .as_ref()
        .filter(|d| state.shared.is_empty() || d.fingerprint() != state.shared)
        .and_then(|d| {
            let normal = definitions_of(&d.build().ok()?, d);
            (!normal.same(&session.definitions())).then_some(normal)
        });
    if network.is_none() && resources.is_none() {
        let next = with_account(state.clone(), session);
        return (next != *state).then_some(next);
    }
    let mut next = state.clone();
    if let Some(normal) = &resources {
        next.shared = normal.fingerprint();
        next.resources = Some(normal.clone());
    }
    let at = state.lines.len();
    if state.lines.is_empty() && state.replaced.is_empty() {
        next.network = network.clone().or(next.network);
        next.definitions = resources.clone().or(next.definitions);
    } else if let Some(last) = next.replaced.last_mut().filter(|r| r.at == at) {
        last.network = network.clone().or(last.network.take());
        last.resources = resources.clone().or(last.resources.take());
    } else if next.replaced.len() >= MAX_REPLACED {
        // A new session on the account as it is: the session's own resources when they
        // can be shared, else the account's.
        next.network = Some(network.unwrap_or(now));
        let start = resources
            .or_else(|| session.shareable().ok())
            .or_else(|| state.resources.clone().filter(|d| d.build().is_ok()));
        if let Some(d) = &start {
            next.shared = d.fingerprint();
            next.resources = Some(d.clone());
        }
        next.definitions = start.or(next.definitions);
        next.lines.clear();
        next.replaced.clear();
        return Some(next);
    } else {
        next.replaced.push(Replaced {
            at,
            network: network.clone(),
            resources: resources.clone(),
        });
    }
    // What was not replaced is shared as the session leaves it (a replacement of one part
    // leaves the other as it is), so the next reconcile finds nothing to do.
    if network.is_none() {
        share_network(&mut next, session);
    }
    if resources.is_none() {
        share_resources(&mut next, session);
    }
    Some(next)
}

/// The account's serverless resources from a flow template: its resources as the flow
/// page builds them, without its scripted actions (the student makes the calls).
pub fn serverless(id: &str) -> Option<Flow> {
    if !flow_templates::TEMPLATES.iter().any(|(t, _, _)| *t == id) {
        return None;
    }
    let mut scenario = flow_templates::scenario(id);
    scenario.actions.clear();
    scenario.build().ok()
}

/// The console's link opened from the VPC builder with its design: `network` is the
/// network's JSON. Built from JSON so that the VPC page carries no writer of the console's
/// state (bundle size). Readable (`s=…`): the console drawer makes it short
/// (`platform::pack`, as share links are) when it opens; the page's "Open in the AWS CLI
/// console" link carries it as it is (longer, and read the same).
pub fn opened_link(network: serde_json::Value) -> String {
    let json = serde_json::json!({ "network": network }).to_string();
    format!("v={VERSION}&s={}", crate::core::urlcodec::encode(&json))
}

/// The console's link opened from the flow page on an edited scenario's resources:
/// `definitions` is their JSON (`Scenario::definitions`); readable, as [`opened_link`].
pub fn definitions_link(definitions: serde_json::Value) -> String {
    let json = serde_json::json!({ "definitions": definitions }).to_string();
    format!("v={VERSION}&s={}", crate::core::urlcodec::encode(&json))
}

/// The console's link opened from the flow page on a course template's resources.
pub fn serverless_link(template: &str) -> String {
    let json = serde_json::json!({ "serverless": template }).to_string();
    format!("v={VERSION}&s={}", crate::core::urlcodec::encode(&json))
}

/// The console state's fields (`sandbox::Slot::shape`, closed: `deny_unknown_fields`). The
/// network is read when the page opens it (a damaged one is reported there), so no other
/// page carries the console state's reader.
pub const SHAPE: Shape = &[
    ("template", Kind::Text),
    ("serverless", Kind::Text),
    ("network", Kind::ObjectOrNull),
    ("definitions", Kind::ObjectOrNull),
    ("lines", Kind::TextList),
    ("replaced", Kind::List),
    ("account", Kind::ObjectOrNull),
    ("resources", Kind::ObjectOrNull),
    ("shared", Kind::Text),
];

/// One command line and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub prompt: String,
    pub line: String,
    pub out: Output,
    /// Not a command: a note of the session (another tool changed the account's network).
    pub note: bool,
}

/// A running session: the console and the transcript, kept in step with a state.
pub struct Session {
    pub console: Console,
    pub entries: Vec<Entry>,
    /// The state's lines applied so far.
    applied: Vec<String>,
    /// The state's replacements applied so far.
    replaced: Vec<Replaced>,
    template: String,
    serverless: String,
    network: Option<Network>,
    definitions: Option<Definitions>,
    /// The network the session started on, in its saved form.
    pub start: Network,
    /// The serverless resources the session started on.
    pub start_definitions: Definitions,
    /// The order the session's definitions are listed in (the last ones taken in, or the
    /// starting ones): the flow page's diagram keeps its layout.
    order: Definitions,
    /// [`Session::shareable`], worked out once per change of the session (it builds the
    /// resources; the page asks at every render, a save once per line).
    shareable: std::cell::OnceCell<Result<Definitions, Vec<String>>>,
    /// Entries before this index were cleared from the screen (`clear`).
    pub cleared: usize,
}

impl Session {
    /// A session replaying `state`.
    pub fn new(state: &ConsoleState) -> Session {
        let network = state.network.clone().unwrap_or_else(|| {
            templates::network(&state.template).unwrap_or_else(templates::single_web_server)
        });
        let start = saved_form(&network);
        let (flow, start_definitions) = match &state.definitions {
            // `from_query` checked that they build.
            Some(d) => (d.build().ok(), d.clone()),
            None => {
                let known = flow_templates::TEMPLATES
                    .iter()
                    .any(|(t, _, _)| *t == state.serverless);
                let defs = if known {
                    flow_templates::scenario(&state.serverless).definitions()
                } else {
                    Definitions::default()
                };
                (serverless(&state.serverless), defs)
            }
        };
        let console = match flow {
            Some(flow) => Console::with_flow(network, flow),
            None => Console::new(network),
        };
        let mut s = Session {
            console,
            entries: Vec::new(),
            applied: Vec::new(),
            replaced: Vec::new(),
            start,
            order: start_definitions.clone(),
            start_definitions,
            template: state.template.clone(),
            serverless: state.serverless.clone(),
            network: state.network.clone(),
            definitions: state.definitions.clone(),
            shareable: Default::default(),
            cleared: 0,
        };
        s.sync(state);
        s
    }

    /// Brings the session to `state`: the new lines only when it extends what was applied,
    /// a replay from the start otherwise (undo, another link).
    pub fn sync(&mut self, state: &ConsoleState) {
        let done = self.replaced.len();
        let extends = state.template == self.template
            && state.serverless == self.serverless
            && state.network == self.network
            && state.definitions == self.definitions
            && state.lines.len() >= self.applied.len()
            && state.lines[..self.applied.len()] == self.applied[..]
            && state.replaced.len() >= done
            && state.replaced[..done] == self.replaced[..]
            && state.replaced[done..]
                .iter()
                .all(|r| r.at >= self.applied.len());
        if !extends {
            *self = Session::new(&ConsoleState {
                template: state.template.clone(),
                serverless: state.serverless.clone(),
                network: state.network.clone(),
                definitions: state.definitions.clone(),
                ..ConsoleState::default()
            });
        }
        let mut next = self.replaced.len();
        for k in self.applied.len()..=state.lines.len() {
            while let Some(r) = state.replaced.get(next).filter(|r| r.at <= k) {
                self.replace(r);
                next += 1;
            }
            if let Some(line) = state.lines.get(k) {
                self.run(line);
            }
        }
    }

    /// The serverless resources the session holds now, as a scenario's definitions.
    pub fn definitions(&self) -> Definitions {
        definitions_of(&self.console.flow, &self.order)
    }

    /// The session's serverless resources when they can be shared, or why not. What a
    /// session holds cannot always be made again by the calls that define resources: a
    /// queue whose dead-letter queue was deleted still names it, a table deleted under a
    /// stream mapping leaves the mapping (AWS keeps both). Such resources stay the
    /// session's; the account keeps what it had.
    pub fn shareable(&self) -> Result<Definitions, Vec<String>> {
        self.shareable_now().clone()
    }

    /// Why [`Session::shareable`] refuses, if it does (without copying the resources).
    pub fn unshareable(&self) -> Option<String> {
        self.shareable_now().as_ref().err().map(|e| e.join("; "))
    }

    fn shareable_now(&self) -> &Result<Definitions, Vec<String>> {
        self.shareable.get_or_init(|| {
            let defs = self.definitions();
            defs.build().map(|_| defs)
        })
    }

    /// Takes another tool's network or serverless resources into the session, with a note
    /// of what changed.
    fn replace(&mut self, r: &Replaced) {
        self.shareable.take();
        let mut text = String::new();
        if let Some(network) = &r.network {
            text.push_str(&changes(&self.console.account.ec2, network));
            self.console.replace_network(network.clone());
        }
        if let Some(defs) = &r.resources {
            match defs.build() {
                Ok(fresh) => {
                    let now = self.definitions();
                    // A change to IAM alone (a role's policies saved on the IAM page or the
                    // flow page) is taken in as PutRolePolicy would be: work under way goes
                    // on. Not when the engine stopped at its limits: a redefinition drops
                    // the runaway work and runs it again.
                    let iam_only = now.iam_changes(defs).filter(|_| !self.console.flow_halted);
                    text.push_str(&serverless_changes(&now, defs, iam_only.as_deref()));
                    if iam_only.is_some() {
                        self.console.retake_access(fresh);
                    } else {
                        self.console.redefine_serverless(fresh);
                    }
                    self.order = defs.clone();
                }
                // `from_query` refuses such a state; kept for one built in code.
                Err(e) => text.push_str(&format!(
                    "The serverless resources another page left could not be taken in: {}\n",
                    e.join("; ")
                )),
            }
        }
        let stderr = std::mem::take(&mut self.console.pending_stderr);
        self.entries.push(Entry {
            prompt: String::new(),
            line: String::new(),
            out: Output {
                stdout: text,
                stderr,
                code: 0,
            },
            note: true,
        });
        self.replaced.push(r.clone());
    }

    fn run(&mut self, line: &str) {
        self.shareable.take();
        let prompt = self.console.prompt();
        let out = self.console.run(line);
        if line.trim() == "clear" {
            self.cleared = self.entries.len() + 1;
        }
        self.entries.push(Entry {
            prompt,
            line: line.to_string(),
            out,
            note: false,
        });
        self.applied.push(line.to_string());
    }

    /// The entries on screen (after the last `clear`).
    pub fn visible(&self) -> &[Entry] {
        &self.entries[self.cleared.min(self.entries.len())..]
    }
}

/// The note for a network another tool changed: the resources added and removed, by id.
fn changes(old: &Network, new: &Network) -> String {
    let before: Vec<&str> = old.ids().collect();
    let after: Vec<&str> = new.ids().collect();
    let what = added_removed(&before, &after).unwrap_or_else(|| "edited its resources".into());
    format!("The account's network changed in the VPC builder: {what}. The commands from here on see it.\n")
}

/// "added a, b; removed c" between two lists of names (at most 8 of each named, then "and
/// N more"); `None` when both hold the same names. Plain lists (a network holds tens of
/// resources): a set type would add its code to the console's module.
/// Names for a note: the first eight, then how many more.
fn listed<S: AsRef<str>>(v: &[S]) -> String {
    let shown: Vec<&str> = v.iter().take(8).map(|s| s.as_ref()).collect();
    match v.len().saturating_sub(shown.len()) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

fn added_removed<S: AsRef<str> + PartialEq>(before: &[S], after: &[S]) -> Option<String> {
    let list = |v: Vec<&S>| listed(&v);
    let added: Vec<&S> = after.iter().filter(|n| !before.contains(n)).collect();
    let removed: Vec<&S> = before.iter().filter(|n| !after.contains(n)).collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added {}", list(added)));
    }
    if !removed.is_empty() {
        parts.push(format!("removed {}", list(removed)));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The note for serverless resources another page changed: what was added and removed,
/// or, for a change to IAM alone (`iam_only`: the roles and resources whose policies
/// changed, taken in without a redefinition), whose policies changed.
fn serverless_changes(old: &Definitions, new: &Definitions, iam_only: Option<&[String]>) -> String {
    fn names(d: &Definitions) -> Vec<String> {
        let kinds: [(&str, Vec<&str>); 7] = [
            (
                "bucket",
                d.buckets.iter().map(|b| b.name.as_str()).collect(),
            ),
            ("queue", d.queues.iter().map(|q| q.name.as_str()).collect()),
            ("topic", d.topics.iter().map(|t| t.name.as_str()).collect()),
            (
                "function",
                d.functions.iter().map(|f| f.name.as_str()).collect(),
            ),
            ("table", d.tables.iter().map(|t| t.name.as_str()).collect()),
            ("API", d.apis.iter().map(|a| a.name.as_str()).collect()),
            (
                "role or user",
                d.identities.iter().map(|i| i.name.as_str()).collect(),
            ),
        ];
        kinds
            .iter()
            .flat_map(|(kind, list)| list.iter().map(move |n| format!("{kind} {n}")))
            .collect()
    }
    let added = added_removed(&names(old), &names(new));
    let head = "The account's serverless resources changed on the flow page or the IAM page";
    match iam_only {
        Some(changed) => {
            let what = match (added, changed.is_empty()) {
                (Some(a), _) => a,
                (None, false) => format!("changed the policies of {}", listed(changed)),
                (None, true) => "edited their settings".into(),
            };
            format!("{head}: {what}. Only IAM changed, so work under way goes on; calls from here on are authorized against the new policies.\n")
        }
        None => {
            let what = added.unwrap_or_else(|| "edited their settings".into());
            format!("{head}: {what}. What stays keeps its objects, messages and items; invocations under way were dropped. The commands from here on see the change.\n")
        }
    }
}

/// Why a line cannot be added to the session, if it cannot.
pub fn refuse(state: &ConsoleState, line: &str) -> Option<String> {
    if line.chars().count() > MAX_LINE {
        return Some(format!(
            "That line is {} characters long; the console takes at most {MAX_LINE}.",
            line.chars().count()
        ));
    }
    if state.lines.len() >= MAX_LINES {
        return Some(format!("This session holds {MAX_LINES} lines, the most it keeps: start a new one with Reset (the link and sandbox keep this one)."));
    }
    None
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_link_from_another_page_carries_its_resources() {
        let net = templates::network("nat").unwrap();
        let q = opened_link(serde_json::to_value(&net).unwrap());
        let s = from_query(&q).unwrap();
        // The drawer opens it made short; both forms read the same.
        let short = crate::core::share::compact(&q);
        assert!(short.contains("&z=") && short.len() < q.len());
        assert_eq!(from_query(&short), Ok(s.clone()));
        assert_eq!(
            s,
            ConsoleState {
                network: Some(net.clone()),
                ..ConsoleState::default()
            }
        );
        let session = Session::new(&ConsoleState {
            lines: vec!["aws ec2 describe-subnets --query 'length(Subnets)'".into()],
            ..s
        });
        assert_eq!(
            session.entries[0].out.stdout.trim(),
            net.subnets.len().to_string()
        );
        let s = from_query(&serverless_link("dlq")).unwrap();
        let session = Session::new(&ConsoleState {
            lines: vec!["aws sqs list-queues --output text".into()],
            ..s
        });
        assert!(
            session.entries[0].out.stdout.contains("orders-dlq"),
            "{:?}",
            session.entries[0]
        );
        // The sandbox slot check reads the shape only.
        let check = |v| crate::core::share::check_shape(&v, SHAPE, true);
        assert!(check(serde_json::json!({"lines": ["ls"], "network": {}})).is_ok());
        assert!(check(serde_json::json!({"lines": [1]})).is_err());
        assert!(check(serde_json::json!({"extra": 1})).is_err());
    }

    #[test]
    fn a_session_replays_exactly_and_incrementally() {
        let mut state = ConsoleState::default();
        state.lines.push("aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --query 'Instances[0].InstanceId' --output text".into());
        state.lines.push("sleep 20".into());
        state.lines.push("aws ec2 describe-instances --query 'Reservations[].Instances[].[InstanceId,State.Name]' --output text".into());
        let mut s = Session::new(&state);
        let fresh = Session::new(&state);
        assert_eq!(s.entries, fresh.entries, "same lines, same transcript");
        assert!(
            s.entries[2].out.stdout.contains("\trunning"),
            "{:?}",
            s.entries[2]
        );
        state.lines.push("clear".into());
        state.lines.push("echo after".into());
        s.sync(&state);
        assert_eq!(s.visible().len(), 1);
        assert_eq!(s.visible()[0].out.stdout, "after\n");
        // Undo: the state loses its last line, the session replays.
        state.lines.pop();
        s.sync(&state);
        assert_eq!(s.entries.len(), 4);
        let q = to_query(&state);
        assert_eq!(from_query(&q).unwrap(), state);
    }

    const LAUNCH: &str = "aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --query 'Instances[0].InstanceId' --output text";

    /// What the page does with a new line (`pages::console`).
    fn push(state: &ConsoleState, session: &mut Session, line: &str) -> ConsoleState {
        let mut next = state.clone();
        next.lines.push(line.into());
        session.sync(&next);
        with_account(next, session)
    }

    /// A sandbox whose flow page saved template `template`: its resources are the account's.
    fn sandbox_with_flow_template(template: &str) -> crate::core::sandbox::Sandbox {
        use crate::core::views::flow::state::{self as flow, FlowState};
        let mut sb = crate::core::sandbox::Sandbox::new("sb-t".into(), "T", 0);
        let page = FlowState {
            template: template.into(),
            ..Default::default()
        };
        sb.set_tool_query("flow", &flow::to_query(&page.saved()));
        sb
    }

    /// What the page runs a loaded state as.
    fn open(state: &ConsoleState) -> (ConsoleState, Session) {
        let mut session = Session::new(state);
        match reconcile(state, &session) {
            Some(next) => {
                session.sync(&next);
                assert_eq!(reconcile(&next, &session), None, "reconciled once");
                (next, session)
            }
            None => (state.clone(), session),
        }
    }

    /// The round trip a state makes through a sandbox: its link query, split into the
    /// tool's state and the account's part, and joined back (`sandbox::Sandbox`).
    fn through_sandbox(state: &ConsoleState, account: Option<&Network>) -> ConsoleState {
        let view = crate::core::tools::by_id("console")
            .map(|t| t.state.unwrap().account[0])
            .unwrap();
        assert_eq!(view.key, "ec2");
        let mut v = serde_json::to_value(state).unwrap();
        view.split(&mut v);
        if let Some(n) = account {
            view.join(&mut v, &serde_json::to_value(n).unwrap());
        }
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn the_serverless_resources_are_shared_with_the_flow_page_both_ways() {
        use crate::core::sandbox::Sandbox;
        use crate::core::views::flow::state::{self as flow, FlowState};
        let mut sb = Sandbox::new("sb-s".into(), "S", 0);
        // The flow page saves the dlq template: its resources go to the account.
        let page = FlowState {
            template: "dlq".into(),
            ..Default::default()
        };
        sb.set_tool_query("flow", &flow::to_query(&page.saved()));
        // The console, never opened here, starts on them (not on its default template).
        let (state, mut session) = open(&from_query(&sb.tool_query("console")).unwrap());
        assert_eq!(
            state.definitions,
            Some(flow_templates::scenario("dlq").definitions())
        );
        let state = push(&state, &mut session, "aws sqs list-queues --output text");
        assert!(session.entries[0].out.stdout.contains("orders-dlq"));
        // The account's part, read back unchanged.
        assert!(state
            .resources
            .as_ref()
            .unwrap()
            .same(&flow_templates::scenario("dlq").definitions()));
        // A queue made in the console, with a message in it, reaches the flow page.
        let state = push(
            &state,
            &mut session,
            "aws sqs create-queue --queue-name jobs",
        );
        let state = push(&state, &mut session, "aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/jobs --message-body hello");
        assert!(state.resources.is_some());
        sb.set_tool_query("console", &to_query(&state));
        assert!(sb.tools["console"].state.get("resources").is_none());
        let seen = flow::from_query(&sb.tool_query("flow")).unwrap();
        let sc = seen.scenario.clone().unwrap();
        assert!(sc.queues.iter().any(|q| q.name == "jobs"));
        assert_eq!(
            sc.actions,
            flow_templates::scenario("dlq").actions,
            "its script kept"
        );
        // The flow page adds a bucket; the console takes it in at its next line, with a
        // note, and the queue keeps its message.
        let mut edited = sc.clone();
        edited
            .buckets
            .push(crate::core::views::flow::scenario::BucketSpec {
                name: "reports".into(),
                versioning: Default::default(),
                notifications: vec![],
                policy: None,
            });
        sb.set_tool_query(
            "flow",
            &flow::to_query(
                &FlowState {
                    scenario: Some(edited.clone()),
                    ..seen
                }
                .saved(),
            ),
        );
        let (state, mut session) = open(&from_query(&sb.tool_query("console")).unwrap());
        assert_eq!(state.replaced.len(), 1);
        assert_eq!(state.replaced[0].at, 3);
        assert_eq!(state.replaced[0].network, None);
        let note = &session.entries[3];
        assert!(note.note);
        assert!(
            note.out
                .stdout
                .contains("changed on the flow page or the IAM page: added bucket reports."),
            "{}",
            note.out.stdout
        );
        let state = push(&state, &mut session, "aws s3 ls");
        assert!(
            session.entries[4].out.stdout.contains("reports"),
            "{:?}",
            session.entries[4]
        );
        let state = push(&state, &mut session, "aws sqs receive-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/jobs --query 'Messages[0].Body' --output text");
        assert_eq!(session.entries[5].out.stdout, "hello\n");
        // The state replays to the same session, and reconciles once.
        let again = Session::new(&state);
        assert_eq!(again.entries, session.entries);
        assert_eq!(reconcile(&state, &again), None);
        assert!(state
            .resources
            .as_ref()
            .unwrap()
            .same(&edited.definitions()));
        // A link whose starting resources do not build is refused, naming the problem.
        let mut broken = edited.definitions();
        broken.queues[0].name = "no spaces allowed".into();
        let bad = ConsoleState {
            definitions: Some(broken),
            ..ConsoleState::default()
        };
        let e = from_query(&to_query(&bad)).unwrap_err();
        assert!(
            e.contains("starting serverless resources are not valid"),
            "{e}"
        );
    }

    #[test]
    fn roles_are_shared_with_the_flow_page_both_ways() {
        use crate::core::flow::IdentityKind;
        use crate::core::views::flow::state::{self as flow, FlowState};
        let mut sb = sandbox_with_flow_template("photo");
        let (state, mut session) = open(&from_query(&sb.tool_query("console")).unwrap());
        // A role made in the console, with its trust policy and an inline policy.
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let state = push(
            &state,
            &mut session,
            &format!("aws iam create-role --role-name web --assume-role-policy-document '{trust}'"),
        );
        let state = push(
            &state,
            &mut session,
            r#"aws iam put-role-policy --role-name web --policy-name read --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}]}'"#,
        );
        sb.set_tool_query("console", &to_query(&state));
        // The flow page has it, trust policy included, and lists it with its roles.
        let seen = flow::from_query(&sb.tool_query("flow")).unwrap();
        let sc = seen.scenario.clone().unwrap();
        let web = sc.identities.iter().find(|i| i.name == "web").unwrap();
        assert_eq!(web.kind, IdentityKind::Role);
        assert_eq!(web.trust.as_deref(), Some(trust));
        assert_eq!(web.policies[0].name, "read");
        // The flow page adds a role and edits web's policy: the console takes both in.
        let mut edited = sc.clone();
        edited.identities.push(crate::core::flow::IdentitySpec::role(
            "auditor",
            "audit",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#,
        ));
        let w = edited
            .identities
            .iter_mut()
            .find(|i| i.name == "web")
            .unwrap();
        w.policies[0].text = w.policies[0].text.replace("s3:GetObject", "s3:PutObject");
        sb.set_tool_query(
            "flow",
            &flow::to_query(
                &FlowState {
                    scenario: Some(edited),
                    ..seen
                }
                .saved(),
            ),
        );
        let (state, mut session) = open(&from_query(&sb.tool_query("console")).unwrap());
        assert!(session.entries[2]
            .out
            .stdout
            .contains("added role or user auditor"));
        let _ = push(
            &state,
            &mut session,
            "aws iam list-roles --query 'Roles[].[RoleName,CreateDate]' --output text",
        );
        assert_eq!(
            session.entries[3].out.stdout,
            "auditor\t2026-01-01T00:00:10+00:00\nlabeler-role\t2026-01-01T00:00:00+00:00\nweb\t2026-01-01T00:00:05+00:00\n"
        );
        // The instance role's authorization reads the edited policy.
        let key = "arn:aws:iam::111122223333:role/web";
        let p = crate::core::iam::Principal::RoleSession {
            role_arn: key.into(),
            session_arn: "arn:aws:sts::111122223333:assumed-role/web/i-1".into(),
        };
        let a = &session.console.account;
        assert!(a
            .authorize_action(&p, "s3:PutObject", "arn:aws:s3:::photos/x")
            .is_ok());
        assert!(a
            .authorize_action(&p, "s3:GetObject", "arn:aws:s3:::photos/x")
            .is_err());
    }

    /// The IAM page saves a role's policy into the sandbox's account; the console takes it
    /// in as an IAM change (the note names the role) without redefining the resources: a
    /// message in flight stays in flight, and the fixed call is allowed.
    #[test]
    fn a_role_saved_on_the_iam_page_reaches_the_console_as_an_iam_change() {
        use crate::core::iam::account;
        let mut sb = sandbox_with_flow_template("denied");
        let (state, mut session) = open(&from_query(&sb.tool_query("console")).unwrap());
        let state = push(
            &state,
            &mut session,
            "aws sqs create-queue --queue-name jobs",
        );
        let q = "--queue-url https://sqs.us-east-1.amazonaws.com/111122223333/jobs";
        let state = push(
            &state,
            &mut session,
            &format!("aws sqs send-message {q} --message-body hello"),
        );
        let state = push(&state, &mut session, &format!("aws sqs receive-message {q} --visibility-timeout 600 --query 'Messages[0].Body' --output text"));
        assert_eq!(session.entries[2].out.stdout, "hello\n");
        sb.set_tool_query("console", &to_query(&state));
        // The IAM page: load get-order-role, fix its policy, save it to the account.
        let mut part = sb.account["serverless"].clone();
        let role = account::read(&part)
            .identities
            .into_iter()
            .find(|i| i.name == "get-order-role")
            .unwrap();
        let mut page = crate::core::iam::state::IamState::empty();
        page.load_identity(&role).unwrap();
        page.identity[0].text = page.identity[0]
            .text
            .replace("dynamodb:Query", "dynamodb:GetItem");
        account::save_identity(&mut part, "get-order-role", &page).unwrap();
        assert!(sb.set_account_part("serverless", Some(part.clone())));
        assert!(
            !sb.set_account_part("serverless", Some(part)),
            "the same again changes nothing"
        );
        // The console takes it in, says what changed, and settles.
        let (state, mut session) = open(&from_query(&sb.tool_query("console")).unwrap());
        let note = &session.entries[3];
        assert!(note.note);
        assert!(
            note.out.stdout.contains(
                "changed on the flow page or the IAM page: changed the policies of get-order-role. Only IAM changed, so work under way goes on"
            ),
            "{}",
            note.out.stdout
        );
        // The message received at line 3 is still in flight: the queue was not redefined.
        let state = push(&state, &mut session, &format!("aws sqs get-queue-attributes {q} --attribute-names ApproximateNumberOfMessagesNotVisible --query 'Attributes.ApproximateNumberOfMessagesNotVisible' --output text"));
        assert_eq!(session.entries[4].out.stdout, "1\n");
        let _ = push(&state, &mut session, "aws lambda invoke --function-name get-order --cli-binary-format raw-in-base64-out --payload '{\"pathParameters\":{\"id\":\"o-1\"}}' out.json --query FunctionError --output text");
        assert_eq!(session.entries[5].out.stdout, "None\n");
    }

    #[test]
    fn resources_the_services_cannot_make_again_stay_the_sessions() {
        // dlq template: deleting the dead-letter queue leaves `orders` naming it (AWS allows
        // both), which CreateQueue would refuse: the account keeps what it had.
        let start = ConsoleState {
            serverless: "dlq".into(),
            resources: Some(flow_templates::scenario("dlq").definitions()),
            ..ConsoleState::default()
        };
        let (state, mut session) = open(&start);
        let state = push(
            &state,
            &mut session,
            "aws sqs create-queue --queue-name jobs",
        );
        let shared = state.resources.clone().unwrap();
        assert!(shared.queues.iter().any(|q| q.name == "jobs"));
        let state = push(&state, &mut session, "aws sqs delete-queue --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/orders-dlq");
        assert_eq!(session.entries.last().unwrap().out.code, 0);
        let why = session.shareable().unwrap_err().join("; ");
        assert!(why.contains("orders-dlq"), "{why}");
        assert_eq!(
            state.resources,
            Some(shared.clone()),
            "the account keeps what it had"
        );
        assert_eq!(
            reconcile(&state, &session),
            None,
            "and does not take it back in"
        );
        // Making it again makes them shareable again.
        let state = push(
            &state,
            &mut session,
            "aws sqs create-queue --queue-name orders-dlq",
        );
        assert!(state
            .resources
            .unwrap()
            .queues
            .iter()
            .any(|q| q.name == "orders-dlq"));
    }

    #[test]
    fn a_starting_set_picked_in_the_console_keeps_the_other_part() {
        // Queues made in the console, then a new starting network: the new session starts
        // on the account's resources, queue included (they used to be put back to the
        // session's old start).
        let (state, mut session) = open(&ConsoleState {
            resources: Some(flow_templates::scenario("photo").definitions()),
            ..ConsoleState::default()
        });
        let state = push(
            &state,
            &mut session,
            "aws sqs create-queue --queue-name jobs",
        );
        let (next, mut session) = open(&state.with_network_template("nat", true));
        let queues = push(&next, &mut session, "aws sqs list-queues --output text");
        assert!(
            session.entries[0].out.stdout.contains("jobs"),
            "{:?}",
            session.entries
        );
        assert!(queues
            .resources
            .unwrap()
            .queues
            .iter()
            .any(|q| q.name == "jobs"));
        assert_eq!(
            queues.account,
            Some(saved_form(&templates::network("nat").unwrap()))
        );
        // Reset: a new session on what the account holds, the queue included.
        let (_, session) = open(&state.anew_on_account().unwrap());
        assert!(session
            .definitions()
            .queues
            .iter()
            .any(|q| q.name == "jobs"));
        assert_eq!(ConsoleState::default().anew_on_account(), None);
        // A flow template picked: its resources, the same network.
        let (next, session) = open(&state.with_serverless_template("dlq", true));
        assert!(session
            .definitions()
            .same(&flow_templates::scenario("dlq").definitions()));
        assert_eq!(
            next.resources,
            Some(flow_templates::scenario("dlq").definitions())
        );
    }

    #[test]
    fn a_replacement_of_one_part_leaves_the_other_shared_at_once() {
        // After Reset (no fingerprint yet), the VPC builder changes the network: reconciling
        // once settles both parts (`open` checks it).
        let web = saved_form(&templates::network("web").unwrap());
        let nat = saved_form(&templates::network("nat").unwrap());
        let photo = flow_templates::scenario("photo").definitions();
        let reset = ConsoleState {
            network: Some(web.clone()),
            account: Some(web.clone()),
            definitions: Some(photo.clone()),
            resources: Some(photo.clone()),
            ..ConsoleState::default()
        };
        let (next, _) = open(&ConsoleState {
            account: Some(nat.clone()),
            ..reset.clone()
        });
        assert_eq!(next.network, Some(nat.clone()));
        assert!(!next.shared.is_empty());
        // The same with a line run since: a replacement at that line, the queue kept.
        let (state, mut session) = open(&reset);
        let state = push(
            &state,
            &mut session,
            "aws sqs create-queue --queue-name jobs",
        );
        let (next, _) = open(&ConsoleState {
            account: Some(nat),
            ..state
        });
        assert_eq!(next.replaced.len(), 1);
        assert!(next.replaced[0].network.is_some() && next.replaced[0].resources.is_none());
        assert!(next
            .resources
            .unwrap()
            .queues
            .iter()
            .any(|q| q.name == "jobs"));
    }

    #[test]
    fn definitions_the_services_normalize_are_taken_in_once() {
        // The built-in user `admin` written out, a queue listed twice: both build, and read
        // back without them.
        let mut defs = flow_templates::scenario("dlq").definitions();
        defs.identities
            .push(crate::core::flow::IdentitySpec::admin());
        defs.queues.push(defs.queues[0].clone());
        let state = ConsoleState {
            serverless: "photo".into(),
            lines: vec!["echo".into()],
            resources: Some(defs),
            ..ConsoleState::default()
        };
        let (next, session) = open(&state);
        assert_eq!(next.replaced.len(), 1);
        assert!(session
            .definitions()
            .same(next.replaced[0].resources.as_ref().unwrap()));
    }

    #[test]
    fn the_network_is_shared_with_the_vpc_builder_both_ways() {
        // A fresh session shares nothing until it changes the network.
        let state = ConsoleState::default();
        let (state, mut session) = open(&state);
        assert_eq!(state.account, None);
        let state = push(&state, &mut session, "aws s3 ls");
        assert_eq!(
            state.account, None,
            "a call that changes no network shares none"
        );
        // Launching an instance puts the network in the account, in its saved form.
        let state = push(&state, &mut session, LAUNCH);
        let id = session.entries[1].out.stdout.trim().to_string();
        let shared = state.account.clone().expect("shared");
        assert!(shared.instance(&id).is_some());
        assert_eq!(shared, saved_form(&session.console.account.ec2));
        let state = push(&state, &mut session, "sleep 60");
        // Reopened from the sandbox unchanged: the same session, nothing to write.
        let reopened = through_sandbox(&state, state.account.as_ref());
        assert_eq!(reopened, state);
        let (again, s2) = open(&reopened);
        assert_eq!(again, state);
        assert_eq!(s2.entries, session.entries);

        // The VPC builder adds a subnet and deletes the template's web server.
        let mut edited = shared.clone();
        edited
            .subnets
            .push(crate::core::services::ec2::network::model::Subnet {
                id: "subnet-new".into(),
                name: "new".into(),
                ..edited.subnets[0].clone()
            });
        edited.instances.retain(|i| i.id != "i-web");
        let (state2, mut session) = open(&through_sandbox(&state, Some(&edited)));
        assert_eq!(
            state2.replaced,
            vec![Replaced {
                at: 3,
                network: Some(edited.clone()),
                resources: None,
            }]
        );
        assert_eq!(state2.account.as_ref(), Some(&edited));
        let note = session.entries.last().unwrap();
        assert!(note.note);
        assert_eq!(note.out.stdout, "The account's network changed in the VPC builder: added subnet-new; removed i-web. The commands from here on see it.\n");
        // The console's instance keeps its machine: running since its launch, billed on.
        let mine = session.console.account.ec2.instance(&id).unwrap();
        assert_eq!(
            mine.compute.state,
            crate::core::services::ec2::compute::InstanceState::Running
        );
        assert!(mine.compute.launch_ms > 0);
        let state3 = push(
            &state2,
            &mut session,
            "aws ec2 describe-subnets --query 'Subnets[].SubnetId' --output text",
        );
        assert!(session
            .entries
            .last()
            .unwrap()
            .out
            .stdout
            .contains("subnet-new"));
        assert_eq!(state3.replaced.len(), 1);
        // The whole session replays from its state alone: a share link reproduces it.
        let replay = Session::new(&from_query(&to_query(&state3)).unwrap());
        assert_eq!(replay.entries, session.entries);

        // A second change before any new line replaces the first record.
        let mut edited2 = edited.clone();
        edited2.subnets.pop();
        let (state4, _) = open(&through_sandbox(&state2, Some(&edited2)));
        assert_eq!(state4.replaced.len(), 1);
        assert_eq!(state4.replaced[0].network, Some(edited2));
    }

    #[test]
    fn a_console_opened_on_the_accounts_network_starts_from_it() {
        let nat = saved_form(&templates::network("nat").unwrap());
        // The console never opened in this sandbox: the sandbox joins the account's part
        // into an empty state.
        let (state, mut session) = open(&through_sandbox(&ConsoleState::default(), Some(&nat)));
        assert_eq!(state.network.as_ref(), Some(&nat));
        assert!(state.replaced.is_empty() && session.entries.is_empty());
        let state = push(
            &state,
            &mut session,
            "aws ec2 describe-vpcs --query 'length(Vpcs)'",
        );
        assert_eq!(state.account.as_ref(), Some(&nat), "still shared");
        // An instance the VPC builder created is a machine running since it appeared.
        let mut more = nat.clone();
        let mut inst = more.instances[0].clone();
        inst.id = "i-builder".into();
        inst.private_ip += 50;
        more.instances.push(inst);
        let (_, session) = open(&through_sandbox(&state, Some(&more)));
        let i = session.console.account.ec2.instance("i-builder").unwrap();
        assert_eq!(i.compute.launch_ms, session.console.now());
        assert_eq!(
            crate::core::services::ec2::compute::bill(&i.compute, session.console.now()).billed_s,
            60
        );
    }

    #[test]
    fn replacements_are_bounded_and_checked_in_links() {
        let web = saved_form(&templates::single_web_server());
        let mut state = ConsoleState::default();
        let mut session = Session::new(&state);
        for k in 0..=MAX_REPLACED {
            state = push(&state, &mut session, "echo hi");
            let mut n = web.clone();
            n.region = format!("r-{k}");
            let (next, s) = open(&through_sandbox(&state, Some(&n)));
            state = next;
            session = s;
        }
        // At the bound the session starts anew on the account's network.
        assert!(state.replaced.is_empty() && state.lines.is_empty());
        assert_eq!(
            state.network.as_ref().map(|n| n.region.as_str()),
            Some("r-20")
        );
        // Links with replacements out of order or past their lines are refused.
        let bad = ConsoleState {
            lines: vec!["echo".into()],
            replaced: vec![Replaced {
                at: 2,
                network: Some(web.clone()),
                resources: None,
            }],
            ..ConsoleState::default()
        };
        assert!(from_query(&to_query(&bad))
            .unwrap_err()
            .contains("out of order or past"));
        let bad = ConsoleState {
            lines: vec!["echo".into(), "echo".into()],
            replaced: vec![
                Replaced {
                    at: 1,
                    network: Some(web.clone()),
                    resources: None,
                },
                Replaced {
                    at: 0,
                    network: Some(web.clone()),
                    resources: None,
                },
            ],
            ..ConsoleState::default()
        };
        assert!(from_query(&to_query(&bad)).is_err());
    }

    #[test]
    fn bad_links_are_named() {
        let s = ConsoleState {
            template: "moon".into(),
            ..ConsoleState::default()
        };
        assert!(from_query(&to_query(&s)).unwrap_err().contains("moon"));
        let long = ConsoleState {
            lines: vec!["echo".into(); MAX_LINES + 1],
            ..ConsoleState::default()
        };
        assert!(from_query(&to_query(&long)).is_err());
        assert!(refuse(&ConsoleState::default(), &"x".repeat(MAX_LINE + 1)).is_some());
    }
}
