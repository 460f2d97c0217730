//! Capacity units consumed by each operation, and a workload's provisioned capacity.
//!
//! Rounding policy (Developer Guide): reads round each item up to 4 KB and writes to 1 KB
//! *before* multiplying; BatchGetItem and BatchWriteItem round each item; Query and Scan sum
//! the sizes of all items they read (a filter does not reduce it) and round each 1 MB page
//! once. Eventually consistent reads cost half of a strongly consistent one, transactional
//! reads and writes double. Per-request units may be fractional (0.5); a workload's
//! provisioned capacity is the total rounded up to a whole unit.

use crate::core::format::thousands;
use crate::core::steps::Step;

/// A megabyte as DynamoDB counts it.
pub const MB: u64 = 1024 * 1024;

pub const READ_UNIT_BYTES: u64 = 4 * 1024;
pub const WRITE_UNIT_BYTES: u64 = 1024;
/// Query and Scan read at most 1 MB per page.
pub const PAGE_BYTES: u64 = MB;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Consistency {
    Eventual,
    Strong,
    Transactional,
}

impl Consistency {
    /// RCU per 4 KB block.
    pub fn factor(self) -> f64 {
        match self {
            Consistency::Eventual => 0.5,
            Consistency::Strong => 1.0,
            Consistency::Transactional => 2.0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Consistency::Eventual => "eventually consistent",
            Consistency::Strong => "strongly consistent",
            Consistency::Transactional => "transactional",
        }
    }
}

/// 4 KB blocks a read of `bytes` counts as (at least one).
pub fn read_blocks(bytes: u64) -> u64 {
    bytes.div_ceil(READ_UNIT_BYTES).max(1)
}

/// 1 KB blocks a write of `bytes` counts as (at least one).
pub fn write_blocks(bytes: u64) -> u64 {
    bytes.div_ceil(WRITE_UNIT_BYTES).max(1)
}

/// RCU for reading one item (GetItem; TransactGetItems with `Transactional`).
pub fn get_item(bytes: u64, c: Consistency) -> f64 {
    read_blocks(bytes) as f64 * c.factor()
}

/// RCU for BatchGetItem: each item rounded on its own.
pub fn batch_get(items: &[u64], c: Consistency) -> f64 {
    items.iter().map(|b| get_item(*b, c)).sum()
}

/// RCU for a Query or Scan that reads items totalling `bytes_read` (before any filter):
/// each 1 MB page is rounded up to 4 KB once.
pub fn query(bytes_read: u64, c: Consistency) -> (f64, u64) {
    let pages = bytes_read.div_ceil(PAGE_BYTES).max(1);
    let full = bytes_read / PAGE_BYTES;
    let rest = bytes_read % PAGE_BYTES;
    let blocks = full * (PAGE_BYTES / READ_UNIT_BYTES)
        + if rest > 0 || bytes_read == 0 {
            read_blocks(rest)
        } else {
            0
        };
    (blocks as f64 * c.factor(), pages)
}

/// WCU for PutItem, UpdateItem or DeleteItem of an item of `bytes` (the larger of the old
/// and new item for an update), plus one write per GSI that the change reaches, each of the
/// projected size. Transactional writes double everything.
pub fn write_item(bytes: u64, gsi_projected: &[u64], transactional: bool) -> f64 {
    let factor = if transactional { 2.0 } else { 1.0 };
    let table = write_blocks(bytes) as f64;
    let gsis: f64 = gsi_projected.iter().map(|b| write_blocks(*b) as f64).sum();
    (table + gsis) * factor
}

/// WCU for BatchWriteItem: each item rounded on its own.
pub fn batch_write(items: &[u64]) -> f64 {
    items.iter().map(|b| write_blocks(*b) as f64).sum()
}

/// A time unit for request rates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    Second,
    Minute,
    Hour,
    Day,
    Month,
}

impl Per {
    /// Seconds in the unit; a month has `month_hours` hours (the AWS Pricing Calculator
    /// uses 730).
    pub fn seconds(self, month_hours: f64) -> f64 {
        match self {
            Per::Second => 1.0,
            Per::Minute => 60.0,
            Per::Hour => 3600.0,
            Per::Day => 86_400.0,
            Per::Month => month_hours * 3600.0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Per::Second => "second",
            Per::Minute => "minute",
            Per::Hour => "hour",
            Per::Day => "day",
            Per::Month => "month",
        }
    }
}

/// One line of a workload.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Traffic {
    Reads {
        rate: f64,
        per: Per,
        item_bytes: u64,
        consistency: Consistency,
    },
    Writes {
        rate: f64,
        per: Per,
        item_bytes: u64,
        transactional: bool,
    },
}

/// Provisioned capacity for a workload, with the steps for each line.
#[derive(Clone, Debug, PartialEq)]
pub struct Capacity {
    pub rcu: u64,
    pub wcu: u64,
    pub rcu_exact: f64,
    pub wcu_exact: f64,
    pub steps: Vec<Step>,
}

/// `2 KB`, `4.5 KB`, `300 bytes`.
pub fn size_text(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes % MB == 0 {
        format!("{} MB", thousands((bytes / MB) as u128))
    } else {
        let k = bytes as f64 / 1024.0;
        if k.fract() == 0.0 {
            format!("{} KB", thousands(k as u128))
        } else {
            format!("{} KB", (k * 100.0).round() / 100.0)
        }
    }
}

/// `2`, `0.5`, `1,280`.
pub fn units_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e30 {
        // The sign is kept: `as u128` of the magnitude alone would show −5 as 5.
        let sign = if x < 0.0 { "-" } else { "" };
        format!("{sign}{}", thousands(x.abs() as u128))
    } else {
        format!("{}", (x * 1000.0).round() / 1000.0)
    }
}

/// RCU and WCU a workload needs.
pub fn workload(lines: &[Traffic], month_hours: f64) -> Capacity {
    let (mut r, mut w) = (0.0, 0.0);
    let mut steps = vec![];
    for line in lines {
        match *line {
            Traffic::Reads {
                rate,
                per,
                item_bytes,
                consistency,
            } => {
                let per_s = rate / per.seconds(month_hours);
                let blocks = read_blocks(item_bytes);
                let units = per_s * blocks as f64 * consistency.factor();
                r += units;
                steps.push(Step::new(
                    format!(
                        "{} {} reads per {} of {}",
                        units_text(rate),
                        consistency.label(),
                        per.label(),
                        size_text(item_bytes)
                    ),
                    format!(
                        "{} per second × ceil({} / 4 KB) = {} blocks × {}",
                        units_text(per_s),
                        size_text(item_bytes),
                        blocks,
                        consistency.factor()
                    ),
                    format!("{} RCU", units_text(units)),
                ));
            }
            Traffic::Writes {
                rate,
                per,
                item_bytes,
                transactional,
            } => {
                let per_s = rate / per.seconds(month_hours);
                let blocks = write_blocks(item_bytes);
                let factor = if transactional { 2.0 } else { 1.0 };
                let units = per_s * blocks as f64 * factor;
                w += units;
                steps.push(Step::new(
                    format!(
                        "{} {}writes per {} of {}",
                        units_text(rate),
                        if transactional { "transactional " } else { "" },
                        per.label(),
                        size_text(item_bytes)
                    ),
                    format!(
                        "{} per second × ceil({} / 1 KB) = {} blocks{}",
                        units_text(per_s),
                        size_text(item_bytes),
                        blocks,
                        if transactional { " × 2" } else { "" }
                    ),
                    format!("{} WCU", units_text(units)),
                ));
            }
        }
    }
    // Round up, ignoring float noise below a millionth of a unit.
    let up = |x: f64| (x - 1e-9).ceil().max(0.0) as u64;
    Capacity {
        rcu: up(r),
        wcu: up(w),
        rcu_exact: r,
        wcu_exact: w,
        steps,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn units_text_keeps_the_sign_and_size() {
        assert_eq!(units_text(1280.0), "1,280");
        assert_eq!(units_text(-5.0), "-5");
        assert_eq!(units_text(0.5), "0.5");
        assert_eq!(units_text(1e30), "1000000000000000000000000000000");
        assert_eq!(units_text(f64::NAN), "NaN");
    }

    const KB: u64 = 1024;

    fn writes(rate: f64, per: Per, bytes: u64) -> Traffic {
        Traffic::Writes {
            rate,
            per,
            item_bytes: bytes,
            transactional: false,
        }
    }

    fn reads(rate: f64, bytes: u64, consistency: Consistency) -> Traffic {
        Traffic::Reads {
            rate,
            per: Per::Second,
            item_bytes: bytes,
            consistency,
        }
    }

    #[test]
    fn the_course_notes_five_worked_examples() {
        // 10 writes/s of 2 KB → 20 WCU.
        assert_eq!(
            workload(&[writes(10.0, Per::Second, 2 * KB)], 730.0).wcu,
            20
        );
        // 6 writes/s of 4.5 KB → 6 × 5 = 30 WCU.
        assert_eq!(
            workload(&[writes(6.0, Per::Second, 4 * KB + KB / 2)], 730.0).wcu,
            30
        );
        // 120 writes/min of 2 KB → 2/s × 2 = 4 WCU.
        assert_eq!(
            workload(&[writes(120.0, Per::Minute, 2 * KB)], 730.0).wcu,
            4
        );
        // 16 eventually consistent reads/s of 12 KB → 16 × 3 × 0.5 = 24 RCU.
        assert_eq!(
            workload(&[reads(16.0, 12 * KB, Consistency::Eventual)], 730.0).rcu,
            24
        );
        // 10 strongly consistent reads/s of 6 KB → 10 × 2 = 20 RCU.
        assert_eq!(
            workload(&[reads(10.0, 6 * KB, Consistency::Strong)], 730.0).rcu,
            20
        );
    }

    #[test]
    fn steps_show_the_rounding() {
        let c = workload(&[writes(6.0, Per::Second, 4 * KB + KB / 2)], 730.0);
        assert_eq!(
            c.steps[0].formula,
            "6 per second × ceil(4.5 KB / 1 KB) = 5 blocks"
        );
        assert_eq!(c.steps[0].result, "30 WCU");
    }

    #[test]
    fn operations() {
        // GetItem of 1 byte still costs a whole block.
        assert_eq!(get_item(1, Consistency::Strong), 1.0);
        assert_eq!(get_item(4 * KB + 1, Consistency::Eventual), 1.0);
        assert_eq!(get_item(8 * KB, Consistency::Transactional), 4.0);
        // BatchGetItem rounds each item; Query sums then rounds.
        assert_eq!(batch_get(&[KB, KB, KB], Consistency::Strong), 3.0);
        assert_eq!(query(3 * KB, Consistency::Strong), (1.0, 1));
        // A Query reading 2.5 MB: two full pages (256 blocks each) and 0.5 MB (128 blocks).
        assert_eq!(
            query(2 * PAGE_BYTES + PAGE_BYTES / 2, Consistency::Strong),
            (640.0, 3)
        );
        assert_eq!(
            query(0, Consistency::Eventual),
            (0.5, 1),
            "an empty result still costs the minimum"
        );
        // Writes: GSIs add their own units; transactions double.
        assert_eq!(write_item(2500, &[], false), 3.0);
        assert_eq!(write_item(2500, &[300, 1500], false), 6.0);
        assert_eq!(write_item(2500, &[300], true), 8.0);
        assert_eq!(batch_write(&[100, 1025, 2048]), 5.0);
    }

    proptest! {
        #[test]
        fn eventual_reads_cost_half_of_strong(bytes in 1u64..500_000) {
            prop_assert_eq!(get_item(bytes, Consistency::Eventual) * 2.0, get_item(bytes, Consistency::Strong));
            prop_assert_eq!(get_item(bytes, Consistency::Transactional), 2.0 * get_item(bytes, Consistency::Strong));
        }

        #[test]
        fn more_traffic_never_needs_less_capacity(rate in 0.0f64..10_000.0, extra in 0.0f64..1_000.0, bytes in 1u64..400_000, more_bytes in 0u64..10_000) {
            let a = workload(&[writes(rate, Per::Second, bytes), reads(rate, bytes, Consistency::Eventual)], 730.0);
            let b = workload(&[writes(rate + extra, Per::Second, bytes + more_bytes), reads(rate + extra, bytes + more_bytes, Consistency::Eventual)], 730.0);
            prop_assert!(b.wcu >= a.wcu && b.rcu >= a.rcu);
        }

        #[test]
        fn query_never_costs_more_than_reading_items_one_by_one(sizes in proptest::collection::vec(1u64..50_000, 1..40)) {
            let total: u64 = sizes.iter().sum();
            prop_assert!(query(total, Consistency::Strong).0 <= batch_get(&sizes, Consistency::Strong));
        }
    }
}
