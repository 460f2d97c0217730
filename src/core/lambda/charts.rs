//! Lambda cost charts (`core::chart`: SVG themed through `currentColor`).

use super::{bill, break_even_utilization, provisioned, LambdaInput, LambdaPrices, Provisioned};
use crate::core::chart::{
    fmt_count, fmt_dollars, fmt_percent, LineChart, Series, BLUE, GREEN, ORANGE,
};

/// Memory at which a function has one full vCPU (AWS Lambda docs: 1,769 MB).
pub const ONE_VCPU_MB: f64 = 1769.0;

/// Duration at `memory` under the labelled assumption that compute scales with memory up to
/// one vCPU and not beyond (single-threaded work).
pub fn scaled_duration(base_ms: f64, base_mb: u32, memory: u32) -> f64 {
    base_ms * (base_mb as f64).min(ONE_VCPU_MB) / (memory as f64).min(ONE_VCPU_MB)
}

fn line_chart(points: Vec<(f64, f64)>, marked: (f64, f64), x_desc: &str, log_x: bool) -> String {
    LineChart {
        bars: None,
        x_grid: true,
        x_whole: false,
        series: vec![Series {
            name: "monthly cost",
            points,
            color: BLUE,
        }],
        dots: vec![(marked, ORANGE)],
        guides: vec![],
        x_desc,
        y_desc: "US$ per month",
        log_x,
        x_fmt: fmt_count,
        y_fmt: fmt_dollars,
        y_max: None,
        legend: false,
    }
    .render()
}

/// Monthly cost against memory size; with `scale`, duration shrinks as memory grows (up to
/// one vCPU).
pub fn cost_vs_memory(p: &LambdaPrices, i: &LambdaInput, scale: bool) -> String {
    let at = |m: u32| {
        let d = if scale {
            scaled_duration(i.duration_ms, i.memory_mb, m)
        } else {
            i.duration_ms
        };
        bill(
            p,
            &LambdaInput {
                memory_mb: m,
                duration_ms: d.min(super::MAX_DURATION_MS),
                ..*i
            },
        )
        .total
    };
    let points: Vec<(f64, f64)> = (0..=80)
        .map(|k| 128 + (10_240 - 128) * k / 80)
        .map(|m| (m as f64, at(m)))
        .collect();
    line_chart(
        points,
        (i.memory_mb as f64, at(i.memory_mb)),
        "memory (MB)",
        false,
    )
}

/// Monthly cost against invocations per month (log axis).
pub fn cost_vs_invocations(p: &LambdaPrices, i: &LambdaInput) -> String {
    let max = (i.invocations_month.max(1e3) * 100.0).min(1e13);
    let points: Vec<(f64, f64)> = (0..=80)
        .map(|k| 10f64.powf(2.0 + (max.log10() - 2.0) * k as f64 / 80.0))
        .map(|n| {
            (
                n,
                bill(
                    p,
                    &LambdaInput {
                        invocations_month: n,
                        ..*i
                    },
                )
                .total,
            )
        })
        .collect();
    line_chart(
        points,
        (i.invocations_month.max(100.0), bill(p, i).total),
        "invocations per month (log scale)",
        true,
    )
}

/// Monthly cost of the same work on-demand and on provisioned concurrency, against the
/// utilization of the configured concurrency (0–150%; beyond 100% the excess spills over to
/// on-demand). Both without free tier (a function with provisioned concurrency has none);
/// requests cost the same both ways and are included. The guide marks the break-even
/// utilization, the dot this function's.
pub fn cost_vs_utilization(p: &LambdaPrices, i: &LambdaInput, pc: &Provisioned) -> String {
    let gb = i.memory_mb as f64 / 1024.0;
    let seconds = pc.billed_seconds();
    let capacity_gb_s = pc.concurrency as f64 * gb * seconds;
    let billed_s = i.billing.round_ms(i.duration_ms) / 1000.0;
    let at = |u: f64| {
        let inv = u * capacity_gb_s / (billed_s * gb);
        let x = LambdaInput {
            invocations_month: inv,
            free_tier: false,
            ..*i
        };
        (bill(p, &x).total, provisioned(p, &x, pc).total)
    };
    let xs: Vec<f64> = (0..=60).map(|k| k as f64 * 1.5 / 60.0).collect();
    let on_demand = xs.iter().map(|&u| (u, at(u).0)).collect();
    let pc_line = xs.iter().map(|&u| (u, at(u).1)).collect();
    let used = provisioned(p, i, pc).utilization;
    let dot_u = used.min(1.5);
    LineChart {
        bars: None,
        x_grid: true,
        x_whole: false,
        series: vec![
            Series {
                name: "on-demand",
                points: on_demand,
                color: BLUE,
            },
            Series {
                name: "provisioned concurrency",
                points: pc_line,
                color: GREEN,
            },
        ],
        dots: vec![((dot_u, at(dot_u).1), ORANGE)],
        guides: vec![break_even_utilization(p, i.arch)],
        x_desc: "utilization of the provisioned concurrency",
        y_desc: "US$ per month",
        log_x: false,
        x_fmt: fmt_percent,
        y_fmt: fmt_dollars,
        y_max: None,
        legend: true,
    }
    .render()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::lambda::{state::LambdaState, US_EAST_1};

    #[test]
    fn scaling_assumption() {
        assert_eq!(scaled_duration(1000.0, 512, 1024), 500.0);
        assert_eq!(
            scaled_duration(1000.0, 1769, 3538),
            1000.0,
            "no speed-up past one vCPU"
        );
        assert_eq!(scaled_duration(1000.0, 128, 128), 1000.0);
    }

    #[test]
    fn charts_render() {
        let i = LambdaState::default().input().unwrap();
        for svg in [
            cost_vs_memory(&US_EAST_1, &i, false),
            cost_vs_memory(&US_EAST_1, &i, true),
            cost_vs_invocations(&US_EAST_1, &i),
            cost_vs_utilization(
                &US_EAST_1,
                &i,
                &crate::core::lambda::Provisioned {
                    concurrency: 10,
                    hours: 730.0,
                },
            ),
        ] {
            assert!(
                svg.starts_with("<svg") && svg.contains("currentColor") && svg.contains("<circle")
            );
        }
    }
}
