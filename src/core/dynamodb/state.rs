//! The DynamoDB page's state (as typed), its validation, and the cost report it shows.

use super::capacity::{self, Consistency, Per, Traffic};
use super::item::JsonKind;
use super::pricing::{self, PriceTable, Usage, US_EAST_1_STANDARD};
use super::request::{parse_size, parse_sizes, size_text, units_text, Op, RequestInput};
use crate::core::format::{money_exact, parse_number, thousands};
use crate::core::steps::{LineItem, Step};
use serde::{Deserialize, Serialize};

/// How states of older formats become today's ([`crate::core::share::Upgrade`]); none yet.
pub const UPGRADES: &[crate::core::share::Upgrade] = &[];

/// The fields of a saved [`DynamoState`] and their JSON kinds: how a sandbox checks it without
/// linking its reader into every module (`sandbox::Slot::shape`; the page reads it fully).
pub const SHAPE: crate::core::share::Shape = {
    use crate::core::share::Kind;
    &[
        ("item", Kind::Text),
        ("kind", Kind::Text),
        ("op", Kind::Text),
        ("consistency", Kind::Text),
        ("sizes", Kind::Text),
        ("gsis", Kind::Text),
        ("items_read", Kind::Text),
        ("lines", Kind::List),
        ("month_hours", Kind::Text),
        ("utilization", Kind::Text),
        ("stored_items", Kind::Text),
        ("stored_size", Kind::Text),
        ("free_tier", Kind::Flag),
    ]
};
/// The state's format version (a link's `v`, a sandbox's `tools.*.version`).
pub const VERSION: u32 = 1 + UPGRADES.len() as u32;
/// Most workload lines the editor takes.
pub const MAX_LINES: usize = 20;
/// A request rate above this (per second) is refused as beyond any real table.
pub const MAX_RATE_PER_SECOND: f64 = 1e9;

/// One line of the workload editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Line {
    pub write: bool,
    pub rate: String,
    pub per: Per,
    pub size: String,
    /// Reads: eventual, strong or transactional; writes: transactional or not.
    pub mode: Consistency,
}

impl Default for Line {
    fn default() -> Self {
        Line {
            write: false,
            rate: "100".into(),
            per: Per::Second,
            size: "4".into(),
            mode: Consistency::Eventual,
        }
    }
}

impl Line {
    /// The line as model traffic, or what is wrong with it (messages start with `name`).
    pub fn traffic(&self, name: &str, month_hours: f64) -> Result<Traffic, Vec<String>> {
        let per_s = |r: f64| r / self.per.seconds(month_hours);
        let rate = parse_number(&self.rate, &format!("{name}, rate")).and_then(|r| {
            if r < 0.0 {
                Err(format!("{name}: a request rate cannot be negative."))
            } else if per_s(r) > MAX_RATE_PER_SECOND {
                Err(format!(
                    "{name}: {} requests per second is beyond any real workload.",
                    units_text(per_s(r))
                ))
            } else {
                Ok(r)
            }
        });
        let size = parse_size(&self.size, &format!("{name}, item size"));
        match (rate, size) {
            (Ok(rate), Ok(item_bytes)) => Ok(if self.write {
                Traffic::Writes {
                    rate,
                    per: self.per,
                    item_bytes,
                    transactional: self.mode == Consistency::Transactional,
                }
            } else {
                Traffic::Reads {
                    rate,
                    per: self.per,
                    item_bytes,
                    consistency: self.mode,
                }
            }),
            (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
        }
    }

    /// What this line alone needs, exactly ("1.5 RCU"), or `None` while its input is invalid.
    pub fn units(&self, month_hours: f64) -> Option<String> {
        let t = self.traffic("", month_hours).ok()?;
        let c = capacity::workload(std::slice::from_ref(&t), month_hours);
        Some(match t {
            Traffic::Reads { .. } => format!("{} RCU", units_text(c.rcu_exact)),
            Traffic::Writes { .. } => format!("{} WCU", units_text(c.wcu_exact)),
        })
    }
}

fn line(write: bool, rate: &str, per: Per, size: &str, mode: Consistency) -> Line {
    Line {
        write,
        rate: rate.into(),
        per,
        size: size.into(),
        mode,
    }
}

/// The course notes' five worked examples, one line each.
pub fn course_examples() -> Vec<Line> {
    vec![
        line(true, "10", Per::Second, "2", Consistency::Strong),
        line(true, "6", Per::Second, "4.5", Consistency::Strong),
        line(true, "120", Per::Minute, "2", Consistency::Strong),
        line(false, "16", Per::Second, "12", Consistency::Eventual),
        line(false, "10", Per::Second, "6", Consistency::Strong),
    ]
}

pub const EXAMPLE_ITEM: &str = r#"{
  "pk": "user#42",
  "name": "Ada Lovelace",
  "born": 1815,
  "languages": ["en", "fr"],
  "active": true
}"#;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DynamoState {
    pub item: String,
    pub kind: JsonKind,
    pub op: Op,
    pub consistency: Consistency,
    pub sizes: String,
    pub gsis: String,
    pub items_read: String,
    pub lines: Vec<Line>,
    pub month_hours: String,
    pub utilization: String,
    pub stored_items: String,
    pub stored_size: String,
    pub free_tier: bool,
}

impl Default for DynamoState {
    fn default() -> Self {
        DynamoState {
            item: EXAMPLE_ITEM.into(),
            kind: JsonKind::Auto,
            op: Op::GetItem,
            consistency: Consistency::Strong,
            sizes: "6".into(),
            gsis: String::new(),
            items_read: "100".into(),
            lines: course_examples(),
            month_hours: "730".into(),
            utilization: "70".into(),
            stored_items: "1,000,000".into(),
            stored_size: "1".into(),
            free_tier: true,
        }
    }
}

impl DynamoState {
    /// The request calculator's input, or what is wrong with it.
    pub fn request(&self) -> Result<RequestInput, Vec<String>> {
        let sizes = parse_sizes(&self.sizes, "Item size");
        let gsis = if self.op.is_read() {
            Ok(vec![])
        } else {
            parse_sizes(&self.gsis, "GSI sizes")
        };
        let items_read = if self.op.reads_many() {
            parse_number(&self.items_read, "Items read").and_then(|n| {
                if n < 0.0 || n.fract() != 0.0 {
                    Err("Items read: enter a whole number of items.".into())
                } else if n > 1e12 {
                    Err("Items read: more than a trillion items is beyond any real table.".into())
                } else {
                    Ok(n as u64)
                }
            })
        } else {
            Ok(1)
        };
        match (sizes, gsis, items_read) {
            (Ok(sizes), Ok(gsis), Ok(items_read)) => Ok(RequestInput {
                op: self.op,
                consistency: self.consistency,
                sizes,
                gsis,
                items_read,
            }),
            (a, b, c) => Err([a.err(), b.err(), c.err()].into_iter().flatten().collect()),
        }
    }

    /// The workload and cost settings, or every problem found (each naming its line).
    /// Hours in the billing month as typed, checked.
    pub fn month_hours(&self) -> Result<f64, String> {
        match parse_number(&self.month_hours, "Month length")? {
            h if (1.0..=744.0).contains(&h) => Ok(h),
            h => Err(format!(
                "Month length: {h} hours is not a month; use 672 to 744 (730 is the average the AWS Pricing Calculator uses)."
            )),
        }
    }

    pub fn workload(&self) -> Result<Workload, Vec<String>> {
        let mut errors = vec![];
        let month_hours = self.month_hours().unwrap_or_else(|e| {
            errors.push(e);
            730.0
        });
        let mut traffic = vec![];
        if self.lines.len() > MAX_LINES {
            errors.push(format!("The workload takes at most {MAX_LINES} lines."));
        }
        for (n, l) in self.lines.iter().enumerate().take(MAX_LINES) {
            match l.traffic(&format!("Line {}", n + 1), month_hours) {
                Ok(t) => traffic.push(t),
                Err(e) => errors.extend(e),
            }
        }
        let utilization = match parse_number(&self.utilization, "Target utilization") {
            Ok(u) if (1.0..=100.0).contains(&u) => u / 100.0,
            Ok(_) => {
                errors.push("Target utilization: enter a percentage from 1 to 100.".into());
                0.7
            }
            Err(e) => {
                errors.push(e);
                0.7
            }
        };
        let items = match parse_number(&self.stored_items, "Items stored") {
            Ok(n) if n >= 0.0 && n.fract() == 0.0 && n <= 1e13 => n as u64,
            Ok(n) if n > 1e13 => {
                errors.push(
                    "Items stored: more than 10 trillion items is beyond any real table.".into(),
                );
                0
            }
            Ok(_) => {
                errors.push("Items stored: enter a whole number of items.".into());
                0
            }
            Err(e) => {
                errors.push(e);
                0
            }
        };
        let stored_bytes = parse_size(&self.stored_size, "Average stored item size")
            .map_err(|e| errors.push(e))
            .unwrap_or(0);
        if errors.is_empty() {
            Ok(Workload {
                traffic,
                month_hours,
                utilization,
                items,
                item_bytes: stored_bytes,
                free_tier: self.free_tier,
            })
        } else {
            Err(errors)
        }
    }
}

/// A validated workload with its cost settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub traffic: Vec<Traffic>,
    pub month_hours: f64,
    pub utilization: f64,
    pub items: u64,
    pub item_bytes: u64,
    pub free_tier: bool,
}

impl Workload {
    /// The same workload with every rate multiplied by `k`.
    pub fn scaled(&self, k: f64) -> Workload {
        let traffic = self
            .traffic
            .iter()
            .map(|t| match *t {
                Traffic::Reads {
                    rate,
                    per,
                    item_bytes,
                    consistency,
                } => Traffic::Reads {
                    rate: rate * k,
                    per,
                    item_bytes,
                    consistency,
                },
                Traffic::Writes {
                    rate,
                    per,
                    item_bytes,
                    transactional,
                } => Traffic::Writes {
                    rate: rate * k,
                    per,
                    item_bytes,
                    transactional,
                },
            })
            .collect();
        Workload {
            traffic,
            ..self.clone()
        }
    }

    /// Average requests per second over all lines.
    pub fn requests_per_second(&self) -> f64 {
        self.traffic
            .iter()
            .map(|t| match *t {
                Traffic::Reads { rate, per, .. } | Traffic::Writes { rate, per, .. } => {
                    rate / per.seconds(self.month_hours)
                }
            })
            .sum()
    }

    pub fn usage(&self) -> (capacity::Capacity, Usage) {
        let c = capacity::workload(&self.traffic, self.month_hours);
        let secs = self.month_hours * 3600.0;
        let u = Usage {
            rru_month: c.rcu_exact * secs,
            wru_month: c.wcu_exact * secs,
            rcu: c.rcu_exact,
            wcu: c.wcu_exact,
            items: self.items,
            data_bytes: self.items.saturating_mul(self.item_bytes),
        };
        (c, u)
    }

    /// The price table, with the free tier removed when the user turned it off.
    pub fn prices(&self, t: &PriceTable) -> PriceTable {
        if self.free_tier {
            *t
        } else {
            without_free_tier(t)
        }
    }
}

fn without_free_tier(t: &PriceTable) -> PriceTable {
    PriceTable {
        free_rcu: 0,
        free_wcu: 0,
        free_storage_gb: 0.0,
        ..*t
    }
}

/// Everything the cost section shows.
#[derive(Clone, Debug, PartialEq)]
pub struct CostReport {
    pub table: PriceTable,
    pub capacity: capacity::Capacity,
    pub on_demand: Vec<LineItem>,
    pub on_demand_total: f64,
    pub provisioned: Vec<LineItem>,
    pub provisioned_total: f64,
    /// On-demand request cost ÷ provisioned capacity cost, before free tiers (None without
    /// traffic).
    pub ratio: Option<f64>,
    pub ratio_steps: Vec<Step>,
    /// Break-even utilization for reads and writes (price ratio).
    pub break_even: (f64, f64),
    /// Share of the provisioned bill that is storage (the Standard-IA rule of thumb).
    pub storage_share: f64,
}

fn gb_text(gb: f64) -> String {
    if gb >= 100.0 {
        thousands(gb.round() as u128)
    } else {
        format!("{}", (gb * 1000.0).round() / 1000.0)
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The cost report of a workload at a price table: on-demand and provisioned lines, and the
/// ratio between them.
pub fn report(w: &Workload, base: &PriceTable) -> CostReport {
    let t = w.prices(base);
    let (capacity, u) = w.usage();
    let r = Report {
        w,
        b: pricing::bill(&t, &u, w.utilization, w.month_hours),
        t,
        u,
        hours: units_text(w.month_hours),
        util: pct(w.utilization),
    };
    let b = &r.b;
    let (ratio, ratio_steps) = r.ratio(base);
    let provisioned_total = b.provisioned();
    CostReport {
        table: *base,
        capacity,
        on_demand_total: b.on_demand(),
        on_demand: vec![
            r.on_demand_reads(),
            r.on_demand_writes(),
            r.storage("storage"),
        ],
        provisioned: vec![
            r.provisioned_reads(),
            r.provisioned_writes(),
            r.storage("storage"),
        ],
        provisioned_total,
        ratio,
        ratio_steps,
        break_even: pricing::break_even_utilization(base),
        storage_share: if provisioned_total > 0.0 {
            b.storage / provisioned_total
        } else {
            0.0
        },
    }
}

/// What every line of the cost report is worked out from: the workload, its prices, its
/// usage and its bill.
struct Report<'a> {
    w: &'a Workload,
    t: PriceTable,
    u: Usage,
    b: pricing::Bill,
    /// Hours in the month, as text.
    hours: String,
    /// The target utilization, as a percentage.
    util: String,
}

/// One provisioned-capacity line: what it is, the units needed and bought, and their price.
/// What an on-demand line prices: request units a month (RRU or WRU).
struct OnDemandRequests {
    id: &'static str,
    label: &'static str,
    /// "RRU" or "WRU".
    name: &'static str,
    /// Units per second at the average rate.
    per_second: f64,
    month: f64,
    price: f64,
    amount: f64,
}

struct ProvisionedCapacity {
    id: &'static str,
    label: &'static str,
    /// "RCU" or "WCU".
    name: &'static str,
    /// Units needed at the average rate.
    need: f64,
    /// Units provisioned at the target utilization.
    units: u64,
    free: u64,
    price: f64,
    amount: f64,
}

impl Report<'_> {
    /// Storage: the data stored with its per-item overhead, less the free tier, priced per GB-month.
    fn storage(&self, id: &'static str) -> LineItem {
        let (t, b, w) = (&self.t, &self.b, self.w);
        LineItem {
            id,
            label: "Storage",
            amount: b.storage,
            steps: vec![
                Step::new(
                    "Stored data",
                    format!(
                        "{} items × ({} + {} bytes of overhead)",
                        thousands(w.items as u128),
                        size_text(w.item_bytes),
                        t.item_overhead_bytes
                    ),
                    format!("{} GB", gb_text(b.storage_gb)),
                ),
                Step::new(
                    "Billed storage",
                    format!(
                        "max(0, {} GB − {} GB free) × ${} per GB-month",
                        gb_text(b.storage_gb),
                        t.free_storage_gb,
                        t.storage_gb_month
                    ),
                    money_exact(b.storage),
                ),
            ],
        }
    }

    /// On-demand reads: the read request units of a month, priced per million.
    fn on_demand_reads(&self) -> LineItem {
        let (u, b) = (&self.u, &self.b);
        self.on_demand_line(OnDemandRequests {
            id: "reads",
            label: "Read request units",
            name: "RRU",
            per_second: u.rcu,
            month: u.rru_month,
            price: self.t.rru_million,
            amount: b.on_demand_reads,
        })
    }

    /// On-demand writes: the write request units of a month, priced per million.
    fn on_demand_writes(&self) -> LineItem {
        let (u, b) = (&self.u, &self.b);
        self.on_demand_line(OnDemandRequests {
            id: "writes",
            label: "Write request units",
            name: "WRU",
            per_second: u.wcu,
            month: u.wru_month,
            price: self.t.wru_million,
            amount: b.on_demand_writes,
        })
    }

    /// An on-demand line: the request units of a month, priced per million.
    fn on_demand_line(&self, r: OnDemandRequests) -> LineItem {
        let hours = &self.hours;
        LineItem {
            id: r.id,
            label: r.label,
            amount: r.amount,
            steps: vec![
                Step::new(
                    format!("{} a month", r.label),
                    format!(
                        "{} {} per second × {hours} h × 3,600 s",
                        units_text(r.per_second),
                        r.name
                    ),
                    format!("{} {}", thousands(r.month.round() as u128), r.name),
                ),
                Step::new(
                    "Charge",
                    format!(
                        "{} million × ${} per million",
                        units_text(r.month / 1e6),
                        r.price
                    ),
                    money_exact(r.amount),
                ),
            ],
        }
    }

    /// Provisioned read capacity (RCU).
    fn provisioned_reads(&self) -> LineItem {
        self.provisioned_line(ProvisionedCapacity {
            id: "reads",
            label: "Read capacity (RCU)",
            name: "RCU",
            need: self.u.rcu,
            units: self.b.provisioned_rcu,
            free: self.t.free_rcu,
            price: self.t.rcu_hour,
            amount: self.b.provisioned_reads,
        })
    }

    /// Provisioned write capacity (WCU).
    fn provisioned_writes(&self) -> LineItem {
        self.provisioned_line(ProvisionedCapacity {
            id: "writes",
            label: "Write capacity (WCU)",
            name: "WCU",
            need: self.u.wcu,
            units: self.b.provisioned_wcu,
            free: self.t.free_wcu,
            price: self.t.wcu_hour,
            amount: self.b.provisioned_writes,
        })
    }

    /// A provisioned-capacity line: units to provision at the target utilization, less the
    /// free tier, priced per unit-hour.
    fn provisioned_line(&self, c: ProvisionedCapacity) -> LineItem {
        let (util, hours) = (&self.util, &self.hours);
        let ProvisionedCapacity {
            id,
            label,
            name,
            need,
            units,
            free,
            price,
            amount,
        } = c;
        LineItem {
            id,
            label,
            amount,
            steps: vec![
                Step::new(
                    format!("{name} to provision at {util} target utilization"),
                    format!("ceil({} / {})", units_text(need), self.w.utilization),
                    format!("{} {name}", thousands(units as u128)),
                ),
                Step::new(
                    "Charge",
                    format!(
                        "max(0, {} − {free} free) × {hours} h × ${price} per {name}-hour",
                        thousands(units as u128)
                    ),
                    money_exact(amount),
                ),
            ],
        }
    }

    /// The ratio the notes quote, for this workload: request charges against capacity
    /// charges, both before any free tier (None without traffic), with its steps.
    fn ratio(&self, base: &PriceTable) -> (Option<f64>, Vec<Step>) {
        let (w, u, util) = (self.w, &self.u, &self.util);
        let paid = pricing::bill(&without_free_tier(base), u, w.utilization, w.month_hours);
        let od_req = paid.on_demand_reads + paid.on_demand_writes;
        let prov_cap = paid.provisioned_reads + paid.provisioned_writes;
        let ratio = (prov_cap > 0.0 && od_req > 0.0).then(|| od_req / prov_cap);
        let ratio_steps = vec![
            Step::new(
                "On-demand requests, before free tiers",
                format!(
                    "{} + {}",
                    money_exact(paid.on_demand_reads),
                    money_exact(paid.on_demand_writes)
                ),
                money_exact(od_req),
            ),
            Step::new(
                "Provisioned capacity, before free tiers",
                format!(
                    "{} RCU and {} WCU at {util} utilization: {} + {}",
                    thousands(paid.provisioned_rcu as u128),
                    thousands(paid.provisioned_wcu as u128),
                    money_exact(paid.provisioned_reads),
                    money_exact(paid.provisioned_writes)
                ),
                money_exact(prov_cap),
            ),
            Step::new(
                "Ratio",
                format!("{} / {}", money_exact(od_req), money_exact(prov_cap)),
                ratio
                    .map(|r| format!("{r:.2}×"))
                    .unwrap_or_else(|| "no traffic".into()),
            ),
        ];
        (ratio, ratio_steps)
    }
}

/// The default table.
pub const TABLE: PriceTable = US_EAST_1_STANDARD;

pub fn to_query(s: &DynamoState) -> String {
    crate::core::share::to_query(s, VERSION)
}

pub fn from_query(q: &str) -> Result<DynamoState, String> {
    crate::core::share::from_query(q, UPGRADES)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::format::money;
    use proptest::prelude::*;

    #[test]
    fn default_is_the_course_examples() {
        let w = DynamoState::default().workload().unwrap();
        let (c, _) = w.usage();
        // 20 + 30 + 4 WCU; 24 + 20 RCU.
        assert_eq!((c.wcu, c.rcu), (54, 44));
        assert_eq!(to_query(&DynamoState::default()), "");
        let r = DynamoState::default().request().unwrap();
        assert_eq!(super::super::request::request_cost(&r).unwrap().units, 2.0);
    }

    #[test]
    fn each_line_reports_its_own_units() {
        let units: Vec<_> = course_examples().iter().map(|l| l.units(730.0)).collect();
        assert_eq!(
            units,
            ["20 WCU", "30 WCU", "4 WCU", "24 RCU", "20 RCU"].map(|u| Some(u.to_string()))
        );
        assert_eq!(
            line(false, "-1", Per::Second, "1", Consistency::Strong).units(730.0),
            None
        );
    }

    #[test]
    fn ratio_answers_the_notes() {
        // One line of 100 strongly consistent 4 KB reads/s at 100% utilization: the price
        // ratio 0.125e-6 × 3,600 / 0.00013 = 3.46×; at 70% it is 3.46 × 0.7 = 2.42×.
        let s = DynamoState {
            lines: vec![line(false, "100", Per::Second, "4", Consistency::Strong)],
            utilization: "100".into(),
            ..Default::default()
        };
        let r = report(&s.workload().unwrap(), &TABLE);
        assert!((r.ratio.unwrap() - 0.45 / 0.13).abs() < 1e-9);
        let s70 = DynamoState {
            utilization: "70".into(),
            lines: vec![line(false, "70", Per::Second, "4", Consistency::Strong)],
            ..s
        };
        let r70 = report(&s70.workload().unwrap(), &TABLE);
        assert!((r70.ratio.unwrap() - 0.45 / 0.13 * 0.7).abs() < 1e-9);
        assert_eq!(r70.ratio_steps[2].result, "2.42×");
    }

    #[test]
    fn a_priced_month() {
        // 100 strongly consistent 4 KB reads/s, 10 writes/s of 1 KB, 730 hours, 100%,
        // 1,000,000 items of 1 KB: see pricing.rs for the same month by hand.
        let s = DynamoState {
            lines: vec![
                line(false, "100", Per::Second, "4", Consistency::Strong),
                line(true, "10", Per::Second, "1", Consistency::Strong),
            ],
            utilization: "100".into(),
            ..Default::default()
        };
        let r = report(&s.workload().unwrap(), &TABLE);
        assert_eq!(money(r.on_demand[0].amount), "$32.85");
        assert_eq!(money(r.on_demand[1].amount), "$16.43");
        assert_eq!(money(r.provisioned[0].amount), "$7.12");
        assert_eq!(r.provisioned[1].amount, 0.0);
        assert_eq!(r.on_demand[0].steps[0].result, "262,800,000 RRU");
        assert_eq!(
            r.provisioned[0].steps[1].formula,
            "max(0, 100 − 25 free) × 730 h × $0.00013 per RCU-hour"
        );
        // Turning the free tier off charges all 100 RCU and 10 WCU.
        let off = DynamoState {
            free_tier: false,
            ..s
        };
        let r = report(&off.workload().unwrap(), &TABLE);
        assert_eq!(money(r.provisioned[0].amount), "$9.49");
        assert_eq!(money(r.provisioned[1].amount), "$4.75");
    }

    #[test]
    fn bad_input_is_named() {
        let e = |s: DynamoState| s.workload().unwrap_err().join(" | ");
        let mut s = DynamoState::default();
        s.lines[1].rate = "-5".into();
        assert!(e(s.clone()).contains("Line 2: a request rate cannot be negative"));
        s.lines[1].rate = "1e30".into();
        assert!(e(s.clone()).contains("beyond any real workload"));
        s.lines[1].rate = "NaN".into();
        assert!(e(s.clone()).contains("not a number"));
        s.lines[1].rate = "".into();
        assert!(e(s.clone()).contains("Line 2, rate: enter a number"));
        s.lines[1].rate = "6".into();
        s.lines[3].size = "401".into();
        assert!(e(s.clone()).contains("Line 4, item size"));
        s.lines[3].size = "12abc".into();
        assert!(e(s.clone()).contains("not a size"));
        assert!(e(DynamoState {
            month_hours: "2000".into(),
            ..Default::default()
        })
        .contains("not a month"));
        assert!(e(DynamoState {
            utilization: "0".into(),
            ..Default::default()
        })
        .contains("1 to 100"));
        assert!(e(DynamoState {
            stored_items: "2.5".into(),
            ..Default::default()
        })
        .contains("whole number"));
        assert!(DynamoState {
            items_read: "-1".into(),
            op: Op::Query,
            ..Default::default()
        }
        .request()
        .is_err());
    }

    #[test]
    fn share_links_round_trip() {
        let s = DynamoState {
            op: Op::Scan,
            utilization: "55".into(),
            lines: vec![Line::default()],
            ..Default::default()
        };
        assert_eq!(from_query(&to_query(&s)), Ok(s));
    }

    proptest! {
        #[test]
        fn cost_never_decreases_when_traffic_grows(k in 0.0f64..1000.0, extra in 0.0f64..10.0) {
            let w = DynamoState::default().workload().unwrap();
            let (a, b) = (report(&w.scaled(k), &TABLE), report(&w.scaled(k + extra), &TABLE));
            prop_assert!(b.on_demand_total >= a.on_demand_total);
            prop_assert!(b.provisioned_total >= a.provisioned_total);
        }

        #[test]
        fn zero_traffic_costs_only_storage(items in 0u64..1_000_000_000, kb in 0u64..400) {
            let s = DynamoState { stored_items: items.to_string(), stored_size: kb.to_string(), ..Default::default() };
            let r = report(&s.workload().unwrap().scaled(0.0), &TABLE);
            prop_assert_eq!(r.on_demand_total, r.on_demand[2].amount);
            prop_assert_eq!(r.provisioned_total, r.provisioned[2].amount);
            prop_assert!(r.ratio.is_none());
        }

        #[test]
        fn any_share_link_is_safe(q in ".{0,200}") {
            if let Ok(s) = from_query(&q) {
                let _ = s.workload().map(|w| report(&w, &TABLE));
                let _ = s.request().map(|r| super::super::request::request_cost(&r));
            }
        }
    }
}
