//! A DynamoDB API call as a scenario's script or a function's handler states it: the
//! operation (PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan), the table, and the
//! request's parameters as text — the item or key as JSON (plain JSON, or DynamoDB JSON
//! with `{"S": …}` values), the expressions, ExpressionAttributeNames and
//! ExpressionAttributeValues — so a student writes what the SDK call would carry.
//! [`Request::execute`] runs it against the account's tables and answers what DynamoDB
//! answers: the items, ConsumedCapacity (with the math), or the error (AWS's code and
//! message: ResourceNotFoundException, ValidationException,
//! ConditionalCheckFailedException, ProvisionedThroughputExceededException).
//!
//! Source: Amazon DynamoDB API Reference (PutItem, GetItem, UpdateItem, DeleteItem, Query,
//! Scan request and response syntax; "Data type descriptors" for DynamoDB JSON).

use super::expr::{Item, Placeholders};
use super::table::{Consumed, Table, Written};
use crate::core::dynamodb::item::{parse_item, Attr, JsonKind};
use crate::core::sim::AwsError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A DynamoDB operation the simulator runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operation {
    #[default]
    PutItem,
    GetItem,
    UpdateItem,
    DeleteItem,
    Query,
    Scan,
    /// Up to 25 puts and deletes across tables, each made or left unprocessed.
    BatchWriteItem,
    /// Up to 100 Put, Update, Delete and ConditionCheck actions: all or none.
    TransactWriteItems,
    /// Up to 100 Gets read as one snapshot.
    TransactGetItems,
}

impl Operation {
    pub const ALL: [Operation; 9] = [
        Operation::PutItem,
        Operation::GetItem,
        Operation::UpdateItem,
        Operation::DeleteItem,
        Operation::Query,
        Operation::Scan,
        Operation::BatchWriteItem,
        Operation::TransactWriteItems,
        Operation::TransactGetItems,
    ];

    /// The API name (`PutItem`).
    pub fn name(self) -> &'static str {
        match self {
            Operation::PutItem => "PutItem",
            Operation::GetItem => "GetItem",
            Operation::UpdateItem => "UpdateItem",
            Operation::DeleteItem => "DeleteItem",
            Operation::Query => "Query",
            Operation::Scan => "Scan",
            Operation::BatchWriteItem => "BatchWriteItem",
            Operation::TransactWriteItems => "TransactWriteItems",
            Operation::TransactGetItems => "TransactGetItems",
        }
    }

    /// Whether the call names its tables inside its JSON (RequestItems, TransactItems)
    /// rather than in TableName.
    pub fn multi(self) -> bool {
        matches!(
            self,
            Operation::BatchWriteItem | Operation::TransactWriteItems | Operation::TransactGetItems
        )
    }

    /// What the call's JSON parameter is called: Item, Key, RequestItems or TransactItems.
    pub fn item_parameter(self) -> &'static str {
        match self {
            Operation::PutItem => "Item",
            Operation::BatchWriteItem => "RequestItems",
            Operation::TransactWriteItems | Operation::TransactGetItems => "TransactItems",
            _ => "Key",
        }
    }

    /// Whether the operation writes (consumes write units).
    pub fn writes(self) -> bool {
        matches!(
            self,
            Operation::PutItem
                | Operation::UpdateItem
                | Operation::DeleteItem
                | Operation::BatchWriteItem
                | Operation::TransactWriteItems
        )
    }

    /// The IAM action that authorizes it (`dynamodb:PutItem`).
    pub fn action(self) -> String {
        format!("dynamodb:{}", self.name())
    }
}

/// One DynamoDB call. Empty texts are absent parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    pub operation: Operation,
    pub table: String,
    /// PutItem: the item; GetItem, UpdateItem, DeleteItem: the key. A JSON object.
    /// BatchWriteItem: RequestItems; TransactWriteItems, TransactGetItems: TransactItems
    /// (each action with its own TableName, expressions and placeholders).
    pub item: String,
    /// UpdateExpression (UpdateItem).
    pub update: String,
    /// ConditionExpression (PutItem, UpdateItem, DeleteItem).
    pub condition: String,
    /// KeyConditionExpression (Query).
    pub key_condition: String,
    /// IndexName (Query): a global secondary index of the table; empty for the table.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub index_name: String,
    /// FilterExpression (Query, Scan).
    pub filter: String,
    /// ExpressionAttributeNames: `#s` → `status`.
    pub names: BTreeMap<String, String>,
    /// ExpressionAttributeValues, a JSON object: `{":s": "open"}`.
    pub values: String,
    /// ConsistentRead (GetItem, Query, Scan).
    pub consistent_read: bool,
    /// ScanIndexForward (Query): false reads the sort key in descending order.
    pub scan_index_forward: bool,
    /// Limit (Query, Scan): items read per page, 1 or more.
    pub limit: Option<u32>,
    /// ExclusiveStartKey (Query, Scan): the LastEvaluatedKey of the page before, a JSON
    /// object in DynamoDB's attribute-value form; empty for the first page.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exclusive_start_key: String,
    /// ProjectionExpression (GetItem, Query, Scan): the attributes to return
    /// (`expr::parse_projection`); empty for all. Capacity is charged on whole items.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub projection: String,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            operation: Operation::PutItem,
            table: String::new(),
            item: String::new(),
            update: String::new(),
            condition: String::new(),
            key_condition: String::new(),
            index_name: String::new(),
            filter: String::new(),
            names: BTreeMap::new(),
            values: String::new(),
            consistent_read: false,
            scan_index_forward: true,
            limit: None,
            exclusive_start_key: String::new(),
            projection: String::new(),
        }
    }
}

/// What DynamoDB answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// GetItem: the item if found; Query, Scan: the page's items; UpdateItem: the item
    /// after (ReturnValues ALL_NEW); DeleteItem: the item before (ALL_OLD); PutItem: none.
    pub items: Vec<Item>,
    /// Query and Scan: items read before the filter (ScannedCount).
    pub scanned_count: Option<usize>,
    pub consumed: Consumed,
    /// Whether the table changed (a write that stores what was there changes nothing).
    pub changed: bool,
    /// BatchWriteItem, TransactWriteItems, TransactGetItems: ConsumedCapacity of each
    /// table, reads and writes apart (`consumed` is their sum).
    pub tables: Vec<(String, Consumed)>,
    /// BatchWriteItem: the writes not made (UnprocessedItems), in plain JSON.
    pub unprocessed: Option<Value>,
    /// TransactGetItems: each Get's item, in order (None: no item has the key).
    pub found: Vec<Option<Item>>,
    /// Query and Scan: the key to go on from (LastEvaluatedKey) when the page stopped at
    /// Limit or 1 MB; `None` on the last page.
    pub last_evaluated_key: Option<Item>,
    /// PutItem, UpdateItem, DeleteItem: the item before and after, for ReturnValues
    /// ([`Written::attributes`]).
    pub written: Option<Written>,
}

impl Response {
    /// The answer as the SDK's document client returns it, in plain JSON, for a handler's
    /// later steps: `{"Item": {…}}` (GetItem; `{}` when nothing was found), `{"Items":
    /// […], "Count": n, "ScannedCount": m}` (Query, Scan; with `"LastEvaluatedKey"` when
    /// the page stopped before the end), `{"Attributes": {…}}`
    /// (UpdateItem: the item after; DeleteItem: the item before), `{}` (PutItem).
    pub fn to_json(&self, op: Operation) -> Value {
        let plain =
            |i: &Item| Value::Object(i.iter().map(|(k, v)| (k.clone(), attr_plain(v))).collect());
        match op {
            Operation::PutItem => json!({}),
            Operation::GetItem => match self.items.first() {
                Some(i) => json!({ "Item": plain(i) }),
                None => json!({}),
            },
            Operation::UpdateItem | Operation::DeleteItem => match self.items.first() {
                Some(i) => json!({ "Attributes": plain(i) }),
                None => json!({}),
            },
            Operation::Query | Operation::Scan => {
                let mut v = json!({
                    "Items": self.items.iter().map(plain).collect::<Vec<_>>(),
                    "Count": self.items.len(),
                    "ScannedCount": self.scanned_count.unwrap_or(0),
                });
                if let Some(k) = &self.last_evaluated_key {
                    v["LastEvaluatedKey"] = plain(k);
                }
                v
            }
            Operation::BatchWriteItem => json!({
                "UnprocessedItems": self.unprocessed.clone().unwrap_or_else(|| json!({})),
            }),
            Operation::TransactWriteItems => json!({}),
            Operation::TransactGetItems => json!({
                "Responses": self
                    .found
                    .iter()
                    .map(|f| match f {
                        Some(i) => json!({ "Item": plain(i) }),
                        None => json!({}),
                    })
                    .collect::<Vec<_>>(),
            }),
        }
    }
}

fn validation(m: impl Into<String>) -> AwsError {
    AwsError::new("ValidationException", 400, m.into())
}

/// The error for a table that does not exist (DynamoDB answers every operation with it).
pub fn not_found() -> AwsError {
    AwsError::new(
        "ResourceNotFoundException",
        400,
        "Requested resource not found",
    )
}

fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// Parses a JSON object of attributes (plain JSON or DynamoDB JSON) into an item; `what`
/// names the parameter in the error.
pub fn parse_attrs(text: &str, what: &str) -> Result<Item, AwsError> {
    let (attrs, _) = parse_item(text, JsonKind::Auto)
        .map_err(|e| validation(format!("{what} is not a valid item: {e}")))?;
    Ok(attrs.into_iter().collect())
}

impl Request {
    /// A copy with every text passed through `render` (handler templates); `render` is
    /// given the text and whether it is JSON (where a substituted value must be escaped).
    pub fn render(&self, render: impl Fn(&str, bool) -> String) -> Request {
        Request {
            operation: self.operation,
            table: render(&self.table, false),
            item: render(&self.item, true),
            update: self.update.clone(),
            condition: self.condition.clone(),
            key_condition: self.key_condition.clone(),
            index_name: render(&self.index_name, false),
            filter: self.filter.clone(),
            names: self.names.clone(),
            values: render(&self.values, true),
            consistent_read: self.consistent_read,
            scan_index_forward: self.scan_index_forward,
            limit: self.limit,
            exclusive_start_key: render(&self.exclusive_start_key, true),
            projection: self.projection.clone(),
        }
    }

    /// The call in words, for the log and the editor: `PutItem orders {"id": "o-1"} if
    /// attribute_not_exists(id)`, `Query orders (customer = :c)`.
    pub fn describe(&self) -> String {
        if self.operation.multi() {
            return match self.entries() {
                Ok(e) => format!("{} {}", self.operation.name(), super::batch::summary(&e)),
                Err(_) => format!("{} {}", self.operation.name(), self.item.trim()),
            };
        }
        let mut t = format!("{} {}", self.operation.name(), self.table.trim());
        if let Some(i) = opt(&self.index_name).filter(|_| self.operation == Operation::Query) {
            t.push_str(&format!(" index {i}"));
        }
        let detail = match self.operation {
            Operation::Query => opt(&self.key_condition),
            Operation::UpdateItem => opt(&self.update),
            Operation::Scan => opt(&self.filter),
            _ => None,
        };
        if let Some(item) = opt(&self.item).filter(|_| self.operation != Operation::Query) {
            t.push(' ');
            t.push_str(item);
        }
        if let Some(d) = detail {
            t.push_str(&format!(" ({d})"));
        }
        if let Some(c) = opt(&self.condition) {
            t.push_str(&format!(" if {c}"));
        }
        if let Some(v) = opt(&self.values) {
            t.push_str(&format!(" with {v}"));
        }
        t
    }

    fn placeholders(&self) -> Result<Placeholders, AwsError> {
        let values = match opt(&self.values) {
            None => BTreeMap::new(),
            Some(v) => parse_attrs(v, "ExpressionAttributeValues")?,
        };
        Ok(Placeholders {
            names: self.names.clone(),
            values,
        })
    }

    /// BatchWriteItem's, TransactWriteItems' or TransactGetItems' entries, parsed from the
    /// JSON parameter (empty for other operations).
    pub fn entries(&self) -> Result<Vec<super::batch::Entry>, AwsError> {
        match self.operation {
            Operation::BatchWriteItem => super::batch::parse_batch_write(&self.item),
            Operation::TransactWriteItems => super::batch::parse_transact(&self.item, false),
            Operation::TransactGetItems => super::batch::parse_transact(&self.item, true),
            _ => Ok(vec![]),
        }
    }

    /// What IAM must allow for the call: (table, action) pairs, each once, in order. A
    /// batch is authorized as `dynamodb:BatchWriteItem` on each of its tables; a
    /// transaction action by action (PutItem, UpdateItem, DeleteItem, ConditionCheckItem,
    /// GetItem: "Using IAM with DynamoDB transactions"); other calls as their operation on
    /// their table. Errors: the JSON parameter does not parse.
    pub fn targets(&self) -> Result<Vec<(String, String)>, AwsError> {
        let mut out: Vec<(String, String)> = vec![];
        if !self.operation.multi() {
            out.push((self.table.trim().to_string(), self.operation.action()));
            return Ok(out);
        }
        for e in self.entries()? {
            let action = if self.operation == Operation::BatchWriteItem {
                self.operation.action()
            } else {
                e.action.iam_action().to_string()
            };
            let pair = (e.table, action);
            if !out.contains(&pair) {
                out.push(pair);
            }
        }
        Ok(out)
    }

    /// A copy whose JSON parameter has its `{{…}}` templates filled so that it parses
    /// before a run ([`fill_templates_json`]); the text itself when a `{{` is not closed.
    pub fn filled(&self) -> Request {
        Request {
            item: fill_templates_json(&self.item).unwrap_or_else(|| self.item.clone()),
            ..self.clone()
        }
    }

    /// The tables the call reaches, each once, in order.
    pub fn tables(&self) -> Vec<String> {
        let mut out: Vec<String> = vec![];
        for (t, _) in self.targets().unwrap_or_default() {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// Runs a batch or a transaction: the answer's `tables` hold each table's
    /// ConsumedCapacity; a refusal carries what it consumed all the same.
    pub fn execute_multi(
        &self,
        tables: &mut BTreeMap<String, Table>,
        now_ms: u64,
    ) -> Result<Response, super::batch::Refused> {
        use super::batch;
        let entries = self.entries()?;
        let names: Vec<String> = self.tables();
        let before: Vec<(usize, usize)> = names
            .iter()
            .map(|n| {
                tables
                    .get(n)
                    .map(|t| (t.changes.len(), t.stream_len()))
                    .unwrap_or_default()
            })
            .collect();
        let out = match self.operation {
            Operation::BatchWriteItem => batch::batch_write(tables, now_ms, entries)?,
            Operation::TransactWriteItems => batch::transact_write(tables, now_ms, entries)?,
            _ => batch::transact_get(tables, now_ms, entries)?,
        };
        let changed = names.iter().zip(&before).any(|(n, (c, s))| {
            tables
                .get(n)
                .is_some_and(|t| t.changes.len() > *c || t.stream_len() > *s)
        });
        let mut total = Consumed {
            read: self.operation == Operation::TransactGetItems,
            ..Consumed::default()
        };
        for (_, c) in &out.consumed {
            total.units += c.units;
            total.table += c.table;
        }
        Ok(Response {
            items: out.found.iter().flatten().cloned().collect(),
            scanned_count: None,
            consumed: total,
            changed,
            tables: out.consumed,
            unprocessed: (self.operation == Operation::BatchWriteItem)
                .then(|| batch::unprocessed_json(&out.unprocessed)),
            found: out.found,
            last_evaluated_key: None,
            written: None,
        })
    }

    /// Runs the call on the account's tables at `now_ms`. A missing table is
    /// ResourceNotFoundException; the table's own errors pass through. A condition that
    /// fails still consumes capacity (the table's `last_consumed` holds it).
    pub fn execute(
        &self,
        tables: &mut BTreeMap<String, Table>,
        now_ms: u64,
    ) -> Result<Response, AwsError> {
        if self.operation.multi() {
            return self.execute_multi(tables, now_ms).map_err(|r| r.error);
        }
        // DynamoDB checks the name before it looks for the table.
        super::table::check_table_name(self.table.trim())?;
        let table = tables.get_mut(self.table.trim()).ok_or_else(not_found)?;
        let mut ph = self.placeholders()?;
        // The projection is checked first; its names count as used for the request's
        // unused-placeholder check, which the other expressions make below.
        let projection = match opt(&self.projection) {
            None => None,
            Some(_)
                if !matches!(
                    self.operation,
                    Operation::GetItem | Operation::Query | Operation::Scan
                ) =>
            {
                return Err(validation(format!(
                    "{} takes no ProjectionExpression.",
                    self.operation.name()
                )));
            }
            Some(text) => {
                let parsed = super::expr::parse_projection(text, &ph)?;
                let elsewhere: Vec<String> = [&self.key_condition, &self.filter]
                    .iter()
                    .flat_map(|t| super::expr::names_in(t))
                    .collect();
                ph.names
                    .retain(|k, _| !parsed.names.contains(k) || elsewhere.contains(k));
                Some(parsed.expr)
            }
        };
        let condition = opt(&self.condition);
        let key = |what: &str| -> Result<Item, AwsError> {
            match opt(&self.item) {
                Some(t) => parse_attrs(t, what),
                None => Err(validation(format!("{what} is missing."))),
            }
        };
        let before = table.stream_len();
        let changes = table.changes.len();
        let limit = self.limit.map(|l| l as usize);
        let start = match opt(&self.exclusive_start_key) {
            Some(t) if matches!(self.operation, Operation::Query | Operation::Scan) => {
                Some(parse_attrs(t, "ExclusiveStartKey")?)
            }
            Some(_) => {
                return Err(validation(format!(
                    "{} takes no ExclusiveStartKey (Query and Scan page).",
                    self.operation.name()
                )))
            }
            None => None,
        };
        // An answer of items (and, for Query and Scan, how many were read).
        let answer = |items: Vec<Item>, scanned_count, consumed| Response {
            items,
            scanned_count,
            consumed,
            changed: false,
            tables: vec![],
            unprocessed: None,
            found: vec![],
            last_evaluated_key: None,
            written: None,
        };
        let mut r = match self.operation {
            Operation::PutItem => {
                let (written, consumed) =
                    table.put_item_written(now_ms, key("Item")?, condition, &ph)?;
                Response {
                    written: Some(written),
                    ..answer(vec![], None, consumed)
                }
            }
            Operation::GetItem => {
                if condition.is_some() {
                    return Err(validation("GetItem takes no ConditionExpression."));
                }
                let (found, consumed) =
                    table.get_item(now_ms, &key("Key")?, self.consistent_read)?;
                answer(found.into_iter().collect(), None, consumed)
            }
            Operation::UpdateItem => {
                let update = opt(&self.update)
                    .ok_or_else(|| validation("UpdateItem needs an UpdateExpression."))?;
                let (written, consumed) =
                    table.update_item_written(now_ms, &key("Key")?, update, condition, &ph)?;
                Response {
                    written: Some(written.clone()),
                    ..answer(written.new.into_iter().collect(), None, consumed)
                }
            }
            Operation::DeleteItem => {
                let (old, consumed) = table.delete_item(now_ms, &key("Key")?, condition, &ph)?;
                let written = Written {
                    old: old.clone(),
                    ..Written::default()
                };
                Response {
                    written: Some(written),
                    ..answer(old.into_iter().collect(), None, consumed)
                }
            }
            _ if opt(&self.index_name).is_some() && self.operation != Operation::Query => {
                return Err(validation(
                    "IndexName is offered with Query only in this simulator (a Scan of an index is not modelled).",
                ));
            }
            Operation::Query => {
                let kc = opt(&self.key_condition)
                    .ok_or_else(|| validation("Query needs a KeyConditionExpression."))?;
                let page = match opt(&self.index_name) {
                    Some(index) => table.query_index(
                        now_ms,
                        index,
                        kc,
                        opt(&self.filter),
                        &ph,
                        self.scan_index_forward,
                        limit,
                        start.as_ref(),
                        self.consistent_read,
                    )?,
                    None => table.query(
                        now_ms,
                        kc,
                        opt(&self.filter),
                        &ph,
                        self.scan_index_forward,
                        limit,
                        start.as_ref(),
                        self.consistent_read,
                    )?,
                };
                Response {
                    last_evaluated_key: page.last_evaluated_key,
                    ..answer(page.items, Some(page.scanned_count), page.consumed)
                }
            }
            Operation::Scan => {
                let page = table.scan(
                    now_ms,
                    opt(&self.filter),
                    &ph,
                    limit,
                    start.as_ref(),
                    self.consistent_read,
                )?;
                Response {
                    last_evaluated_key: page.last_evaluated_key,
                    ..answer(page.items, Some(page.scanned_count), page.consumed)
                }
            }
            Operation::BatchWriteItem
            | Operation::TransactWriteItems
            | Operation::TransactGetItems => {
                // Answered by `execute_multi` above; kept total without a panic.
                return Err(validation(
                    "This call names its tables in its JSON parameter.",
                ));
            }
        };
        r.changed = table.changes.len() > changes || table.stream_len() > before;
        if let Some(paths) = &projection {
            for item in &mut r.items {
                *item = super::expr::project(item, paths);
            }
        }
        Ok(r)
    }
}

/// JSON text with every `{{…}}` handler template filled so that it parses before a run:
/// `*` inside a string (`"o-{{n}}"` → `"o-*"`, a wildcard in an ARN), `1` outside one
/// (`"qty": {{n}}` → `"qty": 1`). `None` when a `{{` is not closed.
pub fn fill_templates_json(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while !rest.is_empty() {
        if !escaped && rest.starts_with("{{") {
            let end = rest.find("}}")?;
            out.push(if in_string { '*' } else { '1' });
            rest = &rest[end + 2..];
            continue;
        }
        let c = rest.chars().next()?;
        if escaped {
            escaped = false;
        } else if c == '\\' && in_string {
            escaped = true;
        } else if c == '"' {
            in_string = !in_string;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (how DynamoDB JSON writes binary values).
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An attribute value in DynamoDB JSON (`{"N": "3"}`), as stream records and the API
/// write it.
pub fn attr_json(a: &Attr) -> Value {
    match a {
        Attr::S(s) => json!({ "S": s }),
        Attr::N(n) => json!({ "N": n }),
        Attr::B(b) => json!({ "B": base64(b) }),
        Attr::Bool(b) => json!({ "BOOL": b }),
        Attr::Null => json!({ "NULL": true }),
        Attr::L(l) => json!({ "L": l.iter().map(attr_json).collect::<Vec<_>>() }),
        Attr::M(m) => {
            let inner: Map<String, Value> =
                m.iter().map(|(k, v)| (k.clone(), attr_json(v))).collect();
            json!({ "M": inner })
        }
        Attr::Ss(s) => json!({ "SS": s }),
        Attr::Ns(s) => json!({ "NS": s }),
        Attr::Bs(s) => json!({ "BS": s.iter().map(|b| base64(b)).collect::<Vec<_>>() }),
    }
}

/// An item in DynamoDB JSON.
pub fn item_json(item: &Item) -> Value {
    Value::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), attr_json(v)))
            .collect(),
    )
}

/// An attribute value as plain JSON (numbers as JSON numbers when they fit, sets as
/// arrays), for events a handler reads and for the table viewer.
pub fn attr_plain(a: &Attr) -> Value {
    match a {
        Attr::S(s) => Value::String(s.clone()),
        Attr::N(n) => serde_json::from_str::<serde_json::Number>(n)
            .map(Value::Number)
            .unwrap_or_else(|_| Value::String(n.clone())),
        Attr::B(b) => Value::String(base64(b)),
        Attr::Bool(b) => Value::Bool(*b),
        Attr::Null => Value::Null,
        Attr::L(l) => Value::Array(l.iter().map(attr_plain).collect()),
        Attr::M(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), attr_plain(v))).collect()),
        Attr::Ss(s) => Value::Array(s.iter().map(|x| Value::String(x.clone())).collect()),
        Attr::Ns(s) => Value::Array(s.iter().map(|x| attr_plain(&Attr::N(x.clone()))).collect()),
        Attr::Bs(s) => Value::Array(s.iter().map(|b| Value::String(base64(b))).collect()),
    }
}

/// An item as plain JSON text, in attribute-name order: `{"id":"o-1","qty":3}`.
pub fn item_text(item: &Item) -> String {
    Value::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), attr_plain(v)))
            .collect(),
    )
    .to_string()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::dynamodb::table::{KeyAttr, KeyType, TableSpec};

    fn tables() -> BTreeMap<String, Table> {
        let spec = TableSpec::new("orders", KeyAttr::new("id", KeyType::S));
        let mut t = BTreeMap::new();
        t.insert("orders".into(), Table::create(spec, 0).unwrap());
        t
    }

    #[test]
    fn sets_keep_their_texts() {
        let mut i = Item::new();
        i.insert("tags".into(), Attr::Ss(vec!["1e2".into(), "1.50".into()]));
        i.insert("n".into(), Attr::Ns(vec!["2".into()]));
        assert_eq!(item_text(&i), r#"{"n":[2],"tags":["1e2","1.50"]}"#);
    }

    #[test]
    fn base64_matches_rfc_4648_examples() {
        // RFC 4648 §10 test vectors.
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
    }

    #[test]
    fn a_conditional_put_on_an_existing_key_fails_and_a_missing_table_is_not_found() {
        let mut t = tables();
        let put = Request {
            table: "orders".into(),
            item: r#"{"id": "o-1", "qty": 2}"#.into(),
            condition: "attribute_not_exists(id)".into(),
            ..Default::default()
        };
        let r = put.execute(&mut t, 0).unwrap();
        assert!(r.changed);
        assert_eq!(r.consumed.units, 1.0);
        let e = put.execute(&mut t, 10).unwrap_err();
        assert_eq!(e.code, "ConditionalCheckFailedException");
        let get = Request {
            operation: Operation::GetItem,
            table: "orders".into(),
            item: r#"{"id": {"S": "o-1"}}"#.into(),
            ..Default::default()
        };
        let r = get.execute(&mut t, 20).unwrap();
        assert_eq!(item_text(&r.items[0]), r#"{"id":"o-1","qty":2}"#);
        assert_eq!(r.consumed.units, 0.5);
        let missing = Request {
            table: "nope".into(),
            ..get
        };
        assert_eq!(
            missing.execute(&mut t, 30).unwrap_err().code,
            "ResourceNotFoundException"
        );
    }

    /// Query with IndexName against the Developer Guide's rules: an index is sparse,
    /// ordered by its sort key, eventually consistent only, and read units count the
    /// projected entries (independent formulation: the sum of the projected entries' sizes
    /// in 4 KB blocks, halved for an eventually consistent read).
    #[test]
    fn a_query_on_a_global_secondary_index() {
        use crate::core::services::dynamodb::table::{
            item_bytes, GlobalSecondaryIndex, Projection,
        };
        let mut spec = TableSpec::new("orders", KeyAttr::new("id", KeyType::S));
        for (name, projection) in [
            ("by-customer", Projection::All),
            ("keys", Projection::KeysOnly),
        ] {
            spec.global_secondary_indexes.push(GlobalSecondaryIndex {
                name: name.into(),
                partition_key: KeyAttr::new("customer", KeyType::S),
                sort_key: Some(KeyAttr::new("total", KeyType::N)),
                projection,
                write_capacity: None,
            });
        }
        let mut t = BTreeMap::new();
        t.insert("orders".to_string(), Table::create(spec, 0).unwrap());
        let note = "x".repeat(1000);
        let put = |t: &mut BTreeMap<String, Table>, item: String| {
            Request {
                table: "orders".into(),
                item,
                ..Default::default()
            }
            .execute(t, 0)
            .unwrap();
        };
        // Ten orders of c1 (about 1 KB each) with totals 10 down to 1, one of c2, one with no
        // customer (not in the index).
        for k in 0..10 {
            put(
                &mut t,
                format!(
                    r#"{{"id": "o-{k}", "customer": "c1", "total": {}, "note": "{note}"}}"#,
                    10 - k
                ),
            );
        }
        put(
            &mut t,
            r#"{"id": "o-c2", "customer": "c2", "total": 5}"#.into(),
        );
        put(&mut t, r#"{"id": "o-none", "total": 5}"#.into());
        let query = |index: &str, consistent: bool, forward: bool| Request {
            operation: Operation::Query,
            table: "orders".into(),
            index_name: index.into(),
            key_condition: "customer = :c".into(),
            values: r#"{":c": "c1"}"#.into(),
            consistent_read: consistent,
            scan_index_forward: forward,
            ..Default::default()
        };
        let r = query("by-customer", false, true)
            .execute(&mut t, 1)
            .unwrap();
        assert_eq!(r.items.len(), 10, "the sparse index holds c1's ten orders");
        let totals: Vec<String> = r
            .items
            .iter()
            .map(|i| attr_plain(&i["total"]).to_string())
            .collect();
        assert_eq!(totals, (1..=10).map(|n| n.to_string()).collect::<Vec<_>>());
        let bytes: u64 = r.items.iter().map(item_bytes).sum();
        assert_eq!(r.consumed.units, bytes.div_ceil(4096) as f64 * 0.5);
        assert_eq!(
            r.consumed.units, 1.5,
            "about 10 KB: three 4 KB blocks, halved"
        );
        // Backwards, and KEYS_ONLY: the entries hold the keys only, so one block.
        let r = query("keys", false, false).execute(&mut t, 2).unwrap();
        assert_eq!(attr_plain(&r.items[0]["total"]).to_string(), "10");
        assert!(r.items.iter().all(|i| !i.contains_key("note")));
        assert_eq!(r.consumed.units, 0.5);
        // A strongly consistent read and an unknown index are refused with AWS's texts.
        let e = query("by-customer", true, true)
            .execute(&mut t, 3)
            .unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                "ValidationException",
                "Consistent reads are not supported on global secondary indexes"
            )
        );
        let e = query("nope", false, true).execute(&mut t, 4).unwrap_err();
        assert_eq!(
            e.message,
            "The table does not have the specified index: nope"
        );
        // BETWEEN's bounds in order, as on the table.
        let mut b = query("by-customer", false, true);
        b.key_condition = "customer = :c AND #t BETWEEN :hi AND :lo".into();
        b.names.insert("#t".into(), "total".into());
        b.values = r#"{":c": "c1", ":hi": 10, ":lo": 1}"#.into();
        assert!(b
            .execute(&mut t, 5)
            .unwrap_err()
            .message
            .contains("BETWEEN operator requires upper bound"));
        // IndexName belongs to Query here.
        let mut s = query("by-customer", false, true);
        s.operation = Operation::Scan;
        assert!(s
            .execute(&mut t, 5)
            .unwrap_err()
            .message
            .contains("IndexName is offered with Query only"));
        // The index's key may not be filtered on.
        let mut f = query("by-customer", false, true);
        f.filter = "#t > :t".into();
        f.names.insert("#t".into(), "total".into());
        f.values = r#"{":c": "c1", ":t": 3}"#.into();
        assert!(f
            .execute(&mut t, 5)
            .unwrap_err()
            .message
            .contains("Primary key attribute: total"));
    }

    #[test]
    fn bad_json_and_missing_parameters_are_named() {
        let mut t = tables();
        let bad = Request {
            table: "orders".into(),
            item: "{id: 1".into(),
            ..Default::default()
        };
        let e = bad.execute(&mut t, 0).unwrap_err();
        assert!(e.message.starts_with("Item is not a valid item"), "{e}");
        let q = Request {
            operation: Operation::Query,
            table: "orders".into(),
            ..Default::default()
        };
        assert!(q
            .execute(&mut t, 0)
            .unwrap_err()
            .message
            .contains("KeyConditionExpression"));
        let u = Request {
            operation: Operation::UpdateItem,
            table: "orders".into(),
            item: r#"{"id":"a"}"#.into(),
            values: "[1]".into(),
            update: "SET q = :q".into(),
            ..Default::default()
        };
        assert!(u
            .execute(&mut t, 0)
            .unwrap_err()
            .message
            .contains("ExpressionAttributeValues"));
    }
}
