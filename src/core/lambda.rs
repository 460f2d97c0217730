//! Lambda cost: requests, duration in GB-seconds with monthly volume tiers per architecture,
//! the shared free tier, and ephemeral storage above 512 MB, as versioned price tables.
//!
//! Sources: https://aws.amazon.com/lambda/pricing/ (checked 2026-11-21; provisioned
//! concurrency checked 2026-11-29) and ../shared/facts/pricing-and-sizing.md. The course
//! notes' rules (100 ms rounding) are kept only as the clearly labelled historic billing
//! model. Also here: the cost of one invocation and of a million at list price
//! ([`per_invocation`]), and provisioned concurrency against on-demand for the same traffic
//! ([`provisioned`], [`break_even_utilization`]).

use crate::core::steps::Step;

/// Lambda prices for one region, with dates and source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LambdaPrices {
    pub id: &'static str,
    pub region: &'static str,
    pub effective: &'static str,
    pub checked: &'static str,
    pub source: &'static str,
    pub request_million: f64,
    /// Duration tiers per GB-second: (GB-s in this tier per month, price); the last tier is
    /// open-ended (`f64::INFINITY`).
    pub x86_tiers: [(f64, f64); 3],
    pub arm_tiers: [(f64, f64); 3],
    pub free_requests: f64,
    pub free_gb_s: f64,
    /// Ephemeral storage above the included 512 MB, per GB-second.
    pub ephemeral_gb_s: f64,
    /// Provisioned concurrency, per GB-second configured (concurrency × memory × time
    /// enabled), x86 and Arm.
    pub x86_provisioned_gb_s: f64,
    pub arm_provisioned_gb_s: f64,
    /// Duration of invocations served by provisioned concurrency, per GB-second.
    pub x86_provisioned_duration_gb_s: f64,
    pub arm_provisioned_duration_gb_s: f64,
    /// Where the provisioned concurrency rates come from (the x86 ones are in the pricing
    /// page's worked examples; the Arm ones in AWS's Price List API).
    pub provisioned_source: &'static str,
}

impl LambdaPrices {
    /// The on-demand duration tiers of an architecture.
    pub fn tiers(&self, arch: Arch) -> &[(f64, f64); 3] {
        match arch {
            Arch::X86 => &self.x86_tiers,
            Arch::Arm => &self.arm_tiers,
        }
    }

    /// (per GB-s configured, per GB-s of duration) for provisioned concurrency.
    pub fn provisioned_rates(&self, arch: Arch) -> (f64, f64) {
        match arch {
            Arch::X86 => (
                self.x86_provisioned_gb_s,
                self.x86_provisioned_duration_gb_s,
            ),
            Arch::Arm => (
                self.arm_provisioned_gb_s,
                self.arm_provisioned_duration_gb_s,
            ),
        }
    }
}

pub const US_EAST_1: LambdaPrices = LambdaPrices {
    id: "lambda/us-east-1/2026-11",
    region: "us-east-1 (N. Virginia)",
    effective: "as listed when checked",
    checked: "2026-11-21",
    source: "https://aws.amazon.com/lambda/pricing/",
    request_million: 0.20,
    x86_tiers: [
        (6e9, 0.0000166667),
        (9e9, 0.0000150000),
        (f64::INFINITY, 0.0000133334),
    ],
    arm_tiers: [
        (7.5e9, 0.0000133334),
        (11.25e9, 0.0000120001),
        (f64::INFINITY, 0.0000106667),
    ],
    free_requests: 1e6,
    free_gb_s: 400_000.0,
    ephemeral_gb_s: 0.0000000309,
    x86_provisioned_gb_s: 0.0000041667,
    arm_provisioned_gb_s: 0.0000033334,
    x86_provisioned_duration_gb_s: 0.0000097222,
    arm_provisioned_duration_gb_s: 0.0000077778,
    provisioned_source: "https://aws.amazon.com/lambda/pricing/ (x86, its worked examples); AWS Price List API, AWSLambda us-east-1, effective 2025-10-01 (Arm: SKUs MV7PTBS82AVCMXJJ, 3Z4YRQ6XJRDK27UP); checked 2026-11-29",
};

pub const MIN_MEMORY_MB: u32 = 128;
pub const MAX_MEMORY_MB: u32 = 10_240;
pub const INCLUDED_EPHEMERAL_MB: u32 = 512;
pub const MAX_EPHEMERAL_MB: u32 = 10_240;
pub const MAX_DURATION_MS: f64 = 900_000.0;
/// More invocations than this per month are refused as absurd (about 38 million a second).
pub const MAX_INVOCATIONS: f64 = 1e14;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    X86,
    Arm,
}

/// Billing rules: today's, or the course notes' historic ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Billing {
    /// Duration rounded up to the next 1 ms.
    Current,
    /// Duration rounded up to the next 100 ms, as before December 2020 (course notes).
    Historic,
}

impl Billing {
    pub fn round_ms(self, ms: f64) -> f64 {
        match self {
            Billing::Current => ms.ceil().max(1.0),
            Billing::Historic => ((ms / 100.0).ceil() * 100.0).max(100.0),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LambdaInput {
    pub invocations_month: f64,
    pub duration_ms: f64,
    pub memory_mb: u32,
    pub arch: Arch,
    pub ephemeral_mb: u32,
    pub free_tier: bool,
    pub billing: Billing,
}

/// Checks the inputs and names what is wrong.
pub fn validate(i: &LambdaInput) -> Result<(), Vec<String>> {
    let mut e = vec![];
    if !i.invocations_month.is_finite() || i.invocations_month < 0.0 {
        e.push("Invocations must be a number of 0 or more.".to_string());
    } else if i.invocations_month > MAX_INVOCATIONS {
        e.push(format!("{:e} invocations a month is beyond any real workload (more than 10^14); check the number and its unit.", i.invocations_month));
    }
    if !i.duration_ms.is_finite() || i.duration_ms <= 0.0 {
        e.push("Duration must be more than 0 ms.".to_string());
    } else if i.duration_ms > MAX_DURATION_MS {
        e.push(
            "Duration cannot exceed 900,000 ms: Lambda stops a function after 15 minutes."
                .to_string(),
        );
    }
    if !(MIN_MEMORY_MB..=MAX_MEMORY_MB).contains(&i.memory_mb) {
        e.push(format!(
            "Memory must be from 128 to 10,240 MB; {} MB is not allowed.",
            i.memory_mb
        ));
    }
    if !(INCLUDED_EPHEMERAL_MB..=MAX_EPHEMERAL_MB).contains(&i.ephemeral_mb) {
        e.push(format!(
            "Ephemeral storage (/tmp) is 512 to 10,240 MB; {} MB is not allowed.",
            i.ephemeral_mb
        ));
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

pub use crate::core::format::{money, money_exact};
pub use crate::core::steps::LineItem;

#[derive(Clone, Debug, PartialEq)]
pub struct LambdaBill {
    pub billed_ms: f64,
    pub gb_s: f64,
    pub lines: Vec<LineItem>,
    pub total: f64,
}

fn tiered(gb_s: f64, tiers: &[(f64, f64); 3]) -> (f64, Vec<Step>) {
    let mut left = gb_s;
    let mut total = 0.0;
    let mut steps = vec![];
    for (i, (size, price)) in tiers.iter().enumerate() {
        if left <= 0.0 {
            break;
        }
        let here = left.min(*size);
        total += here * price;
        steps.push(Step::new(
            format!("Tier {}", i + 1),
            format!(
                "{} GB-s × ${price}",
                crate::core::durability::math::sig(here, 10)
            ),
            money_exact(here * price),
        ));
        left -= here;
    }
    (total, steps)
}

/// The ephemeral storage charge above the included 512 MB, with its math: `extra_gb` GB for
/// `seconds` of billed duration (all invocations together).
fn ephemeral_line(p: &LambdaPrices, id: &'static str, extra_gb: f64, seconds: f64) -> LineItem {
    let amount = extra_gb * seconds * p.ephemeral_gb_s;
    LineItem {
        id,
        label: "Ephemeral storage above 512 MB",
        amount,
        steps: vec![Step::new(
            "Extra GB × seconds × price",
            format!(
                "{extra_gb} GB × {} s × ${}",
                crate::core::durability::math::sig(seconds, 10),
                p.ephemeral_gb_s
            ),
            money_exact(amount),
        )],
    }
}

/// The request charge for `billable` requests, with its math; `free` is the free tier
/// already taken off (0 when none applies).
fn request_line(
    p: &LambdaPrices,
    id: &'static str,
    label: &'static str,
    requests: f64,
    free: f64,
) -> LineItem {
    let amount = (requests - free).max(0.0) / 1e6 * p.request_million;
    let sig = crate::core::durability::math::sig;
    LineItem {
        id,
        label,
        amount,
        steps: vec![Step::new(
            format!("Billable requests × ${} per million", p.request_million),
            if free > 0.0 {
                format!(
                    "({} − {free}) / 10^6 × ${}",
                    sig(requests, 12),
                    p.request_million
                )
            } else {
                format!("{} / 10^6 × ${}", sig(requests, 12), p.request_million)
            },
            money_exact(amount),
        )],
    }
}

impl Provisioned {
    /// Seconds enabled as billed: the hours rounded up to 5 minutes.
    pub fn billed_seconds(&self) -> f64 {
        (self.hours * 3600.0 / 300.0).ceil() * 300.0
    }
}

/// The monthly bill.
pub fn bill(p: &LambdaPrices, i: &LambdaInput) -> LambdaBill {
    let billed_ms = i.billing.round_ms(i.duration_ms);
    let gb = i.memory_mb as f64 / 1024.0;
    let gb_s = i.invocations_month * billed_ms / 1000.0 * gb;
    let free_req = if i.free_tier { p.free_requests } else { 0.0 };
    let free_gbs = if i.free_tier { p.free_gb_s } else { 0.0 };
    let requests = request_line(
        p,
        "lambda-requests",
        "Requests",
        i.invocations_month,
        free_req,
    );
    let billable_gbs = (gb_s - free_gbs).max(0.0);
    let (compute, tier_steps) = tiered(billable_gbs, p.tiers(i.arch));
    let extra_gb = i.ephemeral_mb.saturating_sub(INCLUDED_EPHEMERAL_MB) as f64 / 1024.0;
    let ephemeral = ephemeral_line(
        p,
        "lambda-ephemeral",
        extra_gb,
        i.invocations_month * billed_ms / 1000.0,
    );
    let mut compute_steps = vec![
        Step::new(
            "Billed duration",
            format!(
                "{} ms rounded up to {}",
                crate::core::durability::math::sig(i.duration_ms, 8),
                if i.billing == Billing::Current {
                    "1 ms"
                } else {
                    "100 ms (historic rule)"
                }
            ),
            format!("{billed_ms} ms"),
        ),
        Step::new(
            "GB-seconds",
            format!(
                "{} invocations × {} s × {} MB / 1024",
                crate::core::durability::math::sig(i.invocations_month, 12),
                billed_ms / 1000.0,
                i.memory_mb
            ),
            crate::core::durability::math::sig(gb_s, 10),
        ),
        Step::new(
            "Minus the free tier",
            format!(
                "{} − {}",
                crate::core::durability::math::sig(gb_s, 10),
                free_gbs
            ),
            crate::core::durability::math::sig(billable_gbs, 10),
        ),
    ];
    compute_steps.extend(tier_steps);
    let total = requests.amount + compute + ephemeral.amount;
    let lines = vec![
        requests,
        LineItem {
            id: "lambda-compute",
            label: "Compute (duration)",
            amount: compute,
            steps: compute_steps,
        },
        ephemeral,
    ];
    LambdaBill {
        billed_ms,
        gb_s,
        lines,
        total,
    }
}

/// What one invocation costs at list price (first duration tier, no free tier), and a
/// million of them: the figure people compare memory settings by. Each is a line with its
/// math; the request charge is its own line.
#[derive(Clone, Debug, PartialEq)]
pub struct PerInvocation {
    /// Compute, request and (if any) ephemeral storage, per invocation.
    pub lines: Vec<LineItem>,
    pub total: f64,
}

impl PerInvocation {
    /// The same charges for a million invocations.
    pub fn per_million(&self) -> f64 {
        self.total * 1e6
    }
}

/// The list-price cost of one invocation of `i` (its free tier and monthly volume ignored).
pub fn per_invocation(p: &LambdaPrices, i: &LambdaInput) -> PerInvocation {
    let billed_ms = i.billing.round_ms(i.duration_ms);
    let gb = i.memory_mb as f64 / 1024.0;
    let price = p.tiers(i.arch)[0].1;
    let gb_s = billed_ms / 1000.0 * gb;
    let compute = gb_s * price;
    let extra_gb = i.ephemeral_mb.saturating_sub(INCLUDED_EPHEMERAL_MB) as f64 / 1024.0;
    let ephemeral = ephemeral_line(p, "per-invocation-ephemeral", extra_gb, billed_ms / 1000.0);
    let mut lines = vec![
        LineItem {
            id: "per-invocation-compute",
            label: "Compute",
            amount: compute,
            steps: vec![
                Step::new(
                    "GB-seconds of one invocation",
                    format!("{} MB / 1024 × {billed_ms} ms / 1000", i.memory_mb),
                    format!("{} GB-s", crate::core::durability::math::sig(gb_s, 10)),
                ),
                Step::new(
                    "× the first-tier price",
                    format!(
                        "{} GB-s × ${price}",
                        crate::core::durability::math::sig(gb_s, 10)
                    ),
                    money_exact(compute),
                ),
            ],
        },
        request_line(p, "per-invocation-request", "Request", 1.0, 0.0),
    ];
    if ephemeral.amount > 0.0 {
        lines.push(ephemeral);
    }
    PerInvocation {
        total: lines.iter().map(|l| l.amount).sum(),
        lines,
    }
}

/// Provisioned concurrency settings: how many execution environments, for how long.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Provisioned {
    /// Execution environments kept initialized (1 to [`MAX_PROVISIONED`]).
    pub concurrency: u32,
    /// Hours a month it is enabled (at most [`MONTH_HOURS_MAX`]), taken as one enabled
    /// period and billed rounded up to 5 minutes (AWS rounds each period from enabling to
    /// disabling).
    pub hours: f64,
}

/// Provisioned concurrency beyond this is refused (the default regional concurrency limit
/// is 1,000; raised quotas reach tens of thousands).
pub const MAX_PROVISIONED: u32 = 100_000;
/// Hours in the month the page bills (the AWS Pricing Calculator's 730), the most
/// provisioned concurrency can be enabled for in it.
pub const MONTH_HOURS_MAX: f64 = 730.0;

/// Checks provisioned concurrency settings and names what is wrong.
pub fn validate_provisioned(pc: &Provisioned) -> Result<(), Vec<String>> {
    let mut e = vec![];
    if pc.concurrency == 0 || pc.concurrency > MAX_PROVISIONED {
        e.push(format!(
            "Provisioned concurrency must be 1 to {}; {} is not allowed.",
            crate::core::format::thousands(MAX_PROVISIONED as u128),
            pc.concurrency
        ));
    }
    if !pc.hours.is_finite() || pc.hours <= 0.0 || pc.hours > MONTH_HOURS_MAX {
        e.push(
            "Hours enabled must be more than 0 and at most 730 (the month this page bills)."
                .to_string(),
        );
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// The month's traffic served with provisioned concurrency enabled.
#[derive(Clone, Debug, PartialEq)]
pub struct ProvisionedBill {
    /// Seconds enabled, rounded up to 5 minutes.
    pub seconds: f64,
    /// GB-s configured: concurrency × memory × seconds.
    pub configured_gb_s: f64,
    /// GB-s of the invocations.
    pub used_gb_s: f64,
    /// used / configured (may exceed 1: the excess spills over to on-demand).
    pub utilization: f64,
    pub lines: Vec<LineItem>,
    pub total: f64,
}

/// The bill when every invocation of `i` falls within the hours provisioned concurrency is
/// enabled (traffic spread evenly): the configured GB-s at the provisioned rate, the
/// invocations' GB-s at the provisioned duration rate up to the configured amount and at
/// on-demand rates beyond it (spillover), requests at $0.20 per million. The free tier does
/// not apply to a function with provisioned concurrency (AWS Lambda pricing page). AWS's
/// "Example 2": 7 × 4,096 MB for 24 h, 2M invocations of 280 ms: $10.08 + $21.78 + $0.40.
pub fn provisioned(p: &LambdaPrices, i: &LambdaInput, pc: &Provisioned) -> ProvisionedBill {
    use crate::core::durability::math::sig;
    let (pc_rate, pc_duration_rate) = p.provisioned_rates(i.arch);
    let gb = i.memory_mb as f64 / 1024.0;
    let seconds = pc.billed_seconds();
    let configured_gb_s = pc.concurrency as f64 * gb * seconds;
    let billed_ms = i.billing.round_ms(i.duration_ms);
    let used_gb_s = i.invocations_month * billed_ms / 1000.0 * gb;
    let on_pc = used_gb_s.min(configured_gb_s);
    let spill = (used_gb_s - configured_gb_s).max(0.0);
    let configured = configured_gb_s * pc_rate;
    let duration = on_pc * pc_duration_rate;
    let (spill_cost, spill_steps) = tiered(spill, p.tiers(i.arch));
    let requests = request_line(
        p,
        "requests",
        "Requests (no free tier)",
        i.invocations_month,
        0.0,
    );
    let extra_gb = i.ephemeral_mb.saturating_sub(INCLUDED_EPHEMERAL_MB) as f64 / 1024.0;
    let ephemeral = ephemeral_line(
        p,
        "ephemeral",
        extra_gb,
        i.invocations_month * billed_ms / 1000.0,
    );
    let mut lines = vec![
        LineItem {
            id: "provisioned",
            label: "Provisioned concurrency",
            amount: configured,
            steps: vec![
                Step::new(
                    "Time enabled, rounded up to 5 minutes",
                    format!("{} h × 3,600 s", sig(pc.hours, 8)),
                    format!("{} s", crate::core::format::sig_grouped(seconds, 12)),
                ),
                Step::new(
                    "Concurrency configured",
                    format!("{} × {} MB / 1024", pc.concurrency, i.memory_mb),
                    format!("{} GB", sig(pc.concurrency as f64 * gb, 10)),
                ),
                Step::new(
                    "GB-s configured × price",
                    format!(
                        "{} GB-s × ${pc_rate}",
                        crate::core::format::sig_grouped(configured_gb_s, 12)
                    ),
                    money_exact(configured),
                ),
            ],
        },
        LineItem {
            id: "provisioned-duration",
            label: "Duration on provisioned concurrency",
            amount: duration,
            steps: vec![
                Step::new(
                    "GB-s of the invocations",
                    format!(
                        "{} × {} s × {} MB / 1024",
                        sig(i.invocations_month, 12),
                        billed_ms / 1000.0,
                        i.memory_mb
                    ),
                    crate::core::format::sig_grouped(used_gb_s, 10),
                ),
                Step::new(
                    "Served by provisioned concurrency × price",
                    format!(
                        "min({}, {} configured) × ${pc_duration_rate}",
                        crate::core::format::sig_grouped(used_gb_s, 10),
                        crate::core::format::sig_grouped(configured_gb_s, 12)
                    ),
                    money_exact(duration),
                ),
            ],
        },
        requests,
    ];
    if spill > 0.0 {
        let mut steps = vec![Step::new(
            "GB-s beyond the configured concurrency",
            format!(
                "{} − {}",
                crate::core::format::sig_grouped(used_gb_s, 10),
                crate::core::format::sig_grouped(configured_gb_s, 12)
            ),
            crate::core::format::sig_grouped(spill, 10),
        )];
        steps.extend(spill_steps);
        lines.push(LineItem {
            id: "spillover",
            label: "Spillover at on-demand rates",
            amount: spill_cost,
            steps,
        });
    }
    if ephemeral.amount > 0.0 {
        lines.push(ephemeral);
    }
    ProvisionedBill {
        seconds,
        configured_gb_s,
        used_gb_s,
        utilization: if configured_gb_s > 0.0 {
            used_gb_s / configured_gb_s
        } else {
            0.0
        },
        total: lines.iter().map(|l| l.amount).sum(),
        lines,
    }
}

/// The utilization of provisioned concurrency above which it is cheaper than on-demand for
/// the same work: rate / (on-demand first tier − provisioned duration rate). x86:
/// 0.0000041667 / (0.0000166667 − 0.0000097222) = 60.0%; Arm the same, 60.0%.
pub fn break_even_utilization(p: &LambdaPrices, arch: Arch) -> f64 {
    let (rate, duration) = p.provisioned_rates(arch);
    rate / (p.tiers(arch)[0].1 - duration)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(inv: f64, ms: f64, mem: u32) -> LambdaInput {
        LambdaInput {
            invocations_month: inv,
            duration_ms: ms,
            memory_mb: mem,
            arch: Arch::X86,
            ephemeral_mb: 512,
            free_tier: true,
            billing: Billing::Current,
        }
    }

    #[test]
    fn aws_pricing_page_example() {
        // 512 MB, 3 million invocations of 1 s: 1.5M GB-s − 400,000 free = 1.1M × $0.0000166667
        // = $18.33; requests (3M − 1M) × $0.20/M = $0.40; total $18.73.
        let b = bill(&US_EAST_1, &input(3e6, 1000.0, 512));
        assert_eq!(b.gb_s, 1_500_000.0);
        assert_eq!(money(b.lines[1].amount), "$18.33");
        assert_eq!(money(b.lines[0].amount), "$0.40");
        assert_eq!(money(b.total), "$18.73");
    }

    #[test]
    fn one_invocation_keeps_its_digits() {
        // Issue 12: 366 ms at 128 MB on x86: 0.125 GB × 0.366 s × $0.0000166667.
        let one = per_invocation(
            &US_EAST_1,
            &LambdaInput {
                free_tier: false,
                ..input(1.0, 366.0, 128)
            },
        );
        assert_eq!(money(one.lines[0].amount), "$0.000000763");
        assert_eq!(money(one.lines[1].amount), "$0.0000002");
        assert_eq!(money(one.total), "$0.000000963");
        assert_eq!(money(one.per_million()), "$0.963");
        assert_eq!(money(one.lines[0].amount * 1e6), "$0.763");
        // The monthly bill of that one invocation, without free tier, agrees.
        let b = bill(
            &US_EAST_1,
            &LambdaInput {
                free_tier: false,
                ..input(1.0, 366.0, 128)
            },
        );
        assert!((b.total - one.total).abs() < 1e-15);
        assert_eq!(money(b.total), "$0.000000963");
    }

    #[test]
    fn provisioned_concurrency_aws_example_2() {
        // AWS Lambda pricing page, "Example 2": 4,096 MB x86, concurrency 7 for 24 hours,
        // 2 million invocations of 280 ms: $10.08 + $21.78 + $0.40 = $32.26.
        let i = input(2e6, 280.0, 4096);
        let pc = Provisioned {
            concurrency: 7,
            hours: 24.0,
        };
        let b = provisioned(&US_EAST_1, &i, &pc);
        assert_eq!(b.seconds, 86_400.0);
        assert_eq!(b.configured_gb_s, 2_419_200.0);
        assert!((b.used_gb_s - 2_240_000.0).abs() < 1e-6);
        assert_eq!(money(b.lines[0].amount), "$10.08");
        assert_eq!(money(b.lines[1].amount), "$21.78");
        assert_eq!(money(b.lines[2].amount), "$0.40");
        assert_eq!(money(b.total), "$32.26");
        assert_eq!(b.lines.len(), 3);
        // Example 1's provisioned part: 100 × 1,536 MB for 8 hours = 4.32M GB-s = $18.
        let e1 = provisioned(
            &US_EAST_1,
            &input(500_000.0, 100.0, 1536),
            &Provisioned {
                concurrency: 100,
                hours: 8.0,
            },
        );
        assert_eq!(e1.configured_gb_s, 4_320_000.0);
        assert_eq!(money(e1.lines[0].amount), "$18.00");
        // AWS rounds this line to the cent ($0.73); the page keeps three digits.
        assert_eq!(money(e1.lines[1].amount), "$0.729");
        // Time rounds up to 5 minutes: 1 minute is billed as 300 s.
        let short = provisioned(
            &US_EAST_1,
            &i,
            &Provisioned {
                concurrency: 1,
                hours: 1.0 / 60.0,
            },
        );
        assert_eq!(short.seconds, 300.0);
        // More work than the configured concurrency can do spills over at on-demand rates.
        let over = provisioned(
            &US_EAST_1,
            &input(2e6, 280.0, 4096),
            &Provisioned {
                concurrency: 1,
                hours: 24.0,
            },
        );
        assert!(over.utilization > 1.0);
        assert_eq!(over.lines[3].id, "spillover");
        assert!(validate_provisioned(&Provisioned {
            concurrency: 0,
            hours: 1.0
        })
        .is_err());
        assert!(validate_provisioned(&Provisioned {
            concurrency: 1,
            hours: 731.0
        })
        .unwrap_err()[0]
            .contains("730"));
    }

    #[test]
    fn provisioned_break_even() {
        // x86: 0.0000041667 / (0.0000166667 − 0.0000097222) = 0.6000; Arm the same ratio.
        assert!((break_even_utilization(&US_EAST_1, Arch::X86) - 0.6).abs() < 1e-4);
        assert!((break_even_utilization(&US_EAST_1, Arch::Arm) - 0.6).abs() < 1e-4);
        // Independent check: at the break-even utilization both ways cost the same.
        for arch in [Arch::X86, Arch::Arm] {
            let u = break_even_utilization(&US_EAST_1, arch);
            let pc = Provisioned {
                concurrency: 10,
                hours: 730.0,
            };
            let secs = 730.0 * 3600.0;
            // Invocations of 1 s at 1 GB filling u of 10 environments.
            let inv = u * 10.0 * secs;
            let i = LambdaInput {
                arch,
                free_tier: false,
                ..input(inv, 1000.0, 1024)
            };
            let a = provisioned(&US_EAST_1, &i, &pc).total;
            let b = bill(&US_EAST_1, &i).total;
            assert!((a - b).abs() / b < 1e-6, "{arch:?}: {a} vs {b}");
        }
    }

    #[test]
    fn rounding_then_and_now() {
        // The course notes: 2.35 ms was billed as 100 ms; today it is 3 ms.
        assert_eq!(Billing::Current.round_ms(2.35), 3.0);
        assert_eq!(Billing::Historic.round_ms(2.35), 100.0);
        assert_eq!(Billing::Historic.round_ms(100.0), 100.0);
        assert_eq!(Billing::Historic.round_ms(100.1), 200.0);
        let now = bill(&US_EAST_1, &input(1e8, 2.35, 128));
        let then = bill(
            &US_EAST_1,
            &LambdaInput {
                billing: Billing::Historic,
                ..input(1e8, 2.35, 128)
            },
        );
        assert!((then.gb_s / now.gb_s - 100.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn tiers_and_architectures() {
        // 7 billion GB-s on x86 without free tier: 6e9 at the first price, 1e9 at the second.
        let i = LambdaInput {
            free_tier: false,
            ..input(7e9, 1000.0, 1024)
        };
        let b = bill(&US_EAST_1, &i);
        assert!((b.lines[1].amount - (6e9 * 0.0000166667 + 1e9 * 0.000015)).abs() < 1e-3);
        let arm = bill(
            &US_EAST_1,
            &LambdaInput {
                arch: Arch::Arm,
                ..i
            },
        );
        assert!(arm.lines[1].amount < b.lines[1].amount);
        // Ephemeral storage above 512 MB: 10 GB /tmp = 9.5 extra GB.
        let e = bill(
            &US_EAST_1,
            &LambdaInput {
                ephemeral_mb: 10_240,
                ..input(1e6, 1000.0, 128)
            },
        );
        assert!((e.lines[2].amount - 9.5 * 1e6 * 0.0000000309).abs() < 1e-9);
    }

    #[test]
    fn bad_input_is_named() {
        let e = validate(&LambdaInput {
            invocations_month: 1e30,
            duration_ms: -1.0,
            memory_mb: 64,
            ephemeral_mb: 100,
            ..input(0.0, 1.0, 128)
        })
        .unwrap_err();
        assert_eq!(e.len(), 4);
        assert!(e[0].contains("beyond any real workload"));
        assert!(e[2].contains("64 MB is not allowed"));
        assert!(validate(&input(f64::NAN, 1.0, 128)).is_err());
        assert!(validate(&input(0.0, 1_000_000.0, 128)).unwrap_err()[0].contains("15 minutes"));
        assert!(validate(&input(0.0, 1.0, 128)).is_ok());
        assert_eq!(money(1234.5), "$1,234.50");
        assert_eq!(money(0.000123), "$0.000123");
    }

    proptest! {
        #[test]
        fn cost_never_decreases_when_usage_grows(inv in 0.0f64..1e11, more in 0.0f64..1e9, ms in 1.0f64..900_000.0, extra_ms in 0.0f64..1000.0, mem in 128u32..=10_240) {
            let a = bill(&US_EAST_1, &input(inv, ms, mem)).total;
            let b = bill(&US_EAST_1, &input(inv + more, (ms + extra_ms).min(900_000.0), mem)).total;
            prop_assert!(b >= a - 1e-9);
        }

        #[test]
        fn zero_traffic_costs_nothing(ms in 1.0f64..900_000.0, mem in 128u32..=10_240) {
            prop_assert_eq!(bill(&US_EAST_1, &input(0.0, ms, mem)).total, 0.0);
        }
    }
}

pub mod charts;
pub mod state;
