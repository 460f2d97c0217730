//! Lambda cost: requests, duration in GB-seconds with monthly volume tiers per architecture,
//! the shared free tier, and ephemeral storage above 512 MB, as versioned price tables.
//!
//! Sources: https://aws.amazon.com/lambda/pricing/ (checked 2026-11-21) and
//! ../shared/facts/pricing-and-sizing.md. The course notes' rules (100 ms rounding) are kept
//! only as the clearly labelled historic billing model. Provisioned concurrency has no
//! verified price in the facts yet, so it is not priced here (the page will say so).
//!
//! The page (issue 4) is still to come; this is the model it builds on.

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

pub use crate::core::format::money;
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
            money(here * price),
        ));
        left -= here;
    }
    (total, steps)
}

/// The monthly bill.
pub fn bill(p: &LambdaPrices, i: &LambdaInput) -> LambdaBill {
    let billed_ms = i.billing.round_ms(i.duration_ms);
    let gb = i.memory_mb as f64 / 1024.0;
    let gb_s = i.invocations_month * billed_ms / 1000.0 * gb;
    let free_req = if i.free_tier { p.free_requests } else { 0.0 };
    let free_gbs = if i.free_tier { p.free_gb_s } else { 0.0 };
    let billable_req = (i.invocations_month - free_req).max(0.0);
    let requests = billable_req / 1e6 * p.request_million;
    let billable_gbs = (gb_s - free_gbs).max(0.0);
    let tiers = match i.arch {
        Arch::X86 => &p.x86_tiers,
        Arch::Arm => &p.arm_tiers,
    };
    let (compute, tier_steps) = tiered(billable_gbs, tiers);
    let extra_gb = (i.ephemeral_mb - INCLUDED_EPHEMERAL_MB) as f64 / 1024.0;
    let eph_gb_s = i.invocations_month * billed_ms / 1000.0 * extra_gb;
    let ephemeral = eph_gb_s * p.ephemeral_gb_s;
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
    let lines = vec![
        LineItem {
            id: "lambda-requests",
            label: "Requests",
            amount: requests,
            steps: vec![Step::new(
                "Billable requests × $0.20 per million",
                format!(
                    "({} − {}) / 10^6 × ${}",
                    crate::core::durability::math::sig(i.invocations_month, 12),
                    free_req,
                    p.request_million
                ),
                money(requests),
            )],
        },
        LineItem {
            id: "lambda-compute",
            label: "Compute (duration)",
            amount: compute,
            steps: compute_steps,
        },
        LineItem {
            id: "lambda-ephemeral",
            label: "Ephemeral storage above 512 MB",
            amount: ephemeral,
            steps: vec![Step::new(
                "Extra GB × seconds × price",
                format!(
                    "{} GB × {} s·invocations × ${}",
                    extra_gb,
                    crate::core::durability::math::sig(
                        i.invocations_month * billed_ms / 1000.0,
                        10
                    ),
                    p.ephemeral_gb_s
                ),
                money(ephemeral),
            )],
        },
    ];
    let total = requests + compute + ephemeral;
    LambdaBill {
        billed_ms,
        gb_s,
        lines,
        total,
    }
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
        assert_eq!(money(0.000123), "$0.0001");
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
