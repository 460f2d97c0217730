//! Capacity one request consumes, for every DynamoDB data-plane operation, with the steps.
//!
//! Limits (Developer Guide, "Service, account, and table quotas"): BatchGetItem reads up to
//! 100 items and 16 MB; BatchWriteItem writes up to 25 items and 16 MB; a transaction holds
//! up to 100 actions and 4 MB (raised from 25 in 2022; the course notes' "ten" is outdated);
//! any item is at most 400 KB.

use super::capacity::{self, read_blocks, write_blocks, Consistency, MB, PAGE_BYTES};
pub use super::capacity::{size_text, units_text};
use super::item::MAX_ITEM_BYTES;
use crate::core::format::{parse_number, thousands};
use crate::core::steps::Step;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    #[default]
    GetItem,
    BatchGetItem,
    Query,
    Scan,
    TransactGetItems,
    PutItem,
    UpdateItem,
    DeleteItem,
    BatchWriteItem,
    TransactWriteItems,
}

impl Op {
    pub const ALL: [Op; 10] = [
        Op::GetItem,
        Op::BatchGetItem,
        Op::Query,
        Op::Scan,
        Op::TransactGetItems,
        Op::PutItem,
        Op::UpdateItem,
        Op::DeleteItem,
        Op::BatchWriteItem,
        Op::TransactWriteItems,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::GetItem => "GetItem",
            Op::BatchGetItem => "BatchGetItem",
            Op::Query => "Query",
            Op::Scan => "Scan",
            Op::TransactGetItems => "TransactGetItems",
            Op::PutItem => "PutItem",
            Op::UpdateItem => "UpdateItem",
            Op::DeleteItem => "DeleteItem",
            Op::BatchWriteItem => "BatchWriteItem",
            Op::TransactWriteItems => "TransactWriteItems",
        }
    }

    pub fn from_name(s: &str) -> Op {
        Op::ALL
            .into_iter()
            .find(|o| o.name() == s)
            .unwrap_or_default()
    }

    pub fn is_read(self) -> bool {
        matches!(
            self,
            Op::GetItem | Op::BatchGetItem | Op::Query | Op::Scan | Op::TransactGetItems
        )
    }

    /// Reads whose consistency the caller chooses (transactions are always transactional).
    pub fn has_consistency(self) -> bool {
        matches!(self, Op::GetItem | Op::BatchGetItem | Op::Query | Op::Scan)
    }

    /// Operations on several items, sized one by one.
    pub fn takes_list(self) -> bool {
        matches!(
            self,
            Op::BatchGetItem | Op::TransactGetItems | Op::BatchWriteItem | Op::TransactWriteItems
        )
    }

    /// Query and Scan: a count of items read, of one average size.
    pub fn reads_many(self) -> bool {
        matches!(self, Op::Query | Op::Scan)
    }

    /// Largest number of items, and of bytes, one request may carry.
    fn limits(self) -> Option<(usize, u64)> {
        match self {
            Op::BatchGetItem => Some((100, 16 * MB)),
            Op::BatchWriteItem => Some((25, 16 * MB)),
            Op::TransactGetItems | Op::TransactWriteItems => Some((100, 4 * MB)),
            _ => None,
        }
    }
}

/// The request as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestInput {
    pub op: Op,
    /// Eventual or strong, for reads that choose.
    pub consistency: Consistency,
    /// Item sizes (one for single-item operations; the average item for Query and Scan).
    pub sizes: Vec<u64>,
    /// Projected size of the item in each GSI a write reaches.
    pub gsis: Vec<u64>,
    /// Query and Scan: items read before any filter.
    pub items_read: u64,
}

/// What the request consumes.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestCost {
    pub units: f64,
    /// "RCU" or "WCU" (the same number of RRU or WRU on demand).
    pub unit: &'static str,
    /// Query and Scan: 1 MB pages read.
    pub pages: Option<u64>,
    pub steps: Vec<Step>,
    pub notes: Vec<&'static str>,
}

/// One size as typed: `2`, `2 KB`, `4.5KB` are kilobytes (1,024 bytes); `300 B` or
/// `300 bytes` are bytes.
pub fn parse_size(text: &str, label: &str) -> Result<u64, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let (num, bytes) = if let Some(n) = lower
        .strip_suffix("bytes")
        .or_else(|| lower.strip_suffix("byte"))
    {
        (n, true)
    } else if let Some(n) = lower.strip_suffix("kb").or_else(|| lower.strip_suffix('k')) {
        (n, false)
    } else if let Some(n) = lower.strip_suffix('b') {
        (n, true)
    } else {
        (lower.as_str(), false)
    };
    let v = parse_number(num, label).map_err(|_| {
        format!("{label}: “{t}” is not a size. Write kilobytes (2, 4.5 KB) or bytes (300 B).")
    })?;
    if v < 0.0 {
        return Err(format!("{label}: a size cannot be negative."));
    }
    let b = if bytes { v } else { v * 1024.0 };
    if b.fract() != 0.0 && bytes {
        return Err(format!("{label}: {t} is not a whole number of bytes."));
    }
    if b > MAX_ITEM_BYTES as f64 {
        return Err(format!(
            "{label}: {t} is over DynamoDB's item limit of 400 KB (409,600 bytes)."
        ));
    }
    Ok(b.ceil() as u64)
}

/// A list of sizes: `1, 2.5, 300 B`, with `25 x 2` meaning 25 items of 2 KB.
pub fn parse_sizes(text: &str, label: &str) -> Result<Vec<u64>, String> {
    let mut out = vec![];
    for part in text.split([',', ';', '\n']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        // ASCII only: the units and the "x" are ASCII, and std's Unicode case table would
        // add 12 KB to the module (docs/size.md).
        let lower = part.to_ascii_lowercase();
        if let Some((n, size)) = lower.split_once(['x', '×', '*']) {
            let count = parse_number(n, label)
                .ok()
                .filter(|c| c.fract() == 0.0 && *c >= 1.0)
                .ok_or_else(|| {
                    format!("{label}: in “{part}”, the count before “×” must be a whole number.")
                })?;
            if count > 1000.0 {
                return Err(format!(
                    "{label}: {part} lists more items than any request may carry."
                ));
            }
            let b = parse_size(size, label)?;
            out.extend(std::iter::repeat_n(b, count as usize));
        } else {
            out.push(parse_size(part, label)?);
        }
        if out.len() > 1000 {
            return Err(format!("{label}: more items than any request may carry."));
        }
    }
    Ok(out)
}

/// Bytes of all the items; saturating, so a hand-built list cannot wrap past the limit.
fn total(sizes: &[u64]) -> u64 {
    sizes.iter().fold(0u64, |a, b| a.saturating_add(*b))
}

/// Groups equal sizes so a 100-item batch reads as a few lines.
fn runs(sizes: &[u64]) -> Vec<(u64, usize)> {
    let mut out: Vec<(u64, usize)> = vec![];
    for s in sizes {
        match out.iter_mut().find(|(b, _)| b == s) {
            Some(r) => r.1 += 1,
            None => out.push((*s, 1)),
        }
    }
    out
}

/// `n` items or pages: a u64, so counts past 2^32 (a Query over a trillion items) are not
/// truncated where `usize` has 32 bits (wasm32).
fn count(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", thousands(n as u128))
    }
}

/// Units one request consumes, with its derivation, or what is wrong with it.
pub fn request_cost(i: &RequestInput) -> Result<RequestCost, String> {
    check_request(i)?;
    let consistency = effective_consistency(i.op, i.consistency);
    if i.op.reads_many() {
        query_or_scan_cost(i, consistency)
    } else if i.op.is_read() {
        Ok(item_reads_cost(i, consistency))
    } else {
        Ok(writes_cost(i))
    }
}

/// Why the request cannot be sent: no size, several items for a single-item operation, or
/// past a batch's or transaction's item or byte limit.
fn check_request(i: &RequestInput) -> Result<(), String> {
    let op = i.op;
    if i.sizes.is_empty() {
        return Err("Item size: enter the size of the item (2, 4.5 KB or 300 B).".into());
    }
    if !op.takes_list() && !op.reads_many() && i.sizes.len() > 1 {
        return Err(format!(
            "{} works on one item: enter one size, or pick a batch or transaction operation for several.",
            op.name()
        ));
    }
    if let Some((max_items, max_bytes)) = op.limits() {
        if i.sizes.len() > max_items {
            return Err(format!(
                "{} carries at most {max_items} items; you listed {}.",
                op.name(),
                i.sizes.len()
            ));
        }
        if total(&i.sizes) > max_bytes {
            return Err(format!(
                "{} carries at most {} in total; these items add up to {}.",
                op.name(),
                size_text(max_bytes),
                size_text(total(&i.sizes))
            ));
        }
    }
    Ok(())
}

/// The consistency the read really gets: TransactGetItems is always transactional, and no
/// other operation is.
fn effective_consistency(op: Op, chosen: Consistency) -> Consistency {
    match op {
        Op::TransactGetItems => Consistency::Transactional,
        _ if chosen == Consistency::Transactional => Consistency::Strong,
        _ => chosen,
    }
}

/// "n × " before a per-item figure when there are several items, nothing for one.
fn times(n: usize) -> String {
    if n > 1 {
        format!("{} × ", thousands(n as u128))
    } else {
        String::new()
    }
}

/// Query and Scan: the data read, in 1 MB pages each rounded up to 4 KB once, times the
/// consistency factor.
fn query_or_scan_cost(i: &RequestInput, consistency: Consistency) -> Result<RequestCost, String> {
    let factor = consistency.factor();
    let mut steps = vec![];
    let mut notes = vec![];
    let size = i.sizes[0];
    if i.items_read > 1_000_000_000_000 {
        return Err("Items read: more than a trillion items is beyond any real table.".into());
    }
    let bytes = i.items_read.saturating_mul(size);
    let (units, p) = capacity::query(bytes, consistency);
    steps.push(Step::new(
        "Data read",
        format!("{} × {}", count(i.items_read, "item"), size_text(size)),
        size_text(bytes),
    ));
    let full = bytes / PAGE_BYTES;
    let rest = bytes % PAGE_BYTES;
    steps.push(Step::new(
        "Pages of up to 1 MB, each rounded up to 4 KB once",
        format!(
            "{} full × 256 blocks + ceil({} / 4 KB) = {} blocks",
            thousands(full as u128),
            size_text(rest),
            if rest > 0 || bytes == 0 {
                read_blocks(rest)
            } else {
                0
            }
        ),
        format!(
            "{} blocks in {}",
            thousands((units / factor).round() as u128),
            count(p, "page")
        ),
    ));
    steps.push(Step::new(
        format!("× {factor} ({})", consistency.label()),
        format!("{} × {factor}", units_text(units / factor)),
        format!("{} RCU", units_text(units)),
    ));
    notes.push("A FilterExpression runs after the read: it shrinks the response, not the bill. So does a ProjectionExpression.");
    if i.op == Op::Scan {
        notes.push("A Scan reads every item of the table (or of its segment), so items read is the table's item count.");
    }
    Ok(RequestCost {
        units,
        unit: "RCU",
        pages: Some(p),
        steps,
        notes,
    })
}

/// GetItem, BatchGetItem and TransactGetItems: every item rounded up to 4 KB on its own,
/// times the consistency factor.
fn item_reads_cost(i: &RequestInput, consistency: Consistency) -> RequestCost {
    let op = i.op;
    let factor = consistency.factor();
    let mut steps = vec![];
    let mut notes = vec![];
    let mut u = 0.0;
    for (size, n) in runs(&i.sizes) {
        let each = read_blocks(size) as f64 * factor;
        u += each * n as f64;
        steps.push(Step::new(
            format!("{} of {}", count(n as u64, "item"), size_text(size)),
            format!(
                "{}ceil({} / 4 KB) = {} × {factor} ({})",
                times(n),
                size_text(size),
                read_blocks(size),
                consistency.label()
            ),
            format!("{} RCU", units_text(each * n as f64)),
        ));
    }
    if op == Op::BatchGetItem {
        notes.push("BatchGetItem rounds every item up to 4 KB on its own: many small items cost more than one Query over them.");
    }
    if op == Op::TransactGetItems {
        notes.push("Transactional reads cost twice a strongly consistent read.");
    }
    RequestCost {
        units: u,
        unit: "RCU",
        pages: None,
        steps,
        notes,
    }
}

/// Writes: every item rounded up to 1 KB in the table and again in each GSI it reaches,
/// doubled for a transaction.
fn writes_cost(i: &RequestInput) -> RequestCost {
    let op = i.op;
    let transactional = op == Op::TransactWriteItems;
    let f = if transactional { 2.0 } else { 1.0 };
    let mut steps = vec![];
    let mut notes = vec![];
    let mut u = 0.0;
    for (size, n) in runs(&i.sizes) {
        let table = write_blocks(size) as f64 * f;
        u += table * n as f64;
        steps.push(Step::new(
            format!(
                "{} of {} in the table",
                count(n as u64, "item"),
                size_text(size)
            ),
            format!(
                "{}ceil({} / 1 KB) = {}{}",
                times(n),
                size_text(size),
                write_blocks(size),
                if transactional {
                    " × 2 (transactional)"
                } else {
                    ""
                }
            ),
            format!("{} WCU", units_text(table * n as f64)),
        ));
    }
    if let Some((gsi_units, step)) = gsi_writes(i, transactional) {
        u += gsi_units;
        steps.push(step);
    }
    notes.push(write_note(op));
    if !i.gsis.is_empty() {
        notes.push("Each global secondary index the write reaches consumes its own write units, for the item's projected size there.");
    }
    RequestCost {
        units: u,
        unit: "WCU",
        pages: None,
        steps,
        notes,
    }
}

/// The write units the GSIs consume for every item written, with their step; none without GSIs.
fn gsi_writes(i: &RequestInput, transactional: bool) -> Option<(f64, Step)> {
    if i.gsis.is_empty() {
        return None;
    }
    let f = if transactional { 2.0 } else { 1.0 };
    let per_item: f64 = i.gsis.iter().map(|g| write_blocks(*g) as f64 * f).sum();
    let n = i.sizes.len();
    let step = Step::new(
        format!("{} GSI write(s) per item", i.gsis.len()),
        format!(
            "{}({}){}",
            times(n),
            i.gsis
                .iter()
                .map(|g| format!("ceil({} / 1 KB)", size_text(*g)))
                .collect::<Vec<_>>()
                .join(" + "),
            if transactional { " × 2" } else { "" }
        ),
        format!("{} WCU", units_text(per_item * n as f64)),
    );
    Some((per_item * n as f64, step))
}

/// What each write operation is charged for.
fn write_note(op: Op) -> &'static str {
    match op {
        Op::UpdateItem => "UpdateItem is charged for the larger of the item before and after the update. An update that changes an index key writes that index twice (remove the old entry, add the new): list that GSI twice.",
        Op::DeleteItem => "DeleteItem is charged for the size of the item it deletes, even though nothing is written back.",
        Op::PutItem => "PutItem replacing an existing item is charged for the larger of the old and the new item.",
        Op::BatchWriteItem => "BatchWriteItem rounds every item up to 1 KB on its own and takes puts and deletes only, no updates.",
        _ => "Transactional writes cost twice a standard write, in the table and in every index.",
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn req(op: Op, sizes: &str) -> RequestInput {
        RequestInput {
            op,
            consistency: Consistency::Strong,
            sizes: parse_sizes(sizes, "Item size").unwrap(),
            gsis: vec![],
            items_read: 1,
        }
    }

    fn units(i: &RequestInput) -> f64 {
        request_cost(i).unwrap().units
    }

    #[test]
    fn sizes_as_typed() {
        assert_eq!(parse_size("2", "s"), Ok(2048));
        assert_eq!(parse_size("4.5 KB", "s"), Ok(4608));
        assert_eq!(parse_size("300 B", "s"), Ok(300));
        assert_eq!(parse_size("300bytes", "s"), Ok(300));
        assert_eq!(parse_size("400kb", "s"), Ok(409_600));
        assert!(parse_size("401", "s").unwrap_err().contains("400 KB"));
        assert!(parse_size("12abc", "s").unwrap_err().contains("not a size"));
        assert!(parse_size("-1", "s").unwrap_err().contains("negative"));
        assert!(parse_size("1.5 B", "s")
            .unwrap_err()
            .contains("whole number"));
        assert_eq!(
            parse_sizes("1, 25 x 2, 3×300 B", "s").unwrap().len(),
            1 + 25 + 3
        );
        assert!(parse_sizes("2.5 x 1", "s")
            .unwrap_err()
            .contains("whole number"));
        assert!(parse_sizes("5000 x 1", "s").is_err());
        assert_eq!(parse_sizes(" , ", "s"), Ok(vec![]));
    }

    #[test]
    fn developer_guide_examples() {
        // Strongly consistent read of an 8 KB item: 2 RCU; eventual: 1; transactional: 4.
        assert_eq!(units(&req(Op::GetItem, "8")), 2.0);
        let mut e = req(Op::GetItem, "8");
        e.consistency = Consistency::Eventual;
        assert_eq!(units(&e), 1.0);
        assert_eq!(units(&req(Op::TransactGetItems, "8")), 4.0);
        // A standard write of 3 KB: 3 WCU; transactional: 6.
        assert_eq!(units(&req(Op::PutItem, "3")), 3.0);
        assert_eq!(units(&req(Op::TransactWriteItems, "3")), 6.0);
        // BatchGetItem of three 1 KB items: each rounds to 4 KB → 3 RCU.
        assert_eq!(units(&req(Op::BatchGetItem, "3 x 1")), 3.0);
        // Query over three 1 KB items: 3 KB summed → 1 RCU.
        let mut q = req(Op::Query, "1");
        q.items_read = 3;
        assert_eq!(units(&q), 1.0);
    }

    #[test]
    fn query_pages_and_filters() {
        // 2,560 items of 1 KB = 2.5 MB: three pages, 640 blocks.
        let mut q = req(Op::Scan, "1");
        q.items_read = 2560;
        let c = request_cost(&q).unwrap();
        assert_eq!((c.units, c.pages), (640.0, Some(3)));
        assert!(c.notes[0].contains("FilterExpression"));
        assert_eq!(c.steps[1].result, "640 blocks in 3 pages");
    }

    /// Issue 12: counts past 2^32 were cast to `usize`, which truncates them in the browser
    /// (wasm32): a trillion items read as 3,567,587,328.
    #[test]
    fn counts_past_2_to_the_32_are_not_truncated() {
        let mut q = req(Op::Scan, "400 KB");
        q.items_read = 1_000_000_000_000;
        let c = request_cost(&q).unwrap();
        assert_eq!(c.steps[0].formula, "1,000,000,000,000 items × 400 KB");
        assert_eq!(c.steps[0].result, "390,625,000,000 MB");
        assert_eq!(c.pages, Some(390_625_000_000));
        assert!(
            c.steps[1].result.ends_with("in 390,625,000,000 pages"),
            "{}",
            c.steps[1].result
        );
        assert!(c.units.is_finite() && c.units == 390_625_000_000.0 * 256.0);
        // A hand-built request with sizes that add past u64 is refused, not wrapped.
        let huge = RequestInput {
            op: Op::TransactWriteItems,
            consistency: Consistency::Strong,
            sizes: vec![u64::MAX, 2],
            gsis: vec![],
            items_read: 1,
        };
        assert!(request_cost(&huge).unwrap_err().contains("at most 4 MB"));
    }

    #[test]
    fn writes_with_indexes() {
        let mut w = req(Op::UpdateItem, "2500 B");
        w.gsis = vec![300, 1500];
        assert_eq!(units(&w), 3.0 + 1.0 + 2.0);
        let mut b = req(Op::BatchWriteItem, "2 x 2500 B");
        b.gsis = vec![300];
        assert_eq!(units(&b), 2.0 * (3.0 + 1.0));
        let mut t = req(Op::TransactWriteItems, "2500 B");
        t.gsis = vec![300];
        assert_eq!(units(&t), 8.0);
    }

    #[test]
    fn limits_are_named() {
        let e = |i: RequestInput| request_cost(&i).unwrap_err();
        assert!(e(req(Op::BatchWriteItem, "26 x 1")).contains("at most 25 items"));
        assert!(e(req(Op::BatchGetItem, "101 x 1")).contains("at most 100 items"));
        assert!(e(req(Op::TransactWriteItems, "11 x 400")).contains("at most 4 MB"));
        assert!(e(req(Op::GetItem, "1, 2")).contains("works on one item"));
        assert!(e(req(Op::GetItem, "")).contains("enter the size"));
        let mut q = req(Op::Scan, "1");
        q.items_read = u64::MAX;
        assert!(e(q).contains("trillion"));
    }

    proptest! {
        #[test]
        fn eventual_reads_cost_half_of_strong_rounded_up(size in 0u64..=409_600, n in 1u64..100_000) {
            for op in [Op::GetItem, Op::Query] {
                let mut s = RequestInput { op, consistency: Consistency::Strong, sizes: vec![size], gsis: vec![], items_read: n };
                let strong = units(&s);
                s.consistency = Consistency::Eventual;
                prop_assert_eq!(units(&s) * 2.0, strong);
            }
        }

        #[test]
        fn bigger_items_never_cost_less(a in 0u64..=409_600, extra in 0u64..10_000, op_i in 0usize..10) {
            let op = Op::ALL[op_i];
            let b = (a + extra).min(409_600);
            let small = RequestInput { op, consistency: Consistency::Eventual, sizes: vec![a], gsis: vec![a / 2], items_read: 7 };
            let big = RequestInput { sizes: vec![b], gsis: vec![b / 2], ..small.clone() };
            prop_assert!(units(&big) >= units(&small));
        }
    }
}
