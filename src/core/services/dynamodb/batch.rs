//! Calls that reach several items, in one or more tables: BatchWriteItem (up to 25 puts
//! and deletes, each made or left unprocessed on its own), TransactWriteItems (up to 100
//! Put, Update, Delete and ConditionCheck actions, all made or none) and TransactGetItems
//! (up to 100 Gets read as one snapshot).
//!
//! Every change is planned first ([`Planned`]): keys checked, conditions parsed, the item
//! before and after worked out. A batch then makes each write its table has the capacity
//! for and returns the others as UnprocessedItems; a transaction checks every condition and
//! every table's capacity before it makes any change, and is cancelled
//! (TransactionCanceledException, with one reason per action) otherwise.
//!
//! Sources: DynamoDB API Reference, BatchWriteItem ("up to 25 put or delete requests",
//! "you can't put and delete the same item in the same BatchWriteItem request",
//! UnprocessedItems, "If none of the items can be processed due to insufficient provisioned
//! throughput on all of the tables in the request, then BatchWriteItem returns a
//! ProvisionedThroughputExceededException"), TransactWriteItems and TransactGetItems (up to
//! 100 actions, 4 MB in all, no two actions on one item, CancellationReasons in the order of
//! the actions); Developer Guide, "Amazon DynamoDB Transactions: How it works" ("two
//! underlying reads or writes of every item in the transaction: one to prepare the
//! transaction and one to commit the transaction"; its example: three 500-byte items need
//! six WCUs) and "Using IAM with DynamoDB transactions" (each action is authorized as
//! PutItem, UpdateItem, DeleteItem, GetItem or ConditionCheckItem). Course notes: seed 004
//! L3782–3785 (BatchWriteItem limits, UnprocessedItems), L3998–4006 (transactions).
//!
//! Simplified, and said so: what a cancelled transaction consumes is not published; the
//! simulator charges its prepare phase (one write of each item as it is, one strongly
//! consistent read for a ConditionCheck). Transactions never conflict with each other here
//! (calls of a run are made one at a time), and ClientRequestToken is not modelled.

use super::expr::{Item, Placeholders};
use super::request::{attr_plain, not_found, parse_attrs};
use super::table::{Consumed, Planned, Table};
use crate::core::sim::AwsError;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Requests one BatchWriteItem call takes at most.
pub const MAX_BATCH_WRITES: usize = 25;
/// Actions one TransactWriteItems or TransactGetItems call takes at most (25 until 2022).
pub const MAX_TRANSACT_ITEMS: usize = 100;
/// Aggregate size of a transaction's items, bytes.
pub const MAX_TRANSACT_BYTES: u64 = 4 * 1024 * 1024;

/// What one entry of a batch or a transaction does to its item.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A PutRequest (batch) or a Put (transaction): the whole item.
    Put(Item),
    /// A DeleteRequest or a Delete: the key.
    Delete(Item),
    /// An Update: the key and the UpdateExpression.
    Update(Item, String),
    /// A ConditionCheck: the key (its condition is required).
    ConditionCheck(Item),
    /// A Get of TransactGetItems: the key.
    Get(Item),
}

impl Action {
    /// The IAM action that authorizes it (Developer Guide, "Using IAM with DynamoDB
    /// transactions"); a batch's writes are authorized as `dynamodb:BatchWriteItem`.
    pub fn iam_action(&self) -> &'static str {
        match self {
            Action::Put(_) => "dynamodb:PutItem",
            Action::Delete(_) => "dynamodb:DeleteItem",
            Action::Update(..) => "dynamodb:UpdateItem",
            Action::ConditionCheck(_) => "dynamodb:ConditionCheckItem",
            Action::Get(_) => "dynamodb:GetItem",
        }
    }

    fn word(&self) -> &'static str {
        match self {
            Action::Put(_) => "put",
            Action::Delete(_) => "delete",
            Action::Update(..) => "update",
            Action::ConditionCheck(_) => "condition check",
            Action::Get(_) => "get",
        }
    }
}

/// One entry of RequestItems or TransactItems: its table, what it does, and (transactions)
/// its ConditionExpression and placeholders.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub table: String,
    pub action: Action,
    pub condition: Option<String>,
    pub placeholders: Placeholders,
}

fn validation(m: impl Into<String>) -> AwsError {
    AwsError::new("ValidationException", 400, m.into())
}

fn parse_json(text: &str, what: &str) -> Result<Value, AwsError> {
    serde_json::from_str(text.trim()).map_err(|e| {
        validation(format!(
            "{what} is not valid JSON: {e} (line {}, column {}).",
            e.line(),
            e.column()
        ))
    })
}

/// An item or key from a JSON value (plain JSON or DynamoDB JSON).
fn item_of(v: &Value, what: &str) -> Result<Item, AwsError> {
    if !v.is_object() {
        return Err(validation(format!("{what} must be a JSON object.")));
    }
    parse_attrs(&v.to_string(), what)
}

/// The members of `v` (an object), refusing any not in `allowed`.
fn members<'a>(
    v: &'a Value,
    what: &str,
    allowed: &[&str],
) -> Result<&'a Map<String, Value>, AwsError> {
    let m = v
        .as_object()
        .ok_or_else(|| validation(format!("{what} must be a JSON object.")))?;
    if let Some(k) = m.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(validation(format!(
            "{what}: “{k}” is not one of its parameters the simulator takes ({}).",
            allowed.join(", ")
        )));
    }
    Ok(m)
}

/// Parses BatchWriteItem's RequestItems: `{"orders": [{"PutRequest": {"Item": {…}}},
/// {"DeleteRequest": {"Key": {…}}}]}` (or the whole request, `{"RequestItems": …}`).
/// Errors: JSON that does not parse, a request that is neither PutRequest nor
/// DeleteRequest, no requests or more than 25.
pub fn parse_batch_write(text: &str) -> Result<Vec<Entry>, AwsError> {
    let mut v = parse_json(text, "RequestItems")?;
    if v.get("RequestItems").is_some() {
        // The whole request: only RequestItems is modelled.
        members(&v, "The request", &["RequestItems"])?;
        v = v["RequestItems"].take();
    }
    let tables = v.as_object().ok_or_else(|| {
        validation("RequestItems must be a JSON object: table name → list of write requests.")
    })?;
    let mut out = vec![];
    for (table, list) in tables {
        let list = list.as_array().ok_or_else(|| {
            validation(format!(
                "RequestItems.{table} must be a list of PutRequest and DeleteRequest."
            ))
        })?;
        if list.is_empty() {
            return Err(validation(format!(
                "1 validation error detected: Value at 'requestItems.{table}' failed to satisfy constraint: Member must have length greater than or equal to 1"
            )));
        }
        for (k, r) in list.iter().enumerate() {
            let what = format!("RequestItems.{table}[{k}]");
            let m = members(r, &what, &["PutRequest", "DeleteRequest"])?;
            let action = match (m.get("PutRequest"), m.get("DeleteRequest")) {
                (Some(p), None) => {
                    let p = members(p, &format!("{what}.PutRequest"), &["Item"])?;
                    let item = p.get("Item").ok_or_else(|| {
                        validation(format!("{what}.PutRequest: the Item is missing."))
                    })?;
                    Action::Put(item_of(item, &format!("{what}.PutRequest.Item"))?)
                }
                (None, Some(d)) => {
                    let d = members(d, &format!("{what}.DeleteRequest"), &["Key"])?;
                    let key = d.get("Key").ok_or_else(|| {
                        validation(format!("{what}.DeleteRequest: the Key is missing."))
                    })?;
                    Action::Delete(item_of(key, &format!("{what}.DeleteRequest.Key"))?)
                }
                _ => {
                    return Err(validation(format!(
                        "{what}: a write request holds exactly one of PutRequest and DeleteRequest."
                    )))
                }
            };
            out.push(Entry {
                table: table.clone(),
                action,
                condition: None,
                placeholders: Placeholders::default(),
            });
        }
    }
    if out.is_empty() {
        return Err(validation(
            "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    if out.len() > MAX_BATCH_WRITES {
        return Err(validation(format!(
            "Too many items requested for the BatchWriteItem call ({} requests; at most {MAX_BATCH_WRITES}).",
            out.len()
        )));
    }
    Ok(out)
}

/// Parses TransactItems: `[{"Put": {"TableName": "orders", "Item": {…},
/// "ConditionExpression": "…", "ExpressionAttributeNames": {…},
/// "ExpressionAttributeValues": {…}}}, {"Update": {…, "Key": {…}, "UpdateExpression":
/// "…"}}, {"Delete": …}, {"ConditionCheck": …}]` (or `{"TransactItems": […]}`); with `get`,
/// TransactGetItems' `[{"Get": {"TableName": …, "Key": {…}}}]`. Errors name the entry.
pub fn parse_transact(text: &str, get: bool) -> Result<Vec<Entry>, AwsError> {
    let mut v = parse_json(text, "TransactItems")?;
    if v.get("TransactItems").is_some() {
        // The whole request: only TransactItems is modelled.
        members(&v, "The request", &["TransactItems"])?;
        v = v["TransactItems"].take();
    }
    let list = v.as_array().ok_or_else(|| {
        validation(if get {
            "TransactItems must be a list: [{\"Get\": {\"TableName\": …, \"Key\": {…}}}, …]."
        } else {
            "TransactItems must be a list of Put, Update, Delete and ConditionCheck actions."
        })
    })?;
    if list.is_empty() || list.len() > MAX_TRANSACT_ITEMS {
        return Err(validation(format!(
            "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to {MAX_TRANSACT_ITEMS} and greater than or equal to 1 ({} given)",
            list.len()
        )));
    }
    let kinds: &[&str] = if get {
        &["Get"]
    } else {
        &["Put", "Update", "Delete", "ConditionCheck"]
    };
    let mut out = vec![];
    for (k, a) in list.iter().enumerate() {
        let what = format!("TransactItems[{k}]");
        let m = members(a, &what, kinds)?;
        if m.len() != 1 {
            return Err(validation(format!(
                "{what}: an action holds exactly one of {}.",
                kinds.join(", ")
            )));
        }
        let (kind, body) = m.iter().next().expect("one member, checked above");
        let what = format!("{what}.{kind}");
        let allowed: &[&str] = match kind.as_str() {
            "Put" => &[
                "TableName",
                "Item",
                "ConditionExpression",
                "ExpressionAttributeNames",
                "ExpressionAttributeValues",
            ],
            "Update" => &[
                "TableName",
                "Key",
                "UpdateExpression",
                "ConditionExpression",
                "ExpressionAttributeNames",
                "ExpressionAttributeValues",
            ],
            "Get" => &["TableName", "Key"],
            _ => &[
                "TableName",
                "Key",
                "ConditionExpression",
                "ExpressionAttributeNames",
                "ExpressionAttributeValues",
            ],
        };
        let b = members(body, &what, allowed)?;
        let text = |name: &str| -> Result<Option<String>, AwsError> {
            match b.get(name) {
                None => Ok(None),
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
                Some(_) => Err(validation(format!(
                    "{what}.{name} must be a non-empty string."
                ))),
            }
        };
        let table = text("TableName")?
            .ok_or_else(|| validation(format!("{what}: the TableName is missing.")))?;
        let object = |name: &str| -> Result<Item, AwsError> {
            let v = b
                .get(name)
                .ok_or_else(|| validation(format!("{what}: the {name} is missing.")))?;
            item_of(v, &format!("{what}.{name}"))
        };
        let action = match kind.as_str() {
            "Put" => Action::Put(object("Item")?),
            "Delete" => Action::Delete(object("Key")?),
            "Get" => Action::Get(object("Key")?),
            "Update" => Action::Update(
                object("Key")?,
                text("UpdateExpression")?.ok_or_else(|| {
                    validation(format!("{what}: the UpdateExpression is missing."))
                })?,
            ),
            _ => Action::ConditionCheck(object("Key")?),
        };
        let condition = text("ConditionExpression")?;
        if matches!(action, Action::ConditionCheck(_)) && condition.is_none() {
            return Err(validation(format!(
                "{what}: a ConditionCheck needs its ConditionExpression."
            )));
        }
        let mut names = BTreeMap::new();
        if let Some(n) = b.get("ExpressionAttributeNames") {
            let n = n.as_object().ok_or_else(|| {
                validation(format!(
                    "{what}.ExpressionAttributeNames must be a JSON object."
                ))
            })?;
            for (k, v) in n {
                let v = v.as_str().ok_or_else(|| {
                    validation(format!(
                        "{what}.ExpressionAttributeNames: {k} must name an attribute (a string)."
                    ))
                })?;
                names.insert(k.clone(), v.to_string());
            }
        }
        let values = match b.get("ExpressionAttributeValues") {
            Some(v) => item_of(v, &format!("{what}.ExpressionAttributeValues"))?,
            None => Item::new(),
        };
        out.push(Entry {
            table,
            action,
            condition,
            placeholders: Placeholders { names, values },
        });
    }
    Ok(out)
}

/// The entries in words: `orders: 2 puts, 1 delete; stock: 1 update`.
pub fn summary(entries: &[Entry]) -> String {
    let mut by_table: Vec<(&str, Vec<(&'static str, usize)>)> = vec![];
    for e in entries {
        let k = match by_table.iter().position(|(t, _)| *t == e.table) {
            Some(k) => k,
            None => {
                by_table.push((&e.table, vec![]));
                by_table.len() - 1
            }
        };
        let counts = &mut by_table[k].1;
        match counts.iter_mut().find(|(w, _)| *w == e.action.word()) {
            Some(c) => c.1 += 1,
            None => counts.push((e.action.word(), 1)),
        }
    }
    by_table
        .iter()
        .map(|(t, counts)| {
            let list: Vec<String> = counts
                .iter()
                .map(|(w, n)| format!("{n} {w}{}", if *n == 1 { "" } else { "s" }))
                .collect();
            format!("{t}: {}", list.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a batch or a transaction did: the capacity it consumed in each table (reads and
/// writes apart, in the order the tables first appear), and — BatchWriteItem — the writes
/// it did not make, or — TransactGetItems — each Get's item.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub consumed: Vec<(String, Consumed)>,
    pub unprocessed: Vec<Entry>,
    pub found: Vec<Option<Item>>,
}

/// A refused batch or transaction: the error, and the capacity it consumed all the same
/// (a cancelled transaction's prepare phase), per table, reads and writes apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    pub error: AwsError,
    pub consumed: Vec<(String, Consumed)>,
}

impl From<AwsError> for Refused {
    fn from(error: AwsError) -> Refused {
        Refused {
            error,
            consumed: vec![],
        }
    }
}

/// Adds `c` to the table's entry of its kind (read or write) in `list`.
fn add(list: &mut Vec<(String, Consumed)>, table: &str, c: &Consumed) {
    match list
        .iter_mut()
        .find(|(t, x)| t == table && x.read == c.read)
    {
        Some((_, x)) => {
            x.units += c.units;
            x.table += c.table;
            for (i, u) in &c.indexes {
                *x.indexes.entry(i.clone()).or_default() += u;
            }
            x.math.push_str(&format!("; {}", c.math));
        }
        None => list.push((table.to_string(), c.clone())),
    }
}

/// Every entry's plan in its table, in order: keys checked, conditions parsed. Errors:
/// ResourceNotFoundException for a table the account lacks; the table's
/// ValidationException (prefixed with the entry) otherwise; two entries on one item.
fn plan_all(
    tables: &BTreeMap<String, Table>,
    entries: &[Entry],
    duplicate: &str,
) -> Result<Vec<(Planned, Option<super::expr::Cond>)>, AwsError> {
    let mut plans = vec![];
    let mut seen = BTreeSet::new();
    for (k, e) in entries.iter().enumerate() {
        let t = tables.get(&e.table).ok_or_else(not_found)?;
        let cond = e.condition.as_deref();
        let ph = &e.placeholders;
        let planned = match &e.action {
            Action::Put(item) => t.plan_put(item.clone(), cond, ph),
            Action::Delete(key) => t.plan_delete(key, cond, ph),
            Action::Update(key, update) => t.plan_update(key, update, cond, ph),
            Action::ConditionCheck(key) => t
                .plan_read(key)
                .and_then(|p| Ok((p, t.parse_condition(cond, ph)?))),
            Action::Get(key) => t.plan_read(key).map(|p| (p, None)),
        }
        .map_err(|mut err| {
            if err.code == "ValidationException" {
                err.message = format!(
                    "Entry {} ({} on {}): {}",
                    k + 1,
                    e.action.word(),
                    e.table,
                    err.message
                );
            }
            err
        })?;
        if !seen.insert((e.table.clone(), planned.0.identity())) {
            return Err(validation(duplicate));
        }
        plans.push(planned);
    }
    Ok(plans)
}

/// BatchWriteItem at `now_ms`: each put or delete its table has the capacity for is made
/// (and consumes as a PutItem or DeleteItem would); the others are returned as
/// UnprocessedItems. Errors: those of [`parse_batch_write`]'s entries' planning, two
/// requests on one item ("Provided list of item keys contains duplicates"), and
/// ProvisionedThroughputExceededException when no request could be made.
pub fn batch_write(
    tables: &mut BTreeMap<String, Table>,
    now_ms: u64,
    entries: Vec<Entry>,
) -> Result<Outcome, Refused> {
    let plans = plan_all(
        tables,
        &entries,
        "Provided list of item keys contains duplicates",
    )?;
    let mut out = Outcome::default();
    let mut last_error = None;
    for (entry, (plan, _)) in entries.into_iter().zip(plans) {
        let t = tables.get_mut(&entry.table).ok_or_else(not_found)?;
        let c = t.cost_plan(&plan, false);
        match t.admit(now_ms, &c) {
            Ok(()) => {
                t.take(now_ms, &c);
                t.commit(now_ms, plan);
                add(&mut out.consumed, &entry.table, &c);
            }
            Err(e) => {
                last_error = Some(e);
                out.unprocessed.push(entry);
            }
        }
    }
    if out.consumed.is_empty() {
        if let Some(e) = last_error {
            return Err(e.into());
        }
    }
    Ok(out)
}

/// AWS's TransactionCanceledException: `Transaction cancelled, please refer cancellation
/// reasons for specific reasons [None, ConditionalCheckFailed]`, one reason per action.
pub fn cancelled(reasons: &[&str]) -> AwsError {
    AwsError::new(
        "TransactionCanceledException",
        400,
        format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            reasons.join(", ")
        ),
    )
}

/// The reasons of a TransactionCanceledException's message, in the order of the actions
/// (`[None, ConditionalCheckFailed]` → `["None", "ConditionalCheckFailed"]`); empty for
/// another message.
pub fn reasons(message: &str) -> Vec<&str> {
    message
        .strip_prefix(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [",
        )
        .and_then(|r| r.strip_suffix(']'))
        .map(|r| r.split(", ").collect())
        .unwrap_or_default()
}

/// TransactWriteItems at `now_ms`: every condition is checked and every table's capacity
/// admitted before any change; then all changes are made, each consuming twice a
/// PutItem's, UpdateItem's or DeleteItem's units (a ConditionCheck: a transactional read).
/// A failed condition cancels the transaction (its prepare phase is charged where the
/// table has the capacity, and returned with the error); so does a table without the
/// capacity (nothing charged).
pub fn transact_write(
    tables: &mut BTreeMap<String, Table>,
    now_ms: u64,
    entries: Vec<Entry>,
) -> Result<Outcome, Refused> {
    let plans = plan_all(
        tables,
        &entries,
        "Transaction request cannot include multiple operations on one item",
    )?;
    let bytes: u64 = plans
        .iter()
        .map(|(p, _)| {
            p.new
                .as_ref()
                .or(p.old.as_ref())
                .map(super::table::item_bytes)
                .unwrap_or(0)
        })
        .sum();
    if bytes > MAX_TRANSACT_BYTES {
        return Err(validation(format!(
            "Transaction request cannot be larger than 4 MB ({bytes} bytes of items)."
        ))
        .into());
    }
    let mut reasons = vec![];
    for (e, (p, cond)) in entries.iter().zip(&plans) {
        let t = tables.get(&e.table).ok_or_else(not_found)?;
        reasons.push(if t.condition_holds(p, cond.as_ref())? {
            "None"
        } else {
            "ConditionalCheckFailed"
        });
    }
    if reasons.contains(&"ConditionalCheckFailed") {
        // The prepare phase ran: each item read (ConditionCheck) or written once as it is.
        let mut used: Vec<(String, Consumed)> = vec![];
        for (e, (p, _)) in entries.iter().zip(&plans) {
            let t = tables.get(&e.table).ok_or_else(not_found)?;
            let c = match e.action {
                Action::ConditionCheck(_) => {
                    let mut c = t.cost_transactional_read(p);
                    c.units /= 2.0;
                    c.table /= 2.0;
                    c.math = format!("{} (the prepare phase only: one read)", c.math);
                    c
                }
                _ => t.cost_prepare(p),
            };
            add(&mut used, &e.table, &c);
        }
        // What a table has no capacity left for is not charged (it cannot go into debt).
        let mut charged = vec![];
        for (table, c) in used {
            if let Some(t) = tables.get_mut(&table) {
                if t.admit(now_ms, &c).is_ok() {
                    t.take(now_ms, &c);
                    charged.push((table, c));
                }
            }
        }
        return Err(Refused {
            error: cancelled(&reasons),
            consumed: charged,
        });
    }
    let mut costs = vec![];
    let mut per_table: Vec<(String, Consumed)> = vec![];
    for (e, (p, _)) in entries.iter().zip(&plans) {
        let t = tables.get(&e.table).ok_or_else(not_found)?;
        let c = match e.action {
            Action::ConditionCheck(_) => t.cost_transactional_read(p),
            _ => t.cost_plan(p, true),
        };
        add(&mut per_table, &e.table, &c);
        costs.push(c);
    }
    charge_all(tables, now_ms, &entries, &per_table)?;
    for (e, (p, _)) in entries.iter().zip(plans) {
        if matches!(e.action, Action::ConditionCheck(_)) {
            continue;
        }
        if let Some(t) = tables.get_mut(&e.table) {
            t.commit(now_ms, p);
        }
    }
    Ok(Outcome {
        consumed: per_table,
        ..Outcome::default()
    })
}

/// Charges a transaction's units, table by table, all or none: when a table lacks the
/// capacity for its share the transaction is cancelled (ProvisionedThroughputExceeded for
/// that table's actions, None for the others) and nothing is charged anywhere.
fn charge_all(
    tables: &mut BTreeMap<String, Table>,
    now_ms: u64,
    entries: &[Entry],
    per_table: &[(String, Consumed)],
) -> Result<(), Refused> {
    let mut short = BTreeSet::new();
    for (table, c) in per_table {
        let t = tables.get_mut(table).ok_or_else(not_found)?;
        if t.admit(now_ms, c).is_err() {
            short.insert(table.as_str());
        }
    }
    if !short.is_empty() {
        let reasons: Vec<&str> = entries
            .iter()
            .map(|e| {
                if short.contains(e.table.as_str()) {
                    "ProvisionedThroughputExceeded"
                } else {
                    "None"
                }
            })
            .collect();
        return Err(cancelled(&reasons).into());
    }
    for (table, c) in per_table {
        if let Some(t) = tables.get_mut(table) {
            t.take(now_ms, c);
        }
    }
    Ok(())
}

/// TransactGetItems at `now_ms`: every Get's item (or none) as one snapshot, each costing
/// two strongly consistent reads of its size. A table without the capacity cancels it.
pub fn transact_get(
    tables: &mut BTreeMap<String, Table>,
    now_ms: u64,
    entries: Vec<Entry>,
) -> Result<Outcome, Refused> {
    let plans = plan_all(
        tables,
        &entries,
        "Transaction request cannot include multiple operations on one item",
    )?;
    let mut per_table: Vec<(String, Consumed)> = vec![];
    for (e, (p, _)) in entries.iter().zip(&plans) {
        let t = tables.get(&e.table).ok_or_else(not_found)?;
        add(&mut per_table, &e.table, &t.cost_transactional_read(p));
    }
    charge_all(tables, now_ms, &entries, &per_table)?;
    Ok(Outcome {
        consumed: per_table,
        found: plans.into_iter().map(|(p, _)| p.old).collect(),
        ..Outcome::default()
    })
}

/// UnprocessedItems as the SDK's document client returns it, in plain JSON: table name →
/// the PutRequest and DeleteRequest entries not made.
pub fn unprocessed_json(entries: &[Entry]) -> Value {
    let plain =
        |i: &Item| Value::Object(i.iter().map(|(k, v)| (k.clone(), attr_plain(v))).collect());
    let mut out = Map::new();
    for e in entries {
        let r = match &e.action {
            Action::Put(i) => serde_json::json!({ "PutRequest": { "Item": plain(i) } }),
            Action::Delete(k) => serde_json::json!({ "DeleteRequest": { "Key": plain(k) } }),
            _ => continue,
        };
        if let Value::Array(list) = out
            .entry(e.table.clone())
            .or_insert_with(|| Value::Array(vec![]))
        {
            list.push(r);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests;
