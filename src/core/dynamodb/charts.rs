//! DynamoDB cost charts: on-demand against provisioned by utilization, and by traffic.

use super::pricing::PriceTable;
use super::state::{report, Workload};
use crate::core::chart::{
    fmt_count, fmt_dollars, fmt_percent, LineChart, Series, BLUE, GREEN, ORANGE,
};

/// The two lines every chart here draws.
fn both(od: Vec<(f64, f64)>, prov: Vec<(f64, f64)>) -> Vec<Series> {
    vec![
        Series {
            name: "on-demand",
            points: od,
            color: BLUE,
        },
        Series {
            name: "provisioned",
            points: prov,
            color: GREEN,
        },
    ]
}

fn totals(w: &Workload, t: &PriceTable) -> (f64, f64) {
    let r = report(w, t);
    (r.on_demand_total, r.provisioned_total)
}

/// The lowest utilization (to 0.1%) at which provisioned capacity costs no more than
/// on-demand for this workload, free tiers included; `None` when it never does.
pub fn break_even(w: &Workload, t: &PriceTable) -> Option<f64> {
    let at = |u: f64| {
        totals(
            &Workload {
                utilization: u,
                ..w.clone()
            },
            t,
        )
    };
    let (od, prov) = at(1.0);
    if prov > od {
        return None;
    }
    // Provisioned cost falls as utilization rises: bisect to the crossing.
    let (mut lo, mut hi) = (0.001, 1.0);
    if at(lo).1 <= at(lo).0 {
        return Some(lo);
    }
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        let (od, prov) = at(mid);
        if prov <= od {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some((hi * 1000.0).ceil() / 1000.0)
}

/// Monthly cost on demand (flat) and provisioned, against the target utilization, with
/// the break-even point as a guide and the user's utilization as a dot.
pub fn cost_vs_utilization(w: &Workload, t: &PriceTable) -> String {
    let xs: Vec<f64> = (5..=100).map(|p| p as f64 / 100.0).collect();
    let (mut od, mut prov) = (vec![], vec![]);
    for &u in &xs {
        let (o, p) = totals(
            &Workload {
                utilization: u,
                ..w.clone()
            },
            t,
        );
        od.push((u, o));
        prov.push((u, p));
    }
    let here = totals(w, t);
    let top = od
        .iter()
        .map(|p| p.1)
        .fold(here.0.max(here.1), f64::max)
        .max(0.01);
    LineChart {
        bars: None,
        x_grid: true,
        x_whole: false,
        series: both(od, prov),
        dots: vec![((w.utilization, here.1), ORANGE)],
        guides: break_even(w, t)
            .filter(|u| *u >= 0.05)
            .into_iter()
            .collect(),
        x_desc: "target utilization of provisioned capacity",
        y_desc: "US$ per month",
        log_x: false,
        x_fmt: fmt_percent,
        y_fmt: fmt_dollars,
        // Provisioned at 5% can dwarf everything else: keep the crossing readable.
        y_max: Some(top * 3.0),
        legend: true,
    }
    .render()
}

/// Monthly cost both ways as the whole workload scales from nothing to four times today's
/// traffic, against average requests per second; the dots are today's workload.
pub fn cost_vs_traffic(w: &Workload, t: &PriceTable) -> String {
    let rps = w.requests_per_second();
    if rps <= 0.0 {
        return String::new();
    }
    let (mut od, mut prov) = (vec![], vec![]);
    for i in 0..=80 {
        let k = 4.0 * i as f64 / 80.0;
        let (o, p) = totals(&w.scaled(k), t);
        od.push((rps * k, o));
        prov.push((rps * k, p));
    }
    let here = totals(w, t);
    LineChart {
        bars: None,
        x_grid: true,
        x_whole: false,
        series: both(od, prov),
        dots: vec![((rps, here.0), ORANGE), ((rps, here.1), ORANGE)],
        guides: vec![],
        x_desc: "average requests per second",
        y_desc: "US$ per month",
        log_x: false,
        x_fmt: |x| {
            if x.abs() < 10.0 {
                format!("{}", (x * 100.0).round() / 100.0)
            } else {
                fmt_count(x)
            }
        },
        y_fmt: fmt_dollars,
        y_max: None,
        legend: true,
    }
    .render()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::dynamodb::state::{DynamoState, TABLE};

    fn workload(lines: &str, free: bool) -> Workload {
        let mut s = DynamoState {
            free_tier: free,
            stored_items: "0".into(),
            ..Default::default()
        };
        s.lines = vec![super::super::state::Line {
            rate: lines.into(),
            mode: super::super::capacity::Consistency::Strong,
            ..Default::default()
        }];
        s.workload().unwrap()
    }

    #[test]
    fn break_even_matches_the_price_ratio() {
        // Without free tiers and with enough traffic that rounding is negligible, the
        // crossing is the price ratio: 0.00013 / (3,600 × 0.125e-6) = 28.9%.
        let w = workload("100000", false);
        let u = break_even(&w, &TABLE).unwrap();
        assert!((u - 0.2889).abs() < 0.002, "{u}");
        // 10 RCU with the free 25: provisioned charges (ceil(10 / u) − 25) RCU, which
        // matches on-demand's $3.285 at about 10 / 59.6 = 16.8%, well below 28.9%.
        let small = workload("10", true);
        let u = break_even(&small, &TABLE).unwrap();
        assert!((0.16..0.18).contains(&u), "{u}");
    }

    #[test]
    fn charts_render() {
        let w = DynamoState::default().workload().unwrap();
        for svg in [cost_vs_utilization(&w, &TABLE), cost_vs_traffic(&w, &TABLE)] {
            assert!(
                svg.starts_with("<svg") && svg.contains("on-demand") && svg.contains("<circle")
            );
        }
        assert_eq!(cost_vs_traffic(&w.scaled(0.0), &TABLE), "");
    }
}
