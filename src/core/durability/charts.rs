//! Charts of the durability calculators (`core::chart`: SVG strings themed through
//! `currentColor`).

use super::math::at_least_once;
use super::model::Bar;

use crate::core::chart::{fmt_count, fmt_percent, Bars, LineChart, Series, BLUE, ORANGE};

/// The failure distribution: binomial bars with the Poisson approximation as a line.
pub fn distribution(bars: &[Bar]) -> String {
    if bars.is_empty() {
        return String::new();
    }
    // Probabilities: the axis fits the tallest bar or point, however small (the default
    // floor is for amounts of money).
    let top = bars
        .iter()
        .map(|b| b.binomial.max(b.poisson))
        .fold(0.0, f64::max);
    let width = if bars.len() > 1 {
        (bars[1].k - bars[0].k) as f64
    } else {
        1.0
    };
    LineChart {
        series: vec![Series {
            name: "Poisson approximation",
            points: bars.iter().map(|b| (b.k as f64, b.poisson)).collect(),
            color: ORANGE,
        }],
        bars: Some(Bars {
            name: "binomial",
            points: bars.iter().map(|b| (b.k as f64, b.binomial)).collect(),
            width,
            color: BLUE,
        }),
        dots: vec![],
        guides: vec![],
        x_desc: "failures in the period",
        y_desc: "probability",
        log_x: false,
        x_grid: false,
        x_whole: true,
        x_fmt: |x| format!("{}", x.round() as i64),
        // Ticks are 1, 2 or 5 × 10ⁿ: two significant digits name each exactly.
        y_fmt: |y| super::math::sig(*y, 2),
        y_max: (top > 0.0).then_some(top * 1.1),
        legend: true,
    }
    .render()
}

/// P(at least one failure in the period) against fleet size, on a log axis, with the user's
/// fleet marked; `q` is one drive's chance of failing in the period.
pub fn any_failure_vs_fleet(q: f64, marked: u64) -> String {
    let max_n = (marked.max(10) as f64 * 100.0).min(1e9);
    let points: Vec<(f64, f64)> = (0..=120)
        .map(|i| 10f64.powf(i as f64 / 120.0 * max_n.log10()))
        .map(|n| (n, at_least_once(q, n)))
        .collect();
    let marked = marked.max(1) as f64;
    LineChart {
        series: vec![Series {
            name: "P(at least one failure)",
            points,
            color: BLUE,
        }],
        dots: vec![((marked, at_least_once(q, marked)), ORANGE)],
        bars: None,
        guides: vec![],
        x_desc: "drives in the fleet (log scale)",
        y_desc: "P(at least one failure)",
        log_x: true,
        x_grid: true,
        x_whole: false,
        x_fmt: fmt_count,
        y_fmt: fmt_percent,
        y_max: Some(1.0),
        legend: false,
    }
    .render()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::durability::model::fleet;

    #[test]
    fn charts_are_themed_svg() {
        let f = fleet(1000, 0.02, 365.0, 1);
        let svg = distribution(&f.bars);
        assert!(
            svg.starts_with("<svg") && svg.contains("currentColor") && !svg.contains("#010203")
        );
        assert!(svg.contains("Poisson approximation"));
        let svg = any_failure_vs_fleet(f.q, 1000);
        assert!(svg.contains("<circle") && svg.contains("currentColor"));
        assert!(distribution(&[]).is_empty());
        // A small fleet: a few bars, labelled at whole failure counts only.
        let small = fleet(10, 0.02, 365.0, 1);
        let svg = distribution(&small.bars);
        assert!(
            svg.contains(">0</text>") && !svg.contains(">-1</text>"),
            "{svg}"
        );
        // A large one: the axis fits the distribution's low peak (no floor at 0.01).
        let large = fleet(1_000_000, 0.02, 365.0, 1);
        let svg = distribution(&large.bars);
        assert!(
            svg.contains(">0.002</text>") && !svg.contains(">0.01</text>"),
            "{svg}"
        );
        // Every y label names its tick exactly (no two ticks read the same).
        let f = fleet(1000, 0.02, 365.0, 1);
        let svg = distribution(&f.bars);
        assert!(
            svg.contains(">0.09</text>") && svg.contains(">0.01</text>"),
            "{svg}"
        );
    }
}
