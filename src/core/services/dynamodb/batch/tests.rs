//! Oracles: the Developer Guide's transaction example (three 500-byte items written in one
//! transaction need six WCUs), the API Reference's limits and error texts, and the
//! all-or-nothing property (a cancelled transaction leaves every table as it was).

use super::*;
use crate::core::services::dynamodb::request::{fill_templates_json, Operation, Request};
use crate::core::services::dynamodb::table::{
    Billing, GlobalSecondaryIndex, KeyAttr, KeyType, Projection, StreamView, TableSpec,
};

fn table(name: &str, billing: Billing) -> Table {
    let mut spec = TableSpec::new(name, KeyAttr::new("id", KeyType::S));
    spec.billing = billing;
    spec.stream = Some(StreamView::NewAndOldImages);
    Table::create(spec, 0).unwrap()
}

fn tables() -> BTreeMap<String, Table> {
    let mut t = BTreeMap::new();
    t.insert("orders".into(), table("orders", Billing::OnDemand));
    t.insert("stock".into(), table("stock", Billing::OnDemand));
    t
}

fn call(op: Operation, json: &str) -> Request {
    Request {
        operation: op,
        item: json.into(),
        ..Request::default()
    }
}

fn put(t: &mut BTreeMap<String, Table>, table: &str, item: &str) {
    Request {
        operation: Operation::PutItem,
        table: table.into(),
        item: item.into(),
        ..Request::default()
    }
    .execute(t, 0)
    .unwrap();
}

/// A string attribute that makes an item of exactly `bytes` bytes with `id` = "o-N".
fn item_of_size(id: &str, bytes: usize) -> String {
    // "id" (2) + id value + "pad" (3) + the padding.
    let pad = bytes - 2 - id.len() - 3;
    format!(r#"{{"id": "{id}", "pad": "{}"}}"#, "x".repeat(pad))
}

fn units(r: &crate::core::services::dynamodb::request::Response, table: &str, read: bool) -> f64 {
    r.tables
        .iter()
        .filter(|(t, c)| t == table && c.read == read)
        .map(|(_, c)| c.units)
        .sum()
}

#[test]
fn three_500_byte_items_in_a_transaction_consume_six_wcu() {
    // Developer Guide, "Capacity management for transactions".
    let mut t = tables();
    let actions: Vec<String> = (1..=3)
        .map(|k| {
            format!(
                r#"{{"Put": {{"TableName": "orders", "Item": {}}}}}"#,
                item_of_size(&format!("o-{k}"), 500)
            )
        })
        .collect();
    let r = call(
        Operation::TransactWriteItems,
        &format!("[{}]", actions.join(",")),
    )
    .execute(&mut t, 0)
    .unwrap();
    assert_eq!(units(&r, "orders", false), 6.0);
    assert_eq!(r.consumed.units, 6.0);
    assert_eq!(t["orders"].len(), 3);
    assert!(r.changed);
    // The same three items written one by one: three WCU.
    let mut t2 = tables();
    for k in 1..=3 {
        put(&mut t2, "orders", &item_of_size(&format!("o-{k}"), 500));
    }
    assert_eq!(t2["orders"].last_consumed.as_ref().unwrap().units, 1.0);
}

#[test]
fn a_transactional_write_doubles_its_index_writes_and_rounds_per_item() {
    let mut spec = TableSpec::new("orders", KeyAttr::new("id", KeyType::S));
    spec.global_secondary_indexes.push(GlobalSecondaryIndex {
        name: "by-status".into(),
        partition_key: KeyAttr::new("status", KeyType::S),
        sort_key: None,
        projection: Projection::KeysOnly,
        write_capacity: None,
    });
    let mut t = BTreeMap::new();
    t.insert("orders".into(), Table::create(spec, 0).unwrap());
    // A 5,000-byte item: 5 write units; its KEYS_ONLY index entry: 1; doubled: 12.
    let big = item_of_size("o-1", 5_000).replace("\"pad\"", "\"status\": \"new\", \"pad\"");
    let r = call(
        Operation::TransactWriteItems,
        &format!(r#"[{{"Put": {{"TableName": "orders", "Item": {big}}}}}]"#),
    )
    .execute(&mut t, 0)
    .unwrap();
    assert_eq!(r.consumed.units, 12.0);
    assert_eq!(r.tables[0].1.indexes["by-status"], 2.0);
    assert!(r.tables[0].1.math.contains("× 2"));
}

#[test]
fn a_failed_condition_cancels_the_whole_transaction() {
    let mut t = tables();
    put(&mut t, "orders", r#"{"id": "o-1", "status": "paid"}"#);
    put(&mut t, "stock", r#"{"id": "s-1", "qty": 5}"#);
    let before = t.clone();
    let refused = call(
        Operation::TransactWriteItems,
        r#"[
          {"Update": {"TableName": "stock", "Key": {"id": "s-1"}, "UpdateExpression": "SET qty = qty - :one", "ExpressionAttributeValues": {":one": 1}}},
          {"Put": {"TableName": "orders", "Item": {"id": "o-1", "status": "new"}, "ConditionExpression": "attribute_not_exists(id)"}},
          {"ConditionCheck": {"TableName": "stock", "Key": {"id": "s-2"}, "ConditionExpression": "attribute_not_exists(id)"}}
        ]"#,
    )
    .execute_multi(&mut t, 10)
    .unwrap_err();
    let e = refused.error;
    assert_eq!(e.code, "TransactionCanceledException");
    assert_eq!(
        e.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]"
    );
    // Nothing changed in either table: not the stock decrement either.
    for name in ["orders", "stock"] {
        assert_eq!(
            t[name].items().collect::<Vec<_>>(),
            before[name].items().collect::<Vec<_>>()
        );
        assert_eq!(t[name].stream_len(), before[name].stream_len());
    }
    // The prepare phase is charged: one write of each item as it is, one strongly
    // consistent read for the condition check — reads and writes apart, per table.
    let used: Vec<(&str, bool, f64)> = refused
        .consumed
        .iter()
        .map(|(t, c)| (t.as_str(), c.read, c.units))
        .collect();
    assert_eq!(
        used,
        [
            ("stock", false, 1.0),
            ("orders", false, 1.0),
            ("stock", true, 1.0)
        ]
    );
    assert!(refused.consumed[1].1.math.contains("prepare"));
}

#[test]
fn two_actions_on_one_item_are_refused_but_one_key_in_two_tables_is_not() {
    let mut t = tables();
    let e = call(
        Operation::TransactWriteItems,
        r#"[{"Put": {"TableName": "orders", "Item": {"id": "o-1"}}},
            {"ConditionCheck": {"TableName": "orders", "Key": {"id": "o-1"}, "ConditionExpression": "attribute_not_exists(id)"}}]"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert_eq!(e.code, "ValidationException");
    assert_eq!(
        e.message,
        "Transaction request cannot include multiple operations on one item"
    );
    let r = call(
        Operation::TransactWriteItems,
        r#"[{"Put": {"TableName": "orders", "Item": {"id": "o-1"}}},
            {"Put": {"TableName": "stock", "Item": {"id": "o-1"}}}]"#,
    )
    .execute(&mut t, 0)
    .unwrap();
    assert_eq!(r.tables.len(), 2);
    assert_eq!((t["orders"].len(), t["stock"].len()), (1, 1));
}

#[test]
fn a_condition_check_reads_transactionally_and_changes_nothing() {
    let mut t = tables();
    put(&mut t, "stock", r#"{"id": "s-1", "qty": 5}"#);
    let r = call(
        Operation::TransactWriteItems,
        r#"[{"ConditionCheck": {"TableName": "stock", "Key": {"id": "s-1"}, "ConditionExpression": "qty >= :n", "ExpressionAttributeValues": {":n": 2}}},
            {"Put": {"TableName": "orders", "Item": {"id": "o-1", "qty": 2}}}]"#,
    )
    .execute(&mut t, 0)
    .unwrap();
    // One 4 KB block read twice; one 1 KB block written twice.
    assert_eq!(units(&r, "stock", true), 2.0);
    assert_eq!(units(&r, "orders", false), 2.0);
    assert_eq!(t["stock"].stream_len(), 1, "only the first put");
    assert_eq!(
        r.to_json(Operation::TransactWriteItems),
        serde_json::json!({})
    );
}

#[test]
fn a_transaction_without_capacity_is_cancelled_and_charges_nothing() {
    let mut t = tables();
    t.insert(
        "slow".into(),
        table("slow", Billing::Provisioned { read: 1, write: 1 }),
    );
    // One WCU a second, one second banked: a transactional 1 KB write needs two.
    let e = call(
        Operation::TransactWriteItems,
        r#"[{"Put": {"TableName": "orders", "Item": {"id": "o-1"}}},
            {"Put": {"TableName": "slow", "Item": {"id": "x"}}}]"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert_eq!(e.code, "TransactionCanceledException");
    assert!(e.message.ends_with("[None, ProvisionedThroughputExceeded]"));
    assert!(t["orders"].is_empty() && t["slow"].is_empty());
    // Two seconds later the bucket holds 3 units: it passes.
    call(
        Operation::TransactWriteItems,
        r#"[{"Put": {"TableName": "slow", "Item": {"id": "x"}}}]"#,
    )
    .execute(&mut t, 2_000)
    .unwrap();
    assert_eq!(t["slow"].len(), 1);
}

#[test]
fn batch_writes_cost_what_single_writes_cost_and_record_each_change() {
    let mut t = tables();
    put(&mut t, "orders", r#"{"id": "o-1"}"#);
    let r = call(
        Operation::BatchWriteItem,
        &format!(
            r#"{{"orders": [{{"PutRequest": {{"Item": {}}}}}, {{"DeleteRequest": {{"Key": {{"id": "o-1"}}}}}}],
                "stock": [{{"PutRequest": {{"Item": {{"id": "s-1"}}}}}}]}}"#,
            item_of_size("o-2", 2_500)
        ),
    )
    .execute(&mut t, 5)
    .unwrap();
    // 2,500 B → 3 WRU; the delete of a small item → 1; the stock put → 1.
    assert_eq!(units(&r, "orders", false), 4.0);
    assert_eq!(units(&r, "stock", false), 1.0);
    assert_eq!(
        r.to_json(Operation::BatchWriteItem),
        serde_json::json!({"UnprocessedItems": {}})
    );
    let names: Vec<&str> = t["orders"].stream.iter().map(|s| s.event_name).collect();
    assert_eq!(names, ["INSERT", "INSERT", "REMOVE"]);
}

#[test]
fn a_throttled_batch_returns_unprocessed_items_and_fails_only_when_nothing_was_written() {
    let mut t = BTreeMap::new();
    t.insert(
        "slow".into(),
        table("slow", Billing::Provisioned { read: 1, write: 1 }),
    );
    let batch = |ids: &[&str]| {
        let list: Vec<String> = ids
            .iter()
            .map(|i| format!(r#"{{"PutRequest": {{"Item": {{"id": "{i}"}}}}}}"#))
            .collect();
        call(
            Operation::BatchWriteItem,
            &format!(r#"{{"slow": [{}]}}"#, list.join(",")),
        )
    };
    let r = batch(&["a", "b", "c"]).execute(&mut t, 0).unwrap();
    assert_eq!(t["slow"].len(), 1);
    assert_eq!(
        r.to_json(Operation::BatchWriteItem),
        serde_json::json!({"UnprocessedItems": {"slow": [
            {"PutRequest": {"Item": {"id": "b"}}},
            {"PutRequest": {"Item": {"id": "c"}}}
        ]}})
    );
    // Nothing left in the bucket at the same moment: the whole call is throttled.
    let e = batch(&["b", "c"]).execute(&mut t, 0).unwrap_err();
    assert_eq!(e.code, "ProvisionedThroughputExceededException");
}

#[test]
fn batch_limits_and_duplicates_are_validation_errors() {
    let mut t = tables();
    let many: Vec<String> = (0..26)
        .map(|k| format!(r#"{{"PutRequest": {{"Item": {{"id": "o-{k}"}}}}}}"#))
        .collect();
    let e = call(
        Operation::BatchWriteItem,
        &format!(r#"{{"orders": [{}]}}"#, many.join(",")),
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert!(e
        .message
        .starts_with("Too many items requested for the BatchWriteItem call"));
    let e = call(
        Operation::BatchWriteItem,
        r#"{"orders": [{"PutRequest": {"Item": {"id": "o-1"}}}, {"DeleteRequest": {"Key": {"id": "o-1"}}}]}"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert_eq!(e.message, "Provided list of item keys contains duplicates");
    let e = call(
        Operation::BatchWriteItem,
        r#"{"nope": [{"PutRequest": {"Item": {"id": "o-1"}}}]}"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
    let e = call(
        Operation::BatchWriteItem,
        r#"{"orders": [{"UpdateRequest": {"Key": {"id": "o-1"}}}]}"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert!(e.message.contains("“UpdateRequest”"), "{}", e.message);
    let e = call(Operation::BatchWriteItem, r#"{"orders": [}"#)
        .execute(&mut t, 0)
        .unwrap_err();
    assert!(e.message.contains("line 1"), "{}", e.message);
    // The key schema is checked, and the message names the entry.
    let e = call(
        Operation::BatchWriteItem,
        r#"{"orders": [{"PutRequest": {"Item": {"sku": "x"}}}]}"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert!(
        e.message.starts_with("Entry 1 (put on orders)"),
        "{}",
        e.message
    );
    assert!(t["orders"].is_empty());
}

#[test]
fn transaction_limits_and_shapes_are_named() {
    let mut t = tables();
    let many: Vec<String> = (0..101)
        .map(|k| format!(r#"{{"Put": {{"TableName": "orders", "Item": {{"id": "o-{k}"}}}}}}"#))
        .collect();
    let e = call(
        Operation::TransactWriteItems,
        &format!("[{}]", many.join(",")),
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert!(e.message.contains("less than or equal to 100"));
    let e = call(
        Operation::TransactWriteItems,
        r#"[{"ConditionCheck": {"TableName": "orders", "Key": {"id": "o-1"}}}]"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert!(e.message.contains("needs its ConditionExpression"));
    let e = call(
        Operation::TransactWriteItems,
        r#"[{"Put": {"TableName": "orders", "Item": {"id": "o-1"}, "ReturnValues": "ALL_OLD"}}]"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert!(e.message.contains("“ReturnValues”"));
    let e = call(
        Operation::TransactWriteItems,
        r#"{"TransactItems": [], "ClientRequestToken": "t-1"}"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert!(e.message.contains("“ClientRequestToken”"), "{}", e.message);
    let e = call(
        Operation::TransactGetItems,
        r#"[{"Put": {"TableName": "orders", "Item": {"id": "o-1"}}}]"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert!(e.message.contains("“Put”"));
    // An unused placeholder is refused, as in a single call.
    let e = call(
        Operation::TransactWriteItems,
        r#"[{"Delete": {"TableName": "orders", "Key": {"id": "o-1"}, "ExpressionAttributeValues": {":x": 1}}}]"#,
    )
    .execute(&mut t, 0)
    .unwrap_err();
    assert!(e.message.contains("unused"), "{}", e.message);
}

#[test]
fn transact_get_reads_a_snapshot_at_two_units_per_4_kb() {
    let mut t = tables();
    put(&mut t, "orders", &item_of_size("o-1", 5_000));
    let r = call(
        Operation::TransactGetItems,
        r#"{"TransactItems": [{"Get": {"TableName": "orders", "Key": {"id": "o-1"}}},
            {"Get": {"TableName": "stock", "Key": {"id": "s-9"}}}]}"#,
    )
    .execute(&mut t, 0)
    .unwrap();
    // 5,000 B → 2 blocks × 2 = 4; a missing item still costs one block × 2 = 2.
    assert_eq!(units(&r, "orders", true), 4.0);
    assert_eq!(units(&r, "stock", true), 2.0);
    let json = r.to_json(Operation::TransactGetItems);
    assert_eq!(json["Responses"][0]["Item"]["id"], "o-1");
    assert_eq!(json["Responses"][1], serde_json::json!({}));
    assert!(!r.changed);
}

#[test]
fn iam_targets_follow_the_transaction_actions() {
    let r = call(
        Operation::TransactWriteItems,
        r#"[{"Put": {"TableName": "orders", "Item": {"id": "o-1"}}},
            {"ConditionCheck": {"TableName": "stock", "Key": {"id": "s"}, "ConditionExpression": "attribute_exists(id)"}},
            {"Put": {"TableName": "orders", "Item": {"id": "o-2"}}}]"#,
    );
    assert_eq!(
        r.targets().unwrap(),
        vec![
            ("orders".to_string(), "dynamodb:PutItem".to_string()),
            (
                "stock".to_string(),
                "dynamodb:ConditionCheckItem".to_string()
            ),
        ]
    );
    let b = call(
        Operation::BatchWriteItem,
        r#"{"orders": [{"PutRequest": {"Item": {"id": "o-1"}}}], "stock": [{"DeleteRequest": {"Key": {"id": "s"}}}]}"#,
    );
    assert_eq!(
        b.targets().unwrap(),
        vec![
            ("orders".to_string(), "dynamodb:BatchWriteItem".to_string()),
            ("stock".to_string(), "dynamodb:BatchWriteItem".to_string()),
        ]
    );
    assert_eq!(
        b.describe(),
        "BatchWriteItem orders: 1 put; stock: 1 delete"
    );
}

#[test]
fn templates_are_filled_as_json_inside_and_outside_strings() {
    assert_eq!(
        fill_templates_json(r#"{"{{t}}-x": [{"PutRequest": {"Item": {"id": "o-{{n}}", "qty": {{n}}, "q": "a\"{{b}}"}}}]}"#)
            .unwrap(),
        r#"{"*-x": [{"PutRequest": {"Item": {"id": "o-*", "qty": 1, "q": "a\"*"}}}]}"#
    );
    assert_eq!(fill_templates_json("{{open"), None);
    let r = call(
        Operation::BatchWriteItem,
        r#"{"orders-{{env}}": [{"PutRequest": {"Item": {"id": "{{id}}", "n": {{n}}}}}]}"#,
    );
    assert_eq!(r.filled().tables(), vec!["orders-*".to_string()]);
}

#[test]
fn a_cancelled_transaction_charges_no_more_than_the_table_has() {
    let mut t = BTreeMap::new();
    t.insert(
        "slow".into(),
        table("slow", Billing::Provisioned { read: 1, write: 1 }),
    );
    let put = |id: &str| {
        format!(
            r#"{{"Put": {{"TableName": "slow", "Item": {{"id": "{id}"}}, "ConditionExpression": "attribute_exists(id)"}}}}"#
        )
    };
    let many: Vec<String> = (0..50).map(|k| put(&format!("x-{k}"))).collect();
    let refused = call(
        Operation::TransactWriteItems,
        &format!("[{}]", many.join(",")),
    )
    .execute_multi(&mut t, 0)
    .unwrap_err();
    assert_eq!(refused.error.code, "TransactionCanceledException");
    // 50 prepares would need 50 units; the table has 1: nothing is charged, no debt.
    assert!(refused.consumed.is_empty());
    call(
        Operation::BatchWriteItem,
        r#"{"slow": [{"PutRequest": {"Item": {"id": "a"}}}]}"#,
    )
    .execute(&mut t, 0)
    .unwrap();
}
