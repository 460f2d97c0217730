//! DynamoDB in the flow engine: calls from the script and from handlers (each traced with
//! what it returned and the capacity it consumed, with the math), and event source
//! mappings from a table's stream to a function.
//!
//! Streams to Lambda, as the Lambda Developer Guide describes them ("Using AWS Lambda with
//! Amazon DynamoDB", "Lambda parameters for Amazon DynamoDB event source mappings"):
//! * Lambda polls the stream's shards 4 times a second and invokes the function
//!   synchronously with a batch of up to BatchSize records (default 100, at most 10,000),
//!   in the order of the changes;
//! * a batch whose function fails is retried, and nothing after it in the shard is read
//!   until it succeeds, its records are older than MaximumRecordAgeInSeconds (default -1:
//!   until they leave the stream after 24 hours) or it has been retried
//!   MaximumRetryAttempts times (default -1: forever) — one bad record blocks its shard;
//! * BisectBatchOnFunctionError splits a failed batch in two and retries each half in
//!   order, so the bad record ends up alone;
//! * with ReportBatchItemFailures, a returned `batchItemFailures` names the first record
//!   that failed, and processing resumes from it;
//! * discarded records go to the on-failure destination (a standard SQS queue or SNS
//!   topic) as a record with `DDBStreamBatchInfo`.
//!
//! Simplified, and said so: a table's stream has one shard (a small table has one
//! partition); the interval between retries, which AWS does not document, is 1 s doubling
//! to at most 1 minute; a bisection does not count as a retry; and records never leave the
//! stream (its 24-hour retention is the longest run).

use super::{function_arn, secs, Event, Flow, Origin, EPOCH_MS, SANDBOX_ACCOUNT, SANDBOX_REGION};
use crate::core::dynamodb::capacity::units_text;
use crate::core::services::dynamodb::request::{
    item_json, item_text, Operation, Request, Response,
};
use crate::core::services::dynamodb::table::{
    item_bytes, Billing, Consumed, StreamRecord, StreamView, Table, TableSpec,
};
use crate::core::services::lambda::{self, Destination, Ending, FunctionConfig};
use crate::core::services::sns::Sns;
use crate::core::services::sqs::Sqs;
use crate::core::sim::{AwsError, EventId, TraceId, TraceKind};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Lambda reads a stream's shards 4 times a second.
pub const STREAM_POLL_MS: u64 = 250;
pub const STREAM_BATCH_DEFAULT: u32 = 100;
pub const STREAM_BATCH_MAX: u32 = 10_000;
pub const STREAM_RETRY_MAX: u32 = 10_000;
pub const STREAM_RECORD_AGE_MIN_S: u32 = 60;
pub const STREAM_RECORD_AGE_MAX_S: u32 = 604_800;
/// The simulator's interval between retries of a failed batch: 1 s, doubling to 1 minute.
pub const STREAM_RETRY_FIRST_MS: u64 = 1_000;
pub const STREAM_RETRY_LAST_MS: u64 = 60_000;
/// How long after an item expires TTL deletes it here. AWS deletes expired items in the
/// background "within a few days" (Developer Guide, "Time to Live"), at no fixed time; the
/// simulator waits one minute, so a run shows the deletion and its stream record.
pub const TTL_DELAY_MS: u64 = 60_000;

/// An event source mapping from a table's stream to a function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamMapping {
    pub table: String,
    pub function: String,
    /// 1–10,000 records a batch.
    pub batch_size: u32,
    pub bisect_batch_on_function_error: bool,
    /// 0–10,000 retries of a failed batch; absent is -1 (retry until the records expire).
    pub maximum_retry_attempts: Option<u32>,
    /// 60–604,800 s; absent is -1 (until the records leave the stream).
    pub maximum_record_age_seconds: Option<u32>,
    pub report_batch_item_failures: bool,
    /// Where discarded records are described: a standard queue or topic.
    pub on_failure: Option<Destination>,
}

impl Default for StreamMapping {
    fn default() -> Self {
        StreamMapping {
            table: String::new(),
            function: String::new(),
            batch_size: STREAM_BATCH_DEFAULT,
            bisect_batch_on_function_error: false,
            maximum_retry_attempts: None,
            maximum_record_age_seconds: None,
            report_batch_item_failures: false,
            on_failure: None,
        }
    }
}

/// One DynamoDB call as the table viewer lists it: when, what, what it consumed (units
/// of the table's kind: RCU/WCU provisioned, RRU/WRU on demand) and how it ended (the
/// answer's trace code).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableCall {
    pub at_ms: u64,
    pub table: String,
    pub operation: Operation,
    /// The answer's trace entry.
    pub trace: TraceId,
    pub code: &'static str,
    pub units: f64,
    /// `RCU`, `WCU`, `RRU` or `WRU`; empty when nothing was consumed (a throttle).
    pub unit: &'static str,
    pub math: String,
}

/// A stream mapping's position in its shard.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct StreamPoller {
    /// The index of the first record not yet processed or discarded.
    next: usize,
    /// Ranges (start, len) to process before reading on; the last is first (bisected
    /// halves wait here).
    pending: Vec<(usize, usize)>,
    busy: bool,
    /// Failed invocations of the front range (a bisection starts its halves at 0).
    attempts: u32,
    /// Invocations of the front range (the on-failure record's approximateInvokeCount).
    invokes: u32,
    /// Polls in a row that found the function without concurrency (the wait doubles).
    throttles: u32,
    /// Waiting for a run of the function to end (a finished run wakes it).
    blocked: bool,
    scheduled: Option<EventId>,
    /// Stopped for good: the function's role may not read the stream.
    denied: bool,
}

/// The streams' state: each mapping's poller, and the trace entry of each stream record's
/// write (its cause), by table.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Streams {
    pub(super) pollers: Vec<StreamPoller>,
    causes: BTreeMap<String, Vec<TraceId>>,
    /// Each table's pending TTL sweep: when, and the event.
    ttl: BTreeMap<String, (u64, EventId)>,
}

impl Streams {
    pub(super) fn new(mappings: usize) -> Streams {
        Streams {
            pollers: vec![StreamPoller::default(); mappings],
            causes: BTreeMap::new(),
            ttl: BTreeMap::new(),
        }
    }
}

fn invalid(t: String) -> AwsError {
    AwsError::new("InvalidParameterValueException", 400, t)
}

/// Checks a stream mapping: the table exists and has a stream, the function exists, the
/// numbers are in range and the destination is a standard queue or a topic that exists.
pub fn check_stream_mapping(
    m: &StreamMapping,
    tables: &BTreeMap<String, Table>,
    functions: &[FunctionConfig],
    sqs: &Sqs,
    sns: &Sns,
) -> Result<(), AwsError> {
    let Some(t) = tables.get(&m.table) else {
        return Err(invalid(format!(
            "Stream not found: table {} does not exist.",
            m.table
        )));
    };
    if t.spec.stream.is_none() {
        return Err(invalid(format!(
            "Stream not found: table {} has no stream (turn on DynamoDB Streams with a StreamViewType first).",
            m.table
        )));
    }
    if !functions.iter().any(|f| f.name == m.function) {
        return Err(AwsError::new(
            "ResourceNotFoundException",
            404,
            format!("Function not found: {}", function_arn(&m.function)),
        ));
    }
    if !(1..=STREAM_BATCH_MAX).contains(&m.batch_size) {
        return Err(invalid(format!(
            "BatchSize is {}; for a DynamoDB stream it must be from 1 to {STREAM_BATCH_MAX}.",
            m.batch_size
        )));
    }
    if m.maximum_retry_attempts
        .is_some_and(|r| r > STREAM_RETRY_MAX)
    {
        return Err(invalid(format!(
            "MaximumRetryAttempts must be from -1 (forever) to {STREAM_RETRY_MAX}."
        )));
    }
    if m.maximum_record_age_seconds
        .is_some_and(|a| !(STREAM_RECORD_AGE_MIN_S..=STREAM_RECORD_AGE_MAX_S).contains(&a))
    {
        return Err(invalid(format!(
            "MaximumRecordAgeInSeconds must be -1 (until the records expire) or from {STREAM_RECORD_AGE_MIN_S} to {STREAM_RECORD_AGE_MAX_S}."
        )));
    }
    match &m.on_failure {
        Some(Destination::Sqs(q)) if sqs.queue(q)?.attributes.fifo_queue => Err(invalid(format!(
            "{q} is a FIFO queue: a stream mapping's on-failure destination is a standard queue or topic."
        ))),
        Some(Destination::Sns(t)) if !sns.topics.contains_key(t) => Err(AwsError::new(
            "NotFound",
            404,
            format!("Topic does not exist: {t}."),
        )),
        Some(Destination::Lambda(_)) => Err(invalid(
            "A stream mapping's on-failure destination is an SQS queue or an SNS topic.".into(),
        )),
        _ => Ok(()),
    }
}

/// The ARN of a table's stream (its label is the simulated clock's start).
pub fn stream_arn(table: &str) -> String {
    format!("arn:aws:dynamodb:{SANDBOX_REGION}:{SANDBOX_ACCOUNT}:table/{table}/stream/2026-01-01T00:00:00.000")
}

fn view_name(v: Option<StreamView>) -> &'static str {
    match v {
        Some(StreamView::KeysOnly) | None => "KEYS_ONLY",
        Some(StreamView::NewImage) => "NEW_IMAGE",
        Some(StreamView::OldImage) => "OLD_IMAGE",
        Some(StreamView::NewAndOldImages) => "NEW_AND_OLD_IMAGES",
    }
}

/// The event a stream mapping passes to the function (Lambda Developer Guide, "Using AWS
/// Lambda with Amazon DynamoDB", example event).
pub fn stream_event(spec: &TableSpec, records: &[StreamRecord]) -> Value {
    let records: Vec<Value> = records
        .iter()
        .map(|r| {
            let mut d = json!({
                "ApproximateCreationDateTime": (EPOCH_MS + r.at_ms) / 1000,
                "Keys": item_json(&r.keys),
                "SequenceNumber": r.sequence_number.to_string(),
                "SizeBytes": item_bytes(&r.keys)
                    + r.new_image.as_ref().map(item_bytes).unwrap_or(0)
                    + r.old_image.as_ref().map(item_bytes).unwrap_or(0),
                "StreamViewType": view_name(spec.stream),
            });
            if let Some(n) = &r.new_image {
                d["NewImage"] = item_json(n);
            }
            if let Some(o) = &r.old_image {
                d["OldImage"] = item_json(o);
            }
            let mut record = json!({
                "eventID": r.sequence_number.to_string(),
                "eventName": r.event_name,
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": SANDBOX_REGION,
                "dynamodb": d,
                "eventSourceARN": stream_arn(&spec.name),
            });
            if r.ttl {
                // A TTL deletion (Developer Guide, "DynamoDB Streams and Time to Live").
                record["userIdentity"] =
                    json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"});
            }
            record
        })
        .collect();
    json!({ "Records": records })
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// Records `start..start + len` by their sequence numbers (`records 3–5`).
fn span(start: usize, len: usize) -> String {
    if len == 1 {
        format!("record {}", start + 1)
    } else {
        format!("records {}–{}", start + 1, start + len)
    }
}

impl Flow {
    /// A DynamoDB call made by `actor` (the script or a function): executed on the
    /// account's tables and traced with its answer and consumed capacity.
    pub(super) fn dynamo_call(
        &mut self,
        who: &super::Who,
        actor: &str,
        req: &Request,
        cause: Option<TraceId>,
    ) -> Result<Response, AwsError> {
        let now = self.clock.now_ms();
        let call = self.record(
            cause,
            actor,
            TraceKind::Call,
            "DYNAMODB_CALL",
            req.describe(),
        );
        if req.operation.multi() {
            return self.dynamo_multi(who, actor, req, call);
        }
        let table = req.table.trim().to_string();
        let table_actor = format!("table {table}");
        // A Query on an index is authorized on the index's ARN
        // (`…:table/orders/index/by-customer`), as IAM sees it.
        let arn = match req.index_name.trim() {
            i if !i.is_empty() && req.operation == Operation::Query => {
                format!("{}/index/{i}", super::table_arn(&table))
            }
            _ => super::table_arn(&table),
        };
        self.gate(
            who,
            &format!("dynamodb:{}", req.operation.name()),
            &arn,
            &arn,
            &table_actor,
            Some(call),
        )?;
        let before = self.table_marks(&table);
        let result = req.execute(&mut self.tables, now);
        let op = req.operation;
        match &result {
            Ok(r) => {
                let what = match op {
                    Operation::PutItem if r.changed => "stored the item".to_string(),
                    Operation::PutItem => "stored the item (unchanged)".to_string(),
                    Operation::GetItem => match r.items.first() {
                        Some(i) => format!("returned {}", item_text(i)),
                        None => "no item has this key (an empty response)".to_string(),
                    },
                    Operation::UpdateItem => match r.items.first() {
                        Some(i) => format!("item now {}", item_text(i)),
                        None => "no item to update; nothing created".to_string(),
                    },
                    Operation::DeleteItem => match r.items.first() {
                        Some(i) => format!("deleted {}", item_text(i)),
                        None => "no item had this key; nothing deleted".to_string(),
                    },
                    Operation::Query | Operation::Scan => format!(
                        "{} (ScannedCount {})",
                        plural(r.items.len(), "item"),
                        r.scanned_count.unwrap_or(0)
                    ),
                    // Answered by `dynamo_multi`.
                    Operation::BatchWriteItem
                    | Operation::TransactWriteItems
                    | Operation::TransactGetItems => String::new(),
                };
                let id = self.table_served(call, &table, op, &r.consumed, &what);
                self.table_changed(&table, id, before);
            }
            Err(e) => {
                let code = match e.code {
                    "ConditionalCheckFailedException" => "DYNAMODB_CONDITION_FAILED",
                    "ProvisionedThroughputExceededException" => "DYNAMODB_THROTTLED",
                    _ => "DYNAMODB_REFUSED",
                };
                // A failed condition consumes all the same (the table's `last_consumed`).
                let used: Vec<Consumed> = match (e.code, self.tables.get(&table)) {
                    ("ConditionalCheckFailedException", Some(t)) => {
                        t.last_consumed.iter().cloned().collect()
                    }
                    _ => vec![],
                };
                let counters = self.count(&table_actor);
                match e.code {
                    "ConditionalCheckFailedException" => counters.condition_failures += 1,
                    "ProvisionedThroughputExceededException" => counters.throttles += 1,
                    _ => {}
                }
                self.table_refused(
                    call,
                    &table,
                    op,
                    code,
                    e.cli(op.name()),
                    &used,
                    "a refused write still consumes",
                );
            }
        }
        result
    }

    /// The units a table's capacity is counted in: (read, write) — RCU and WCU when
    /// provisioned, RRU and WRU on demand (or for a table the account lacks).
    fn unit_names(&self, table: &str) -> (&'static str, &'static str) {
        match self.tables.get(table).map(|t| &t.spec.billing) {
            Some(Billing::Provisioned { .. }) => ("RCU", "WCU"),
            _ => ("RRU", "WRU"),
        }
    }

    /// A table's stream length and change count, to find what a call added.
    fn table_marks(&self, table: &str) -> (usize, usize) {
        self.tables
            .get(table)
            .map(|t| (t.stream_len(), t.changes.len()))
            .unwrap_or_default()
    }

    /// A table served `call`: the read or write traced (`DYNAMODB_READ`,
    /// `DYNAMODB_WRITTEN`) with its ConsumedCapacity and math, counted, listed for the
    /// table viewer, and drawn as a move from the caller. Returns the trace entry.
    fn table_served(
        &mut self,
        call: TraceId,
        table: &str,
        op: Operation,
        c: &Consumed,
        what: &str,
    ) -> TraceId {
        let (read_unit, write_unit) = self.unit_names(table);
        let actor = format!("table {table}");
        let counters = self.count(&actor);
        let (unit, code) = if c.read {
            counters.reads += 1;
            counters.read_units += c.units;
            (read_unit, "DYNAMODB_READ")
        } else {
            counters.writes += 1;
            counters.write_units += c.units;
            (write_unit, "DYNAMODB_WRITTEN")
        };
        let id = self.record(
            Some(call),
            &actor,
            TraceKind::Event,
            code,
            format!(
                "{} {what} · ConsumedCapacity {} {unit} ({})",
                op.name(),
                units_text(c.units),
                c.math
            ),
        );
        self.moved(id, call, actor);
        self.list_call(table, op, id, code, c, unit);
        id
    }

    /// Lists a call's answer for the table viewer: what it consumed, in `unit` (empty
    /// when nothing was consumed).
    fn list_call(
        &mut self,
        table: &str,
        operation: Operation,
        trace: TraceId,
        code: &'static str,
        c: &Consumed,
        unit: &'static str,
    ) {
        self.table_calls.push(TableCall {
            at_ms: self.clock.now_ms(),
            table: table.to_string(),
            operation,
            trace,
            code,
            units: c.units,
            unit,
            math: c.math.clone(),
        });
    }

    /// A table refused `call` with `code`: traced with AWS's error `text` and what the call
    /// consumed all the same (`used`, each in its kind's units and counted; `note` says
    /// why), and listed for the table viewer when the table exists.
    #[allow(clippy::too_many_arguments)]
    fn table_refused(
        &mut self,
        call: TraceId,
        table: &str,
        op: Operation,
        code: &'static str,
        mut text: String,
        used: &[Consumed],
        note: &str,
    ) -> TraceId {
        let (read_unit, write_unit) = self.unit_names(table);
        let actor = format!("table {table}");
        let unit_of = |c: &Consumed| if c.read { read_unit } else { write_unit };
        let counters = self.count(&actor);
        for c in used {
            if c.read {
                counters.read_units += c.units;
            } else {
                counters.write_units += c.units;
            }
            text.push_str(&format!(
                " · ConsumedCapacity {} {} ({}): {note}",
                units_text(c.units),
                unit_of(c),
                c.math
            ));
        }
        let id = self.record(Some(call), &actor, TraceKind::Event, code, text);
        if self.tables.contains_key(table) {
            if used.is_empty() {
                self.list_call(table, op, id, code, &Consumed::default(), "");
            }
            for c in used {
                self.list_call(table, op, id, code, c, unit_of(c));
            }
        }
        id
    }

    /// After a call changed `table` (its marks before were `before`): new stream records
    /// caused by trace entry `id` wake the table's mappings, and each written item's expiry
    /// schedules TTL's deletion.
    fn table_changed(&mut self, table: &str, id: TraceId, before: (usize, usize)) {
        let now = self.clock.now_ms();
        let (stream_before, changes_before) = before;
        let after = self.tables.get(table).map(Table::stream_len).unwrap_or(0);
        if after > stream_before {
            let causes = self.streams.causes.entry(table.to_string()).or_default();
            causes.resize(after, id);
            self.wake_streams(table);
        }
        let due = self.tables.get(table).and_then(|t| {
            t.changes[changes_before.min(t.changes.len())..]
                .iter()
                .filter_map(|c| t.ttl_due(c.new.as_ref()?, EPOCH_MS, now))
                .min()
        });
        if let Some(expiry) = due {
            self.schedule_ttl_at(table, expiry.max(now).saturating_add(TTL_DELAY_MS));
        }
    }

    /// A batch or a transaction (BatchWriteItem, TransactWriteItems, TransactGetItems):
    /// each (table, action) authorized, then one answer per table it reached with that
    /// table's ConsumedCapacity; BatchWriteItem's UnprocessedItems and a cancelled
    /// transaction's reasons traced on the tables concerned.
    fn dynamo_multi(
        &mut self,
        who: &super::Who,
        actor: &str,
        req: &Request,
        call: TraceId,
    ) -> Result<Response, AwsError> {
        let now = self.clock.now_ms();
        // A JSON parameter that does not parse is answered by `execute_multi` below.
        for (table, action) in req.targets().unwrap_or_default() {
            let arn = super::table_arn(&table);
            let target = format!("table {table}");
            self.gate(who, &action, &arn, &arn, &target, Some(call))?;
        }
        let names: Vec<String> = req
            .tables()
            .into_iter()
            .filter(|t| self.tables.contains_key(t))
            .collect();
        let before: Vec<(usize, usize)> = names.iter().map(|n| self.table_marks(n)).collect();
        let op = req.operation;
        let r = match req.execute_multi(&mut self.tables, now) {
            Ok(r) => r,
            Err(refused) => {
                let e = refused.error;
                let code = match e.code {
                    "TransactionCanceledException" => "DYNAMODB_TRANSACTION_CANCELED",
                    "ProvisionedThroughputExceededException" => "DYNAMODB_THROTTLED",
                    _ => "DYNAMODB_REFUSED",
                };
                let text = e.cli(op.name());
                if names.is_empty() {
                    // No table of the call exists (or its JSON does not parse): the caller
                    // is told.
                    self.record(Some(call), actor, TraceKind::Event, code, text.clone());
                }
                // Which of each table's entries failed, by their place in the call.
                let entries = req.entries().unwrap_or_default();
                let reasons = crate::core::services::dynamodb::batch::reasons(&e.message);
                for table in &names {
                    let here: Vec<(usize, &str)> = entries
                        .iter()
                        .zip(&reasons)
                        .enumerate()
                        .filter(|(_, (x, r))| x.table == *table && **r != "None")
                        .map(|(k, (_, r))| (k + 1, *r))
                        .collect();
                    let counters = self.count(&format!("table {table}"));
                    if here.iter().any(|(_, r)| *r == "ConditionalCheckFailed") {
                        counters.condition_failures += 1;
                    }
                    if code == "DYNAMODB_THROTTLED"
                        || here
                            .iter()
                            .any(|(_, r)| *r == "ProvisionedThroughputExceeded")
                    {
                        counters.throttles += 1;
                    }
                    let mut text = text.clone();
                    if !here.is_empty() {
                        let list: Vec<String> =
                            here.iter().map(|(k, r)| format!("entry {k} {r}")).collect();
                        text.push_str(&format!(" · In this table: {}", list.join(", ")));
                    } else if code == "DYNAMODB_TRANSACTION_CANCELED" {
                        text.push_str(" · In this table: nothing failed, yet nothing was changed");
                    }
                    // A cancelled transaction's prepare phase consumed capacity.
                    let used: Vec<Consumed> = refused
                        .consumed
                        .iter()
                        .filter(|(t, _)| t == table)
                        .map(|(_, c)| c.clone())
                        .collect();
                    self.table_refused(
                        call,
                        table,
                        op,
                        code,
                        text,
                        &used,
                        "nothing was changed, yet the prepare phase consumed capacity",
                    );
                }
                return Err(e);
            }
        };
        let mut answered: BTreeMap<String, TraceId> = BTreeMap::new();
        for (table, c) in &r.tables {
            let what = match op {
                Operation::TransactGetItems => "read its items as one snapshot",
                Operation::TransactWriteItems if c.read => "checked its conditions",
                Operation::TransactWriteItems => "committed its changes",
                _ => "made its writes",
            };
            let id = self.table_served(call, table, op, c, what);
            answered.entry(table.clone()).or_insert(id);
        }
        if let Some(Value::Object(left)) = &r.unprocessed {
            for (table, list) in left {
                let n = list.as_array().map(Vec::len).unwrap_or(0);
                self.count(&format!("table {table}")).throttles += n as u64;
                self.table_refused(
                    call,
                    table,
                    op,
                    "DYNAMODB_UNPROCESSED",
                    format!(
                        "BatchWriteItem left {} unprocessed: the table's provisioned throughput was exceeded. They come back in UnprocessedItems, and the call still succeeds; the caller must send them again (with exponential backoff) or they are lost.",
                        plural(n, "request")
                    ),
                    &[],
                    "",
                );
            }
        }
        for (name, marks) in names.iter().zip(before) {
            if let Some(id) = answered.get(name).copied() {
                self.table_changed(name, id, marks);
            }
        }
        Ok(r)
    }

    /// Wakes the idle stream mappings of `table` at the next poll (4 a second).
    fn wake_streams(&mut self, table: &str) {
        let now = self.clock.now_ms();
        for k in 0..self.stream_mappings.len() {
            let p = &self.streams.pollers[k];
            if self.stream_mappings[k].table == table && !p.busy && p.scheduled.is_none() {
                self.schedule_stream_poll(k, STREAM_POLL_MS - now % STREAM_POLL_MS);
            }
        }
    }

    /// After [`Flow::redefine`]: each stream mapping reads on from its table's stream's end
    /// (what was recorded before belongs to the work that was dropped), and each table with
    /// Time to Live gets its next sweep.
    pub(super) fn streams_from_end(&mut self) {
        for k in 0..self.stream_mappings.len() {
            let end = self
                .tables
                .get(&self.stream_mappings[k].table)
                .map_or(0, |t| t.stream_len());
            self.streams.pollers[k] = StreamPoller {
                next: end,
                ..StreamPoller::default()
            };
        }
        let now = self.clock.now_ms();
        let next: Vec<(String, u64)> = self
            .tables
            .iter()
            .filter_map(|(name, t)| Some((name.clone(), t.next_expiry(EPOCH_MS, now)?)))
            .collect();
        for (name, at) in next {
            self.schedule_ttl_at(&name, at.saturating_add(TTL_DELAY_MS));
        }
    }

    /// Schedules TTL's next deletion in `table` at `at` (ms), unless one is pending at or
    /// before it (a pending sweep is in `streams.ttl` until it runs). A written item's
    /// deletion is [`TTL_DELAY_MS`] after its expiry, or after its write when it had
    /// already expired.
    fn schedule_ttl_at(&mut self, table: &str, at: u64) {
        // Beyond the longest run (a day) nothing happens: no event.
        if at > 86_400_000 {
            return;
        }
        if let Some((when, id)) = self.streams.ttl.get(table).copied() {
            if when <= at {
                return;
            }
            self.clock.cancel(id);
        }
        let id = self
            .clock
            .schedule_at(at, Event::TtlSweep(table.to_string()));
        self.streams.ttl.insert(table.to_string(), (at, id));
    }

    /// TTL deletes what expired at least [`TTL_DELAY_MS`] ago: no write units, a REMOVE
    /// stream record whose `userIdentity` is the service, then the next sweep.
    pub(super) fn ttl_sweep(&mut self, table: &str) {
        self.streams.ttl.remove(table);
        let now = self.clock.now_ms();
        let Some(t) = self.tables.get_mut(table) else {
            return;
        };
        let before = t.stream_len();
        let spec = t.spec.clone();
        let deleted = t.ttl_sweep(now, now.saturating_sub(TTL_DELAY_MS), EPOCH_MS);
        let next = t.next_expiry(EPOCH_MS, now);
        let attr = spec.ttl_attribute.clone().unwrap_or_default();
        // Each stream record's cause is its own deletion's trace entry.
        let mut record_causes = vec![];
        for (item, recorded) in &deleted {
            let keys: crate::core::services::dynamodb::expr::Item = item
                .iter()
                .filter(|(k, _)| {
                    **k == spec.partition_key.name
                        || spec.sort_key.as_ref().is_some_and(|s| s.name == **k)
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let id = self.record(
                None,
                &format!("table {table}"),
                TraceKind::Event,
                "DYNAMODB_TTL_DELETED",
                format!(
                    "{} deleted by TTL: its {attr} ({}) has passed; no write units are consumed, and its stream record names dynamodb.amazonaws.com as userIdentity",
                    item_text(&keys),
                    item.get(&attr).map(|v| crate::core::services::dynamodb::request::attr_plain(v).to_string()).unwrap_or_default()
                ),
            );
            if *recorded {
                record_causes.push(id);
            }
        }
        if !record_causes.is_empty() {
            let causes = self.streams.causes.entry(table.to_string()).or_default();
            causes.resize(before, TraceId(0));
            causes.extend(record_causes);
            self.wake_streams(table);
        }
        // The next item a minute after its expiry (already past for one that expired in
        // the last minute: the clock runs it now).
        if let Some(next) = next {
            self.schedule_ttl_at(table, next.saturating_add(TTL_DELAY_MS));
        }
    }

    fn schedule_stream_poll(&mut self, k: usize, delay_ms: u64) {
        if let Some(id) = self.streams.pollers[k].scheduled.take() {
            self.clock.cancel(id);
        }
        let id = self.clock.schedule(delay_ms, Event::StreamPoll(k));
        self.streams.pollers[k].scheduled = Some(id);
    }

    /// Mapping `k` reads its shard: the front range (a retry or a bisected half) or the
    /// next batch, and invokes the function with it.
    pub(super) fn stream_poll(&mut self, k: usize) {
        self.streams.pollers[k].scheduled = None;
        if self.streams.pollers[k].busy || self.streams.pollers[k].denied {
            return;
        }
        let m = self.stream_mappings[k].clone();
        if !self.tables.contains_key(&m.table) {
            return;
        }
        if !self.stream_allowed(k) {
            self.streams.pollers[k].denied = true;
            return;
        }
        let Some(table) = self.tables.get(&m.table) else {
            return;
        };
        let len = table.stream.len();
        let now = self.clock.now_ms();
        let p = &mut self.streams.pollers[k];
        if p.pending.is_empty() {
            if p.next >= len {
                return;
            }
            p.pending
                .push((p.next, (len - p.next).min(m.batch_size as usize)));
        }
        let Some(&(start, n)) = p.pending.last() else {
            return;
        };
        let first_at = table.stream[start].at_ms;
        let cause = self
            .streams
            .causes
            .get(&m.table)
            .and_then(|c| c.get(start).copied());
        if let Some(age) = m.maximum_record_age_seconds {
            if now.saturating_sub(first_at) > age as u64 * 1000 {
                let why = format!(
                    "older than MaximumRecordAgeInSeconds ({})",
                    secs(age as u64 * 1000)
                );
                self.discard(k, start, n, "RecordAgeExceeded", &why, cause);
                return;
            }
        }
        // A function that is missing or has no concurrency free: the shard waits, said once,
        // and tries again when a run ends or after a wait that doubles.
        let runnable = if !self.functions.contains_key(&m.function) {
            Err(format!(
                "ResourceNotFoundException: Function not found: {}",
                function_arn(&m.function)
            ))
        } else {
            let (running, limit) = self.concurrency(&m.function);
            if running >= limit {
                Err(format!(
                    "the function has no concurrency free ({})",
                    super::in_use(running, limit)
                ))
            } else {
                Ok(())
            }
        };
        if let Err(why) = runnable {
            let p = &mut self.streams.pollers[k];
            let first = p.throttles == 0;
            p.throttles += 1;
            p.blocked = true;
            let wait =
                (STREAM_RETRY_FIRST_MS << (p.throttles - 1).min(16)).min(STREAM_RETRY_LAST_MS);
            // A batch not yet invoked is read again, with what arrives meanwhile.
            if p.invokes == 0 && p.attempts == 0 && p.pending.len() == 1 {
                p.pending.clear();
            }
            if first {
                if self.functions.contains_key(&m.function) {
                    self.count(&m.function).throttles += 1;
                }
                self.record(
                    cause,
                    &format!("table {}", m.table),
                    TraceKind::Event,
                    "STREAM_WAITING",
                    format!(
                        "{} not sent to {}: {why}; the shard waits",
                        span(start, n),
                        m.function
                    ),
                );
            }
            self.schedule_stream_poll(k, wait);
            return;
        }
        self.streams.pollers[k].throttles = 0;
        self.streams.pollers[k].blocked = false;
        let Some(table) = self.tables.get(&m.table) else {
            return;
        };
        let event = stream_event(&table.spec, &table.stream[start..start + n]);
        let actor = format!("table {}", m.table);
        let hop = self.record(
            cause,
            &actor,
            TraceKind::Call,
            "STREAM_BATCH",
            format!(
                "GetRecords gave {}; Invoke {} (RequestResponse)",
                span(start, n),
                m.function
            ),
        );
        self.moves.push(super::Move {
            trace: hop,
            at_ms: now,
            from: format!("table {}", m.table),
            to: format!("function {}", m.function),
        });
        let origin = Origin::Stream {
            mapping: k,
            start,
            len: n,
        };
        if self.invoke_sync(&m.function, event, origin, hop).is_some() {
            self.streams.pollers[k].busy = true;
            self.streams.pollers[k].invokes += 1;
        } else {
            // Checked above; kept safe all the same.
            self.schedule_stream_poll(k, STREAM_RETRY_FIRST_MS);
        }
    }

    /// Wakes the stream mappings waiting for concurrency (a run ended).
    pub(super) fn wake_blocked_streams(&mut self) {
        for k in 0..self.stream_mappings.len() {
            if self.streams.pollers[k].blocked && !self.streams.pollers[k].busy {
                self.streams.pollers[k].blocked = false;
                self.schedule_stream_poll(k, 0);
            }
        }
    }

    /// A stream batch's run ended: on success the shard moves on; on failure the batch is
    /// retried (bisected first when asked), or discarded once retries or age run out.
    pub(super) fn stream_done(
        &mut self,
        k: usize,
        start: usize,
        len: usize,
        run: &lambda::Run,
        end: TraceId,
    ) {
        let m = self.stream_mappings[k].clone();
        // Stream entries are the table's: its records wait there.
        let actor = format!("table {}", m.table);
        self.streams.pollers[k].busy = false;
        let failed_from = match &run.ending {
            Ending::Returned {
                batch_item_failures,
            } if !batch_item_failures.is_empty() => {
                if m.report_batch_item_failures {
                    // Processing resumes from the lowest sequence number reported.
                    batch_item_failures
                        .iter()
                        .filter_map(|s| s.parse::<usize>().ok())
                        .filter(|s| (start + 1..=start + len).contains(s))
                        .min()
                        .map(|s| s - 1)
                } else {
                    self.record(Some(end), &actor, TraceKind::Event, "ESM_FAILURES_IGNORED", "batchItemFailures ignored: the mapping does not turn on ReportBatchItemFailures, so the whole batch counts as processed".to_string());
                    None
                }
            }
            Ending::Returned { .. } => None,
            _ => Some(start),
        };
        let table_actor = format!("table {}", m.table);
        let done = failed_from.unwrap_or(start + len) - start;
        self.count(&table_actor).records_processed += done as u64;
        let Some(from) = failed_from else {
            self.range_finished(k, start + len);
            return;
        };
        let rest = start + len - from;
        let waiting = self
            .tables
            .get(&m.table)
            .map(|t| t.stream.len().saturating_sub(start + len))
            .unwrap_or(0);
        let p = &mut self.streams.pollers[k];
        p.pending.pop();
        let partial = matches!(run.ending, Ending::Returned { .. });
        if m.bisect_batch_on_function_error && rest > 1 && !partial {
            let half = rest / 2;
            p.pending.push((from + half, rest - half));
            p.pending.push((from, half));
            p.attempts = 0;
            p.invokes = 0;
            self.record(
                Some(end),
                &actor,
                TraceKind::Event,
                "STREAM_BISECTED",
                format!(
                    "{} failed: BisectBatchOnFunctionError splits it into {} and {}, retried in order",
                    span(from, rest),
                    span(from, half),
                    span(from + half, rest - half)
                ),
            );
            self.schedule_stream_poll(k, STREAM_RETRY_FIRST_MS);
            return;
        }
        p.pending.push((from, rest));
        p.attempts += 1;
        let attempts = p.attempts;
        if m.maximum_retry_attempts.is_some_and(|max| attempts > max) {
            let why = format!(
                "failed {} (MaximumRetryAttempts {})",
                plural(attempts as usize, "time"),
                m.maximum_retry_attempts.unwrap_or(0)
            );
            self.discard(k, from, rest, "RetryAttemptsExhausted", &why, Some(end));
            return;
        }
        let wait = (STREAM_RETRY_FIRST_MS << (attempts - 1).min(16)).min(STREAM_RETRY_LAST_MS);
        let of = m
            .maximum_retry_attempts
            .map(|max| format!(" of {max}"))
            .unwrap_or_else(|| " (MaximumRetryAttempts -1: until the records expire)".into());
        let blocked = if waiting > 0 {
            format!(
                "; the shard is blocked: {} wait behind",
                plural(waiting, "later record")
            )
        } else {
            String::new()
        };
        self.record(
            Some(end),
            &actor,
            TraceKind::Event,
            "STREAM_RETRY",
            format!(
                "{} retried in {}, retry {attempts}{of}{blocked}",
                span(from, rest),
                secs(wait)
            ),
        );
        self.schedule_stream_poll(k, wait);
    }

    /// The front range is done (processed or discarded) up to `until`: read on.
    fn range_finished(&mut self, k: usize, until: usize) {
        let p = &mut self.streams.pollers[k];
        p.pending.pop();
        p.attempts = 0;
        p.invokes = 0;
        p.next = p.next.max(until);
        if p.pending.is_empty() {
            let more = self
                .tables
                .get(&self.stream_mappings[k].table)
                .is_some_and(|t| t.stream.len() > until);
            if more {
                self.schedule_stream_poll(k, 0);
            }
        } else {
            self.schedule_stream_poll(k, 0);
        }
    }

    /// Records `start..start + len` are discarded: described to the on-failure
    /// destination when there is one, and the shard reads on.
    fn discard(
        &mut self,
        k: usize,
        start: usize,
        len: usize,
        condition: &str,
        why: &str,
        cause: Option<TraceId>,
    ) {
        let m = self.stream_mappings[k].clone();
        // Stream entries are the table's: its records wait there.
        let actor = format!("table {}", m.table);
        let table_actor = format!("table {}", m.table);
        self.count(&table_actor).records_discarded += len as u64;
        let to = match &m.on_failure {
            Some(Destination::Sqs(q)) => format!("described to queue {q}"),
            Some(Destination::Sns(t)) => format!("described to topic {t}"),
            _ => "lost: the mapping has no on-failure destination".to_string(),
        };
        let t = self.record(
            cause,
            &actor,
            TraceKind::Event,
            "STREAM_RECORDS_DISCARDED",
            format!("{} discarded, {why}; {to}", span(start, len)),
        );
        if let Some(d) = &m.on_failure {
            let now = self.clock.now_ms();
            let at = |i: usize| {
                self.tables
                    .get(&m.table)
                    .and_then(|t| t.stream.get(i))
                    .map(|r| lambda::timestamp(r.at_ms))
                    .unwrap_or_default()
            };
            let invokes = self.streams.pollers[k].invokes;
            let mut response = json!({
                "statusCode": 200,
                "executedVersion": "$LATEST",
            });
            if invokes > 0 {
                response["functionError"] = json!("Unhandled");
            }
            let record = json!({
                "requestContext": {
                    "functionArn": format!("{}:$LATEST", function_arn(&m.function)),
                    "condition": condition,
                    "approximateInvokeCount": invokes,
                },
                "responseContext": response,
                "version": "1.0",
                "timestamp": lambda::timestamp(now),
                "DDBStreamBatchInfo": {
                    "shardId": "shardId-00000001",
                    "startSequenceNumber": (start + 1).to_string(),
                    "endSequenceNumber": (start + len).to_string(),
                    "approximateArrivalOfFirstRecord": at(start),
                    "approximateArrivalOfLastRecord": at(start + len - 1),
                    "batchSize": len,
                    "streamArn": stream_arn(&m.table),
                },
            });
            let d = d.clone();
            self.deliver_record(&m.function, &d, record, t);
        }
        self.range_finished(k, start + len);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
