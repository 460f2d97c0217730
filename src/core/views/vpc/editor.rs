//! What the VPC builder and its editor module say to each other.
//!
//! The builder's forms (the inspector of a resource, the create form) and the edits they
//! make live in a module of their own, `vpc-editor` (`src/bin/helper-vpc-editor.rs`), which
//! the page mounts into two places once it has drawn itself (docs/size.md, "Cut: the VPC
//! editor in a module of its own"). The page's first load then carries the network's
//! reader, its checks, the analyzer and the diagram, but not the forms, EC2's edit
//! operations or the IAM evaluator they go through.
//!
//! Both sides run separate wasm instances, so they speak text:
//! - the page gives the editor an [`EditorInput`] as JSON ([`input_json`]);
//! - the editor answers with an [`EditorEvent`] in a line format ([`EditorEvent::encode`],
//!   [`EditorEvent::decode`]): a kind on the first line, then its fields. An applied edit
//!   carries the whole new network as JSON, which the page reads with the reader it already
//!   has for links and sandboxes.
//!
//! Every function here is plain Rust, tested natively; the two modules only wrap them.

use crate::core::services::ec2::network::model::Network;
use serde::Deserialize;

/// The editor module's name in index.html's table of helper modules
/// (`window.stratusHelpers`).
pub const HELPER: &str = "vpc-editor";

/// Which of the editor's two places a mount fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The editor panel beside the diagram: the selected resource's fields, rules and
    /// Delete button.
    Inspect,
    /// The create form under Edit: any kind of resource.
    Create,
}

impl Part {
    /// The name [`input_json`] writes and the editor reads.
    pub fn id(self) -> &'static str {
        match self {
            Part::Inspect => "inspect",
            Part::Create => "create",
        }
    }
}

/// What the page tells the editor: the part to draw, the network the page shows, and the
/// selected resource's id (`""`: none).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EditorInput {
    pub part: Part,
    pub network: Network,
    #[serde(default)]
    pub selected: String,
}

/// The page's side of [`EditorInput`]: the JSON the editor reads, from the network as a JSON
/// value (the page has that writer already, for links and sandboxes).
pub fn input_json(part: Part, network: serde_json::Value, selected: &str) -> String {
    let mut m = serde_json::Map::new();
    m.insert("part".into(), part.id().into());
    m.insert("network".into(), network);
    m.insert("selected".into(), selected.into());
    serde_json::Value::Object(m).to_string()
}

/// The editor's side: reads what the page sent. `Err` names what was wrong (it is shown in
/// the editor's place; the page never sends anything else than [`input_json`] writes).
pub fn read_input(json: &str) -> Result<EditorInput, String> {
    serde_json::from_str(json)
        .map_err(|e| format!("The editor was given a design it cannot read ({e})."))
}

/// An EC2 call the account refused: the operation (`CreateSubnet`), AWS's error code
/// (`InvalidSubnet.Conflict`, or `Model.…` for a rule of this model) and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub operation: String,
    pub code: String,
    pub message: String,
}

/// What the editor tells the page.
#[derive(Clone, Debug, PartialEq)]
pub enum EditorEvent {
    /// Open this resource (a link inside the inspector).
    Select(String),
    /// An edit went through: the page shows and saves this network (one undo step).
    Applied(Box<Network>),
    /// An edit was refused: nothing changed.
    Refused(Refusal),
}

impl EditorEvent {
    /// The line format: `select\n<id>`, `applied\n<network JSON>`,
    /// `refused\n<operation>\n<code>\n<message>` (the message may hold line breaks; it is
    /// last).
    pub fn encode(&self) -> String {
        match self {
            EditorEvent::Select(id) => format!("select\n{id}"),
            EditorEvent::Applied(n) => {
                format!("applied\n{}", serde_json::to_value(n).unwrap_or_default())
            }
            EditorEvent::Refused(r) => {
                format!("refused\n{}\n{}\n{}", r.operation, r.code, r.message)
            }
        }
    }

    /// Reads [`EditorEvent::encode`]'s text. `Err` says what was wrong with it.
    pub fn decode(text: &str) -> Result<EditorEvent, String> {
        let (kind, rest) = text.split_once('\n').unwrap_or((text, ""));
        match kind {
            "select" => Ok(EditorEvent::Select(rest.to_string())),
            "applied" => match serde_json::from_str::<Option<Network>>(rest) {
                Ok(Some(n)) => Ok(EditorEvent::Applied(Box::new(n))),
                Ok(None) => Err("the editor's answer carried no network".into()),
                Err(e) => Err(format!("the editor's network could not be read ({e})")),
            },
            "refused" => {
                let mut parts = rest.splitn(3, '\n');
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(operation), Some(code), Some(message)) => {
                        Ok(EditorEvent::Refused(Refusal {
                            operation: operation.into(),
                            code: code.into(),
                            message: message.into(),
                        }))
                    }
                    _ => Err("the editor's refusal is incomplete".into()),
                }
            }
            other => Err(format!("the editor sent an unknown answer ({other:?})")),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::ec2::network::edit::Edit;
    use crate::core::services::ec2::network::templates;
    use crate::core::views::vpc::state::VpcState;

    #[test]
    fn the_page_input_reads_back_as_sent() {
        let net = templates::dual_stack();
        for part in [Part::Inspect, Part::Create] {
            let json = input_json(part, serde_json::to_value(&net).unwrap(), "i-web");
            let input = read_input(&json).unwrap();
            assert_eq!(input.part, part);
            assert_eq!(input.network, net);
            assert_eq!(input.selected, "i-web");
        }
        let e = read_input("{\"part\":\"paint\"}").unwrap_err();
        assert!(
            e.starts_with("The editor was given a design it cannot read"),
            "{e}"
        );
    }

    #[test]
    fn every_event_reads_back_as_written() {
        // The network an edit makes, as the editor answers it.
        let s = VpcState::for_template("web");
        let shown = s.network();
        let mut edited = s.clone();
        let first = shown.instances[0].id.clone();
        edited.apply(&shown, Edit::delete(&first).unwrap()).unwrap();
        let events = [
            EditorEvent::Select("subnet-1".into()),
            EditorEvent::Select(String::new()),
            EditorEvent::Applied(Box::new(edited.network.clone().unwrap())),
            EditorEvent::Refused(Refusal {
                operation: "DeleteSecurityGroup".into(),
                code: "DependencyViolation".into(),
                message: "resource sg-web has a dependent object\nsecond line".into(),
            }),
        ];
        for e in events {
            assert_eq!(EditorEvent::decode(&e.encode()).unwrap(), e);
        }
    }

    #[test]
    fn damaged_events_are_named() {
        for (text, says) in [
            ("", "unknown answer"),
            ("paint\nx", "unknown answer"),
            ("applied\n{", "could not be read"),
            ("applied\nnull", "no network"),
            ("refused\nCreateVpc\nInvalidParameterValue", "incomplete"),
        ] {
            let e = EditorEvent::decode(text).unwrap_err();
            assert!(e.contains(says), "{text:?}: {e}");
        }
    }
}
