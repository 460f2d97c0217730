//! The flow page's DynamoDB parts: the table editor (UpdateTable, the stream and its
//! mappings), the fields of a DynamoDB call shared by the handler-step and script forms,
//! and the table viewer (items at the playhead, the calls and what each consumed).

use super::build::{
    button, check, choice, delete_button, input, local_error, submit, use_add_mapping, whole,
    AddMappingProps,
};
use crate::app::components::form::typed;
use crate::core::flow::{StreamMapping, TableCall};
use crate::core::services::dynamodb::request::{attr_plain, Operation, Request};
use crate::core::services::dynamodb::table::{Billing, StreamView, TableSpec};
use crate::core::services::lambda::Destination;
use crate::core::views::flow::edit::{describe_table, stream_view_name, Edit};
use crate::core::views::flow::scenario::{Outcome, Scenario};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

const VIEWS: [(&str, &str); 5] = [
    ("", "no stream"),
    ("KEYS_ONLY", "KEYS_ONLY"),
    ("NEW_IMAGE", "NEW_IMAGE"),
    ("OLD_IMAGE", "OLD_IMAGE"),
    ("NEW_AND_OLD_IMAGES", "NEW_AND_OLD_IMAGES"),
];

fn view_of(v: &str) -> Option<StreamView> {
    match v {
        "KEYS_ONLY" => Some(StreamView::KeysOnly),
        "NEW_IMAGE" => Some(StreamView::NewImage),
        "OLD_IMAGE" => Some(StreamView::OldImage),
        "NEW_AND_OLD_IMAGES" => Some(StreamView::NewAndOldImages),
        _ => None,
    }
}

fn options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// An optional whole number: empty is `None` (AWS's -1).
fn optional(label: &str, text: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() || t == "-1" {
        Ok(None)
    } else {
        whole(label, t).map(Some)
    }
}

#[derive(Properties, PartialEq)]
pub struct TableProps {
    pub table: TableSpec,
    pub scenario: Rc<Scenario>,
    pub on_edit: Callback<Result<Edit, String>, bool>,
}

/// The editor of a table: billing and capacity, the stream, and the stream's mappings.
#[component]
pub fn TableEditor(props: &TableProps) -> Html {
    let t = &props.table;
    let (read0, write0) = match t.billing {
        Billing::Provisioned { read, write } => (read, write),
        Billing::OnDemand => (5, 5),
    };
    let mode = use_state(|| {
        if matches!(t.billing, Billing::OnDemand) {
            "on-demand".to_string()
        } else {
            "provisioned".to_string()
        }
    });
    let read = use_state(|| read0.to_string());
    let write = use_state(|| write0.to_string());
    let view = use_state(|| t.stream.map(stream_view_name).unwrap_or("").to_string());
    let ttl = use_state(|| t.ttl_attribute.clone().unwrap_or_default());
    let err = use_state(|| None::<String>);
    {
        let (mode, read, write, view, ttl) = (
            mode.clone(),
            read.clone(),
            write.clone(),
            view.clone(),
            ttl.clone(),
        );
        use_effect_with(
            (t.billing.clone(), t.stream, t.ttl_attribute.clone()),
            move |(b, v, a)| {
                ttl.set(a.clone().unwrap_or_default());
                if let Billing::Provisioned { read: r, write: w } = b {
                    mode.set("provisioned".into());
                    read.set(r.to_string());
                    write.set(w.to_string());
                } else {
                    mode.set("on-demand".into());
                }
                view.set(v.map(stream_view_name).unwrap_or("").to_string());
            },
        );
    }
    let onsubmit = {
        let (mode, read, write, view, base, ttl) = (
            mode.clone(),
            read.clone(),
            write.clone(),
            view.clone(),
            t.clone(),
            ttl.clone(),
        );
        submit(&err, &props.on_edit, move || {
            let mut spec = base.clone();
            spec.billing = if *mode == "provisioned" {
                Billing::Provisioned {
                    read: whole("Read capacity", &read)?,
                    write: whole("Write capacity", &write)?,
                }
            } else {
                Billing::OnDemand
            };
            spec.stream = view_of(&view);
            spec.ttl_attribute = Some(ttl.trim().to_string()).filter(|a| !a.is_empty());
            Ok(Edit::UpdateTable { spec })
        })
    };
    let s = &*props.scenario;
    let functions: Vec<(String, String)> = s
        .functions
        .iter()
        .map(|f| (f.name.clone(), f.name.clone()))
        .collect();
    let add = use_add_mapping(&AddMappingProps {
        prefix: "stream-new",
        label: "Invoke",
        functions,
        make: {
            let table = t.name.clone();
            Rc::new(move |function| Edit::CreateStreamMapping {
                mapping: StreamMapping {
                    table: table.clone(),
                    function,
                    ..Default::default()
                },
            })
        },
        on_edit: props.on_edit.clone(),
    });
    let mut dests = vec![(String::new(), "none".to_string())];
    dests.extend(
        s.queues
            .iter()
            .filter(|q| !q.attributes.fifo_queue)
            .map(|q| (format!("queue {}", q.name), format!("queue {}", q.name))),
    );
    dests.extend(
        s.topics
            .iter()
            .map(|x| (format!("topic {}", x.name), format!("topic {}", x.name))),
    );
    let modes = options(&[("on-demand", "On-demand"), ("provisioned", "Provisioned")]);
    html! {
        <div data-testid="editor-table">
            <h3>{ format!("Table {}", t.name) }</h3>
            <p class="hint" data-testid="table-summary">{ describe_table(t) }</p>
            <form onsubmit={onsubmit}>
                <div class="toolbar">
                    { choice("table-mode".into(), "Capacity mode", &modes, &mode) }
                    if *mode == "provisioned" {
                        { input("table-read".into(), "Read capacity", "RCU", &read) }
                        { input("table-write".into(), "Write capacity", "WCU", &write) }
                    }
                    { choice("table-stream".into(), "Stream", &options(&VIEWS), &view) }
                    { input("table-ttl".into(), "TTL attribute (empty: off)", "", &ttl) }
                </div>
                <p class="hint">{ "A provisioned table serves its RCU and WCU each second and keeps up to 300 s of what it leaves unused for bursts; beyond that a request is refused (ProvisionedThroughputExceededException). An on-demand table serves whatever comes. The key schema and the local secondary indexes are fixed at creation; indexes are set in the JSON below (a local one with its table). With TTL on, an item whose TTL attribute (a Number of epoch seconds) has passed is deleted without write units, and its stream record names the DynamoDB service; AWS does it within a few days, the simulator one minute after expiry." }</p>
                <button type="submit" class="small primary" data-testid="table-save">{ "Save (UpdateTable, UpdateTimeToLive)" }</button>
                { local_error(&err) }
            </form>
            <h4>{ "Stream mappings" }</h4>
            if t.stream.is_none() { <p class="hint">{ "Turn the stream on to send the table's changes to a function." }</p> }
            { for s.stream_mappings.iter().enumerate().filter(|(_, m)| m.table == t.name).map(|(k, m)| html! {
                <StreamMappingEditor key={format!("{k}-{}", m.function)} index={k} mapping={m.clone()} destinations={dests.clone()} on_edit={props.on_edit.clone()} />
            }) }
            if t.stream.is_some() { { add } }
            <div class="toolbar delete-row">{ delete_button("Delete table", &props.on_edit, Edit::Delete { node: format!("table {}", t.name) }) }</div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct StreamMappingProps {
    index: usize,
    mapping: StreamMapping,
    destinations: Vec<(String, String)>,
    on_edit: Callback<Result<Edit, String>, bool>,
}

fn destination_value(d: &Option<Destination>) -> String {
    match d {
        Some(Destination::Sqs(n)) => format!("queue {n}"),
        Some(Destination::Sns(n)) => format!("topic {n}"),
        _ => String::new(),
    }
}

fn number_text(v: Option<u32>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

#[component]
fn StreamMappingEditor(props: &StreamMappingProps) -> Html {
    let m = &props.mapping;
    let batch = use_state(|| m.batch_size.to_string());
    let bisect = use_state(|| m.bisect_batch_on_function_error);
    let retries = use_state(|| number_text(m.maximum_retry_attempts));
    let age = use_state(|| number_text(m.maximum_record_age_seconds));
    let report = use_state(|| m.report_batch_item_failures);
    let dest = use_state(|| destination_value(&m.on_failure));
    let err = use_state(|| None::<String>);
    {
        let (batch, bisect, retries, age, report, dest) = (
            batch.clone(),
            bisect.clone(),
            retries.clone(),
            age.clone(),
            report.clone(),
            dest.clone(),
        );
        use_effect_with(m.clone(), move |m| {
            batch.set(m.batch_size.to_string());
            bisect.set(m.bisect_batch_on_function_error);
            retries.set(number_text(m.maximum_retry_attempts));
            age.set(number_text(m.maximum_record_age_seconds));
            report.set(m.report_batch_item_failures);
            dest.set(destination_value(&m.on_failure));
        });
    }
    let k = props.index;
    let onsubmit = {
        let (batch, bisect, retries, age, report, dest, base) = (
            batch.clone(),
            bisect.clone(),
            retries.clone(),
            age.clone(),
            report.clone(),
            dest.clone(),
            m.clone(),
        );
        submit(&err, &props.on_edit, move || {
            let mut mapping = base.clone();
            mapping.batch_size = whole("BatchSize", &batch)?;
            mapping.bisect_batch_on_function_error = *bisect;
            mapping.maximum_retry_attempts = optional("MaximumRetryAttempts", &retries)?;
            mapping.maximum_record_age_seconds = optional("MaximumRecordAgeInSeconds", &age)?;
            mapping.report_batch_item_failures = *report;
            mapping.on_failure = match dest.split_once(' ') {
                Some(("queue", n)) => Some(Destination::Sqs(n.into())),
                Some(("topic", n)) => Some(Destination::Sns(n.into())),
                _ => None,
            };
            Ok(Edit::UpdateStreamMapping { index: k, mapping })
        })
    };
    html! {
        <form class="mapping" onsubmit={onsubmit} data-testid={format!("stream-mapping-{k}")}>
            <p><strong>{ format!("→ function {}", m.function) }</strong></p>
            <div class="toolbar">
                { input(format!("stream-{k}-batch"), "BatchSize", "", &batch) }
                { input(format!("stream-{k}-retries"), "MaximumRetryAttempts", "", &retries) }
                { input(format!("stream-{k}-age"), "MaximumRecordAge", "s", &age) }
                { choice(format!("stream-{k}-destination"), "On failure", &props.destinations, &dest) }
            </div>
            <div class="toolbar">
                { check(format!("stream-{k}-bisect"), "BisectBatchOnFunctionError", &bisect) }
                { check(format!("stream-{k}-report"), "ReportBatchItemFailures", &report) }
            </div>
            <p class="hint">{ "BatchSize 1–10,000. Empty retries and age mean -1: a failed batch is retried until its records leave the stream (24 hours), and everything behind it in the shard waits. Retries 0–10,000; age 60–604,800 s. Discarded records are described to the on-failure queue or topic." }</p>
            <div class="toolbar">
                <button type="submit" class="small" data-testid={format!("stream-{k}-save")}>{ "Save (UpdateEventSourceMapping)" }</button>
                { button("Delete mapping", format!("stream-{k}-delete"), &props.on_edit, Edit::DeleteStreamMapping { index: k }) }
            </div>
            { local_error(&err) }
        </form>
    }
}

/// The fields of a DynamoDB call, kept by a form.
#[derive(Clone)]
pub struct DynamoFields {
    op: UseStateHandle<String>,
    table: UseStateHandle<String>,
    item: UseStateHandle<String>,
    update: UseStateHandle<String>,
    condition: UseStateHandle<String>,
    key_condition: UseStateHandle<String>,
    index_name: UseStateHandle<String>,
    filter: UseStateHandle<String>,
    names: UseStateHandle<String>,
    values: UseStateHandle<String>,
    consistent: UseStateHandle<bool>,
    backward: UseStateHandle<bool>,
    limit: UseStateHandle<String>,
    catch: UseStateHandle<bool>,
    /// The JSON parameter of a batch or a transaction (kept apart from the Item or Key, so
    /// switching operations mixes neither).
    multi: UseStateHandle<String>,
}

#[hook]
pub fn use_dynamo_fields(item: &'static str) -> DynamoFields {
    DynamoFields {
        op: use_state(|| "PutItem".to_string()),
        table: use_state(String::new),
        item: use_state(|| item.to_string()),
        update: use_state(|| "SET #s = :s".to_string()),
        condition: use_state(String::new),
        key_condition: use_state(|| "id = :id".to_string()),
        index_name: use_state(String::new),
        filter: use_state(String::new),
        names: use_state(String::new),
        values: use_state(String::new),
        consistent: use_state(|| false),
        backward: use_state(|| false),
        limit: use_state(String::new),
        catch: use_state(|| false),
        multi: use_state(String::new),
    }
}

fn text_field(id: String, label: &str, v: &UseStateHandle<String>) -> Html {
    html! {
        <div class="field wide">
            <label for={id.clone()}>{ label.to_string() }</label>
            <input id={id.clone()} type="text" class="mono" autocomplete="off" spellcheck="false" value={(**v).clone()} oninput={typed(v)} data-testid={id} />
        </div>
    }
}

/// An example of a batch's or a transaction's JSON parameter on `table` (keys named `id`,
/// as in the templates; a student adjusts them to the table's key schema).
fn multi_example(op: Operation, table: &str) -> String {
    let t = if table.is_empty() { "orders" } else { table };
    match op {
        Operation::BatchWriteItem => format!(
            r#"{{"{t}": [{{"PutRequest": {{"Item": {{"id": "o-7", "total": 30}}}}}}, {{"DeleteRequest": {{"Key": {{"id": "o-1"}}}}}}]}}"#
        ),
        Operation::TransactGetItems => format!(
            r#"[{{"Get": {{"TableName": "{t}", "Key": {{"id": "o-1"}}}}}}, {{"Get": {{"TableName": "{t}", "Key": {{"id": "o-2"}}}}}}]"#
        ),
        _ => format!(
            r##"[{{"Put": {{"TableName": "{t}", "Item": {{"id": "o-7", "total": 30}}, "ConditionExpression": "attribute_not_exists(id)"}}}}, {{"Update": {{"TableName": "{t}", "Key": {{"id": "o-1"}}, "UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": {{"#s": "status"}}, "ExpressionAttributeValues": {{":s": "paid"}}}}}}]"##
        ),
    }
}

impl DynamoFields {
    fn operation(&self) -> Operation {
        Operation::ALL
            .into_iter()
            .find(|o| o.name() == self.op.as_str())
            .unwrap_or_default()
    }

    /// The fields, `prefix`ed ids; `tables` to pick from; `step` adds the catch choice.
    pub fn view(&self, prefix: &str, tables: &[String], step: bool) -> Html {
        let ops: Vec<(String, String)> = Operation::ALL
            .iter()
            .map(|o| (o.name().to_string(), o.name().to_string()))
            .collect();
        let tables: Vec<(String, String)> = tables.iter().map(|t| (t.clone(), t.clone())).collect();
        let op = self.operation();
        let id = |s: &str| format!("{prefix}-{s}");
        if op.multi() {
            let example = multi_example(op, tables.first().map(|t| t.0.as_str()).unwrap_or(""));
            let use_example = {
                let item = self.multi.clone();
                let example = example.clone();
                Callback::from(move |_| item.set(example.clone()))
            };
            let json_id = id("item");
            let v = self.multi.clone();
            let label = match op {
                Operation::BatchWriteItem => "RequestItems (JSON: table → PutRequest and DeleteRequest, at most 25)",
                Operation::TransactGetItems => "TransactItems (JSON: a list of Get, at most 100)",
                _ => "TransactItems (JSON: a list of Put, Update, Delete and ConditionCheck, at most 100)",
            };
            let catch_label = if op == Operation::BatchWriteItem {
                "Catch ProvisionedThroughputExceededException"
            } else {
                "Catch TransactionCanceledException"
            };
            return html! {
                <>
                    <div class="toolbar">
                        { choice(id("operation"), "Operation", &ops, &self.op) }
                        if step { { check(id("catch"), catch_label, &self.catch) } }
                    </div>
                    <div class="field wide">
                        <label for={json_id.clone()}>{ label }</label>
                        <textarea id={json_id.clone()} class="mono" rows="4" spellcheck="false" value={(*v).clone()} placeholder={example.clone()} oninput={typed(&v)} data-testid={json_id} />
                    </div>
                    <p class="hint small">
                        { "Each entry names its own table, and a transaction's entries carry their own expressions and placeholders. For example: " }
                        <code class="mono" data-testid={id("example")}>{ example }</code>
                        { " " }
                        <button type="button" class="link" onclick={use_example} data-testid={id("use-example")}>{ "Use this example" }</button>
                    </p>
                </>
            };
        }
        html! {
            <>
                <div class="toolbar">
                    { choice(id("operation"), "Operation", &ops, &self.op) }
                    { choice(id("table"), "Table", &tables, &self.table) }
                    if matches!(op, Operation::GetItem | Operation::Query | Operation::Scan) {
                        { check(id("consistent"), "ConsistentRead", &self.consistent) }
                    }
                    if op == Operation::Query { { check(id("backward"), "ScanIndexForward false", &self.backward) } }
                    if matches!(op, Operation::Query | Operation::Scan) { { input(id("limit"), "Limit", "", &self.limit) } }
                    if step && op.writes() { { check(id("catch"), "Catch ConditionalCheckFailedException", &self.catch) } }
                </div>
                if !matches!(op, Operation::Query | Operation::Scan) {
                    { text_field(id("item"), if op == Operation::PutItem { "Item (JSON)" } else { "Key (JSON)" }, &self.item) }
                }
                if op == Operation::UpdateItem { { text_field(id("update"), "UpdateExpression", &self.update) } }
                if op == Operation::Query { { text_field(id("key-condition"), "KeyConditionExpression", &self.key_condition) } }
                if op == Operation::Query { { text_field(id("index"), "IndexName (a secondary index; empty: the table)", &self.index_name) } }
                if matches!(op, Operation::Query | Operation::Scan) { { text_field(id("filter"), "FilterExpression", &self.filter) } }
                if op.writes() { { text_field(id("condition"), "ConditionExpression", &self.condition) } }
                { text_field(id("names"), "ExpressionAttributeNames (#n=name, …)", &self.names) }
                { text_field(id("values"), "ExpressionAttributeValues (JSON)", &self.values) }
            </>
        }
    }

    /// The call the fields describe, or what is wrong with a field.
    pub fn request(&self, tables: &[String]) -> Result<(Request, Vec<String>), String> {
        let op = self.operation();
        if op.multi() {
            let request = Request {
                operation: op,
                item: self.multi.trim().to_string(),
                ..Request::default()
            };
            let catch = match op {
                _ if !*self.catch => vec![],
                Operation::BatchWriteItem => {
                    vec!["ProvisionedThroughputExceededException".to_string()]
                }
                _ => vec!["TransactionCanceledException".to_string()],
            };
            return Ok((request, catch));
        }
        let table = if tables.iter().any(|t| *t == *self.table) {
            (*self.table).clone()
        } else {
            tables
                .first()
                .cloned()
                .ok_or("Create a table first: this call needs one.")?
        };
        let mut names = BTreeMap::new();
        for p in self
            .names
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match p.split_once('=') {
                Some((k, v)) if k.trim().starts_with('#') && !v.trim().is_empty() => {
                    names.insert(k.trim().to_string(), v.trim().to_string());
                }
                _ => {
                    return Err(format!(
                        "ExpressionAttributeNames: “{p}” is not #name=attribute."
                    ))
                }
            }
        }
        let limit = if matches!(op, Operation::Query | Operation::Scan) {
            optional("Limit", &self.limit)?
        } else {
            None
        };
        let writes = op.writes();
        let request = Request {
            operation: op,
            table,
            item: if matches!(op, Operation::Query | Operation::Scan) {
                String::new()
            } else {
                self.item.trim().to_string()
            },
            update: if op == Operation::UpdateItem {
                self.update.trim().to_string()
            } else {
                String::new()
            },
            condition: if writes {
                self.condition.trim().to_string()
            } else {
                String::new()
            },
            index_name: if op == Operation::Query {
                self.index_name.trim().to_string()
            } else {
                String::new()
            },
            key_condition: if op == Operation::Query {
                self.key_condition.trim().to_string()
            } else {
                String::new()
            },
            filter: if matches!(op, Operation::Query | Operation::Scan) {
                self.filter.trim().to_string()
            } else {
                String::new()
            },
            names,
            values: self.values.trim().to_string(),
            consistent_read: *self.consistent
                && matches!(op, Operation::GetItem | Operation::Query | Operation::Scan),
            scan_index_forward: !(*self.backward && op == Operation::Query),
            limit,
            // A handler reads the first page (its steps do not loop).
            exclusive_start_key: String::new(),
            // The editor has no field for it yet (docs/console.md).
            projection: String::new(),
        };
        let catch = if writes && *self.catch {
            vec!["ConditionalCheckFailedException".to_string()]
        } else {
            vec![]
        };
        Ok((request, catch))
    }
}

/// Items shown per table at most (the rest are counted).
const ITEMS_SHOWN: usize = 50;
/// Calls listed per table (the latest).
const CALLS_SHOWN: usize = 8;

/// The table viewer: each table's items at `now_ms` and its calls so far with the capacity
/// each consumed.
pub fn viewer(o: &Outcome, now_ms: u64, slug: impl Fn(&str) -> String) -> Html {
    if o.tables.is_empty() {
        return html! {};
    }
    html! {
        <section class="panel card-panel" aria-labelledby="flow-tables-h" data-embed="counters" data-testid="flow-tables">
            <h2 id="flow-tables-h">{ "Tables" }</h2>
            <p class="hint">{ format!("The items each table holds at {:.1} s, and its latest calls with the capacity each consumed (a refused conditional write consumes too; a throttled request does not).", now_ms as f64 / 1000.0) }</p>
            { for o.tables.iter().map(|(spec, _)| table_view(o, spec, now_ms, &slug(&spec.name))) }
        </section>
    }
}

fn table_view(o: &Outcome, spec: &TableSpec, now_ms: u64, slug: &str) -> Html {
    let items = o.items_at(&spec.name, now_ms);
    // Key attributes first, then the others by name.
    let mut columns: Vec<String> = std::iter::once(spec.partition_key.name.clone())
        .chain(spec.sort_key.as_ref().map(|k| k.name.clone()))
        .collect();
    for i in items.iter().take(ITEMS_SHOWN) {
        for k in i.keys() {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let calls: Vec<&TableCall> = o
        .table_calls
        .iter()
        .take_while(|c| c.at_ms <= now_ms)
        .filter(|c| c.table == spec.name)
        .collect();
    let sum = |read: bool| -> f64 {
        calls
            .iter()
            .filter(|c| matches!(c.unit, "RCU" | "RRU") == read && !c.unit.is_empty())
            .map(|c| c.units)
            .sum()
    };
    let (ru, wu) = match spec.billing {
        Billing::Provisioned { .. } => ("RCU", "WCU"),
        Billing::OnDemand => ("RRU", "WRU"),
    };
    let cell = |i: &crate::core::services::dynamodb::expr::Item, c: &str| -> String {
        match i.get(c).map(attr_plain) {
            Some(serde_json::Value::String(t)) => t,
            Some(v) => v.to_string(),
            None => String::new(),
        }
    };
    let reads = calls.iter().filter(|c| c.code == "DYNAMODB_READ").count();
    let writes = calls
        .iter()
        .filter(|c| c.code == "DYNAMODB_WRITTEN")
        .count();
    let refused = calls
        .iter()
        .filter(|c| c.code == "DYNAMODB_CONDITION_FAILED")
        .count();
    let refused = if refused == 0 {
        String::new()
    } else {
        format!(
            ", {refused} refused by {}",
            if refused == 1 {
                "its condition"
            } else {
                "their conditions"
            }
        )
    };
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let units = crate::core::dynamodb::capacity::units_text;
    html! {
        <div class="flow-table" data-testid={format!("flow-table-{slug}")}>
            <h3>{ format!("{} ", spec.name) }<span class="hint small">{ describe_table(spec) }</span></h3>
            <p class="mono small" data-testid={format!("flow-table-{slug}-totals")}>
                { format!("{} item{} · {reads} read{} ({} {ru}) · {writes} write{}{refused} ({} {wu})",
                    items.len(), plural(items.len()), plural(reads), units(sum(true)),
                    plural(writes), units(sum(false))) }
            </p>
            if items.is_empty() {
                <p class="hint">{ "No items yet." }</p>
            } else {
                <div class="table-scroll" tabindex="0" role="region" aria-label={format!("Items of {}", spec.name)}>
                    <table class="data" data-testid={format!("flow-table-{slug}-items")}>
                        <thead><tr>{ for columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                        <tbody>
                            { for items.iter().take(ITEMS_SHOWN).map(|i| html! {
                                <tr>{ for columns.iter().map(|c| html! { <td class="mono">{ cell(i, c) }</td> }) }</tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                if items.len() > ITEMS_SHOWN {
                    <p class="hint">{ format!("{} more items not shown.", items.len() - ITEMS_SHOWN) }</p>
                }
            }
            if !calls.is_empty() {
                <h4>{ "Latest calls" }</h4>
                <ol class="table-calls small" data-testid={format!("flow-table-{slug}-calls")}>
                    { for calls.iter().rev().take(CALLS_SHOWN).map(|c| {
                        let used = if c.unit.is_empty() {
                            "nothing consumed".to_string()
                        } else {
                            format!("{} {} — {}", units(c.units), c.unit, c.math)
                        };
                        html! {
                            <li>
                                <span class="mono">{ format!("{:.3} s ", c.at_ms as f64 / 1000.0) }</span>
                                <strong>{ c.operation.name() }</strong>
                                { format!(" {}: {used}", outcome_word(c.code)) }
                            </li>
                        }
                    }) }
                </ol>
            }
        </div>
    }
}

fn outcome_word(code: &str) -> &'static str {
    match code {
        "DYNAMODB_READ" => "read",
        "DYNAMODB_WRITTEN" => "written",
        "DYNAMODB_CONDITION_FAILED" => "ConditionalCheckFailedException",
        "DYNAMODB_THROTTLED" => "ProvisionedThroughputExceededException",
        "DYNAMODB_UNPROCESSED" => "left in UnprocessedItems",
        "DYNAMODB_TRANSACTION_CANCELED" => "TransactionCanceledException",
        _ => "refused",
    }
}
