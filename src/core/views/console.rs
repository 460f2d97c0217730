//! The console page's state: the starting account (a network and serverless resources,
//! from templates or carried over from the VPC builder and the flow page) and the command
//! lines typed. Replaying the lines rebuilds the session exactly (the clock, the account,
//! the files, the transcript), so a share link or a sandbox keeps a whole session in a few
//! hundred bytes.

use crate::core::cli::{Console, Output};
use crate::core::flow::Flow;
use crate::core::services::ec2::network::templates;
use crate::core::services::ec2::network::Network;
use crate::core::share::{Kind, Shape};
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
    /// Command lines entered, in order (answers to `aws configure` included).
    pub lines: Vec<String>,
}

impl Default for ConsoleState {
    fn default() -> Self {
        ConsoleState {
            template: "web".into(),
            serverless: "photo".into(),
            network: None,
            lines: Vec::new(),
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
    Ok(s)
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
/// state (bundle size); packed short, as share links are.
pub fn opened_link(network: serde_json::Value) -> String {
    let json = serde_json::json!({ "network": network }).to_string();
    crate::core::share::compact(&format!(
        "v={VERSION}&s={}",
        crate::core::urlcodec::encode(&json)
    ))
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
    ("lines", Kind::TextList),
];

/// One command line and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub prompt: String,
    pub line: String,
    pub out: Output,
}

/// A running session: the console and the transcript, kept in step with a state.
pub struct Session {
    pub console: Console,
    pub entries: Vec<Entry>,
    /// The state's lines applied so far.
    applied: Vec<String>,
    template: String,
    serverless: String,
    network: Option<Network>,
    /// Entries before this index were cleared from the screen (`clear`).
    pub cleared: usize,
}

impl Session {
    /// A session replaying `state`.
    pub fn new(state: &ConsoleState) -> Session {
        let network = state.network.clone().unwrap_or_else(|| {
            templates::network(&state.template).unwrap_or_else(templates::single_web_server)
        });
        let console = match serverless(&state.serverless) {
            Some(flow) => Console::with_flow(network, flow),
            None => Console::new(network),
        };
        let mut s = Session {
            console,
            entries: Vec::new(),
            applied: Vec::new(),
            template: state.template.clone(),
            serverless: state.serverless.clone(),
            network: state.network.clone(),
            cleared: 0,
        };
        s.sync(state);
        s
    }

    /// Brings the session to `state`: the new lines only when it extends what was applied,
    /// a replay from the start otherwise (undo, another link).
    pub fn sync(&mut self, state: &ConsoleState) {
        let extends = state.template == self.template
            && state.serverless == self.serverless
            && state.network == self.network
            && state.lines.len() >= self.applied.len()
            && state.lines[..self.applied.len()] == self.applied[..];
        if !extends {
            *self = Session::new(&ConsoleState {
                template: state.template.clone(),
                serverless: state.serverless.clone(),
                network: state.network.clone(),
                lines: Vec::new(),
            });
        }
        for line in &state.lines[self.applied.len()..] {
            self.run(line);
        }
    }

    fn run(&mut self, line: &str) {
        let prompt = self.console.prompt();
        let out = self.console.run(line);
        if line.trim() == "clear" {
            self.cleared = self.entries.len() + 1;
        }
        self.entries.push(Entry {
            prompt,
            line: line.to_string(),
            out,
        });
        self.applied.push(line.to_string());
    }

    /// The entries on screen (after the last `clear`).
    pub fn visible(&self) -> &[Entry] {
        &self.entries[self.cleared.min(self.entries.len())..]
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
