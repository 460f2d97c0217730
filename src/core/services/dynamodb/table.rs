//! DynamoDB tables: items under a partition key and an optional sort key, global secondary
//! indexes, the item operations (PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan)
//! with their conditions, the capacity each consumes (ConsumedCapacity, computed by the
//! calculator's core), provisioned throughput with burst capacity, and the stream of
//! changes.
//!
//! Sources (DynamoDB Developer Guide): "Read/write capacity mode" and "Read consumption"
//! (4 KB read units, eventually consistent reads at half, a missing item still costs the
//! minimum, Query and Scan rounded per 1 MB page on the total read, before any filter),
//! "Write consumption" (1 KB write units, the larger of the item before and after, a write
//! that fails its condition still consumes capacity, an index write for each GSI the change
//! reaches — two when it changes the index key), "Burst capacity" (up to 300 seconds of
//! unused capacity kept), "Working with items" (400 KB item limit; key attributes of the
//! declared type), "Change data capture for DynamoDB Streams" (INSERT, MODIFY, REMOVE;
//! KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES).
//!
//! Simplified, and said so: items of a table are listed in the order of their partition
//! key's value (AWS orders partitions by a hash), and a new provisioned table starts with
//! one second of capacity in its burst bucket.

use super::expr::{self, eval, get, Item, Placeholders};
use crate::core::dynamodb::capacity::{self, Consistency};
use crate::core::dynamodb::item::{value_bytes, Attr, MAX_ITEM_BYTES};
use crate::core::sim::AwsError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A key attribute's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyType {
    S,
    N,
    B,
}

/// A key attribute: its name and type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAttr {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: KeyType,
}

/// How a table pays for throughput.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode")]
pub enum Billing {
    /// On-demand: every request served, billed per request unit.
    OnDemand,
    /// Provisioned read and write capacity units per second.
    Provisioned { read: u32, write: u32 },
}

/// What a global secondary index copies from the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "attributes")]
pub enum Projection {
    All,
    KeysOnly,
    Include(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalSecondaryIndex {
    pub name: String,
    pub partition_key: KeyAttr,
    #[serde(default)]
    pub sort_key: Option<KeyAttr>,
    pub projection: Projection,
    /// On a provisioned table, the index's own write capacity units per second (the
    /// table's when absent). A table write is throttled when the table or any index it
    /// writes lacks capacity.
    #[serde(default)]
    pub write_capacity: Option<u32>,
}

/// A local secondary index (CreateTable's LocalSecondaryIndexes): the table's partition key
/// with another sort key and a projection. It is made with the table and cannot be added
/// or removed later, a table has at most 5, it shares the table's provisioned throughput
/// (its writes draw on the table's write capacity), and — unlike a global secondary index
/// — it can be read strongly consistent (Developer Guide, "Local secondary indexes").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalSecondaryIndex {
    pub name: String,
    pub sort_key: KeyAttr,
    pub projection: Projection,
}

/// Local secondary indexes a table has at most.
pub const MAX_LOCAL_INDEXES: usize = 5;

impl LocalSecondaryIndex {
    /// The index with the table's partition key spelled out, as a global one is.
    fn keyed(&self, partition_key: &KeyAttr) -> GlobalSecondaryIndex {
        GlobalSecondaryIndex {
            name: self.name.clone(),
            partition_key: partition_key.clone(),
            sort_key: Some(self.sort_key.clone()),
            projection: self.projection.clone(),
            write_capacity: None,
        }
    }
}

/// What a stream record carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StreamView {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

impl KeyAttr {
    pub fn new(name: &str, kind: KeyType) -> KeyAttr {
        KeyAttr {
            name: name.to_string(),
            kind,
        }
    }
}

impl TableSpec {
    /// CreateTable's least: a name and a partition key; on demand, with no sort key,
    /// indexes or stream.
    pub fn new(name: &str, partition_key: KeyAttr) -> TableSpec {
        TableSpec {
            name: name.to_string(),
            partition_key,
            sort_key: None,
            billing: Billing::OnDemand,
            global_secondary_indexes: vec![],
            local_secondary_indexes: vec![],
            stream: None,
            ttl_attribute: None,
        }
    }

    /// Every secondary index with its keys spelled out, and whether it is local: the
    /// global ones, then the local ones.
    pub fn indexes(&self) -> Vec<(GlobalSecondaryIndex, bool)> {
        self.global_secondary_indexes
            .iter()
            .map(|g| (g.clone(), false))
            .chain(
                self.local_secondary_indexes
                    .iter()
                    .map(|l| (l.keyed(&self.partition_key), true)),
            )
            .collect()
    }

    /// Whether `name` is one of the table's local secondary indexes.
    pub fn is_local(&self, name: &str) -> bool {
        self.local_secondary_indexes.iter().any(|l| l.name == name)
    }
}

/// Items whose TTL lies further in the past than this are never deleted by TTL (Developer
/// Guide, "Time to Live": "more than five years in the past").
pub const TTL_MAX_PAST_MS: u64 = 5 * 365 * 86_400_000;

/// A table's definition (CreateTable).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSpec {
    pub name: String,
    pub partition_key: KeyAttr,
    #[serde(default)]
    pub sort_key: Option<KeyAttr>,
    pub billing: Billing,
    #[serde(default)]
    pub global_secondary_indexes: Vec<GlobalSecondaryIndex>,
    /// Made with the table only (UpdateTable cannot add or remove one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_secondary_indexes: Vec<LocalSecondaryIndex>,
    #[serde(default)]
    pub stream: Option<StreamView>,
    /// Time to Live (UpdateTimeToLive): the attribute that holds each item's expiry, a
    /// Number of seconds since the Unix epoch; `None` when TTL is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_attribute: Option<String>,
}

/// One change in a table's stream.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamRecord {
    /// 1, 2, … in the order of the changes.
    pub sequence_number: u64,
    /// `INSERT`, `MODIFY` or `REMOVE`.
    pub event_name: &'static str,
    pub at_ms: u64,
    pub keys: Item,
    pub new_image: Option<Item>,
    pub old_image: Option<Item>,
    /// Deleted by TTL: the record's `userIdentity` is the DynamoDB service.
    pub ttl: bool,
}

/// Capacity a request consumed (ConsumedCapacity with TOTAL), in units: RCU or WCU on a
/// provisioned table, RRU or WRU on an on-demand one; and the math.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Consumed {
    pub units: f64,
    pub table: f64,
    /// Index name → units.
    pub indexes: BTreeMap<String, f64>,
    pub read: bool,
    /// How the units were counted, for "show the math".
    pub math: String,
}

/// Burst capacity: a bucket filled at the provisioned rate, holding up to 300 s of it.
#[derive(Clone, Debug, PartialEq)]
struct Bucket {
    units: f64,
    at_ms: u64,
}

/// Seconds of unused capacity a table keeps for bursts.
pub const BURST_SECONDS: f64 = 300.0;

impl Bucket {
    /// Adds what `rate` units a second have brought since the last request, up to 300 s.
    fn refill(&mut self, rate: u32, now_ms: u64) {
        let rate = rate as f64;
        let elapsed = now_ms.saturating_sub(self.at_ms) as f64 / 1000.0;
        self.units = (self.units + rate * elapsed).min(rate * BURST_SECONDS);
        self.at_ms = self.at_ms.max(now_ms);
    }

    /// Whether `want` units can be taken now (refilled first).
    fn can_take(&mut self, rate: u32, now_ms: u64, want: f64) -> bool {
        self.refill(rate, now_ms);
        self.units + 1e-9 >= want || self.units + 1e-9 >= rate as f64 * BURST_SECONDS
    }

    /// Takes `want` units whatever the bucket holds (once admitted by `can_take`).
    fn take_anyway(&mut self, rate: u32, now_ms: u64, want: f64) {
        self.refill(rate, now_ms);
        self.units -= want;
    }

    fn take(&mut self, rate: u32, now_ms: u64, want: f64) -> bool {
        self.refill(rate, now_ms);
        let rate = rate as f64;
        // A request larger than the whole bucket passes when the bucket is full (and leaves
        // it in debt), or it could never pass.
        let full = self.units + 1e-9 >= rate * BURST_SECONDS;
        if self.units + 1e-9 >= want || full {
            self.units -= want;
            true
        } else {
            false
        }
    }
}

/// A table and its items.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub spec: TableSpec,
    /// Partition key (canonical text) → items in sort key order.
    partitions: BTreeMap<String, Vec<Item>>,
    reads: Bucket,
    writes: Bucket,
    pub stream: Vec<StreamRecord>,
    /// What the last request consumed, refused ones included (a failed condition still
    /// consumes; AWS reports it in ConsumedCapacity).
    pub last_consumed: Option<Consumed>,
    /// Each index's write bucket, by name, made on its first write.
    index_writes: BTreeMap<String, Bucket>,
    created_ms: u64,
    /// Every change to an item, in order, whether or not the table has a stream (the
    /// viewer replays them to show the table at any moment).
    pub changes: Vec<ItemChange>,
}

/// A change to one item: its key and what it holds after (nothing once deleted).
#[derive(Clone, Debug, PartialEq)]
pub struct ItemChange {
    pub at_ms: u64,
    pub keys: Item,
    pub new: Option<Item>,
}

/// What a write did to its item, for ReturnValues: the item before (`None`: there was
/// none) and after (`None`: it is gone), and the document paths an UpdateItem named (all of
/// them, and those it gave a value).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Written {
    pub old: Option<Item>,
    pub new: Option<Item>,
    pub paths: Vec<expr::Path>,
    pub set_paths: Vec<expr::Path>,
}

/// A SET path as it lands in `item`: an index past a list's end appends, so it names the
/// list's last element (where the value went) instead.
fn landed(item: &Item, path: &expr::Path) -> expr::Path {
    let mut out = Vec::with_capacity(path.len());
    let mut at: Option<&Attr> = None;
    for (k, part) in path.iter().enumerate() {
        let part = match (part, at) {
            (expr::Part::Index(i), Some(Attr::L(items)))
                if *i >= items.len() && !items.is_empty() =>
            {
                expr::Part::Index(items.len() - 1)
            }
            _ => part.clone(),
        };
        at = match (&part, at, k) {
            (expr::Part::Key(name), _, 0) => item.get(name),
            (expr::Part::Key(name), Some(Attr::M(entries)), _) => {
                entries.iter().find(|(n, _)| n == name).map(|e| &e.1)
            }
            (expr::Part::Index(i), Some(Attr::L(items)), _) => items.get(*i),
            _ => None,
        };
        out.push(part);
    }
    out
}

/// ReturnValues of PutItem, UpdateItem and DeleteItem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReturnValues {
    /// Nothing (the default).
    #[default]
    None,
    /// The whole item before the write (PutItem, UpdateItem, DeleteItem).
    AllOld,
    /// The attributes the update names, as they were before (UpdateItem).
    UpdatedOld,
    /// The whole item after the write (UpdateItem).
    AllNew,
    /// The attributes the update names, as they are after (UpdateItem).
    UpdatedNew,
}

impl ReturnValues {
    /// Every value, in the order DynamoDB lists its enum in validation messages.
    pub const ALL: [(&'static str, ReturnValues); 5] = [
        ("ALL_NEW", ReturnValues::AllNew),
        ("UPDATED_OLD", ReturnValues::UpdatedOld),
        ("ALL_OLD", ReturnValues::AllOld),
        ("NONE", ReturnValues::None),
        ("UPDATED_NEW", ReturnValues::UpdatedNew),
    ];

    /// The value named by the API's text (`ALL_NEW`); anything else is DynamoDB's enum
    /// ValidationException.
    pub fn parse(text: &str) -> Result<ReturnValues, AwsError> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|(n, _)| *n).collect();
                validation(format!(
                    "1 validation error detected: Value '{text}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                    names.join(", ")
                ))
            })
    }

    /// Whether `operation` takes this value: PutItem and DeleteItem take NONE and ALL_OLD,
    /// UpdateItem all five; any other is "Return values set to invalid value".
    pub fn check(self, operation: super::request::Operation) -> Result<(), AwsError> {
        use super::request::Operation;
        let ok = match operation {
            Operation::UpdateItem => true,
            Operation::PutItem | Operation::DeleteItem => {
                matches!(self, ReturnValues::None | ReturnValues::AllOld)
            }
            _ => self == ReturnValues::None,
        };
        if ok {
            Ok(())
        } else {
            Err(validation("Return values set to invalid value"))
        }
    }
}

impl Written {
    /// The response's `Attributes` for `rv`; `None` when DynamoDB leaves it out (NONE, no
    /// item before for ALL_OLD, nothing at the update's paths).
    pub fn attributes(&self, rv: ReturnValues) -> Option<Item> {
        let picked = match rv {
            ReturnValues::None => return None,
            ReturnValues::AllOld => self.old.clone()?,
            ReturnValues::AllNew => self.new.clone()?,
            ReturnValues::UpdatedOld => expr::project(self.old.as_ref()?, &self.paths),
            ReturnValues::UpdatedNew => {
                let new = self.new.as_ref()?;
                let paths: Vec<expr::Path> =
                    self.set_paths.iter().map(|p| landed(new, p)).collect();
                expr::project(new, &paths)
            }
        };
        (!picked.is_empty()).then_some(picked)
    }
}

/// A change to one item worked out before it is made — its key and the item before and
/// after (`None`: absent) — so a batch or a transaction can check and cost every change
/// before it makes any.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    pk: String,
    sk: Option<Attr>,
    /// The item's key attributes.
    pub keys: Item,
    pub old: Option<Item>,
    pub new: Option<Item>,
}

impl Planned {
    /// The item's identity within its table (partition key and sort key as canonical text),
    /// to find two changes of one item.
    pub fn identity(&self) -> (String, String) {
        (
            self.pk.clone(),
            self.sk.as_ref().map(key_text).unwrap_or_default(),
        )
    }
}

/// The items a table held at `until_ms` (changes at that moment included), replayed from
/// its changes, in the table's order (partition key, then sort key).
pub fn items_at(spec: &TableSpec, changes: &[ItemChange], until_ms: u64) -> Vec<Item> {
    // References until the end: only the items that remain are cloned.
    let mut by_key: BTreeMap<(String, String), &Item> = BTreeMap::new();
    let key = |keys: &Item| {
        let text = |name: &str| keys.get(name).map(key_text).unwrap_or_default();
        (
            text(&spec.partition_key.name),
            spec.sort_key
                .as_ref()
                .map(|s| text(&s.name))
                .unwrap_or_default(),
        )
    };
    for c in changes.iter().take_while(|c| c.at_ms <= until_ms) {
        match &c.new {
            Some(n) => {
                by_key.insert(key(&c.keys), n);
            }
            None => {
                by_key.remove(&key(&c.keys));
            }
        }
    }
    let mut items: Vec<Item> = by_key.into_values().cloned().collect();
    let pk = spec.partition_key.name.clone();
    let sk = spec.sort_key.as_ref().map(|s| s.name.clone());
    items.sort_by(|a, b| {
        let o = a
            .get(&pk)
            .zip(b.get(&pk))
            .map(|(x, y)| expr::key_order(x, y))
            .unwrap_or(std::cmp::Ordering::Equal);
        o.then_with(|| match &sk {
            Some(s) => a
                .get(s)
                .zip(b.get(s))
                .map(|(x, y)| expr::key_order(x, y))
                .unwrap_or(std::cmp::Ordering::Equal),
            None => std::cmp::Ordering::Equal,
        })
    });
    items
}

fn validation(m: impl Into<String>) -> AwsError {
    AwsError::new("ValidationException", 400, m.into())
}

/// An item's size in bytes: each attribute's name and value.
pub fn item_bytes(item: &Item) -> u64 {
    item.iter()
        .map(|(k, v)| k.len() as u64 + value_bytes(v))
        .sum()
}

/// Whether two items hold the same values (numbers by value, maps by key).
pub fn same_item(a: &Item, b: &Item) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(k, v)| b.get(k).is_some_and(|w| expr::equal(v, w)))
}

/// The secondary index key attributes an item must give their declared types.
fn index_key_errors(spec: &TableSpec, item: &Item) -> Result<(), AwsError> {
    for (g, _) in spec.indexes() {
        for k in std::iter::once(&g.partition_key).chain(&g.sort_key) {
            if let Some(v) = item.get(&k.name) {
                if type_of(v) != Some(k.kind) {
                    return Err(validation(format!(
                        "One or more parameter values were invalid: Type mismatch for Index Key {} Expected: {:?} Actual: {} IndexName: {}",
                        k.name,
                        k.kind,
                        crate::core::dynamodb::item::type_name(v),
                        g.name
                    )));
                }
            }
        }
    }
    Ok(())
}

/// A key value as canonical text (numbers by value: `1.50` and `1.5` are one key).
fn key_text(a: &Attr) -> String {
    match a {
        Attr::S(s) => format!("S:{s}"),
        Attr::N(n) => format!(
            "N:{}",
            super::decimal::Decimal::parse(n)
                .map(|d| d.text())
                .unwrap_or_else(|| n.clone())
        ),
        Attr::B(b) => format!(
            "B:{}",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        ),
        other => format!("{other:?}"),
    }
}

fn type_of(a: &Attr) -> Option<KeyType> {
    match a {
        Attr::S(s) if !s.is_empty() => Some(KeyType::S),
        Attr::N(_) => Some(KeyType::N),
        Attr::B(b) if !b.is_empty() => Some(KeyType::B),
        _ => None,
    }
}

/// A table name as DynamoDB checks it on every call: 3 to 255 characters of
/// `[a-zA-Z0-9_.-]`. Each broken rule is one "validation error", in DynamoDB's own words
/// (API Reference, CreateTable "TableName"; the messages as DynamoDB returns them, e.g.
/// aws-cli#790: "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+").
pub fn check_table_name(name: &str) -> Result<(), AwsError> {
    let len = name.chars().count();
    let mut broken = Vec::new();
    if len < 3 {
        broken.push("Member must have length greater than or equal to 3");
    }
    if len > 255 {
        broken.push("Member must have length less than or equal to 255");
    }
    if !name.is_empty()
        && !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        broken.push("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
    if broken.is_empty() {
        return Ok(());
    }
    let each: Vec<String> = broken
        .iter()
        .map(|rule| format!("Value '{name}' at 'tableName' failed to satisfy constraint: {rule}"))
        .collect();
    Err(validation(format!(
        "{} validation error{} detected: {}",
        each.len(),
        if each.len() == 1 { "" } else { "s" },
        each.join("; ")
    )))
}

impl Table {
    /// CreateTable: checks names, key types, capacity and indexes.
    pub fn create(spec: TableSpec, now_ms: u64) -> Result<Table, AwsError> {
        check_table_name(&spec.name)?;
        if let Billing::Provisioned { read, write } = spec.billing {
            if read == 0 || write == 0 {
                return Err(validation(
                    "The parameter 'ProvisionedThroughput' must have ReadCapacityUnits and WriteCapacityUnits of at least 1",
                ));
            }
        }
        if spec
            .sort_key
            .as_ref()
            .is_some_and(|s| s.name == spec.partition_key.name)
        {
            return Err(validation(
                "Both the Hash Key and the Range Key element in the KeySchema have the same name",
            ));
        }
        if spec.global_secondary_indexes.len() > 20 {
            return Err(validation(
                "A table has at most 20 global secondary indexes.",
            ));
        }
        let locals = &spec.local_secondary_indexes;
        if !locals.is_empty() && spec.sort_key.is_none() {
            return Err(validation(
                "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            ));
        }
        if locals.len() > MAX_LOCAL_INDEXES {
            return Err(validation(format!(
                "One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of {MAX_LOCAL_INDEXES}"
            )));
        }
        if let Some(l) = locals
            .iter()
            .find(|l| l.sort_key.name == spec.partition_key.name)
        {
            return Err(validation(format!(
                "One or more parameter values were invalid: the sort key of local secondary index {} is the table's partition key {}",
                l.name, spec.partition_key.name
            )));
        }
        let mut names = std::collections::BTreeSet::new();
        for (g, _) in spec.indexes() {
            if !names.insert(g.name.clone()) {
                return Err(validation(format!(
                    "One or more parameter values were invalid: Duplicate index name: {}",
                    g.name
                )));
            }
        }
        let (read, write) = match spec.billing {
            Billing::Provisioned { read, write } => (read as f64, write as f64),
            Billing::OnDemand => (0.0, 0.0),
        };
        Ok(Table {
            spec,
            partitions: BTreeMap::new(),
            reads: Bucket {
                units: read,
                at_ms: now_ms,
            },
            writes: Bucket {
                units: write,
                at_ms: now_ms,
            },
            last_consumed: None,
            index_writes: BTreeMap::new(),
            created_ms: now_ms,
            stream: vec![],
            changes: vec![],
        })
    }

    /// Every item, in the table's order.
    /// When CreateTable made it, ms on the virtual clock (CreationDateTime).
    pub fn created_ms(&self) -> u64 {
        self.created_ms
    }

    /// This table under a new definition with the same keys, as UpdateTable changes one
    /// (billing mode, capacity, global secondary indexes, stream, Time to Live): its items,
    /// history and creation time stay; its stream records while the stream is the same;
    /// its saved capacity while the billing is the same (and each unchanged index's).
    /// `None` when the name, keys or local secondary indexes differ (the items belong to
    /// another table) or the definition is refused.
    pub fn redefined(&self, spec: TableSpec, now_ms: u64) -> Option<Table> {
        let same_keys = spec.name == self.spec.name
            && spec.partition_key == self.spec.partition_key
            && spec.sort_key == self.spec.sort_key
            && spec.local_secondary_indexes == self.spec.local_secondary_indexes;
        if !same_keys {
            return None;
        }
        let mut t = Table::create(spec, now_ms).ok()?;
        t.partitions = self.partitions.clone();
        // A stream turned off or of another view type is a new stream (its records gone).
        if t.spec.stream == self.spec.stream {
            t.stream = self.stream.clone();
        }
        t.changes = self.changes.clone();
        t.created_ms = self.created_ms;
        // The same capacity keeps what it saved (burst); an index that stays, its own.
        if t.spec.billing == self.spec.billing {
            t.reads = self.reads.clone();
            t.writes = self.writes.clone();
        }
        t.index_writes = self
            .index_writes
            .iter()
            .filter(|(name, _)| {
                let same = |s: &TableSpec| {
                    s.global_secondary_indexes
                        .iter()
                        .find(|g| &g.name == *name)
                        .cloned()
                };
                same(&t.spec).is_some() && same(&t.spec) == same(&self.spec)
            })
            .map(|(n, b)| (n.clone(), b.clone()))
            .collect();
        Some(t)
    }

    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.partitions.values().flatten()
    }

    pub fn len(&self) -> usize {
        self.partitions.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.partitions.is_empty()
    }

    /// How many records the stream holds (0 without a stream).
    pub fn stream_len(&self) -> usize {
        self.stream.len()
    }

    /// The key attributes of an item or key, checked against the schema.
    fn key_of(
        &self,
        item: &Item,
        whole_item: bool,
    ) -> Result<(String, Option<Attr>, Item), AwsError> {
        let mut key = Item::new();
        let mut check = |k: &KeyAttr| -> Result<Attr, AwsError> {
            let v = item.get(&k.name).ok_or_else(|| {
                validation(if whole_item {
                    format!(
                        "One or more parameter values were invalid: Missing the key {} in the item",
                        k.name
                    )
                } else {
                    "The provided key element does not match the schema".to_string()
                })
            })?;
            if matches!(v, Attr::S(x) if x.is_empty()) || matches!(v, Attr::B(x) if x.is_empty()) {
                return Err(validation(format!(
                    "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: {}",
                    k.name
                )));
            }
            if let Attr::N(n) = v {
                crate::core::dynamodb::item::number_size(n)
                    .map_err(|e| validation(format!("{}: {e}", k.name)))?;
            }
            if type_of(v) != Some(k.kind) {
                return Err(validation(format!(
                    "One or more parameter values were invalid: Type mismatch for key {} expected: {:?} actual: {}",
                    k.name,
                    k.kind,
                    crate::core::dynamodb::item::type_name(v)
                )));
            }
            key.insert(k.name.clone(), v.clone());
            Ok(v.clone())
        };
        let pk = check(&self.spec.partition_key)?;
        let sk = match &self.spec.sort_key {
            Some(s) => Some(check(s)?),
            None => None,
        };
        if !whole_item && item.len() != key.len() {
            return Err(validation(
                "The provided key element does not match the schema",
            ));
        }
        Ok((key_text(&pk), sk, key))
    }

    fn position(&self, pk: &str, sk: &Option<Attr>) -> Result<usize, usize> {
        let Some(items) = self.partitions.get(pk) else {
            return Err(0);
        };
        match (sk, &self.spec.sort_key) {
            (Some(v), Some(s)) => items.binary_search_by(|i| {
                i.get(&s.name)
                    .map(|x| expr::key_order(x, v))
                    .unwrap_or(std::cmp::Ordering::Less)
            }),
            _ => {
                if items.is_empty() {
                    Err(0)
                } else {
                    Ok(0)
                }
            }
        }
    }

    fn find(&self, pk: &str, sk: &Option<Attr>) -> Option<&Item> {
        let k = self.position(pk, sk).ok()?;
        self.partitions.get(pk)?.get(k)
    }

    /// An item as index `g` holds it: the table's and the index's key attributes and what the
    /// projection names (every attribute for ALL).
    fn project(&self, g: &GlobalSecondaryIndex, i: &Item) -> Item {
        let keep = |name: &str| {
            name == self.spec.partition_key.name
                || self.spec.sort_key.as_ref().is_some_and(|s| s.name == name)
                || name == g.partition_key.name
                || g.sort_key.as_ref().is_some_and(|s| s.name == name)
                || match &g.projection {
                    Projection::All => true,
                    Projection::KeysOnly => false,
                    Projection::Include(list) => list.iter().any(|x| x == name),
                }
        };
        i.iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Index writes a change makes: for each GSI, one write per image that has the index's
    /// keys, of the projected size; a change that moves the item within the index (its
    /// index key changes) counts both the delete and the put.
    fn index_writes(&self, old: Option<&Item>, new: Option<&Item>) -> Vec<(String, u64)> {
        let mut out = vec![];
        for (g, _) in self.spec.indexes() {
            let g = &g;
            let keys = |i: &Item| -> Option<Vec<Attr>> {
                let mut v = vec![i.get(&g.partition_key.name)?.clone()];
                if let Some(s) = &g.sort_key {
                    v.push(i.get(&s.name)?.clone());
                }
                Some(v)
            };
            let projected = |i: &Item| -> Item { self.project(g, i) };
            let before = old.and_then(|i| keys(i).map(|k| (k, projected(i))));
            let after = new.and_then(|i| keys(i).map(|k| (k, projected(i))));
            match (before, after) {
                (Some((kb, pb)), Some((ka, pa))) => {
                    if !kb.iter().zip(&ka).all(|(x, y)| expr::equal(x, y)) {
                        // The item moves within the index: a delete and a put.
                        out.push((g.name.clone(), item_bytes(&pb)));
                        out.push((g.name.clone(), item_bytes(&pa)));
                    } else if !same_item(&pb, &pa) {
                        out.push((g.name.clone(), item_bytes(&pb).max(item_bytes(&pa))));
                    }
                    // Nothing the index holds changed: no index write.
                }
                (Some((_, p)), None) | (None, Some((_, p))) => {
                    out.push((g.name.clone(), item_bytes(&p)))
                }
                (None, None) => {}
            }
        }
        out
    }

    /// What a write of `bytes` with these index writes consumes, without charging it.
    fn cost_write(&self, bytes: u64, index: &[(String, u64)], transactional: bool) -> Consumed {
        let sizes: Vec<u64> = index.iter().map(|x| x.1).collect();
        let factor = if transactional { 2.0 } else { 1.0 };
        let units = capacity::write_item(bytes, &sizes, transactional);
        let table = capacity::write_blocks(bytes) as f64 * factor;
        let mut indexes: BTreeMap<String, f64> = BTreeMap::new();
        for (name, b) in index {
            *indexes.entry(name.clone()).or_default() += capacity::write_blocks(*b) as f64 * factor;
        }
        let blocks = capacity::write_blocks(bytes);
        let mut math = format!(
            "{} B → {} write unit{} (1 KB each, rounded up)",
            bytes,
            blocks,
            if blocks == 1 { "" } else { "s" }
        );
        for (name, u) in &indexes {
            math.push_str(&format!(" + {} for index {name}", u / factor));
        }
        if transactional {
            math.push_str(" × 2 (a transaction prepares and commits)");
        }
        Consumed {
            units,
            table,
            indexes,
            read: false,
            math,
        }
    }

    /// The write rate of each index's bucket (an index without its own capacity shares
    /// the table's).
    fn index_rates(&self, write: u32) -> BTreeMap<String, u32> {
        self.spec
            .global_secondary_indexes
            .iter()
            .map(|g| (g.name.clone(), g.write_capacity.unwrap_or(write)))
            .collect()
    }

    /// Whether a provisioned table and each index the write reaches have the units for
    /// `c` now; the error names which is short (AWS: an under-provisioned index throttles
    /// writes to its table). On-demand tables always admit.
    fn admit_write(&mut self, now_ms: u64, c: &Consumed) -> Result<(), AwsError> {
        let Billing::Provisioned { write, .. } = self.spec.billing else {
            return Ok(());
        };
        let rates = self.index_rates(write);
        // A local index's writes draw on the table's capacity.
        if !self
            .writes
            .can_take(write, now_ms, c.table + self.local_units(c))
        {
            return Err(throttled());
        }
        for (name, u) in &c.indexes {
            if self.spec.is_local(name) {
                continue;
            }
            let rate = rates.get(name).copied().unwrap_or(write);
            let b = self.index_writes.entry(name.clone()).or_insert(Bucket {
                units: rate as f64,
                at_ms: self.created_ms,
            });
            if !b.can_take(rate, now_ms, *u) {
                return Err(AwsError::new(
                    "ProvisionedThroughputExceededException",
                    400,
                    "The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API",
                ));
            }
        }
        Ok(())
    }

    /// The units of `c` written to local secondary indexes (drawn from the table's bucket).
    fn local_units(&self, c: &Consumed) -> f64 {
        c.indexes
            .iter()
            .filter(|(name, _)| self.spec.is_local(name))
            .map(|(_, u)| u)
            .sum()
    }

    /// Takes `c` from the table's and the indexes' buckets (after [`Table::admit_write`]).
    fn take_write(&mut self, now_ms: u64, c: &Consumed) {
        let Billing::Provisioned { write, .. } = self.spec.billing else {
            return;
        };
        let rates = self.index_rates(write);
        let local = self.local_units(c);
        self.writes.take_anyway(write, now_ms, c.table + local);
        for (name, u) in &c.indexes {
            if self.spec.is_local(name) {
                continue;
            }
            let rate = rates.get(name).copied().unwrap_or(write);
            self.index_writes
                .entry(name.clone())
                .or_insert(Bucket {
                    units: rate as f64,
                    at_ms: self.created_ms,
                })
                .take_anyway(rate, now_ms, *u);
        }
    }

    fn charge_write(
        &mut self,
        now_ms: u64,
        bytes: u64,
        index: &[(String, u64)],
    ) -> Result<Consumed, AwsError> {
        let c = self.cost_write(bytes, index, false);
        self.admit_write(now_ms, &c)?;
        self.take_write(now_ms, &c);
        Ok(c)
    }

    fn charge_read(&mut self, now_ms: u64, units: f64, math: String) -> Result<Consumed, AwsError> {
        if let Billing::Provisioned { read, .. } = self.spec.billing {
            if !self.reads.take(read, now_ms, units) {
                return Err(throttled());
            }
        }
        Ok(Consumed {
            units,
            table: units,
            indexes: BTreeMap::new(),
            read: true,
            math,
        })
    }

    fn record(
        &mut self,
        now_ms: u64,
        event: &'static str,
        keys: Item,
        old: Option<Item>,
        new: Option<Item>,
    ) {
        let Some(view) = self.spec.stream else {
            return;
        };
        let (new_image, old_image) = match view {
            StreamView::KeysOnly => (None, None),
            StreamView::NewImage => (new, None),
            StreamView::OldImage => (None, old),
            StreamView::NewAndOldImages => (new, old),
        };
        self.stream.push(StreamRecord {
            sequence_number: self.stream.len() as u64 + 1,
            event_name: event,
            at_ms: now_ms,
            keys,
            new_image,
            old_image,
            ttl: false,
        });
    }

    /// When `item` expires, in ms of the run whose zero is `epoch_ms` (Unix ms): its TTL
    /// attribute as a Number of seconds; `None` without TTL, the attribute or a number
    /// (DynamoDB ignores other types).
    pub fn expiry(&self, item: &Item, epoch_ms: u64) -> Option<u64> {
        let name = self.spec.ttl_attribute.as_ref()?;
        let Attr::N(n) = item.get(name)? else {
            return None;
        };
        let secs = crate::core::parse_float::parse_f64(n)?;
        if !secs.is_finite() || secs < 0.0 {
            return None;
        }
        let at = (secs * 1000.0) as u64;
        Some(at.saturating_sub(epoch_ms))
    }

    /// When TTL will delete `item` (its expiry), unless TTL is off, the item has none, or
    /// it lies more than five years in the past.
    pub fn ttl_due(&self, item: &Item, epoch_ms: u64, now_ms: u64) -> Option<u64> {
        self.expiry(item, epoch_ms)
            .filter(|_| !self.too_old(item, epoch_ms, now_ms))
    }

    /// The earliest expiry of an item that TTL will still delete, if any (a scan of the
    /// table; nothing to scan when TTL is off).
    pub fn next_expiry(&self, epoch_ms: u64, now_ms: u64) -> Option<u64> {
        self.spec.ttl_attribute.as_ref()?;
        self.items()
            .filter_map(|i| self.ttl_due(i, epoch_ms, now_ms))
            .min()
    }

    fn too_old(&self, item: &Item, epoch_ms: u64, now_ms: u64) -> bool {
        let name = self.spec.ttl_attribute.as_deref().unwrap_or("");
        match item.get(name) {
            Some(Attr::N(n)) => crate::core::parse_float::parse_f64(n).is_some_and(|s| {
                s * 1000.0 + (TTL_MAX_PAST_MS as f64) < (epoch_ms as f64) + (now_ms as f64)
            }),
            _ => false,
        }
    }

    /// TTL's background deletion at `now_ms`: every item that expired by `expired_by_ms`
    /// (and not more than five years before) is deleted without consuming write capacity;
    /// each deletion is a REMOVE stream record marked as the service's. Returns the
    /// deleted items, each with whether it made a stream record.
    pub fn ttl_sweep(
        &mut self,
        now_ms: u64,
        expired_by_ms: u64,
        epoch_ms: u64,
    ) -> Vec<(Item, bool)> {
        let due: Vec<Item> = self
            .items()
            .filter(|i| {
                self.ttl_due(i, epoch_ms, now_ms)
                    .is_some_and(|t| t <= expired_by_ms)
            })
            .cloned()
            .collect();
        let mut out = vec![];
        for item in due {
            let Ok((pk, sk, keys)) = self.key_of(&item, true) else {
                continue;
            };
            let before = self.stream.len();
            self.store(now_ms, pk, sk, keys, Some(item.clone()), None);
            let recorded = self.stream.len() > before;
            if recorded {
                if let Some(r) = self.stream.last_mut() {
                    r.ttl = true;
                }
            }
            out.push((item, recorded));
        }
        out
    }

    /// Stores `new` in place of `old` (either may be absent) and records the change.
    fn store(
        &mut self,
        now_ms: u64,
        pk: String,
        sk: Option<Attr>,
        keys: Item,
        old: Option<Item>,
        new: Option<Item>,
    ) {
        let at = self.position(&pk, &sk);
        let items = self.partitions.entry(pk.clone()).or_default();
        match (at, &new) {
            (Ok(k), Some(n)) => items[k] = n.clone(),
            (Ok(k), None) => {
                items.remove(k);
            }
            (Err(k), Some(n)) => items.insert(k, n.clone()),
            (Err(_), None) => {}
        }
        if items.is_empty() {
            self.partitions.remove(&pk);
        }
        let event = match (&old, &new) {
            (None, Some(_)) => "INSERT",
            // A write that changes nothing is not a change: no record.
            (Some(a), Some(b)) if same_item(a, b) => return,
            (Some(_), Some(_)) => "MODIFY",
            (Some(_), None) => "REMOVE",
            (None, None) => return,
        };
        self.changes.push(ItemChange {
            at_ms: now_ms,
            keys: keys.clone(),
            new: new.clone(),
        });
        self.record(now_ms, event, keys, old, new);
    }

    /// Writes what `plan` describes after its condition: a failed condition consumes the
    /// existing item's size (at least one unit) and writes no index (Developer Guide,
    /// "Conditional writes"); otherwise the larger of the two images plus the index writes.
    fn write(
        &mut self,
        now_ms: u64,
        plan: Planned,
        cond: Option<&expr::Cond>,
    ) -> Result<Consumed, AwsError> {
        if !self.condition_holds(&plan, cond)? {
            let consumed =
                self.charge_write(now_ms, plan.old.as_ref().map(item_bytes).unwrap_or(0), &[])?;
            self.last_consumed = Some(consumed);
            return Err(condition_failed());
        }
        let consumed = self.cost_plan(&plan, false);
        self.admit_write(now_ms, &consumed)?;
        self.take_write(now_ms, &consumed);
        self.last_consumed = Some(consumed.clone());
        self.commit(now_ms, plan);
        Ok(consumed)
    }

    /// Whether the item as it is now meets `cond` (no condition: yes). A missing item is
    /// evaluated as an item without attributes.
    pub fn condition_holds(
        &self,
        plan: &Planned,
        cond: Option<&expr::Cond>,
    ) -> Result<bool, AwsError> {
        match cond {
            Some(c) => eval(c, plan.old.as_ref().unwrap_or(&Item::new())),
            None => Ok(true),
        }
    }

    /// What making `plan` consumes: the larger of the two images and its index writes,
    /// doubled in a transaction. Nothing is charged.
    pub fn cost_plan(&self, plan: &Planned, transactional: bool) -> Consumed {
        let index = self.index_writes(plan.old.as_ref(), plan.new.as_ref());
        let size = plan
            .new
            .as_ref()
            .map(item_bytes)
            .unwrap_or(0)
            .max(plan.old.as_ref().map(item_bytes).unwrap_or(0));
        self.cost_write(size, &index, transactional)
    }

    /// What a cancelled transaction consumes for one of its items: the prepare phase, one
    /// write of the item as it is (at least one unit), no index.
    pub fn cost_prepare(&self, plan: &Planned) -> Consumed {
        let mut c = self.cost_write(plan.old.as_ref().map(item_bytes).unwrap_or(0), &[], false);
        c.math.push_str(" (the prepare phase only)");
        c
    }

    /// What reading the item of `plan` in a transaction consumes (TransactGetItems, and a
    /// ConditionCheck of TransactWriteItems): two strongly consistent reads of its size.
    pub fn cost_transactional_read(&self, plan: &Planned) -> Consumed {
        let bytes = plan.old.as_ref().map(item_bytes).unwrap_or(0);
        let blocks = capacity::read_blocks(bytes);
        let units = capacity::get_item(bytes, Consistency::Transactional);
        Consumed {
            units,
            table: units,
            indexes: BTreeMap::new(),
            read: true,
            math: format!(
                "{bytes} B → {blocks} read unit{} of 4 KB × 2 (a transaction reads twice, strongly consistent)",
                if blocks == 1 { "" } else { "s" }
            ),
        }
    }

    /// Whether the table's provisioned capacity admits `c` (the sum of a batch's or a
    /// transaction's units in this table) now; on-demand tables always admit.
    pub fn admit(&mut self, now_ms: u64, c: &Consumed) -> Result<(), AwsError> {
        if c.read {
            if let Billing::Provisioned { read, .. } = self.spec.billing {
                if !self.reads.can_take(read, now_ms, c.units) {
                    return Err(throttled());
                }
            }
            Ok(())
        } else {
            self.admit_write(now_ms, c)
        }
    }

    /// Takes `c` from the table's buckets, once admitted.
    pub fn take(&mut self, now_ms: u64, c: &Consumed) {
        if c.read {
            if let Billing::Provisioned { read, .. } = self.spec.billing {
                self.reads.take_anyway(read, now_ms, c.units);
            }
        } else {
            self.take_write(now_ms, c);
        }
    }

    /// Makes the change `plan` describes (no capacity, no condition: the caller has
    /// admitted and charged it) and records it.
    pub fn commit(&mut self, now_ms: u64, plan: Planned) {
        let Planned {
            pk,
            sk,
            keys,
            old,
            new,
        } = plan;
        self.store(now_ms, pk, sk, keys, old, new);
    }

    /// A ConditionExpression parsed with its placeholders, each of which it must use
    /// (ConditionCheck of a transaction).
    pub fn parse_condition(
        &self,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<Option<expr::Cond>, AwsError> {
        parse_used(condition, ph, "ConditionExpression", &[])
    }

    /// PutItem's change, checked (item size, key, index key types) and its condition
    /// parsed, before anything is charged.
    pub fn plan_put(
        &self,
        item: Item,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<(Planned, Option<expr::Cond>), AwsError> {
        if item_bytes(&item) > MAX_ITEM_BYTES {
            return Err(validation(
                "Item size has exceeded the maximum allowed size",
            ));
        }
        let (pk, sk, keys) = self.key_of(&item, true)?;
        index_key_errors(&self.spec, &item)?;
        let cond = parse_used(condition, ph, "ConditionExpression", &[])?;
        let old = self.find(&pk, &sk).cloned();
        Ok((
            Planned {
                pk,
                sk,
                keys,
                old,
                new: Some(item),
            },
            cond,
        ))
    }

    /// PutItem with an optional ConditionExpression.
    pub fn put_item(
        &mut self,
        now_ms: u64,
        item: Item,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<Consumed, AwsError> {
        Ok(self.put_item_written(now_ms, item, condition, ph)?.1)
    }

    /// PutItem, with the item it replaced (ReturnValues ALL_OLD).
    pub fn put_item_written(
        &mut self,
        now_ms: u64,
        item: Item,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<(Written, Consumed), AwsError> {
        let (plan, cond) = self.plan_put(item, condition, ph)?;
        let written = Written {
            old: plan.old.clone(),
            new: plan.new.clone(),
            ..Written::default()
        };
        Ok((written, self.write(now_ms, plan, cond.as_ref())?))
    }

    /// GetItem.
    pub fn get_item(
        &mut self,
        now_ms: u64,
        key: &Item,
        consistent: bool,
    ) -> Result<(Option<Item>, Consumed), AwsError> {
        let (pk, sk, _) = self.key_of(key, false)?;
        let found = self.find(&pk, &sk).cloned();
        let bytes = found.as_ref().map(item_bytes).unwrap_or(0);
        let c = if consistent {
            Consistency::Strong
        } else {
            Consistency::Eventual
        };
        let units = capacity::get_item(bytes, c);
        let math = format!(
            "{} B → {} read unit{} of 4 KB, {}{}",
            bytes,
            capacity::read_blocks(bytes),
            if capacity::read_blocks(bytes) == 1 {
                ""
            } else {
                "s"
            },
            c.label(),
            if consistent { "" } else { " (half)" }
        );
        let consumed = self.charge_read(now_ms, units, math)?;
        Ok((found, consumed))
    }

    /// The item a key names, as a plan that changes nothing (TransactGetItems' Get, and
    /// ConditionCheck, read it).
    pub fn plan_read(&self, key: &Item) -> Result<Planned, AwsError> {
        let (pk, sk, keys) = self.key_of(key, false)?;
        let old = self.find(&pk, &sk).cloned();
        Ok(Planned {
            pk,
            sk,
            keys,
            new: old.clone(),
            old,
        })
    }

    /// DeleteItem's change and its parsed condition, before anything is charged.
    pub fn plan_delete(
        &self,
        key: &Item,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<(Planned, Option<expr::Cond>), AwsError> {
        let (pk, sk, keys) = self.key_of(key, false)?;
        let cond = parse_used(condition, ph, "ConditionExpression", &[])?;
        let old = self.find(&pk, &sk).cloned();
        Ok((
            Planned {
                pk,
                sk,
                keys,
                old,
                new: None,
            },
            cond,
        ))
    }

    /// DeleteItem with an optional ConditionExpression; the old item is returned.
    pub fn delete_item(
        &mut self,
        now_ms: u64,
        key: &Item,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<(Option<Item>, Consumed), AwsError> {
        let (plan, cond) = self.plan_delete(key, condition, ph)?;
        let old = plan.old.clone();
        let consumed = self.write(now_ms, plan, cond.as_ref())?;
        Ok((old, consumed))
    }

    /// UpdateItem's change (the item after the update; none when the update only removes
    /// from a missing item) and its parsed condition, before anything is charged.
    pub fn plan_update(
        &self,
        key: &Item,
        update: &str,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<(Planned, Option<expr::Cond>), AwsError> {
        self.plan_update_parsed(key, update, condition, ph)
            .map(|(plan, cond, _)| (plan, cond))
    }

    /// [`Table::plan_update`] with the parsed update, whose paths ReturnValues projects.
    fn plan_update_parsed(
        &self,
        key: &Item,
        update: &str,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<(Planned, Option<expr::Cond>, expr::Update), AwsError> {
        let (pk, sk, keys) = self.key_of(key, false)?;
        let u = expr::parse_update(update, ph)?;
        let cond = parse_used(
            condition,
            ph,
            "ConditionExpression",
            &[(&u.names, &u.values)],
        )?;
        if cond.is_none() {
            unused(ph, &[(&u.names, &u.values)])?;
        }
        for p in u
            .expr
            .set
            .iter()
            .map(|x| &x.0)
            .chain(&u.expr.remove)
            .chain(u.expr.add.iter().map(|x| &x.0))
            .chain(u.expr.delete.iter().map(|x| &x.0))
        {
            if key_path(p, &keys) {
                return Err(key_update(p));
            }
        }
        let old = self.find(&pk, &sk).cloned();
        let creates = old.is_some() || !u.expr.set.is_empty() || !u.expr.add.is_empty();
        let new = if creates {
            let base = old.clone().unwrap_or_else(|| keys.clone());
            let new = expr::apply_update(&base, &u.expr)?;
            if item_bytes(&new) > MAX_ITEM_BYTES {
                return Err(validation(
                    "Item size to update has exceeded the maximum allowed size",
                ));
            }
            index_key_errors(&self.spec, &new)?;
            Some(new)
        } else {
            None
        };
        Ok((
            Planned {
                pk,
                sk,
                keys,
                old,
                new,
            },
            cond,
            u.expr,
        ))
    }

    /// UpdateItem: creates the item when it does not exist (with the key and what the
    /// update sets or adds; an update that only removes creates nothing); the item after
    /// the update is returned.
    pub fn update_item(
        &mut self,
        now_ms: u64,
        key: &Item,
        update: &str,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<(Option<Item>, Consumed), AwsError> {
        let (written, consumed) = self.update_item_written(now_ms, key, update, condition, ph)?;
        Ok((written.new, consumed))
    }

    /// UpdateItem, with the item before and after and the paths the update names: what
    /// ReturnValues picks from ([`Written::attributes`]).
    pub fn update_item_written(
        &mut self,
        now_ms: u64,
        key: &Item,
        update: &str,
        condition: Option<&str>,
        ph: &Placeholders,
    ) -> Result<(Written, Consumed), AwsError> {
        let (plan, cond, parsed) = self.plan_update_parsed(key, update, condition, ph)?;
        let written = Written {
            old: plan.old.clone(),
            new: plan.new.clone(),
            paths: parsed.paths(),
            set_paths: parsed.set_paths(),
        };
        Ok((written, self.write(now_ms, plan, cond.as_ref())?))
    }

    /// Query: the items of one partition whose sort key meets the condition, in sort key
    /// order (reversed when `forward` is false), at most `limit` read and 1 MB of data a
    /// page, then filtered. Returns the items, the count read (ScannedCount), the key to
    /// continue from (LastEvaluatedKey) and the capacity.
    #[allow(clippy::too_many_arguments)]
    pub fn query(
        &mut self,
        now_ms: u64,
        key_condition: &str,
        filter: Option<&str>,
        ph: &Placeholders,
        forward: bool,
        limit: Option<usize>,
        exclusive_start: Option<&Item>,
        consistent: bool,
    ) -> Result<Page, AwsError> {
        let k = expr::parse_key_condition(
            key_condition,
            ph,
            &self.spec.partition_key.name,
            self.spec.sort_key.as_ref().map(|s| s.name.as_str()),
        )?;
        let f = parse_used(filter, ph, "FilterExpression", &[(&k.names, &k.values)])?;
        if f.is_none() {
            unused(ph, &[(&k.names, &k.values)])?;
        }
        if limit == Some(0) {
            return Err(limit_zero());
        }
        let (pk, sort) = k.expr;
        check_key_condition(
            &pk,
            sort.as_ref(),
            &self.spec.partition_key,
            self.spec.sort_key.as_ref(),
            f.as_ref(),
        )?;
        let items: Vec<&Item> = self
            .partitions
            .get(&key_text(&pk))
            .map(|v| {
                v.iter()
                    .filter(|i| match (&sort, &self.spec.sort_key) {
                        (Some(c), Some(s)) => {
                            i.get(&s.name).is_some_and(|v| expr::sort_matches(c, v))
                        }
                        _ => true,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut ordered: Vec<&Item> = if forward {
            items
        } else {
            items.into_iter().rev().collect()
        };
        if let Some(start) = exclusive_start {
            let (_, ssk, _) = self.key_of(start, false)?;
            if let (Some(v), Some(s)) = (ssk, &self.spec.sort_key) {
                ordered.retain(|i| {
                    let o = i.get(&s.name).map(|x| expr::key_order(x, &v));
                    if forward {
                        o == Some(std::cmp::Ordering::Greater)
                    } else {
                        o == Some(std::cmp::Ordering::Less)
                    }
                });
            } else {
                ordered.clear();
            }
        }
        let page = self.page(ordered, f.as_ref(), limit)?;
        self.charge_page(now_ms, page, consistent)
    }

    /// Query on secondary index `index` (Query with IndexName): the entries of one index
    /// partition — items that carry the index's key attributes (an index is sparse), as its
    /// projection holds them — in index sort key order (then the table's key), paged and
    /// filtered as [`Table::query`]. A global index is read eventually consistent only; a
    /// local one may be read strongly consistent (Developer Guide, "Local secondary
    /// indexes": "Reading data from a local secondary index"). The read units count the
    /// projected entries' sizes (Developer Guide, "Using Global Secondary Indexes":
    /// "Reading data from a global secondary index"; "Provisioned throughput
    /// considerations for global secondary indexes"). This model charges them to the
    /// table's read capacity (a global index has no read capacity of its own here; a local
    /// one has none in AWS either).
    #[allow(clippy::too_many_arguments)]
    pub fn query_index(
        &mut self,
        now_ms: u64,
        index: &str,
        key_condition: &str,
        filter: Option<&str>,
        ph: &Placeholders,
        forward: bool,
        limit: Option<usize>,
        exclusive_start: Option<&Item>,
        consistent: bool,
    ) -> Result<Page, AwsError> {
        let Some((g, local)) = self
            .spec
            .indexes()
            .into_iter()
            .find(|(g, _)| g.name == index)
        else {
            return Err(validation(format!(
                "The table does not have the specified index: {index}"
            )));
        };
        if consistent && !local {
            return Err(validation(
                "Consistent reads are not supported on global secondary indexes",
            ));
        }
        let k = expr::parse_key_condition(
            key_condition,
            ph,
            &g.partition_key.name,
            g.sort_key.as_ref().map(|s| s.name.as_str()),
        )?;
        let f = parse_used(filter, ph, "FilterExpression", &[(&k.names, &k.values)])?;
        if f.is_none() {
            unused(ph, &[(&k.names, &k.values)])?;
        }
        if limit == Some(0) {
            return Err(limit_zero());
        }
        let (pk, sort) = k.expr;
        check_key_condition(
            &pk,
            sort.as_ref(),
            &g.partition_key,
            g.sort_key.as_ref(),
            f.as_ref(),
        )?;
        // An item is in the index when it has the index's key attributes with their
        // declared types (one of another type, from before the index was added, is an
        // index key violation AWS leaves out of it).
        let typed = |v: &Attr, k: &KeyAttr| type_of(v) == Some(k.kind);
        let mut entries: Vec<Item> = self
            .items()
            .filter(|i| {
                i.get(&g.partition_key.name)
                    .is_some_and(|v| typed(v, &g.partition_key) && expr::equal(v, &pk))
                    && match &g.sort_key {
                        Some(s) => i.get(&s.name).is_some_and(|v| {
                            typed(v, s) && sort.as_ref().is_none_or(|c| expr::sort_matches(c, v))
                        }),
                        None => true,
                    }
            })
            .map(|i| self.project(&g, i))
            .collect();
        if let Some(s) = &g.sort_key {
            // Equal index sort keys keep the table's order (the items() order).
            entries.sort_by(|a, b| match (a.get(&s.name), b.get(&s.name)) {
                (Some(x), Some(y)) => expr::key_order(x, y),
                _ => std::cmp::Ordering::Equal,
            });
        }
        if !forward {
            entries.reverse();
        }
        let table_key = |e: &Item| self.key_of(e, true).map(|k| k.2).ok();
        if let Some(start) = exclusive_start {
            // The entries after the start key's own values, in the index's order: its sort
            // key, then the table's order (partition key, then sort key), whether or not the
            // item it came from is still in the index or has changed since.
            self.key_of(start, true)?;
            let index_keys =
                std::iter::once(&g.partition_key.name).chain(g.sort_key.as_ref().map(|s| &s.name));
            for name in index_keys {
                if !start.contains_key(name) {
                    return Err(validation(
                        "The provided starting key is invalid: The provided key element does not match the schema",
                    ));
                }
            }
            let order = |a: &Item, b: &Item| {
                let by = |name: &String| match (a.get(name), b.get(name)) {
                    (Some(x), Some(y)) => expr::key_order(x, y),
                    _ => std::cmp::Ordering::Equal,
                };
                let pk = &self.spec.partition_key.name;
                let table_pk = a.get(pk).map(key_text).cmp(&b.get(pk).map(key_text));
                g.sort_key
                    .as_ref()
                    .map_or(std::cmp::Ordering::Equal, |s| by(&s.name))
                    .then(table_pk)
                    .then_with(|| {
                        self.spec
                            .sort_key
                            .as_ref()
                            .map_or(std::cmp::Ordering::Equal, |s| by(&s.name))
                    })
            };
            let after = if forward {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Less
            };
            entries.retain(|e| order(e, start) == after);
        }
        let refs: Vec<&Item> = entries.iter().collect();
        let mut page = self.page(refs, f.as_ref(), limit)?;
        // An index's LastEvaluatedKey holds the index's key attributes with the table's.
        if let Some(last) = &mut page.last_evaluated_key {
            let entry = entries
                .iter()
                .find(|e| table_key(e).as_ref() == Some(&*last));
            let names =
                std::iter::once(&g.partition_key.name).chain(g.sort_key.as_ref().map(|s| &s.name));
            if let Some(e) = entry {
                for n in names {
                    if let Some(v) = e.get(n) {
                        last.insert(n.clone(), v.clone());
                    }
                }
            }
        }
        self.charge_page(now_ms, page, consistent)
    }

    /// Scan: every item in the table's order, paged and filtered as Query.
    pub fn scan(
        &mut self,
        now_ms: u64,
        filter: Option<&str>,
        ph: &Placeholders,
        limit: Option<usize>,
        exclusive_start: Option<&Item>,
        consistent: bool,
    ) -> Result<Page, AwsError> {
        let f = parse_used(filter, ph, "FilterExpression", &[])?;
        if limit == Some(0) {
            return Err(limit_zero());
        }
        let mut all: Vec<&Item> = self.items().collect();
        if let Some(start) = exclusive_start {
            // Everything after the start key in the table's order, whether or not that item
            // is still there.
            let (spk, ssk, _) = self.key_of(start, false)?;
            let sort = self.spec.sort_key.as_ref().map(|s| s.name.clone());
            all.retain(|i| {
                let pk = i
                    .get(&self.spec.partition_key.name)
                    .map(key_text)
                    .unwrap_or_default();
                match pk.cmp(&spk) {
                    std::cmp::Ordering::Greater => true,
                    std::cmp::Ordering::Less => false,
                    std::cmp::Ordering::Equal => match (&sort, &ssk) {
                        (Some(n), Some(v)) => i
                            .get(n)
                            .is_some_and(|x| expr::key_order(x, v) == std::cmp::Ordering::Greater),
                        _ => false,
                    },
                }
            });
        }
        let page = self.page(all, f.as_ref(), limit)?;
        self.charge_page(now_ms, page, consistent)
    }

    fn page(
        &self,
        items: Vec<&Item>,
        filter: Option<&expr::Cond>,
        limit: Option<usize>,
    ) -> Result<PageDraft, AwsError> {
        let mut read = 0u64;
        let mut scanned = 0usize;
        let mut out = vec![];
        let mut last = None;
        let total = items.len();
        for (k, i) in items.into_iter().enumerate() {
            let b = item_bytes(i);
            read += b;
            scanned += 1;
            if filter.map(|c| eval(c, i)).transpose()?.unwrap_or(true) {
                out.push(i.clone());
            }
            // Stopped by Limit or the 1 MB page: the key to go on from, even when nothing is
            // left (the next page is then empty, as in DynamoDB).
            let _ = (k, total);
            if limit.is_some_and(|l| scanned >= l) || read >= capacity::PAGE_BYTES {
                last = Some(self.key_of(i, true)?.2);
                break;
            }
        }
        Ok(PageDraft {
            items: out,
            scanned,
            bytes: read,
            last_evaluated_key: last,
        })
    }

    fn charge_page(
        &mut self,
        now_ms: u64,
        d: PageDraft,
        consistent: bool,
    ) -> Result<Page, AwsError> {
        let c = if consistent {
            Consistency::Strong
        } else {
            Consistency::Eventual
        };
        let (units, _) = capacity::query(d.bytes, c);
        let math = format!(
            "{} items read, {} B together → {} read unit{} of 4 KB, {}",
            d.scanned,
            d.bytes,
            capacity::read_blocks(d.bytes),
            if capacity::read_blocks(d.bytes) == 1 {
                ""
            } else {
                "s"
            },
            c.label()
        );
        let consumed = self.charge_read(now_ms, units, math)?;
        Ok(Page {
            count: d.items.len(),
            items: d.items,
            scanned_count: d.scanned,
            last_evaluated_key: d.last_evaluated_key,
            consumed,
        })
    }
}

/// Query's checks of a parsed key condition against the key schema it reads (the table's or
/// an index's): value types, begins_with on a Number, BETWEEN's bounds in order, and no key
/// attribute in the FilterExpression — each with DynamoDB's message.
fn check_key_condition(
    pk: &Attr,
    sort: Option<&expr::SortCond>,
    partition_key: &KeyAttr,
    sort_key: Option<&KeyAttr>,
    filter: Option<&expr::Cond>,
) -> Result<(), AwsError> {
    let mismatch = || {
        validation(
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        )
    };
    if type_of(pk) != Some(partition_key.kind) {
        return Err(mismatch());
    }
    if let (Some(c), Some(s)) = (sort, sort_key) {
        let values: Vec<&Attr> = match c {
            expr::SortCond::Cmp(_, v) | expr::SortCond::BeginsWith(v) => vec![v],
            expr::SortCond::Between(a, b) => vec![a, b],
        };
        if values.iter().any(|v| type_of(v) != Some(s.kind)) {
            return Err(mismatch());
        }
        if matches!(c, expr::SortCond::BeginsWith(_)) && s.kind == KeyType::N {
            return Err(validation(
                "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
            ));
        }
        if let expr::SortCond::Between(a, b) = c {
            if expr::key_order(a, b) == std::cmp::Ordering::Greater {
                return Err(validation(
                    "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound",
                ));
            }
        }
    }
    if let Some(f) = filter {
        let keys: Vec<&str> = std::iter::once(partition_key.name.as_str())
            .chain(sort_key.map(|s| s.name.as_str()))
            .collect();
        if let Some(k) = expr::cond_paths(f)
            .into_iter()
            .find_map(|p| match p.first() {
                Some(expr::Part::Key(n)) if keys.contains(&n.as_str()) => Some(n.clone()),
                _ => None,
            })
        {
            return Err(validation(format!(
                "Filter Expression can only contain non-primary key attributes: Primary key attribute: {k}"
            )));
        }
    }
    Ok(())
}

struct PageDraft {
    items: Vec<Item>,
    scanned: usize,
    bytes: u64,
    last_evaluated_key: Option<Item>,
}

/// One page of a Query or Scan.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
    /// Items after the filter (Count).
    pub count: usize,
    /// Items read (ScannedCount).
    pub scanned_count: usize,
    pub last_evaluated_key: Option<Item>,
    pub consumed: Consumed,
}

fn throttled() -> AwsError {
    AwsError::new(
        "ProvisionedThroughputExceededException",
        400,
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
    )
}

fn limit_zero() -> AwsError {
    validation(
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    )
}

fn condition_failed() -> AwsError {
    AwsError::new(
        "ConditionalCheckFailedException",
        400,
        "The conditional request failed",
    )
}

fn key_path(p: &expr::Path, keys: &Item) -> bool {
    matches!(p.first(), Some(expr::Part::Key(k)) if keys.contains_key(k))
}

fn key_update(p: &expr::Path) -> AwsError {
    validation(format!(
        "One or more parameter values were invalid: Cannot update attribute {}. This attribute is part of the key",
        expr::path_text(p)
    ))
}

/// Parses an optional condition and checks that every placeholder of the request is used
/// by it or by the request's other expressions.
fn parse_used(
    text: Option<&str>,
    ph: &Placeholders,
    what: &'static str,
    others: &[(&Vec<String>, &Vec<String>)],
) -> Result<Option<expr::Cond>, AwsError> {
    let Some(text) = text else {
        if others.is_empty() {
            unused(ph, &[])?;
        }
        return Ok(None);
    };
    let p = expr::parse_condition(text, ph, what)?;
    let mut all: Vec<(&Vec<String>, &Vec<String>)> = others.to_vec();
    all.push((&p.names, &p.values));
    unused(ph, &all)?;
    Ok(Some(p.expr))
}

fn unused(ph: &Placeholders, used: &[(&Vec<String>, &Vec<String>)]) -> Result<(), AwsError> {
    let names: Vec<&String> = ph
        .names
        .keys()
        .filter(|k| !used.iter().any(|(n, _)| n.contains(k)))
        .collect();
    if !names.is_empty() {
        return Err(validation(format!(
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
            names
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let values: Vec<&String> = ph
        .values
        .keys()
        .filter(|k| !used.iter().any(|(_, v)| v.contains(k)))
        .collect();
    if !values.is_empty() {
        return Err(validation(format!(
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
            values
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(())
}

/// The value at a top-level attribute, for callers that read results.
pub fn attr<'a>(item: &'a Item, name: &str) -> Option<&'a Attr> {
    get(item, &vec![expr::Part::Key(name.to_string())])
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn s(x: &str) -> Attr {
        Attr::S(x.into())
    }
    fn n(x: &str) -> Attr {
        Attr::N(x.into())
    }
    fn item(pairs: &[(&str, Attr)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }
    fn ph(values: &[(&str, Attr)]) -> Placeholders {
        Placeholders {
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            ..Default::default()
        }
    }
    fn table(billing: Billing, stream: Option<StreamView>) -> Table {
        Table::create(
            TableSpec {
                name: "orders".into(),
                partition_key: KeyAttr {
                    name: "pk".into(),
                    kind: KeyType::S,
                },
                sort_key: Some(KeyAttr {
                    name: "sk".into(),
                    kind: KeyType::N,
                }),
                billing,
                global_secondary_indexes: vec![],
                local_secondary_indexes: vec![],
                stream,
                ttl_attribute: None,
            },
            0,
        )
        .unwrap()
    }
    /// An item of exactly `bytes` bytes: keys plus a string attribute `d` padded.
    fn sized(sk: u32, bytes: u64) -> Item {
        let mut i = item(&[("pk", s("u")), ("sk", n(&sk.to_string()))]);
        let base = item_bytes(&i) + 1;
        i.insert("d".into(), s(&"x".repeat((bytes - base) as usize)));
        assert_eq!(item_bytes(&i), bytes);
        i
    }

    /// ReturnValues as the UpdateItem API reference and the Developer Guide's "Return
    /// values" section describe them: ALL_* the whole item, UPDATED_* only what the update
    /// names, projected (a nested SET keeps its branch), NONE and empty answers left out.
    #[test]
    fn return_values_pick_what_the_api_reference_describes() {
        use expr::Part::{Index, Key};
        let mut t = table(Billing::OnDemand, None);
        let key = item(&[("pk", s("u")), ("sk", n("1"))]);
        let info = Attr::M(vec![("rating".into(), n("5")), ("plot".into(), s("p"))]);
        let tags = Attr::L(vec![s("a"), s("b"), s("c")]);
        let first = item(&[
            ("pk", s("u")),
            ("sk", n("1")),
            ("info", info),
            ("tags", tags),
            ("y", s("old")),
        ]);
        // PutItem: ALL_OLD is the item replaced; none before, no Attributes.
        let (w, _) = t
            .put_item_written(0, first.clone(), None, &ph(&[]))
            .unwrap();
        assert_eq!(w.attributes(ReturnValues::AllOld), None);
        let (w, _) = t
            .put_item_written(0, first.clone(), None, &ph(&[]))
            .unwrap();
        assert_eq!(w.attributes(ReturnValues::AllOld), Some(first.clone()));

        let up = |t: &mut Table, e: &str, v: &[(&str, Attr)]| {
            t.update_item_written(1, &key, e, None, &ph(v)).unwrap().0
        };
        let w = up(
            &mut t,
            "SET info.rating = :r, tags[2] = :t, z = :z",
            &[(":r", n("6")), (":t", s("C")), (":z", s("new"))],
        );
        assert_eq!(
            w.attributes(ReturnValues::UpdatedNew),
            Some(item(&[
                ("info", Attr::M(vec![("rating".into(), n("6"))])),
                ("tags", Attr::L(vec![s("C")])),
                ("z", s("new")),
            ]))
        );
        // Before, z did not exist: UPDATED_OLD has only what was there.
        assert_eq!(
            w.attributes(ReturnValues::UpdatedOld),
            Some(item(&[
                ("info", Attr::M(vec![("rating".into(), n("5"))])),
                ("tags", Attr::L(vec![s("c")])),
            ]))
        );
        assert_eq!(
            w.attributes(ReturnValues::AllNew),
            t.get_item(1, &key, true).unwrap().0
        );
        assert_eq!(w.attributes(ReturnValues::None), None);
        assert_eq!(
            w.paths,
            vec![
                vec![Key("info".into()), Key("rating".into())],
                vec![Key("tags".into()), Index(2)],
                vec![Key("z".into())],
            ]
        );
        // A REMOVE sets nothing: UPDATED_NEW leaves Attributes out; UPDATED_OLD has the
        // value removed.
        let w = up(&mut t, "REMOVE y", &[]);
        assert_eq!(w.attributes(ReturnValues::UpdatedNew), None);
        assert_eq!(
            w.attributes(ReturnValues::UpdatedOld),
            Some(item(&[("y", s("old"))]))
        );
        // Removing a list element shifts the rest: UPDATED_NEW still has nothing, and
        // UPDATED_OLD the element removed.
        let w = up(&mut t, "REMOVE tags[0]", &[]);
        assert_eq!(w.attributes(ReturnValues::UpdatedNew), None);
        assert_eq!(
            w.attributes(ReturnValues::UpdatedOld),
            Some(item(&[("tags", Attr::L(vec![s("a")]))]))
        );
        // An index past the end appends: UPDATED_NEW names where the value went.
        let w = up(&mut t, "SET tags[10] = :t", &[(":t", s("z"))]);
        assert_eq!(
            w.attributes(ReturnValues::UpdatedNew),
            Some(item(&[("tags", Attr::L(vec![s("z")]))]))
        );
        // An update that creates the item: UPDATED_OLD and ALL_OLD have nothing, UPDATED_NEW
        // the attributes set (not the key).
        let fresh = item(&[("pk", s("v")), ("sk", n("1"))]);
        let (w, _) = t
            .update_item_written(2, &fresh, "SET a = :a", None, &ph(&[(":a", s("x"))]))
            .unwrap();
        assert_eq!(w.attributes(ReturnValues::UpdatedOld), None);
        assert_eq!(w.attributes(ReturnValues::AllOld), None);
        assert_eq!(
            w.attributes(ReturnValues::UpdatedNew),
            Some(item(&[("a", s("x"))]))
        );
    }

    #[test]
    fn return_values_are_checked_as_dynamodb_checks_them() {
        use super::super::request::Operation;
        assert_eq!(
            ReturnValues::parse("UPDATED_NEW").unwrap(),
            ReturnValues::UpdatedNew
        );
        assert_eq!(
            ReturnValues::parse("all_new").unwrap_err().message,
            "1 validation error detected: Value 'all_new' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
        );
        for (name, rv) in ReturnValues::ALL {
            assert!(rv.check(Operation::UpdateItem).is_ok(), "{name}");
            let put = rv.check(Operation::PutItem);
            assert_eq!(put.is_ok(), matches!(name, "NONE" | "ALL_OLD"), "{name}");
            assert_eq!(
                rv.check(Operation::DeleteItem).is_ok(),
                put.is_ok(),
                "{name}"
            );
        }
        assert_eq!(
            ReturnValues::AllNew
                .check(Operation::PutItem)
                .unwrap_err()
                .message,
            "Return values set to invalid value"
        );
    }

    /// The issue's oracles, from the Developer Guide's capacity pages.
    #[test]
    fn consumed_capacity_as_aws_documents_it() {
        let mut t = table(Billing::OnDemand, None);
        t.put_item(0, sized(1, 8 * 1024), None, &ph(&[])).unwrap();
        let key = item(&[("pk", s("u")), ("sk", n("1"))]);
        assert_eq!(t.get_item(0, &key, true).unwrap().1.units, 2.0);
        assert_eq!(t.get_item(0, &key, false).unwrap().1.units, 1.0);
        // A missing item still costs the minimum.
        let none = item(&[("pk", s("u")), ("sk", n("99"))]);
        let (found, c) = t.get_item(0, &none, false).unwrap();
        assert!(found.is_none());
        assert_eq!(c.units, 0.5);
        // A 3 KB item replaced by a 100 B item: the larger of the two, 3 WCU.
        t.put_item(0, sized(2, 3 * 1024), None, &ph(&[])).unwrap();
        assert_eq!(
            t.put_item(0, sized(2, 100), None, &ph(&[])).unwrap().units,
            3.0
        );
        // A Query of 10 × 1 KB items: 10 KB together, 3 RCU strongly consistent.
        let mut q = table(Billing::OnDemand, None);
        for k in 0..10 {
            q.put_item(0, sized(k, 1024), None, &ph(&[])).unwrap();
        }
        let p = q
            .query(
                0,
                "pk = :u",
                None,
                &ph(&[(":u", s("u"))]),
                true,
                None,
                None,
                true,
            )
            .unwrap();
        assert_eq!((p.count, p.consumed.units), (10, 3.0));
        assert_eq!(
            p.consumed.math,
            "10 items read, 10240 B together → 3 read units of 4 KB, strongly consistent"
        );
    }

    #[test]
    fn a_conditional_put_on_an_existing_key_fails_and_still_consumes() {
        let mut t = table(Billing::OnDemand, Some(StreamView::NewAndOldImages));
        let i = item(&[("pk", s("u")), ("sk", n("1")), ("v", n("1"))]);
        let cond = Some("attribute_not_exists(pk)");
        t.put_item(0, i.clone(), cond, &ph(&[])).unwrap();
        let e = t.put_item(1, i, cond, &ph(&[])).unwrap_err();
        assert_eq!(e.code, "ConditionalCheckFailedException");
        assert_eq!(e.message, "The conditional request failed");
        assert_eq!(t.last_consumed.as_ref().unwrap().units, 1.0);
        assert_eq!(t.stream.len(), 1, "a refused write changes nothing");
        // Placeholders a request does not use are refused, as AWS does.
        let e = t
            .put_item(
                2,
                item(&[("pk", s("u")), ("sk", n("2"))]),
                None,
                &ph(&[(":x", n("1"))]),
            )
            .unwrap_err();
        assert_eq!(
            e.message,
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"
        );
    }

    #[test]
    fn keys_are_checked_and_fixed() {
        let mut t = table(Billing::OnDemand, None);
        let e = t
            .put_item(0, item(&[("pk", s("u"))]), None, &ph(&[]))
            .unwrap_err();
        assert!(e.message.contains("Missing the key sk in the item"));
        let e = t
            .put_item(0, item(&[("pk", s("u")), ("sk", s("1"))]), None, &ph(&[]))
            .unwrap_err();
        assert!(e
            .message
            .contains("Type mismatch for key sk expected: N actual: S"));
        t.put_item(
            0,
            item(&[("pk", s("u")), ("sk", n("1.50"))]),
            None,
            &ph(&[]),
        )
        .unwrap();
        // 1.5 and 1.50 are one key.
        assert!(t
            .get_item(0, &item(&[("pk", s("u")), ("sk", n("1.5"))]), true)
            .unwrap()
            .0
            .is_some());
        let e = t
            .update_item(
                0,
                &item(&[("pk", s("u")), ("sk", n("1.5"))]),
                "SET pk = :v",
                None,
                &ph(&[(":v", s("w"))]),
            )
            .unwrap_err();
        assert!(e
            .message
            .contains("Cannot update attribute pk. This attribute is part of the key"));
    }

    #[test]
    fn updates_create_modify_and_stream_in_order() {
        let mut t = table(Billing::OnDemand, Some(StreamView::NewAndOldImages));
        let key = item(&[("pk", s("u")), ("sk", n("1"))]);
        let p = ph(&[(":one", n("1")), (":z", n("0"))]);
        t.update_item(
            0,
            &key,
            "SET visits = if_not_exists(visits, :z) + :one",
            None,
            &p,
        )
        .unwrap();
        let (new, c) = t
            .update_item(
                1,
                &key,
                "SET visits = visits + :one",
                None,
                &ph(&[(":one", n("1"))]),
            )
            .unwrap();
        assert_eq!(new.unwrap()["visits"], n("2"));
        assert_eq!(c.units, 1.0);
        t.delete_item(2, &key, None, &ph(&[])).unwrap();
        let events: Vec<&str> = t.stream.iter().map(|r| r.event_name).collect();
        assert_eq!(events, ["INSERT", "MODIFY", "REMOVE"]);
        assert_eq!(t.stream[1].old_image.as_ref().unwrap()["visits"], n("1"));
        assert!(t.stream[2].new_image.is_none());
        assert!(t.is_empty());
    }

    #[test]
    fn query_orders_pages_and_filters() {
        let mut t = table(Billing::OnDemand, None);
        for k in [5, 1, 3, 2, 4] {
            t.put_item(
                0,
                item(&[
                    ("pk", s("u")),
                    ("sk", n(&k.to_string())),
                    ("odd", Attr::Bool(k % 2 == 1)),
                ]),
                None,
                &ph(&[]),
            )
            .unwrap();
        }
        t.put_item(
            0,
            item(&[("pk", s("other")), ("sk", n("1"))]),
            None,
            &ph(&[]),
        )
        .unwrap();
        let sks = |p: &Page| -> Vec<String> {
            p.items
                .iter()
                .map(|i| match &i["sk"] {
                    Attr::N(x) => x.clone(),
                    _ => String::new(),
                })
                .collect()
        };
        let v = ph(&[(":u", s("u")), (":lo", n("2")), (":hi", n("4"))]);
        let p = t
            .query(
                0,
                "pk = :u AND sk BETWEEN :lo AND :hi",
                None,
                &v,
                false,
                None,
                None,
                false,
            )
            .unwrap();
        assert_eq!(sks(&p), ["4", "3", "2"]);
        // Limit 2: a page of two and the key to go on from.
        let v = ph(&[(":u", s("u"))]);
        let p1 = t
            .query(0, "pk = :u", None, &v, true, Some(2), None, false)
            .unwrap();
        assert_eq!(sks(&p1), ["1", "2"]);
        let p2 = t
            .query(
                0,
                "pk = :u",
                None,
                &v,
                true,
                Some(2),
                p1.last_evaluated_key.as_ref(),
                false,
            )
            .unwrap();
        assert_eq!(sks(&p2), ["3", "4"]);
        // A filter reads (and charges) what it drops: Count 3, ScannedCount 5.
        let v = ph(&[(":u", s("u")), (":t", Attr::Bool(true))]);
        let p = t
            .query(0, "pk = :u", Some("odd = :t"), &v, true, None, None, false)
            .unwrap();
        assert_eq!((p.count, p.scanned_count), (3, 5));
        let all = t.scan(0, None, &ph(&[]), None, None, false).unwrap();
        assert_eq!(all.count, 6);
    }

    /// Provisioned throughput: a second's demand over capacity is throttled once the burst
    /// bucket is empty; unused capacity refills it, up to 300 s of it.
    #[test]
    fn provisioned_tables_throttle_after_the_burst() {
        let mut t = table(Billing::Provisioned { read: 1, write: 5 }, None);
        let put = |t: &mut Table, at: u64, k: u32| {
            t.put_item(
                at,
                item(&[("pk", s("u")), ("sk", n(&k.to_string()))]),
                None,
                &ph(&[]),
            )
        };
        // A new table holds one second: 5 writes at 0 pass, the sixth is throttled.
        for k in 0..5 {
            put(&mut t, 0, k).unwrap();
        }
        assert_eq!(
            put(&mut t, 0, 5).unwrap_err().code,
            "ProvisionedThroughputExceededException"
        );
        // 10 minutes idle keep only 300 s: 1,500 writes at once pass, the next does not.
        for k in 0..1_500 {
            put(&mut t, 600_000, k).unwrap();
        }
        assert!(put(&mut t, 600_000, 9_999).is_err());
        // On demand never throttles.
        let mut od = table(Billing::OnDemand, None);
        for k in 0..5_000 {
            put(&mut od, 0, k).unwrap();
        }
    }

    #[test]
    fn index_writes_count_moves_twice() {
        let mut t = Table::create(
            TableSpec {
                name: "orders".into(),
                partition_key: KeyAttr {
                    name: "pk".into(),
                    kind: KeyType::S,
                },
                sort_key: None,
                billing: Billing::OnDemand,
                global_secondary_indexes: vec![GlobalSecondaryIndex {
                    name: "by-status".into(),
                    partition_key: KeyAttr {
                        name: "status".into(),
                        kind: KeyType::S,
                    },
                    sort_key: None,
                    projection: Projection::KeysOnly,
                    write_capacity: None,
                }],
                local_secondary_indexes: vec![],
                stream: None,
                ttl_attribute: None,
            },
            0,
        )
        .unwrap();
        let c = t
            .put_item(
                0,
                item(&[("pk", s("a")), ("status", s("new"))]),
                None,
                &ph(&[]),
            )
            .unwrap();
        assert_eq!((c.units, c.indexes["by-status"]), (2.0, 1.0));
        // The index key changes: a delete and a put in the index.
        let c = t
            .put_item(
                0,
                item(&[("pk", s("a")), ("status", s("paid"))]),
                None,
                &ph(&[]),
            )
            .unwrap();
        assert_eq!((c.units, c.indexes["by-status"]), (3.0, 2.0));
        // Without the index key, the index is not written.
        let c = t
            .put_item(0, item(&[("pk", s("b"))]), None, &ph(&[]))
            .unwrap();
        assert_eq!(c.units, 1.0);
    }

    /// The review's findings, each against the Developer Guide or AWS's observed behaviour.
    #[test]
    fn writes_charge_change_and_stream_as_dynamodb_does() {
        let mut t = Table::create(
            TableSpec {
                name: "orders".into(),
                partition_key: KeyAttr {
                    name: "pk".into(),
                    kind: KeyType::S,
                },
                sort_key: Some(KeyAttr {
                    name: "sk".into(),
                    kind: KeyType::N,
                }),
                billing: Billing::OnDemand,
                global_secondary_indexes: vec![GlobalSecondaryIndex {
                    name: "by-status".into(),
                    partition_key: KeyAttr {
                        name: "status".into(),
                        kind: KeyType::S,
                    },
                    sort_key: None,
                    projection: Projection::KeysOnly,
                    write_capacity: None,
                }],
                local_secondary_indexes: vec![],
                stream: Some(StreamView::NewAndOldImages),
                ttl_attribute: None,
            },
            0,
        )
        .unwrap();
        // A failed conditional put of a new 3 KB item consumes the existing size: 1 WCU.
        let big = {
            let mut i = sized(1, 3 * 1024);
            i.insert("status".into(), s("new"));
            i
        };
        let never = ph(&[(":x", s("x"))]);
        assert!(t.put_item(0, big.clone(), Some("pk = :x"), &never).is_err());
        assert_eq!(t.last_consumed.as_ref().unwrap().units, 1.0);
        t.put_item(0, big.clone(), None, &ph(&[])).unwrap();
        // An update of an attribute the KEYS_ONLY index does not hold writes no index.
        let key = item(&[("pk", s("u")), ("sk", n("1"))]);
        let (_, c) = t
            .update_item(1, &key, "SET d = :v", None, &ph(&[(":v", s("short"))]))
            .unwrap();
        assert!(c.indexes.is_empty(), "{c:?}");
        // Writing the same item again is no change: no stream record.
        let records = t.stream.len();
        let same = t.get_item(2, &key, true).unwrap().0.unwrap();
        t.put_item(3, same, None, &ph(&[])).unwrap();
        assert_eq!(t.stream.len(), records);
        // An update that only removes, on a missing item, creates nothing.
        let ghost = item(&[("pk", s("u")), ("sk", n("9"))]);
        let (made, _) = t
            .update_item(4, &ghost, "REMOVE d", None, &ph(&[]))
            .unwrap();
        assert!(made.is_none() && t.get_item(4, &ghost, true).unwrap().0.is_none());
        // An index key of the wrong type is refused.
        let e = t
            .put_item(
                5,
                item(&[("pk", s("v")), ("sk", n("1")), ("status", n("3"))]),
                None,
                &ph(&[]),
            )
            .unwrap_err();
        assert!(
            e.message.contains(
                "Type mismatch for Index Key status Expected: S Actual: N IndexName: by-status"
            ),
            "{}",
            e.message
        );
        let e = t
            .put_item(5, item(&[("pk", s("")), ("sk", n("1"))]), None, &ph(&[]))
            .unwrap_err();
        assert!(
            e.message.contains("cannot contain an empty string value"),
            "{}",
            e.message
        );
    }

    #[test]
    fn queries_are_checked_and_paged_as_dynamodb_does() {
        let mut t = table(Billing::OnDemand, None);
        for k in 1..=3 {
            t.put_item(
                0,
                item(&[("pk", s("u")), ("sk", n(&k.to_string())), ("v", n("1"))]),
                None,
                &ph(&[]),
            )
            .unwrap();
        }
        let v = ph(&[(":u", s("u")), (":a", s("a"))]);
        let e = t
            .query(0, "pk = :u AND sk = :a", None, &v, true, None, None, false)
            .unwrap_err();
        assert!(e
            .message
            .contains("Condition parameter type does not match schema type"));
        let e = t
            .query(
                0,
                "pk = :u",
                Some("sk > :one"),
                &ph(&[(":u", s("u")), (":one", n("1"))]),
                true,
                None,
                None,
                false,
            )
            .unwrap_err();
        assert_eq!(e.message, "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk");
        let e = t
            .query(
                0,
                "pk = :u AND begins_with(sk, :p)",
                None,
                &ph(&[(":u", s("u")), (":p", n("1"))]),
                true,
                None,
                None,
                false,
            )
            .unwrap_err();
        assert!(e
            .message
            .contains("operator or function: begins_with, operand type: N"));
        let u = ph(&[(":u", s("u"))]);
        assert!(t
            .query(0, "pk = :u", None, &u, true, Some(0), None, false)
            .is_err());
        // Limit 3 on 3 items: a LastEvaluatedKey all the same, then an empty page.
        let p = t
            .query(0, "pk = :u", None, &u, true, Some(3), None, false)
            .unwrap();
        assert!(p.last_evaluated_key.is_some());
        let p2 = t
            .query(
                0,
                "pk = :u",
                None,
                &u,
                true,
                Some(3),
                p.last_evaluated_key.as_ref(),
                false,
            )
            .unwrap();
        assert_eq!((p2.count, p2.last_evaluated_key), (0, None));
        // A scan goes on after its start key even when that item was deleted meanwhile.
        let p = t.scan(0, None, &ph(&[]), Some(1), None, false).unwrap();
        let start = p.last_evaluated_key.unwrap();
        t.delete_item(1, &start, None, &ph(&[])).unwrap();
        let rest = t
            .scan(1, None, &ph(&[]), None, Some(&start), false)
            .unwrap();
        assert_eq!(rest.count, 2);
    }

    /// An index with less write capacity than its table throttles the table's writes.
    #[test]
    fn an_under_provisioned_index_throttles_its_table() {
        let mut t = Table::create(
            TableSpec {
                name: "orders".into(),
                partition_key: KeyAttr {
                    name: "pk".into(),
                    kind: KeyType::S,
                },
                sort_key: None,
                billing: Billing::Provisioned { read: 5, write: 10 },
                global_secondary_indexes: vec![GlobalSecondaryIndex {
                    name: "by-status".into(),
                    partition_key: KeyAttr {
                        name: "status".into(),
                        kind: KeyType::S,
                    },
                    sort_key: None,
                    projection: Projection::KeysOnly,
                    write_capacity: Some(2),
                }],
                local_secondary_indexes: vec![],
                stream: None,
                ttl_attribute: None,
            },
            0,
        )
        .unwrap();
        let put = |t: &mut Table, k: u32, indexed: bool| {
            let mut i = item(&[("pk", s(&format!("p{k}")))]);
            if indexed {
                i.insert("status".into(), s("new"));
            }
            t.put_item(0, i, None, &ph(&[]))
        };
        put(&mut t, 0, true).unwrap();
        put(&mut t, 1, true).unwrap();
        let e = put(&mut t, 2, true).unwrap_err();
        assert!(
            e.message.contains("one or more global secondary indexes"),
            "{}",
            e.message
        );
        // Items the index does not hold still go in, on the table's own capacity.
        for k in 3..10 {
            put(&mut t, k, false).unwrap();
        }
    }

    /// A table `orders` (pk S, sk N) with local index `by-price` on `price` (N), keys only.
    fn with_local_index(billing: Billing) -> Result<Table, AwsError> {
        let mut spec = TableSpec::new(
            "orders",
            KeyAttr {
                name: "pk".into(),
                kind: KeyType::S,
            },
        );
        spec.sort_key = Some(KeyAttr {
            name: "sk".into(),
            kind: KeyType::N,
        });
        spec.billing = billing;
        spec.local_secondary_indexes.push(LocalSecondaryIndex {
            name: "by-price".into(),
            sort_key: KeyAttr {
                name: "price".into(),
                kind: KeyType::N,
            },
            projection: Projection::KeysOnly,
        });
        Table::create(spec, 0)
    }

    /// Developer Guide, "Local secondary indexes": same partition key, another sort key,
    /// sparse, and readable strongly consistent (a global index is not).
    #[test]
    fn a_local_index_reads_strongly_in_its_sort_key_order() {
        let mut t = with_local_index(Billing::OnDemand).unwrap();
        for (pk, sk, price) in [
            ("p1", "1", Some("30")),
            ("p1", "2", Some("10")),
            ("p1", "3", None),
            ("p2", "1", Some("5")),
        ] {
            let mut i = item(&[
                ("pk", s(pk)),
                ("sk", Attr::N(sk.into())),
                ("note", s("a long note")),
            ]);
            if let Some(p) = price {
                i.insert("price".into(), Attr::N(p.into()));
            }
            t.put_item(0, i, None, &ph(&[])).unwrap();
        }
        let values = ph(&[(":p", s("p1")), (":min", Attr::N("0".into()))]);
        // The index's query for p1's priced items, strongly consistent.
        let query = |t: &mut Table, at: u64, limit: Option<usize>, start: Option<&Item>| {
            t.query_index(
                at,
                "by-price",
                "pk = :p AND price > :min",
                None,
                &values,
                true,
                limit,
                start,
                true,
            )
        };
        let sks = |p: &Page| -> Vec<Attr> { p.items.iter().map(|i| i["sk"].clone()).collect() };
        let (one, two) = (Attr::N("1".into()), Attr::N("2".into()));
        let page = query(&mut t, 1, None, None).unwrap();
        assert_eq!(
            sks(&page),
            [two.clone(), one.clone()],
            "by price, sk 3 has none"
        );
        // KEYS_ONLY: the table's keys and the index's, not the note.
        assert!(page
            .items
            .iter()
            .all(|i| i.len() == 3 && !i.contains_key("note")));
        // Strongly consistent: a whole read unit for the (small) page, not half.
        assert_eq!(page.consumed.units, 1.0);
        // Paged one entry at a time: each LastEvaluatedKey holds the index's key with the
        // table's, and going on from it reads the same entries as one whole query.
        let mut start: Option<Item> = None;
        let mut seen = vec![];
        loop {
            let p = query(&mut t, 2, Some(1), start.as_ref()).unwrap();
            seen.extend(sks(&p));
            match p.last_evaluated_key {
                Some(k) => {
                    assert_eq!(
                        k.keys().map(String::as_str).collect::<Vec<_>>(),
                        ["pk", "price", "sk"]
                    );
                    start = Some(k);
                }
                None => break,
            }
        }
        assert_eq!(seen, [two.clone(), one.clone()]);
        // Going on is positioned by the start key's own values, not by where its item is
        // now: the item moved past the others (price 10 → 50) still comes after them, and
        // a gone item's key still marks the place.
        let start = query(&mut t, 3, Some(1), None)
            .unwrap()
            .last_evaluated_key
            .unwrap();
        let moved = item(&[
            ("pk", s("p1")),
            ("sk", two.clone()),
            ("price", Attr::N("50".into())),
            ("note", s("a long note")),
        ]);
        t.put_item(4, moved, None, &ph(&[])).unwrap();
        assert_eq!(
            sks(&query(&mut t, 5, None, Some(&start)).unwrap()),
            [one.clone(), two.clone()]
        );
        let key = item(&[("pk", s("p1")), ("sk", two)]);
        t.delete_item(6, &key, None, &ph(&[])).unwrap();
        assert_eq!(
            sks(&query(&mut t, 7, None, Some(&start)).unwrap()),
            vec![one.clone()]
        );
        // A start key without the index's keys is refused, as DynamoDB refuses it.
        let e = query(
            &mut t,
            8,
            None,
            Some(&item(&[("pk", s("p1")), ("sk", one)])),
        )
        .unwrap_err();
        assert!(
            e.message.contains("The provided starting key is invalid"),
            "{}",
            e.message
        );
    }

    /// DynamoDB's own messages for a bad table name (as real DynamoDB returns them).
    #[test]
    fn table_names_are_checked_in_dynamodbs_words() {
        let e = check_table_name("ab").unwrap_err();
        assert_eq!(e.message, "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
        let e = check_table_name("bad table!@#").unwrap_err();
        assert_eq!(e.message, "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        let e = check_table_name("x!").unwrap_err();
        assert_eq!(e.message, "2 validation errors detected: Value 'x!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        assert!(check_table_name(&"a".repeat(256))
            .unwrap_err()
            .message
            .contains("less than or equal to 255"));
        assert!(check_table_name("Orders_2024.v-1").is_ok());
        assert_eq!(e.code, "ValidationException");
    }

    /// A local index's writes draw on the table's own write capacity.
    #[test]
    fn a_local_index_write_draws_on_the_table_capacity() {
        let mut t = with_local_index(Billing::Provisioned { read: 2, write: 2 }).unwrap();
        let put = |t: &mut Table, at: u64, sk: &str, priced: bool| {
            let mut i = item(&[("pk", s("p")), ("sk", Attr::N(sk.into()))]);
            if priced {
                i.insert("price".into(), Attr::N("1".into()));
            }
            t.put_item(at, i, None, &ph(&[]))
        };
        let c = put(&mut t, 0, "1", true).unwrap();
        assert_eq!((c.units, c.table, c.indexes["by-price"]), (2.0, 1.0, 1.0));
        // The table's 2 units a second are spent: even an unindexed write waits.
        let e = put(&mut t, 0, "2", false).unwrap_err();
        assert!(
            e.message.contains("for the table was exceeded"),
            "{}",
            e.message
        );
        assert_eq!(put(&mut t, 500, "2", false).unwrap().units, 1.0);
    }

    #[test]
    fn local_indexes_are_checked_when_the_table_is_made() {
        let mut spec = with_local_index(Billing::OnDemand).unwrap().spec;
        let mut no_sort = spec.clone();
        no_sort.sort_key = None;
        assert!(Table::create(no_sort, 0).unwrap_err().message.contains(
            "does not have a range key, which is required when specifying a LocalSecondaryIndex"
        ));
        let mut six = spec.clone();
        for k in 0..5 {
            let mut l = six.local_secondary_indexes[0].clone();
            l.name = format!("l{k}");
            six.local_secondary_indexes.push(l);
        }
        assert!(Table::create(six, 0)
            .unwrap_err()
            .message
            .contains("exceeds per-table limit of 5"));
        spec.global_secondary_indexes.push(GlobalSecondaryIndex {
            name: "by-price".into(),
            partition_key: KeyAttr {
                name: "price".into(),
                kind: KeyType::N,
            },
            sort_key: None,
            projection: Projection::All,
            write_capacity: None,
        });
        assert!(Table::create(spec, 0)
            .unwrap_err()
            .message
            .contains("Duplicate index name: by-price"));
        let mut t = with_local_index(Billing::OnDemand).unwrap();
        let e = t
            .put_item(
                0,
                item(&[
                    ("pk", s("p")),
                    ("sk", Attr::N("1".into())),
                    ("price", s("cheap")),
                ]),
                None,
                &ph(&[]),
            )
            .unwrap_err();
        assert!(
            e.message.contains(
                "Type mismatch for Index Key price Expected: N Actual: S IndexName: by-price"
            ),
            "{}",
            e.message
        );
    }
}
