//! The flow page's Build panel: create resources, wire them and edit their settings, a
//! function's handler steps and the script's timed actions, or the whole scenario as JSON.
//! Every form turns its fields into one `core::views::flow::edit::Edit`; the page applies
//! it, and a refusal is shown with the AWS operation while the typed fields stay as they
//! were. Forms reset to the saved values when the resource changes (undo included).

use crate::app::components::form::{picked, typed};
use crate::core::flow::{Action, Mapping};
use crate::core::services::dynamodb::table::{KeyAttr, KeyType, TableSpec};
use crate::core::services::lambda::{Destination, FunctionConfig, Step, When};
use crate::core::services::s3::{NotificationRule, Target, Versioning, EVENT_TYPES};
use crate::core::services::sns::filter::FilterPolicyScope;
use crate::core::services::sns::Endpoint;
use crate::core::services::sqs::RedrivePolicy;
use crate::core::views::flow::edit::{
    describe_action, describe_rule, describe_step, from_json, ids, to_json, Edit, Refusal,
};
use crate::core::views::flow::layout::endpoint_id;
use crate::core::views::flow::scenario::{BucketSpec, QueueSpec, Scenario, TopicSpec};
use std::rc::Rc;
use yew::prelude::*;

/// Script actions listed at most (the rest are in the JSON).
const ACTIONS_SHOWN: usize = 100;

/// A whole number from a field, naming the field when it is not one.
pub(super) fn whole(label: &str, text: &str) -> Result<u32, String> {
    let t = text.trim().replace([',', '_'], "");
    t.parse::<u32>().map_err(|_| {
        if t.is_empty() {
            format!("{label}: enter a whole number.")
        } else if t.starts_with('-') && t[1..].chars().all(|c| c.is_ascii_digit()) {
            format!("{label}: {} is below 0; enter 0 or more.", text.trim())
        } else if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
            format!("{label}: {} is far too large.", text.trim())
        } else {
            format!("{label}: “{}” is not a whole number.", text.trim())
        }
    })
}

/// Seconds (decimals allowed) as ms, from 0 to a day.
fn seconds_ms(label: &str, text: &str) -> Result<u64, String> {
    seconds_from(label, text, 0.0)
}

/// Seconds from `min` to a day, as ms.
fn seconds_from(label: &str, text: &str, min: f64) -> Result<u64, String> {
    let t = text.trim();
    match crate::core::parse_float::parse_f64(t) {
        Some(v) if v.is_finite() && (min..=86_400.0).contains(&v) => {
            Ok((v * 1000.0).round() as u64)
        }
        Some(_) => Err(format!(
            "{label}: {t} s is outside {min} to 86,400 s (a day)."
        )),
        None => Err(format!("{label}: “{t}” is not a number of seconds.")),
    }
}

/// `kind=order, region=eu` as attribute pairs.
fn pairs(label: &str, text: &str) -> Result<Vec<(String, String)>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(format!("{label}: “{p}” is not name=value.")),
        })
        .collect()
}

pub(super) fn input(id: String, label: &str, unit: &str, v: &UseStateHandle<String>) -> Html {
    html! {
        <div class="field narrow">
            <label for={id.clone()}>{ label.to_string() }</label>
            <span class="with-unit">
                <input id={id.clone()} type="text" autocomplete="off" value={(**v).clone()} oninput={typed(v)} data-testid={id} />
                if !unit.is_empty() { <span class="unit">{ unit.to_string() }</span> }
            </span>
        </div>
    }
}

fn wide_input(id: String, label: &str, v: &UseStateHandle<String>) -> Html {
    html! {
        <div class="field wide">
            <label for={id.clone()}>{ label.to_string() }</label>
            <input id={id.clone()} type="text" autocomplete="off" value={(**v).clone()} oninput={typed(v)} data-testid={id} />
        </div>
    }
}

/// Each script action kind's example text.
const ACTION_DEFAULTS: [(&str, &str); 7] = [
    ("send", "order {{n}}"),
    ("http", "GET /orders/o-{{n}}"),
    ("publish", "order {{n}}"),
    ("invoke", r#"{"order": "o-{{n}}"}"#),
    ("invoke-async", r#"{"order": "o-{{n}}"}"#),
    ("put", "uploads/photo-{{n}}.jpg"),
    ("delete", "uploads/photo-{{n}}.jpg"),
];

/// [`choice`] that also tells `then` the value picked.
fn choice_then(
    id: String,
    label: &str,
    options: &[(String, String)],
    v: &UseStateHandle<String>,
    then: Callback<String>,
) -> Html {
    let shown = chosen(options, v);
    let onchange = {
        let v = v.clone();
        Callback::from(move |e: Event| {
            let x = crate::app::components::form::input_value(&e);
            v.set(x.clone());
            then.emit(x);
        })
    };
    html! {
        <div class="field narrow">
            <label for={id.clone()}>{ label.to_string() }</label>
            <select id={id.clone()} data-testid={id} {onchange}>
                { for options.iter().map(|(val, text)| html! { <option value={val.clone()} selected={*val == shown}>{ text }</option> }) }
            </select>
        </div>
    }
}

/// A select of (value, label) options.
pub(super) fn choice(
    id: String,
    label: &str,
    options: &[(String, String)],
    v: &UseStateHandle<String>,
) -> Html {
    let shown = chosen(options, v);
    html! {
        <div class="field narrow">
            <label for={id.clone()}>{ label.to_string() }</label>
            // A new list of options makes a new select (a select the user has changed keeps
            // showing its option otherwise, whatever `selected` says).
            // The select is the only child of its wrapper, so the list it is keyed in is all keyed.
            <span class="select-wrap">
                <select key={options.iter().map(|o| o.0.as_str()).collect::<Vec<_>>().join("\u{1f}")} id={id.clone()} data-testid={id} onchange={picked(v)}>
                    { for options.iter().map(|(val, text)| html! { <option value={val.clone()} selected={*val == shown}>{ text }</option> }) }
                </select>
            </span>
        </div>
    }
}

pub(super) fn check(id: String, label: &str, v: &UseStateHandle<bool>) -> Html {
    let v2 = v.clone();
    html! {
        <label class="check"><input type="checkbox" id={id.clone()} data-testid={id} checked={**v} onchange={Callback::from(move |_| v2.set(!*v2))} />{ format!(" {label}") }</label>
    }
}

pub(super) fn local_error(e: &UseStateHandle<Option<String>>) -> Html {
    match &**e {
        Some(m) => html! { <p class="error" role="status" data-testid="form-error">{ m }</p> },
        None => html! {},
    }
}

/// A submit handler: `make` turns the fields into an edit or says what is wrong.
pub(super) fn submit(
    err: &UseStateHandle<Option<String>>,
    on_edit: &Callback<Result<Edit, String>, bool>,
    make: impl Fn() -> Result<Edit, String> + 'static,
) -> Callback<SubmitEvent> {
    let (err, on_edit) = (err.clone(), on_edit.clone());
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        // A field that does not parse is said here, by the form; the page clears the last
        // edit's message, which would otherwise contradict it.
        let made = make();
        err.set(made.as_ref().err().cloned());
        on_edit.emit(made);
    })
}

pub(super) fn button(
    text: &str,
    testid: String,
    on_edit: &Callback<Result<Edit, String>, bool>,
    edit: Edit,
) -> Html {
    let on_edit = on_edit.clone();
    html! { <button type="button" class="small" data-testid={testid} onclick={Callback::from(move |_| { on_edit.emit(Ok(edit.clone())); })}>{ text.to_string() }</button> }
}

/// Deletes the edited resource; focus goes to the panel's heading, as the editor goes.
pub(super) fn delete_button(
    text: &str,
    on_edit: &Callback<Result<Edit, String>, bool>,
    edit: Edit,
) -> Html {
    let on_edit = on_edit.clone();
    let onclick = Callback::from(move |_| {
        if on_edit.emit(Ok(edit.clone())) {
            if let Some(h) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("flow-build"))
            {
                use wasm_bindgen::JsCast;
                if let Ok(h) = h.dyn_into::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
            }
        }
    });
    html! { <button type="button" class="small" data-testid="delete-resource" {onclick}>{ text.to_string() }</button> }
}

/// Every resource a message can go to, as (diagram id, label).
fn targets(s: &Scenario, kinds: &[&str]) -> Vec<(String, String)> {
    ids(s)
        .into_iter()
        .filter(|id| kinds.iter().any(|k| id.starts_with(&format!("{k} "))))
        .map(|id| (id.clone(), id))
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct BuildProps {
    /// The scenario as edited (without the page's injected failures).
    pub scenario: Rc<Scenario>,
    /// The selected resource's diagram id, or empty.
    pub selected: AttrValue,
    pub on_edit: Callback<Result<Edit, String>, bool>,
    pub select: Callback<String>,
    /// The last edit's outcome.
    pub message: Option<Result<String, Refusal>>,
}

/// The Build panel.
#[component]
pub fn BuildPanel(props: &BuildProps) -> Html {
    let create_form = use_create_form(&OnEdit {
        on_edit: props.on_edit.clone(),
    });
    let json_editor = use_json_editor(&ScenarioProps {
        scenario: props.scenario.clone(),
        on_edit: props.on_edit.clone(),
    });
    let s = &*props.scenario;
    let sel = props.selected.to_string();
    let message = match &props.message {
        Some(Ok(m)) => {
            html! { <p class="finding" data-testid="flow-edit-message">{ m }</p> }
        }
        Some(Err(r)) => html! {
            <div>
                <ul class="error-list" data-testid="flow-edit-message">{ for r.errors.iter().map(|e| html! { <li>{ format!("Refused: {e}") }</li> }) }</ul>
                <p class="hint mono small" data-testid="flow-edit-operation">{ format!("{} was refused; nothing changed.", r.operation) }</p>
            </div>
        },
        None => html! {},
    };
    // A pick selects (it does not toggle); "the script" selects nothing, so the log is
    // not narrowed to the script's own lines.
    let pick = |id: String| {
        let select = props.select.clone();
        let script = id == "scenario";
        let pressed = if script {
            sel.is_empty() || sel == "scenario"
        } else {
            sel == id
        };
        let label = if script {
            "the script".to_string()
        } else {
            id.clone()
        };
        let testid = format!("build-pick-{}", super::slug(&id));
        let target = if script { String::new() } else { id.clone() };
        let current = sel.clone();
        html! { <button type="button" class="small" aria-pressed={pressed.to_string()} data-testid={testid} onclick={Callback::from(move |_| if current != target { select.emit(target.clone()) })}>{ label }</button> }
    };
    let on_edit = &props.on_edit;
    // An editor is made anew for another resource; for the same one its fields follow the
    // saved settings (an accepted edit, undo) and keep what was typed when an edit is refused.
    let key = sel.clone();
    let editor = if let Some(name) = sel.strip_prefix("queue ") {
        s.queues.iter().find(|q| q.name == name).map(|q| {
            html! { <QueueEditor key={key.clone()} queue={q.clone()} scenario={props.scenario.clone()} on_edit={on_edit.clone()} /> }
        })
    } else if let Some(name) = sel.strip_prefix("topic ") {
        s.topics.iter().find(|t| t.name == name).map(|t| {
            html! { <TopicEditor key={key.clone()} topic={t.clone()} scenario={props.scenario.clone()} on_edit={on_edit.clone()} /> }
        })
    } else if let Some(name) = sel.strip_prefix("bucket ") {
        s.buckets.iter().find(|b| b.name == name).map(|b| {
            html! { <BucketEditor key={key.clone()} bucket={b.clone()} scenario={props.scenario.clone()} on_edit={on_edit.clone()} /> }
        })
    } else if let Some(name) = sel.strip_prefix("api ") {
        s.apis.iter().find(|a| a.name == name).map(|a| {
            html! { <super::api::ApiEditor key={key.clone()} api={a.clone()} scenario={props.scenario.clone()} on_edit={on_edit.clone()} /> }
        })
    } else if let Some(name) = sel.strip_prefix("table ") {
        s.tables.iter().find(|t| t.name == name).map(|t| {
            html! { <super::tables::TableEditor key={key.clone()} table={t.clone()} scenario={props.scenario.clone()} on_edit={on_edit.clone()} /> }
        })
    } else if let Some(name) = sel.strip_prefix("function ") {
        s.functions.iter().find(|f| f.name == name).map(|f| {
            html! { <FunctionEditor key={key.clone()} function={f.clone()} scenario={props.scenario.clone()} on_edit={on_edit.clone()} /> }
        })
    } else {
        None
    };
    let editor = editor.unwrap_or_else(|| {
        html! { <ScriptEditor key={key.clone()} scenario={props.scenario.clone()} on_edit={on_edit.clone()} /> }
    });
    html! {
        <>
            { create_form }
            <div class="toolbar build-pick" role="group" aria-label="Edit a resource">
                <span class="hint">{ "Edit:" }</span>
                { pick("scenario".into()) }
                { for ids(s).into_iter().map(pick) }
            </div>
            <div class="flow-editor" data-testid="flow-editor">{ editor }</div>
            { json_editor }
            // Always in the page, so a screen reader announces each new outcome; pinned to the
            // bottom of the screen while the panel is in view, so it is seen next to any form.
            <div class="edit-status" role="status" aria-live="polite">{ message }</div>
        </>
    }
}

fn mappings_of(s: &Scenario, queue: &str) -> Vec<(usize, Mapping)> {
    s.mappings
        .iter()
        .enumerate()
        .filter(|(_, m)| m.queue == queue)
        .map(|(k, m)| (k, m.clone()))
        .collect()
}

struct OnEdit {
    on_edit: Callback<Result<Edit, String>, bool>,
}

/// The create form (a hook of the Build panel rather than a component of its own: each
/// component costs the module its own copy of Yew's lifecycle code).
#[hook]
fn use_create_form(props: &OnEdit) -> Html {
    let kind = use_state(|| "queue".to_string());
    let name = use_state(String::new);
    let pk = use_state(|| "id".to_string());
    let pk_type = use_state(|| "S".to_string());
    let sk = use_state(String::new);
    let sk_type = use_state(|| "S".to_string());
    let err = use_state(|| None::<String>);
    let on_edit = {
        let (name, on_edit) = (name.clone(), props.on_edit.clone());
        Callback::from(move |e: Result<Edit, String>| {
            let done = on_edit.emit(e);
            if done {
                name.set(String::new());
            }
            done
        })
    };
    let onsubmit = {
        let (kind, name) = (kind.clone(), name.clone());
        let (pk, pk_type, sk, sk_type) = (pk.clone(), pk_type.clone(), sk.clone(), sk_type.clone());
        submit(&err, &on_edit, move || {
            let name = name.trim().to_string();
            if name.is_empty() {
                return Err("Name: enter a name for the new resource.".into());
            }
            let key = |n: &str, t: &str| {
                let kind = match t {
                    "N" => KeyType::N,
                    "B" => KeyType::B,
                    _ => KeyType::S,
                };
                KeyAttr::new(n.trim(), kind)
            };
            if *kind == "table" && pk.trim().is_empty() {
                return Err("Partition key: name the attribute every item is found by.".into());
            }
            Ok(match kind.as_str() {
                "api" => Edit::CreateRestApi { name },
                "table" => Edit::CreateTable {
                    spec: TableSpec {
                        sort_key: (!sk.trim().is_empty()).then(|| key(&sk, &sk_type)),
                        ..TableSpec::new(&name, key(&pk, &pk_type))
                    },
                },
                "fifo" => Edit::CreateQueue { name, fifo: true },
                "topic" => Edit::CreateTopic { name },
                "bucket" => Edit::CreateBucket { name },
                "function" => Edit::CreateFunction { name },
                _ => Edit::CreateQueue { name, fifo: false },
            })
        })
    };
    let kinds: Vec<(String, String)> = [
        ("queue", "SQS standard queue"),
        ("fifo", "SQS FIFO queue (name ends in .fifo)"),
        ("topic", "SNS topic"),
        ("bucket", "S3 bucket"),
        ("function", "Lambda function"),
        ("table", "DynamoDB table"),
        ("api", "API Gateway REST API"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let types: Vec<(String, String)> = [("S", "String"), ("N", "Number"), ("B", "Binary")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    html! {
        <form class="toolbar" onsubmit={onsubmit} data-testid="flow-create-form">
            { choice("flow-create-kind".into(), "Create", &kinds, &kind) }
            <div class="field create-name">
                <label for="flow-create-name">{ "Name" }</label>
                <input id="flow-create-name" type="text" autocomplete="off" spellcheck="false" value={(*name).clone()} oninput={typed(&name)} data-testid="flow-create-name" />
            </div>
            if *kind == "table" {
                { input("flow-create-pk".into(), "Partition key", "", &pk) }
                { choice("flow-create-pk-type".into(), "Partition key type", &types, &pk_type) }
                { input("flow-create-sk".into(), "Sort key (optional)", "", &sk) }
                if !sk.trim().is_empty() { { choice("flow-create-sk-type".into(), "Sort key type", &types, &sk_type) } }
            }
            <button type="submit" class="small" data-testid="flow-create-submit">{ "Create" }</button>
            { local_error(&err) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct QueueProps {
    queue: QueueSpec,
    scenario: Rc<Scenario>,
    on_edit: Callback<Result<Edit, String>, bool>,
}

#[component]
fn QueueEditor(props: &QueueProps) -> Html {
    let q = &props.queue;
    let a = &q.attributes;
    let vis = use_state(|| a.visibility_timeout.to_string());
    let retention = use_state(|| a.message_retention_period.to_string());
    let delay = use_state(|| a.delay_seconds.to_string());
    let wait = use_state(|| a.receive_message_wait_time_seconds.to_string());
    let dlq = use_state(|| {
        a.redrive_policy
            .as_ref()
            .map(|r| r.dead_letter_target.clone())
            .unwrap_or_default()
    });
    let max_receive = use_state(|| {
        a.redrive_policy
            .as_ref()
            .map(|r| r.max_receive_count)
            .unwrap_or(3)
            .to_string()
    });
    let dedup = use_state(|| a.content_based_deduplication);
    let err = use_state(|| None::<String>);
    {
        let (vis, retention, delay, wait, dlq, max_receive, dedup) = (
            vis.clone(),
            retention.clone(),
            delay.clone(),
            wait.clone(),
            dlq.clone(),
            max_receive.clone(),
            dedup.clone(),
        );
        use_effect_with(a.clone(), move |a| {
            vis.set(a.visibility_timeout.to_string());
            retention.set(a.message_retention_period.to_string());
            delay.set(a.delay_seconds.to_string());
            wait.set(a.receive_message_wait_time_seconds.to_string());
            dlq.set(
                a.redrive_policy
                    .as_ref()
                    .map(|r| r.dead_letter_target.clone())
                    .unwrap_or_default(),
            );
            max_receive.set(
                a.redrive_policy
                    .as_ref()
                    .map(|r| r.max_receive_count)
                    .unwrap_or(3)
                    .to_string(),
            );
            dedup.set(a.content_based_deduplication);
        });
    }
    let onsubmit = {
        let (vis, retention, delay, wait, dlq, max_receive, dedup) = (
            vis.clone(),
            retention.clone(),
            delay.clone(),
            wait.clone(),
            dlq.clone(),
            max_receive.clone(),
            dedup.clone(),
        );
        let (name, base) = (q.name.clone(), a.clone());
        submit(&err, &props.on_edit, move || {
            let mut attributes = base.clone();
            attributes.visibility_timeout = whole("Visibility timeout", &vis)?;
            attributes.message_retention_period = whole("Retention period", &retention)?;
            attributes.delay_seconds = whole("Delivery delay", &delay)?;
            attributes.receive_message_wait_time_seconds = whole("Receive wait time", &wait)?;
            attributes.redrive_policy = if dlq.is_empty() {
                None
            } else {
                Some(RedrivePolicy {
                    dead_letter_target: (*dlq).clone(),
                    max_receive_count: whole("maxReceiveCount", &max_receive)?,
                })
            };
            attributes.content_based_deduplication = *dedup;
            Ok(Edit::SetQueueAttributes {
                queue: name.clone(),
                attributes,
            })
        })
    };
    let s = &*props.scenario;
    let mut dlqs = vec![(String::new(), "none".to_string())];
    dlqs.extend(
        s.queues
            .iter()
            .filter(|x| x.name != q.name && x.attributes.fifo_queue == a.fifo_queue)
            .map(|x| (x.name.clone(), x.name.clone())),
    );
    let mappings = mappings_of(s, &q.name);
    let unmapped: Vec<(String, String)> = s
        .functions
        .iter()
        .filter(|f| !mappings.iter().any(|(_, m)| m.function == f.name))
        .map(|f| (f.name.clone(), format!("function {}", f.name)))
        .collect();
    let add_mapping = use_add_mapping(&AddMappingProps {
        prefix: "mapping-new",
        label: "Poll with",
        functions: unmapped.clone(),
        make: {
            let queue = q.name.clone();
            Rc::new(move |function| Edit::CreateEventSourceMapping {
                mapping: Mapping {
                    queue: queue.clone(),
                    function,
                    ..Default::default()
                },
            })
        },
        on_edit: props.on_edit.clone(),
    });
    html! {
        <div data-testid="editor-queue">
            <h3>{ format!("{} queue {}", if a.fifo_queue { "FIFO" } else { "Standard" }, q.name) }</h3>
            <form onsubmit={onsubmit}>
                <div class="toolbar">
                    { input("queue-visibility".into(), "Visibility timeout", "s", &vis) }
                    { input("queue-retention".into(), "Retention period", "s", &retention) }
                    { input("queue-delay".into(), "Delivery delay", "s", &delay) }
                    { input("queue-wait".into(), "Receive wait time", "s", &wait) }
                </div>
                <div class="toolbar">
                    { choice("queue-dlq".into(), "Dead-letter queue", &dlqs, &dlq) }
                    if !dlq.is_empty() { { input("queue-max-receive".into(), "maxReceiveCount", "", &max_receive) } }
                    if a.fifo_queue { { check("queue-dedup".into(), "Content-based deduplication", &dedup) } }
                </div>
                <p class="hint">{ "Visibility timeout 0–43,200 s; retention 60–1,209,600 s (4 days by default); delay 0–900 s; receive wait 0–20 s (more than 0 is long polling); maxReceiveCount 1–1,000. A dead-letter queue has the same type as its source." }</p>
                <button type="submit" class="small primary" data-testid="queue-save">{ "Save (SetQueueAttributes)" }</button>
                { local_error(&err) }
            </form>
            <h4>{ "Event source mappings" }</h4>
            if mappings.is_empty() {
                <p class="hint">{ "No function polls this queue." }</p>
            }
            { for mappings.iter().map(|(k, m)| html! { <MappingEditor key={*k} index={*k} mapping={m.clone()} fifo={a.fifo_queue} on_edit={props.on_edit.clone()} /> }) }
            if !unmapped.is_empty() {
                { add_mapping }
            }
            <div class="toolbar delete-row">{ delete_button("Delete queue", &props.on_edit, Edit::Delete { node: format!("queue {}", q.name) }) }</div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MappingProps {
    index: usize,
    mapping: Mapping,
    fifo: bool,
    on_edit: Callback<Result<Edit, String>, bool>,
}

#[component]
fn MappingEditor(props: &MappingProps) -> Html {
    let m = &props.mapping;
    let batch = use_state(|| m.batch_size.to_string());
    let window = use_state(|| m.maximum_batching_window_seconds.to_string());
    let report = use_state(|| m.report_batch_item_failures);
    let conc = use_state(|| {
        m.maximum_concurrency
            .map(|c| c.to_string())
            .unwrap_or_default()
    });
    let err = use_state(|| None::<String>);
    {
        let (batch, window, report, conc) =
            (batch.clone(), window.clone(), report.clone(), conc.clone());
        use_effect_with(m.clone(), move |m| {
            batch.set(m.batch_size.to_string());
            window.set(m.maximum_batching_window_seconds.to_string());
            report.set(m.report_batch_item_failures);
            conc.set(
                m.maximum_concurrency
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            );
        });
    }
    let k = props.index;
    let onsubmit = {
        let (batch, window, report, conc, base) = (
            batch.clone(),
            window.clone(),
            report.clone(),
            conc.clone(),
            m.clone(),
        );
        submit(&err, &props.on_edit, move || {
            let mut mapping = base.clone();
            mapping.batch_size = whole("BatchSize", &batch)?;
            mapping.maximum_batching_window_seconds = whole("Batching window", &window)?;
            mapping.report_batch_item_failures = *report;
            mapping.maximum_concurrency = if conc.trim().is_empty() {
                None
            } else {
                Some(whole("MaximumConcurrency", &conc)?)
            };
            Ok(Edit::UpdateEventSourceMapping { index: k, mapping })
        })
    };
    html! {
        <form class="mapping" onsubmit={onsubmit} data-testid={format!("mapping-{k}")}>
            <p><strong>{ format!("→ function {}", m.function) }</strong></p>
            <div class="toolbar">
                { input(format!("mapping-{k}-batch"), "BatchSize", "", &batch) }
                if !props.fifo { { input(format!("mapping-{k}-window"), "Batching window", "s", &window) } }
                { input(format!("mapping-{k}-concurrency"), "MaximumConcurrency", "", &conc) }
                { check(format!("mapping-{k}-report"), "ReportBatchItemFailures", &report) }
            </div>
            <p class="hint">{ if props.fifo { "BatchSize 1–10 on a FIFO queue; MaximumConcurrency 2–1,000 or empty for Lambda's own scaling." } else { "BatchSize 1–10,000 (over 10 needs a batching window of 1–300 s); MaximumConcurrency 2–1,000 or empty for Lambda's own scaling." } }</p>
            <div class="toolbar">
                <button type="submit" class="small" data-testid={format!("mapping-{k}-save")}>{ "Save (UpdateEventSourceMapping)" }</button>
                { button("Delete mapping", format!("mapping-{k}-delete"), &props.on_edit, Edit::DeleteEventSourceMapping { index: k }) }
            </div>
            { local_error(&err) }
        </form>
    }
}

/// The form that maps a source (a queue, a table's stream) to a function.
pub(super) struct AddMappingProps {
    /// Test ids `<prefix>-function` and `<prefix>-submit`.
    pub prefix: &'static str,
    pub label: &'static str,
    pub functions: Vec<(String, String)>,
    /// The edit that maps the source to the function picked.
    pub make: Rc<dyn Fn(String) -> Edit>,
    pub on_edit: Callback<Result<Edit, String>, bool>,
}

#[hook]
pub(super) fn use_add_mapping(props: &AddMappingProps) -> Html {
    let function = use_state(String::new);
    let err = use_state(|| None::<String>);
    let onsubmit = {
        let (function, functions, make) = (
            function.clone(),
            props.functions.clone(),
            props.make.clone(),
        );
        submit(&err, &props.on_edit, move || {
            // What the select shows (the state may name a function undone since).
            let function = chosen(&functions, &function);
            if function.is_empty() {
                return Err("Create a function first: a mapping invokes one.".into());
            }
            Ok(make(function))
        })
    };
    html! {
        <form class="toolbar" onsubmit={onsubmit}>
            { choice(format!("{}-function", props.prefix), props.label, &props.functions, &function) }
            <button type="submit" class="small" data-testid={format!("{}-submit", props.prefix)}>{ "Create mapping" }</button>
            { local_error(&err) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct TopicProps {
    topic: TopicSpec,
    scenario: Rc<Scenario>,
    on_edit: Callback<Result<Edit, String>, bool>,
}

#[component]
fn TopicEditor(props: &TopicProps) -> Html {
    let t = &props.topic;
    let s = &*props.scenario;
    let options = targets(s, &["queue", "function"]);
    let endpoint = use_state(|| options.first().map(|o| o.0.clone()).unwrap_or_default());
    let scope = use_state(|| "attributes".to_string());
    let policy = use_state(String::new);
    let raw = use_state(|| false);
    let err = use_state(|| None::<String>);
    let onsubmit = {
        let options = options.clone();
        let (endpoint, scope, policy, raw, topic) = (
            endpoint.clone(),
            scope.clone(),
            policy.clone(),
            raw.clone(),
            t.name.clone(),
        );
        submit(&err, &props.on_edit, move || {
            let endpoint = chosen(&options, &endpoint);
            let endpoint = match endpoint.split_once(' ') {
                Some(("queue", n)) => Endpoint::Sqs(n.into()),
                Some(("function", n)) => Endpoint::Lambda(n.into()),
                _ => {
                    return Err("Endpoint: create a queue or a function to subscribe first.".into())
                }
            };
            Ok(Edit::Subscribe {
                topic: topic.clone(),
                subscription: crate::core::views::flow::scenario::SubscriptionSpec {
                    raw_message_delivery: *raw && matches!(endpoint, Endpoint::Sqs(_)),
                    endpoint,
                    filter_policy: (!policy.trim().is_empty()).then(|| policy.trim().to_string()),
                    filter_policy_scope: if *scope == "body" {
                        FilterPolicyScope::MessageBody
                    } else {
                        FilterPolicyScope::MessageAttributes
                    },
                },
            })
        })
    };
    let scopes = vec![
        ("attributes".to_string(), "MessageAttributes".to_string()),
        ("body".to_string(), "MessageBody".to_string()),
    ];
    html! {
        <div data-testid="editor-topic">
            <h3>{ format!("Topic {}", t.name) }</h3>
            <h4>{ "Subscriptions" }</h4>
            if t.subscriptions.is_empty() { <p class="hint">{ "Nobody is subscribed: a message published here goes nowhere." }</p> }
            <ul class="plain edit-list">
                { for t.subscriptions.iter().enumerate().map(|(k, sub)| html! {
                    <li data-testid={format!("subscription-{k}")}>
                        <span>{ endpoint_id(&sub.endpoint) }</span>
                        if sub.raw_message_delivery { <span class="hint">{ " · raw delivery" }</span> }
                        if let Some(p) = &sub.filter_policy {
                            <span class="hint">{ format!(" · filter on {}:", if sub.filter_policy_scope == FilterPolicyScope::MessageBody { "the body" } else { "attributes" }) }</span>{ " " }
                            <code class="policy">{ p }</code>
                        }
                        { " " }{ button("Unsubscribe", format!("subscription-{k}-remove"), &props.on_edit, Edit::Unsubscribe { topic: t.name.clone(), index: k }) }
                    </li>
                }) }
            </ul>
            <form onsubmit={onsubmit} data-testid="subscribe-form">
                <div class="toolbar">
                    { choice("subscribe-endpoint".into(), "Subscribe", &options, &endpoint) }
                    { choice("subscribe-scope".into(), "Filter on", &scopes, &scope) }
                    if chosen(&options, &endpoint).starts_with("queue ") { { check("subscribe-raw".into(), "Raw message delivery", &raw) } }
                </div>
                <div class="field">
                    <label for="subscribe-policy">{ "Filter policy (JSON; empty: every message)" }</label>
                    <textarea id="subscribe-policy" data-testid="subscribe-policy" rows="3" spellcheck="false" class="mono" value={(*policy).clone()} oninput={{ let p = policy.clone(); Callback::from(move |e: InputEvent| p.set(crate::app::components::form::input_value(&e))) }} placeholder={r#"{"kind": ["order"], "price_usd": [{"numeric": [">=", 100]}]}"#} />
                </div>
                <button type="submit" class="small primary" data-testid="subscribe-submit">{ "Subscribe" }</button>
                { local_error(&err) }
            </form>
            <div class="toolbar delete-row">{ delete_button("Delete topic", &props.on_edit, Edit::Delete { node: format!("topic {}", t.name) }) }</div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BucketProps {
    bucket: BucketSpec,
    scenario: Rc<Scenario>,
    on_edit: Callback<Result<Edit, String>, bool>,
}

#[component]
fn BucketEditor(props: &BucketProps) -> Html {
    let s = &*props.scenario;
    let b = &props.bucket;
    let options = targets(s, &["function", "queue", "topic"]);
    let versioning = use_state(|| format!("{:?}", b.versioning));
    let event = use_state(|| EVENT_TYPES[0].to_string());
    let prefix = use_state(String::new);
    let suffix = use_state(String::new);
    let target = use_state(|| options.first().map(|o| o.0.clone()).unwrap_or_default());
    let err = use_state(|| None::<String>);
    let verr = use_state(|| None::<String>);
    {
        let versioning = versioning.clone();
        use_effect_with(b.versioning, move |v| versioning.set(format!("{v:?}")));
    }
    let on_versioning = {
        let (versioning, name) = (versioning.clone(), b.name.clone());
        submit(&verr, &props.on_edit, move || {
            Ok(Edit::PutBucketVersioning {
                bucket: name.clone(),
                versioning: match versioning.as_str() {
                    "Enabled" => Versioning::Enabled,
                    "Suspended" => Versioning::Suspended,
                    _ => Versioning::Off,
                },
            })
        })
    };
    let onsubmit = {
        let options = options.clone();
        let (event, prefix, suffix, target, name) = (
            event.clone(),
            prefix.clone(),
            suffix.clone(),
            target.clone(),
            b.name.clone(),
        );
        submit(&err, &props.on_edit, move || {
            let target = chosen(&options, &target);
            let target = match target.split_once(' ') {
                Some(("function", n)) => Target::Lambda(n.into()),
                Some(("queue", n)) => Target::Sqs(n.into()),
                Some(("topic", n)) => Target::Sns(n.into()),
                _ => return Err("Destination: create a function, queue or topic first.".into()),
            };
            Ok(Edit::AddNotification {
                bucket: name.clone(),
                rule: NotificationRule {
                    id: String::new(),
                    events: vec![(*event).clone()],
                    prefix: (*prefix).clone(),
                    suffix: (*suffix).clone(),
                    target,
                },
            })
        })
    };
    let versions: Vec<(String, String)> = ["Off", "Enabled", "Suspended"]
        .iter()
        .map(|v| (v.to_string(), v.to_string()))
        .collect();
    let events: Vec<(String, String)> = EVENT_TYPES
        .iter()
        .map(|e| (e.to_string(), e.to_string()))
        .collect();
    html! {
        <div data-testid="editor-bucket">
            <h3>{ format!("Bucket {}", b.name) }</h3>
            <form class="toolbar" onsubmit={on_versioning}>
                { choice("bucket-versioning".into(), "Versioning", &versions, &versioning) }
                <button type="submit" class="small" data-testid="bucket-versioning-save">{ "Save (PutBucketVersioning)" }</button>
                { local_error(&verr) }
            </form>
            <h4>{ "Event notifications" }</h4>
            if b.notifications.is_empty() { <p class="hint">{ "No rules: changes to objects notify nobody." }</p> }
            <ul class="plain edit-list">
                { for b.notifications.iter().enumerate().map(|(k, r)| html! {
                    <li data-testid={format!("rule-{k}")}>
                        <span>{ format!("{}: {}", r.id, describe_rule(r)) }</span>{ " " }
                        { button("Remove", format!("rule-{k}-remove"), &props.on_edit, Edit::RemoveNotification { bucket: b.name.clone(), index: k }) }
                    </li>
                }) }
            </ul>
            <form onsubmit={onsubmit} data-testid="rule-form">
                <div class="toolbar">
                    { choice("rule-event".into(), "Event", &events, &event) }
                    { input("rule-prefix".into(), "Prefix", "", &prefix) }
                    { input("rule-suffix".into(), "Suffix", "", &suffix) }
                    { choice("rule-target".into(), "Destination", &options, &target) }
                </div>
                <p class="hint">{ "Two rules for the same event type may not have overlapping prefixes and suffixes (S3 refuses them as ambiguous)." }</p>
                <button type="submit" class="small primary" data-testid="rule-submit">{ "Add rule" }</button>
                { local_error(&err) }
            </form>
            <div class="toolbar delete-row">{ delete_button("Delete bucket", &props.on_edit, Edit::Delete { node: format!("bucket {}", b.name) }) }</div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FunctionProps {
    function: FunctionConfig,
    scenario: Rc<Scenario>,
    on_edit: Callback<Result<Edit, String>, bool>,
}

fn destination_value(d: &Option<Destination>) -> String {
    match d {
        Some(Destination::Sqs(n)) => format!("queue {n}"),
        Some(Destination::Sns(n)) => format!("topic {n}"),
        Some(Destination::Lambda(n)) => format!("function {n}"),
        None => String::new(),
    }
}

fn destination_of(v: &str) -> Option<Destination> {
    match v.split_once(' ') {
        Some(("queue", n)) => Some(Destination::Sqs(n.into())),
        Some(("topic", n)) => Some(Destination::Sns(n.into())),
        Some(("function", n)) => Some(Destination::Lambda(n.into())),
        _ => None,
    }
}

#[component]
fn FunctionEditor(props: &FunctionProps) -> Html {
    let f = &props.function;
    let memory = use_state(|| f.memory_mb.to_string());
    let timeout = use_state(|| f.timeout_s.to_string());
    let reserved = use_state(|| {
        f.reserved_concurrency
            .map(|c| c.to_string())
            .unwrap_or_default()
    });
    let retries = use_state(|| f.async_config.maximum_retry_attempts.to_string());
    let age = use_state(|| f.async_config.maximum_event_age_seconds.to_string());
    let on_failure = use_state(|| destination_value(&f.async_config.on_failure));
    let on_success = use_state(|| destination_value(&f.async_config.on_success));
    let err = use_state(|| None::<String>);
    {
        let (memory, timeout, reserved, retries, age, on_failure, on_success) = (
            memory.clone(),
            timeout.clone(),
            reserved.clone(),
            retries.clone(),
            age.clone(),
            on_failure.clone(),
            on_success.clone(),
        );
        // The settings without the handler: adding a step keeps what is typed here.
        let settings = (
            f.memory_mb,
            f.timeout_s,
            f.reserved_concurrency,
            f.async_config.clone(),
        );
        use_effect_with(settings, move |(m, t, r, a)| {
            memory.set(m.to_string());
            timeout.set(t.to_string());
            reserved.set(r.map(|c| c.to_string()).unwrap_or_default());
            retries.set(a.maximum_retry_attempts.to_string());
            age.set(a.maximum_event_age_seconds.to_string());
            on_failure.set(destination_value(&a.on_failure));
            on_success.set(destination_value(&a.on_success));
        });
    }
    let onsubmit = {
        let (memory, timeout, reserved, retries, age, on_failure, on_success, base) = (
            memory.clone(),
            timeout.clone(),
            reserved.clone(),
            retries.clone(),
            age.clone(),
            on_failure.clone(),
            on_success.clone(),
            f.clone(),
        );
        submit(&err, &props.on_edit, move || {
            let mut config = base.clone();
            config.memory_mb = whole("Memory", &memory)?;
            config.timeout_s = whole("Timeout", &timeout)?;
            config.reserved_concurrency = if reserved.trim().is_empty() {
                None
            } else {
                Some(whole("Reserved concurrency", &reserved)?)
            };
            config.async_config.maximum_retry_attempts = retries.parse().unwrap_or(2);
            config.async_config.maximum_event_age_seconds = whole("Maximum event age", &age)?;
            config.async_config.on_failure = destination_of(&on_failure);
            config.async_config.on_success = destination_of(&on_success);
            Ok(Edit::UpdateFunction { config })
        })
    };
    let s = &*props.scenario;
    let mut dests = vec![(String::new(), "none".to_string())];
    dests.extend(
        targets(s, &["queue", "topic", "function"])
            .into_iter()
            .filter(|(id, _)| *id != format!("function {}", f.name)),
    );
    let tries: Vec<(String, String)> = (0..=2).map(|k| (k.to_string(), k.to_string())).collect();
    let add_step = use_add_step(&AddStepProps {
        function: f.name.clone(),
        scenario: props.scenario.clone(),
        on_edit: props.on_edit.clone(),
    });
    let name = f.name.clone();
    html! {
        <div data-testid="editor-function">
            <h3>{ format!("Function {}", f.name) }</h3>
            <form onsubmit={onsubmit}>
                <div class="toolbar">
                    { input("function-memory".into(), "Memory", "MB", &memory) }
                    { input("function-timeout".into(), "Timeout", "s", &timeout) }
                    { input("function-reserved".into(), "Reserved concurrency", "", &reserved) }
                </div>
                <div class="toolbar">
                    { choice("function-retries".into(), "Async retry attempts", &tries, &retries) }
                    { input("function-age".into(), "Maximum event age", "s", &age) }
                    { choice("function-on-failure".into(), "On failure", &dests, &on_failure) }
                    { choice("function-on-success".into(), "On success", &dests, &on_success) }
                </div>
                <p class="hint">{ "Memory 128–10,240 MB; timeout 1–900 s; reserved concurrency empty (share the account's unreserved pool) or 0–900, leaving 100 of the account's 1,000 unreserved; event age 60–21,600 s. Destinations receive asynchronous invocations' records." }</p>
                <button type="submit" class="small primary" data-testid="function-save">{ "Save (UpdateFunctionConfiguration)" }</button>
                { local_error(&err) }
            </form>
            <h4>{ "Handler steps, in order" }</h4>
            if f.handler.steps.is_empty() { <p class="hint">{ "No steps: the function returns at once." }</p> }
            <ol class="edit-list" data-testid="steps">
                { for f.handler.steps.iter().enumerate().map(|(k, step)| html! {
                    <li data-testid={format!("step-{k}")}>
                        <span>{ describe_step(step) }</span>{ " " }
                        if k > 0 { { button("Move up", format!("step-{k}-up"), &props.on_edit, Edit::MoveStepUp { function: name.clone(), index: k }) } }
                        { button("Remove", format!("step-{k}-remove"), &props.on_edit, Edit::RemoveStep { function: name.clone(), index: k }) }
                    </li>
                }) }
            </ol>
            { add_step }
            <div class="toolbar delete-row">{ delete_button("Delete function", &props.on_edit, Edit::Delete { node: format!("function {}", f.name) }) }</div>
        </div>
    }
}

struct AddStepProps {
    function: String,
    scenario: Rc<Scenario>,
    on_edit: Callback<Result<Edit, String>, bool>,
}

#[hook]
fn use_add_step(props: &AddStepProps) -> Html {
    let kind = use_state(|| "run".to_string());
    let ms = use_state(|| "200".to_string());
    let when = use_state(|| "always".to_string());
    let p = use_state(|| "0.5".to_string());
    let path = use_state(|| "Records.0.body".to_string());
    let value = use_state(String::new);
    let error_type = use_state(|| "Error".to_string());
    let text = use_state(String::new);
    let target = use_state(String::new);
    let group = use_state(String::new);
    let attrs = use_state(String::new);
    let dynamo = super::tables::use_dynamo_fields(r#"{"id": "{{Records.0.body}}"}"#);
    let err = use_state(|| None::<String>);
    let s = &*props.scenario;
    let tables: Vec<String> = s.tables.iter().map(|t| t.name.clone()).collect();
    let kinds: Vec<(String, String)> = [
        ("run", "Run for a while"),
        ("fail", "Fail (throw an error)"),
        ("send", "SQS SendMessage"),
        ("publish", "SNS Publish"),
        ("put", "S3 PutObject"),
        ("report", "Report batchItemFailures"),
        ("dynamodb", "DynamoDB call"),
        ("return", "Return (an HTTP response for API Gateway)"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let names = |v: Vec<String>| -> Vec<(String, String)> {
        v.into_iter().map(|n| (n.clone(), n)).collect()
    };
    let target_options = match kind.as_str() {
        "send" => names(s.queues.iter().map(|q| q.name.clone()).collect()),
        "publish" => names(s.topics.iter().map(|t| t.name.clone()).collect()),
        "put" => names(s.buckets.iter().map(|b| b.name.clone()).collect()),
        _ => vec![],
    };
    let fifo_target = is_fifo(s, &chosen(&target_options, &target));
    let onsubmit = {
        let (kind, ms, when, p, path, value, error_type, text, target, group, attrs) = (
            kind.clone(),
            ms.clone(),
            when.clone(),
            p.clone(),
            path.clone(),
            value.clone(),
            error_type.clone(),
            text.clone(),
            target.clone(),
            group.clone(),
            attrs.clone(),
        );
        let function = props.function.clone();
        let options = target_options.clone();
        let (dynamo, tables) = (dynamo.clone(), tables.clone());
        submit(&err, &props.on_edit, move || {
            let cond = || -> Result<When, String> {
                Ok(match when.as_str() {
                    "probability" => {
                        let v = crate::core::parse_float::parse_f64(p.trim()).ok_or_else(|| {
                            format!("Probability: “{}” is not a number from 0 to 1.", p.trim())
                        })?;
                        if !(0.0..=1.0).contains(&v) {
                            return Err(format!("Probability: {v} is not from 0 to 1."));
                        }
                        When::Probability(v)
                    }
                    "field" => When::FieldEquals {
                        path: path.trim().to_string(),
                        value: (*value).clone(),
                    },
                    "missing" => When::Missing {
                        path: path.trim().to_string(),
                    },
                    _ => When::Always,
                })
            };
            let target = chosen(&options, &target);
            let need_target = |what: &str| {
                if target.is_empty() {
                    Err(format!("Create a {what} first: this step needs one."))
                } else {
                    Ok(target.clone())
                }
            };
            let step = match kind.as_str() {
                "fail" => Step::Fail {
                    when: cond()?,
                    error_type: if error_type.trim().is_empty() {
                        "Error".into()
                    } else {
                        error_type.trim().to_string()
                    },
                    message: (*text).clone(),
                },
                "send" => Step::SendMessage {
                    queue: need_target("queue")?,
                    body: (*text).clone(),
                    group_id: (!group.trim().is_empty()).then(|| group.trim().to_string()),
                },
                "publish" => Step::Publish {
                    topic: need_target("topic")?,
                    message: (*text).clone(),
                    attributes: pairs("Attributes", &attrs)?,
                },
                "put" => Step::PutObject {
                    bucket: need_target("bucket")?,
                    key: if text.trim().is_empty() {
                        return Err("Key: enter the object's key (templates like out/{{request_id}}.json work).".into());
                    } else {
                        text.trim().to_string()
                    },
                    body: "(output)".into(),
                },
                "report" => Step::ReportBatchItemFailures { when: cond()? },
                "dynamodb" => {
                    let (call, catch) = dynamo.request(&tables)?;
                    Step::DynamoDb { call, catch }
                }
                "return" => {
                    let status = whole("Status code", &ms)?;
                    if !(100..=599).contains(&status) {
                        return Err(format!(
                            "Status code: {status} is not an HTTP status (100 to 599)."
                        ));
                    }
                    Step::Return {
                        when: cond()?,
                        status_code: status as u16,
                        body: (*text).clone(),
                        headers: vec![("Content-Type".into(), "application/json".into())],
                    }
                }
                _ => {
                    let v = whole("Duration", &ms)?;
                    Step::Run { ms: v as u64 }
                }
            };
            Ok(Edit::AddStep {
                function: function.clone(),
                step,
            })
        })
    };
    let whens: Vec<(String, String)> = [
        ("always", "always"),
        ("probability", "with probability p"),
        ("field", "when a field of the event equals"),
        ("missing", "when a field is missing"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let k = kind.as_str();
    let text_label = match k {
        "fail" => "Error message",
        "send" => "Message body",
        "publish" => "Message",
        "return" => "Body",
        _ => "Key",
    };
    html! {
        <form class="add-step" onsubmit={onsubmit} data-testid="step-form">
            <div class="toolbar">
                { choice("step-kind".into(), "Add a step", &kinds, &kind) }
                if k == "run" { { input("step-ms".into(), "Duration", "ms", &ms) } }
                if k == "return" { { input("step-ms".into(), "Status code", "", &ms) } }
                if matches!(k, "send" | "publish" | "put") {
                    { choice("step-target".into(), match k { "send" => "Queue", "publish" => "Topic", _ => "Bucket" }, &target_options, &target) }
                }
                if k == "fail" { { input("step-error-type".into(), "Error type", "", &error_type) } }
                if matches!(k, "fail" | "report" | "return") {
                    { choice("step-when".into(), if k == "report" { "Which records" } else { "When" }, &whens, &when) }
                    if *when == "probability" { { input("step-p".into(), "p", "", &p) } }
                    if *when == "field" || *when == "missing" { { input("step-path".into(), "Field path", "", &path) } }
                    if *when == "field" { { input("step-value".into(), "equals", "", &value) } }
                }
                if k == "send" && fifo_target { { input("step-group".into(), "Message group", "", &group) } }
                if k == "publish" { { input("step-attributes".into(), "Attributes", "", &attrs) } }
            </div>
            if matches!(k, "fail" | "send" | "publish" | "put" | "return") { { wide_input("step-text".into(), text_label, &text) } }
            if k == "dynamodb" { { dynamo.view("step-ddb", &tables, true) } }
            <p class="hint">{ "Texts are templates: {{path}} is the event's value at that path — {{Records.0.body}} for an SQS message, {{Records.0.s3.object.key}} for an S3 upload, {{Records.0.Sns.Message}} for an SNS delivery — and {{request_id}} the invocation's id; {{Records.0.dynamodb.NewImage.id.S}} for a stream record. After a DynamoDB call, {{result.Item.total}} reads what it returned (result.Error.Code when a caught call failed); an API Gateway event has {{body}}, {{pathParameters.id}}, {{queryStringParameters.q}}. In a DynamoDB item or values, a template goes inside a string (\"{{Records.0.body}}\"). A DynamoDB error fails the run (the SDK throws it) unless caught. For an SQS batch, a report step's condition is tested on each record (path from the record: body, messageId). Attributes: name=value, separated by commas." }</p>
            <button type="submit" class="small primary" data-testid="step-submit">{ "Add step" }</button>
            { local_error(&err) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ScenarioProps {
    scenario: Rc<Scenario>,
    on_edit: Callback<Result<Edit, String>, bool>,
}

#[component]
fn ScriptEditor(props: &ScenarioProps) -> Html {
    let s = &*props.scenario;
    let kind = use_state(|| "send".to_string());
    let target = use_state(String::new);
    let text = use_state(|| ACTION_DEFAULTS[0].1.to_string());
    let attrs = use_state(String::new);
    let group = use_state(String::new);
    let at = use_state(|| "0".to_string());
    let count = use_state(|| "1".to_string());
    let every = use_state(|| "1".to_string());
    let principal = use_state(String::new);
    let horizon = use_state(|| format!("{}", s.horizon_ms as f64 / 1000.0));
    let seed = use_state(|| s.seed.to_string());
    let dynamo = super::tables::use_dynamo_fields(r#"{"id": "o-{{n}}"}"#);
    let http_body = use_state(String::new);
    let http_key = use_state(String::new);
    let tables: Vec<String> = s.tables.iter().map(|t| t.name.clone()).collect();
    let err = use_state(|| None::<String>);
    let rerr = use_state(|| None::<String>);
    {
        let (horizon, seed) = (horizon.clone(), seed.clone());
        use_effect_with((s.horizon_ms, s.seed), move |(h, sd)| {
            horizon.set(format!("{}", *h as f64 / 1000.0));
            seed.set(sd.to_string());
        });
    }
    let names = |v: Vec<String>| -> Vec<(String, String)> {
        v.into_iter().map(|n| (n.clone(), n)).collect()
    };
    let target_options = match kind.as_str() {
        "send" => names(s.queues.iter().map(|q| q.name.clone()).collect()),
        "publish" => names(s.topics.iter().map(|t| t.name.clone()).collect()),
        "invoke" | "invoke-async" => names(s.functions.iter().map(|f| f.name.clone()).collect()),
        "dynamodb" => names(tables.clone()),
        "http" => names(s.apis.iter().map(|a| a.name.clone()).collect()),
        _ => names(s.buckets.iter().map(|b| b.name.clone()).collect()),
    };
    let fifo_target = kind.as_str() == "send" && is_fifo(s, &chosen(&target_options, &target));
    // Who makes the action: admin (built in, unless the scenario defines its own), or any
    // role or user of the scenario.
    let admin_label = match s
        .identities
        .iter()
        .find(|i| i.name == crate::core::flow::ADMIN)
    {
        Some(_) => format!("{} (the scenario's own)", crate::core::flow::ADMIN),
        None => format!("user {} (AdministratorAccess)", crate::core::flow::ADMIN),
    };
    let principal_options: Vec<(String, String)> = std::iter::once((String::new(), admin_label))
        .chain(
            s.identities
                .iter()
                .filter(|i| i.name != crate::core::flow::ADMIN)
                .map(|i| {
                    let kind = match i.kind {
                        crate::core::flow::IdentityKind::Role => "role",
                        crate::core::flow::IdentityKind::User => "user",
                    };
                    (i.name.clone(), format!("{kind} {}", i.name))
                }),
        )
        .collect();
    let onsubmit = {
        let (kind, target, text, attrs, group, at, count, every) = (
            kind.clone(),
            target.clone(),
            text.clone(),
            attrs.clone(),
            group.clone(),
            at.clone(),
            count.clone(),
            every.clone(),
        );
        let options = target_options.clone();
        let (dynamo, tables) = (dynamo.clone(), tables.clone());
        let s_apis = s.apis.clone();
        let (http_body, http_key) = (http_body.clone(), http_key.clone());
        let principal = principal.clone();
        let principals = principal_options.clone();
        submit(&err, &props.on_edit, move || {
            let target = chosen(&options, &target);
            if target.is_empty() {
                return Err("Create the resource this action goes to first.".into());
            }
            let action = match kind.as_str() {
                "dynamodb" => Action::DynamoDb {
                    call: dynamo.request(&tables)?.0,
                },
                "http" => {
                    let (method, path) = match text.trim().split_once(' ') {
                        Some((m, p)) if crate::core::services::apigateway::METHODS.contains(&m) && m != "ANY" && p.trim().starts_with('/') => (m.to_string(), p.trim().to_string()),
                        _ => return Err(format!("Request: “{}” is not METHOD /path (GET /orders/o-1).", text.trim())),
                    };
                    let key = s_apis.iter().find(|a| a.name == target).map(|a| a.api_key.clone());
                    Action::HttpRequest {
                        api: target,
                        method,
                        path,
                        body: (*http_body).clone(),
                        api_key: if *http_key == "key" { key } else { None },
                        per_second: 0,
                        for_seconds: 0,
                    }
                }
                "publish" => Action::Publish {
                    topic: target,
                    message: (*text).clone(),
                    attributes: pairs("Attributes", &attrs)?,
                },
                "invoke" | "invoke-async" => Action::Invoke {
                    function: target,
                    payload: serde_json::from_str(text.trim()).map_err(|e| {
                        format!("Payload: not JSON ({e}). Write {{\"key\": \"value\"}}, a number, or a string in quotes.")
                    })?,
                    asynchronous: *kind == "invoke-async",
                },
                "put" => Action::PutObject {
                    bucket: target,
                    key: text.trim().to_string(),
                    body: "(upload)".into(),
                    content_type: String::new(),
                },
                "delete" => Action::DeleteObject {
                    bucket: target,
                    key: text.trim().to_string(),
                },
                _ => Action::SendMessage {
                    queue: target,
                    body: (*text).clone(),
                    delay_seconds: None,
                    group_id: (!group.trim().is_empty()).then(|| group.trim().to_string()),
                },
            };
            let count = whole("Times", &count)? as usize;
            // HTTP requests carry no IAM principal (the APIs have no authorizer); a role
            // deleted since it was picked is no longer offered, and the select shows admin.
            let principal = match kind.as_str() {
                "http" => String::new(),
                _ => principals
                    .iter()
                    .find(|(p, _)| *p == *principal)
                    .map(|(p, _)| p.clone())
                    .unwrap_or_default(),
            };
            Ok(Edit::AddActions {
                principal,
                action,
                at_ms: seconds_ms("At", &at)?,
                count,
                every_ms: if count > 1 {
                    seconds_ms("Every", &every)?
                } else {
                    0
                },
            })
        })
    };
    let on_run = {
        let (horizon, seed) = (horizon.clone(), seed.clone());
        submit(&rerr, &props.on_edit, move || {
            Ok(Edit::SetRun {
                horizon_ms: seconds_from("Run length", &horizon, 1.0)?,
                seed: seed
                    .trim()
                    .parse()
                    .map_err(|_| format!("Seed: “{}” is not a whole number.", seed.trim()))?,
            })
        })
    };
    let kinds: Vec<(String, String)> = [
        ("send", "SQS SendMessage"),
        ("publish", "SNS Publish"),
        ("invoke", "Lambda Invoke (RequestResponse)"),
        ("invoke-async", "Lambda Invoke (Event, asynchronous)"),
        ("put", "S3 PutObject"),
        ("delete", "S3 DeleteObject"),
        ("dynamodb", "DynamoDB call"),
        ("http", "HTTP request to an API"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let k = kind.as_str();
    let text_label = match k {
        "http" => "Request (METHOD /path)",
        "publish" => "Message",
        "invoke" | "invoke-async" => "Payload (JSON)",
        "put" | "delete" => "Key",
        _ => "Message body",
    };
    html! {
        <div data-testid="editor-script">
            <h3>{ "Script: timed actions" }</h3>
            if s.actions.is_empty() { <p class="hint">{ "No actions yet: nothing happens in the run until you add one." }</p> }
            <ol class="edit-list" data-testid="actions">
                { for s.actions.iter().enumerate().take(ACTIONS_SHOWN).map(|(k, a)| html! {
                    <li data-testid={format!("action-{k}")}>
                        <span class="mono small">{ format!("{:.1} s ", a.at_ms as f64 / 1000.0) }</span>
                        <span>{ describe_action(&a.action) }</span>{ " " }
                        if !a.principal.is_empty() { <span class="small">{ format!("as {} ", a.principal) }</span> }
                        { button("Remove", format!("action-{k}-remove"), &props.on_edit, Edit::RemoveAction { index: k }) }
                    </li>
                }) }
            </ol>
            if s.actions.len() > ACTIONS_SHOWN {
                <p class="hint">{ format!("{} more actions are in the JSON below.", s.actions.len() - ACTIONS_SHOWN) }</p>
            }
            <form onsubmit={onsubmit} data-testid="action-form">
                <div class="toolbar">
                    { choice_then("action-kind".into(), "Add an action", &kinds, &kind, {
                        let text = text.clone();
                        Callback::from(move |k: String| {
                            // The example text follows the kind, unless the student wrote their own.
                            if ACTION_DEFAULTS.iter().any(|(_, d)| *d == *text) {
                                let d = ACTION_DEFAULTS.iter().find(|(x, _)| *x == k).map(|x| x.1).unwrap_or("");
                                text.set(d.to_string());
                            }
                        })
                    }) }
                    if k != "dynamodb" { { choice("action-target".into(), "To", &target_options, &target) } }
                    { input("action-at".into(), "At", "s", &at) }
                    { input("action-count".into(), "Times", "", &count) }
                    if *count != "1" { { input("action-every".into(), "Every", "s", &every) } }
                    if k != "http" { { choice("action-principal".into(), "As", &principal_options, &principal) } }
                    if k == "publish" { { input("action-attributes".into(), "Attributes", "", &attrs) } }
                    if k == "http" { { input("action-body".into(), "Body", "", &http_body) } }
                    if k == "http" { { choice("action-key".into(), "API key", &[(String::new(), "not sent".to_string()), ("key".to_string(), "sent".to_string())], &http_key) } }
                    if k == "send" && fifo_target { { input("action-group".into(), "Message group", "", &group) } }
                </div>
                if k == "dynamodb" { { dynamo.view("action-ddb", &tables, false) } } else { { wide_input("action-text".into(), text_label, &text) } }
                <p class="hint">{ "{{n}} in a text becomes the copy's number (order 1, order 2 …); in a JSON payload, inside a string (\"o-{{n}}\"). Attributes: name=value, separated by commas. A FIFO queue needs a message group, and content-based deduplication on." }</p>
                <button type="submit" class="small primary" data-testid="action-submit">{ "Add to the script" }</button>
                { local_error(&err) }
            </form>
            <form class="toolbar" onsubmit={on_run}>
                { input("run-length".into(), "Run length", "s", &horizon) }
                { input("run-seed".into(), "Seed", "", &seed) }
                <button type="submit" class="small" data-testid="run-save">{ "Save" }</button>
                { local_error(&rerr) }
            </form>
        </div>
    }
}

/// Whether the queue of this name is a FIFO queue (its sends need a message group).
fn is_fifo(s: &Scenario, queue: &str) -> bool {
    s.queues
        .iter()
        .any(|q| q.name == queue && q.attributes.fifo_queue)
}

/// The option a select shows: the one chosen if it is still offered, else the first (a
/// select whose value is not among its options shows its first).
pub(super) fn chosen(options: &[(String, String)], value: &str) -> String {
    options
        .iter()
        .find(|o| o.0 == value)
        .or(options.first())
        .map(|o| o.0.clone())
        .unwrap_or_default()
}

#[hook]
fn use_json_editor(props: &ScenarioProps) -> Html {
    let text = use_state(|| to_json(&props.scenario));
    let err = use_state(|| None::<String>);
    {
        let text = text.clone();
        use_effect_with(props.scenario.clone(), move |s| text.set(to_json(s)));
    }
    let onsubmit = {
        let text = text.clone();
        submit(&err, &props.on_edit, move || {
            Ok(Edit::Replace {
                scenario: from_json(&text)?,
            })
        })
    };
    html! {
        <details class="json-editor">
            <summary data-testid="flow-json-toggle">{ "Edit the whole scenario as JSON" }</summary>
            <form onsubmit={onsubmit}>
                <label for="flow-json" class="hint">{ "Queues, topics, buckets, functions, mappings and the script's actions; applied as one edit, checked like the forms above." }</label>
                <textarea id="flow-json" data-testid="flow-json" class="mono" rows="16" spellcheck="false" value={(*text).clone()} oninput={{ let t = text.clone(); Callback::from(move |e: InputEvent| t.set(crate::app::components::form::input_value(&e))) }} />
                <button type="submit" class="small primary" data-testid="flow-json-apply">{ "Apply" }</button>
                { local_error(&err) }
            </form>
        </details>
    }
}
