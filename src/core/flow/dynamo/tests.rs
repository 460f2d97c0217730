//! DynamoDB in the flow engine, against AWS's documented behaviour: handler calls that
//! throw, conditional writes, throttling with burst capacity, and streams to Lambda in
//! order under failures.

use crate::core::views::flow::scenario::{Outcome, Scenario};
use serde_json::json;

/// A scenario given as JSON, its roles and policies granted least privilege.
fn scenario(v: serde_json::Value) -> Scenario {
    let mut s = serde_json::from_value(v).expect("a valid scenario");
    crate::core::views::flow::grants::least_privilege(&mut s);
    s
}

fn run(v: serde_json::Value) -> Outcome {
    scenario(v).run().expect("the scenario builds")
}

fn texts(o: &Outcome, code: &str) -> Vec<String> {
    o.trace
        .iter()
        .filter(|e| e.code == code)
        .map(|e| e.text.clone())
        .collect()
}

fn orders(stream: Option<&str>, billing: serde_json::Value) -> serde_json::Value {
    let mut t = json!({
        "name": "orders",
        "partition_key": {"name": "id", "type": "S"},
        "billing": billing,
    });
    if let Some(s) = stream {
        t["stream"] = json!(s);
    }
    t
}

/// An idempotent writer: PutItem with attribute_not_exists(id). The same order twice: the
/// second write is refused with ConditionalCheckFailedException, which fails the run (an
/// uncaught SDK error) — and still consumes a write unit (Developer Guide, "Conditional
/// writes"). Caught, the handler goes on and returns.
#[test]
fn a_refused_conditional_write_fails_the_run_unless_caught() {
    let step = |catch: serde_json::Value| {
        json!({"step": "dynamodb", "catch": catch, "call": {
            "operation": "PutItem", "table": "orders",
            "item": "{\"id\": \"{{order}}\", \"note\": \"{{note}}\"}",
            "condition": "attribute_not_exists(id)"
        }})
    };
    let make = |catch: serde_json::Value| {
        json!({
            "tables": [orders(None, json!({"mode": "OnDemand"}))],
            "functions": [{"name": "writer", "handler": {"steps": [step(catch)]}}],
            "actions": [
                {"at_ms": 0, "action": "invoke", "function": "writer",
                 "payload": {"order": "o-1", "note": "say \"hi\""}},
                {"at_ms": 1000, "action": "invoke", "function": "writer",
                 "payload": {"order": "o-1", "note": "again"}}
            ],
            "horizon_ms": 5000
        })
    };
    let o = run(make(json!([])));
    let errors = texts(&o, "LAMBDA_ERROR");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]
        .contains("failed: ConditionalCheckFailedException: The conditional request failed"));
    let c = &o.counters["table orders"];
    // One write served, one refused by its condition; both consumed a unit.
    assert_eq!((c.writes, c.condition_failures, c.write_units), (1, 1, 2.0));
    // The note with quotes went through the JSON template escaped, intact.
    let items = o.items_at("orders", 5000);
    assert_eq!(items.len(), 1);
    assert_eq!(
        crate::core::services::dynamodb::request::item_text(&items[0]),
        r#"{"id":"o-1","note":"say \"hi\""}"#
    );
    // The table was empty before the first write: the viewer replays to any moment.
    assert!(o.items_at("orders", 0).len() == 1 && o.items_at("orders", 5000).len() == 1);

    let o = run(make(json!(["ConditionalCheckFailedException"])));
    assert!(texts(&o, "LAMBDA_ERROR").is_empty());
    assert_eq!(texts(&o, "LAMBDA_CAUGHT").len(), 1);
}

/// A provisioned table of 1 WCU starts with one second of capacity: of ten writes at once,
/// one passes and nine are throttled (ProvisionedThroughputExceededException). Five
/// minutes later the burst bucket holds 300 s of unused capacity (Developer Guide, "Burst
/// capacity"): ten writes pass at once.
#[test]
fn provisioned_writes_throttle_until_burst_capacity_builds_up() {
    let put = |at: u64, n: usize| {
        json!({"at_ms": at, "action": "dynamodb", "call": {
            "operation": "PutItem", "table": "orders",
            "item": format!("{{\"id\": \"o-{n}\"}}")
        }})
    };
    let mut actions: Vec<serde_json::Value> = (0..10).map(|n| put(0, n)).collect();
    actions.extend((10..20).map(|n| put(300_000, n)));
    let o = run(json!({
        "tables": [orders(None, json!({"mode": "Provisioned", "read": 1, "write": 1}))],
        "actions": actions,
        "horizon_ms": 301_000
    }));
    let c = &o.counters["table orders"];
    assert_eq!((c.writes, c.throttles), (11, 9));
    assert_eq!(o.items_at("orders", 1000).len(), 1);
    assert_eq!(o.items_at("orders", 301_000).len(), 11);
    assert!(texts(&o, "DYNAMODB_THROTTLED")[0].contains("ProvisionedThroughputExceededException"));
}

fn stream_lesson(mapping: serde_json::Value) -> Outcome {
    let keys = ["a", "b", "poison", "d", "e"];
    let actions: Vec<serde_json::Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            json!({"at_ms": i as u64, "action": "dynamodb", "call": {
                "operation": "PutItem", "table": "orders", "item": format!("{{\"id\": \"{k}\"}}")
            }})
        })
        .collect();
    let mut m = json!({"table": "orders", "function": "indexer"});
    for (k, v) in mapping.as_object().unwrap() {
        m[k] = v.clone();
    }
    run(json!({
        "queues": [{"name": "stream-failures"}],
        "tables": [orders(Some("NEW_IMAGE"), json!({"mode": "OnDemand"}))],
        "functions": [{"name": "indexer", "handler": {"steps": [
            {"step": "run", "ms": 20},
            {"step": "fail", "when": {"field_equals": {"path": "Records.*.dynamodb.Keys.id.S", "value": "poison"}},
             "error_type": "ValueError", "message": "cannot index"}
        ]}}],
        "stream_mappings": [m],
        "actions": actions,
        "horizon_ms": 120_000
    }))
}

/// One bad record blocks its shard: with the defaults (MaximumRetryAttempts -1) the batch
/// holding it is retried for as long as the run lasts and nothing behind it is processed.
#[test]
fn a_poison_record_blocks_its_shard_by_default() {
    let o = stream_lesson(json!({"batch_size": 1}));
    let batches = texts(&o, "STREAM_BATCH");
    assert!(batches[0].starts_with("GetRecords gave record 1;"));
    assert!(batches[1].starts_with("GetRecords gave record 2;"));
    assert!(batches[2..]
        .iter()
        .all(|b| b.starts_with("GetRecords gave record 3;")));
    let retry = texts(&o, "STREAM_RETRY");
    assert!(
        retry[0].contains("the shard is blocked: 2 later records wait behind"),
        "{retry:?}"
    );
    assert_eq!(o.counters["table orders"].records_processed, 2);
}

/// With BisectBatchOnFunctionError, MaximumRetryAttempts 2 and an on-failure queue, the
/// batch of five is split until the poison record is alone; it is retried twice, then
/// described to the queue; every other record is processed, in order.
#[test]
fn bisect_isolates_the_poison_record_and_order_is_kept() {
    let o = stream_lesson(json!({
        "batch_size": 10,
        "bisect_batch_on_function_error": true,
        "maximum_retry_attempts": 2,
        "on_failure": {"type": "Sqs", "name": "stream-failures"}
    }));
    let batches: Vec<String> = texts(&o, "STREAM_BATCH")
        .iter()
        .map(|t| t.split(';').next().unwrap().replace("GetRecords gave ", ""))
        .collect();
    assert_eq!(
        batches,
        [
            "records 1–5",
            "records 1–2",
            "records 3–5",
            "record 3",
            "record 3",
            "record 3",
            "records 4–5"
        ]
    );
    let discarded = texts(&o, "STREAM_RECORDS_DISCARDED");
    assert_eq!(discarded.len(), 1);
    assert!(discarded[0].starts_with("record 3 discarded, failed 3 times (MaximumRetryAttempts 2)"));
    let c = &o.counters["table orders"];
    assert_eq!((c.records_processed, c.records_discarded), (4, 1));
    assert_eq!(o.counters["stream-failures"].sent, 1);
    let enq = o
        .trace
        .iter()
        .find(|e| e.code == "SQS_ENQUEUED")
        .expect("the failure record is queued");
    assert!(enq.actor == "queue stream-failures");
}

/// ReportBatchItemFailures on a stream: the function reports the poison record and
/// processing resumes from it; the records before it are not processed again.
#[test]
fn reported_failures_resume_from_the_first_reported_record() {
    let keys = ["a", "b", "poison", "d"];
    let actions: Vec<serde_json::Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            json!({"at_ms": i as u64, "action": "dynamodb", "call": {
                "operation": "PutItem", "table": "orders", "item": format!("{{\"id\": \"{k}\"}}")
            }})
        })
        .collect();
    let o = run(json!({
        "tables": [orders(Some("KEYS_ONLY"), json!({"mode": "OnDemand"}))],
        "functions": [{"name": "indexer", "handler": {"steps": [
            {"step": "report_batch_item_failures", "when": {"field_equals": {"path": "dynamodb.Keys.id.S", "value": "poison"}}}
        ]}}],
        "stream_mappings": [{"table": "orders", "function": "indexer",
            "report_batch_item_failures": true, "maximum_retry_attempts": 1}],
        "actions": actions,
        "horizon_ms": 60_000
    }));
    let batches: Vec<String> = texts(&o, "STREAM_BATCH")
        .iter()
        .map(|t| t.split(';').next().unwrap().replace("GetRecords gave ", ""))
        .collect();
    // Retried once (MaximumRetryAttempts 1) from the reported record, then discarded.
    assert_eq!(batches, ["records 1–4", "records 3–4"]);
    let c = &o.counters["table orders"];
    assert_eq!((c.records_processed, c.records_discarded), (2, 2));
}

/// Calls to what does not exist throw the service's error; bad mappings are refused.
#[test]
fn missing_tables_throw_and_bad_stream_mappings_are_refused() {
    let o = run(json!({
        "functions": [{"name": "reader", "handler": {"steps": [
            {"step": "dynamodb", "call": {"operation": "GetItem", "table": "nope", "item": "{\"id\": \"1\"}"}}
        ]}}],
        "actions": [{"at_ms": 0, "action": "invoke", "function": "reader", "payload": {}}],
        "horizon_ms": 1000
    }));
    assert!(texts(&o, "LAMBDA_ERROR")[0]
        .contains("ResourceNotFoundException: Requested resource not found"));
    let no_stream = scenario(json!({
        "tables": [orders(None, json!({"mode": "OnDemand"}))],
        "functions": [{"name": "indexer"}],
        "stream_mappings": [{"table": "orders", "function": "indexer"}]
    }));
    let errors = no_stream.run().unwrap_err();
    assert!(errors[0].contains("has no stream"), "{errors:?}");
    let fifo = scenario(json!({
        "queues": [{"name": "f.fifo", "attributes": {"FifoQueue": true}}],
        "tables": [orders(Some("KEYS_ONLY"), json!({"mode": "OnDemand"}))],
        "functions": [{"name": "indexer"}],
        "stream_mappings": [{"table": "orders", "function": "indexer", "batch_size": 10001,
            "on_failure": {"type": "Sqs", "name": "f.fifo"}}]
    }));
    let errors = fifo.run().unwrap_err();
    assert!(errors[0].contains("BatchSize is 10001"), "{errors:?}");
    let fifo_only = scenario(json!({
        "queues": [{"name": "f.fifo", "attributes": {"FifoQueue": true}}],
        "tables": [orders(Some("KEYS_ONLY"), json!({"mode": "OnDemand"}))],
        "functions": [{"name": "indexer"}],
        "stream_mappings": [{"table": "orders", "function": "indexer",
            "on_failure": {"type": "Sqs", "name": "f.fifo"}}]
    }));
    assert!(fifo_only.run().unwrap_err()[0].contains("is a FIFO queue"));
}

/// A stream whose function may not run (reserved concurrency 0) waits: said once, no batch
/// is sent or animated, and the retries back off instead of filling the trace.
#[test]
fn a_stream_without_concurrency_waits_quietly() {
    let o = run(json!({
        "tables": [orders(Some("KEYS_ONLY"), json!({"mode": "OnDemand"}))],
        "functions": [{"name": "indexer", "reserved_concurrency": 0}],
        "stream_mappings": [{"table": "orders", "function": "indexer"}],
        "actions": [{"at_ms": 0, "action": "dynamodb", "call": {
            "operation": "PutItem", "table": "orders", "item": "{\"id\": \"a\"}"}}],
        "horizon_ms": 3_600_000
    }));
    assert_eq!(texts(&o, "STREAM_WAITING").len(), 1);
    assert!(texts(&o, "STREAM_BATCH").is_empty());
    assert!(o.trace.len() < 20, "{}", o.trace.len());
    assert!(!o.moves.iter().any(|m| m.to == "function indexer"));
}

/// Time to Live: an item whose `expires` (epoch seconds) has passed is deleted in the
/// background without consuming write units; until then reads still return it; its stream
/// record is a REMOVE whose `userIdentity` is the DynamoDB service (Developer Guide, "Time
/// to Live", "DynamoDB Streams and Time to Live"). An expiry that is not a Number is
/// ignored.
#[test]
fn ttl_deletes_expired_items_as_the_service() {
    let epoch_s = crate::core::flow::EPOCH_MS / 1000;
    let mut table = orders(Some("NEW_AND_OLD_IMAGES"), json!({"mode": "OnDemand"}));
    table["ttl_attribute"] = json!("expires");
    let put = |at: u64, item: String| {
        json!({"at_ms": at, "action": "dynamodb", "call": {
            "operation": "PutItem", "table": "orders", "item": item}})
    };
    let o = run(json!({
        "tables": [table],
        "functions": [{"name": "archiver", "handler": {"steps": [{"step": "run", "ms": 10}]}}],
        "stream_mappings": [{"table": "orders", "function": "archiver"}],
        "actions": [
            put(0, format!(r#"{{"id": "cart-1", "expires": {}}}"#, epoch_s + 10)),
            put(0, format!(r#"{{"id": "cart-2", "expires": "{}"}}"#, epoch_s + 10)),
            put(0, r#"{"id": "order-1"}"#.into()),
            // Expires 10 s after cart-1: deleted a minute after its own expiry, not a minute
            // after cart-1's deletion.
            put(40_000, format!(r#"{{"id": "cart-3", "expires": {}}}"#, epoch_s + 20)),
            // A write at the very moment of the sweep does not postpone it.
            put(70_000, r#"{"id": "order-2"}"#.into()),
            {"at_ms": 30_000, "action": "dynamodb", "call": {
                "operation": "GetItem", "table": "orders", "item": "{\"id\": \"cart-1\"}"}}
        ],
        "horizon_ms": 120_000
    }));
    // Still there at 30 s (expired at 10 s, not yet deleted).
    let read = texts(&o, "DYNAMODB_READ");
    assert!(read[0].contains("cart-1"), "{read:?}");
    // Deleted a minute after it expired; the string "expires" of cart-2 is ignored.
    let deleted: Vec<&crate::core::sim::TraceEntry> = o
        .trace
        .iter()
        .filter(|e| e.code == "DYNAMODB_TTL_DELETED")
        .collect();
    let when: Vec<(u64, bool)> = deleted
        .iter()
        .map(|e| (e.at_ms, e.text.contains("cart-1")))
        .collect();
    assert_eq!(when, vec![(70_000, true), (80_000, false)]);
    assert!(deleted[1].text.contains("cart-3"));
    assert_eq!(o.items_at("orders", 120_000).len(), 3);
    // No write units for the deletions: only the five puts were billed.
    assert_eq!(o.counters["table orders"].writes, 5);
    // Each REMOVE record goes down the stream.
    let starts = o.trace.iter().filter(|e| e.code == "LAMBDA_START").count();
    assert!(starts >= 3, "{starts} batches");
}

#[test]
fn a_ttl_record_names_the_service_as_user_identity() {
    use crate::core::services::dynamodb::table::{KeyAttr, KeyType, StreamRecord, TableSpec};
    let spec = TableSpec::new("orders", KeyAttr::new("id", KeyType::S));
    let mut keys = crate::core::services::dynamodb::expr::Item::new();
    keys.insert(
        "id".into(),
        crate::core::dynamodb::item::Attr::S("cart-1".into()),
    );
    let record = |ttl| StreamRecord {
        sequence_number: 1,
        event_name: "REMOVE",
        at_ms: 0,
        keys: keys.clone(),
        new_image: None,
        old_image: None,
        ttl,
    };
    let e = crate::core::flow::dynamo::stream_event(&spec, &[record(true), record(false)]);
    assert_eq!(
        e["Records"][0]["userIdentity"],
        json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"})
    );
    assert!(e["Records"][1].get("userIdentity").is_none());
}
