//! Charts of the durability calculators, drawn with plotters into SVG strings.
//!
//! Text and axes are drawn in a placeholder colour that is then replaced by `currentColor`,
//! so the charts follow the page's light or dark theme.

use super::math::at_least_once;
use super::model::Bar;
use plotters::prelude::*;

use crate::core::chart::{
    fmt_count, fmt_percent, theme_legend, theme_mesh, themed, LineChart, Series, BLUE, ORANGE,
};

/// The failure distribution: binomial bars with the Poisson approximation as a line.
pub fn distribution(bars: &[Bar]) -> String {
    let mut svg = String::new();
    if bars.is_empty() {
        return svg;
    }
    let x0 = bars[0].k as f64 - 0.5;
    let x1 = bars[bars.len() - 1].k as f64 + 0.5;
    let width = if bars.len() > 1 {
        (bars[1].k - bars[0].k) as f64
    } else {
        1.0
    };
    let ymax = bars
        .iter()
        .map(|b| b.binomial.max(b.poisson))
        .fold(0.0, f64::max)
        * 1.1;
    {
        let root = SVGBackend::with_string(&mut svg, (720, 300)).into_drawing_area();
        let result = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(42)
                .y_label_area_size(64)
                .build_cartesian_2d(x0..x1, 0.0..ymax.max(1e-12))?;
            theme_mesh(&mut chart.configure_mesh())
                .disable_x_mesh()
                .x_desc("failures in the period")
                .y_desc("probability")
                .y_label_formatter(&|y| format!("{:.3}", y))
                .x_label_formatter(&|x| format!("{}", x.round() as i64))
                .draw()?;
            chart
                .draw_series(bars.iter().map(|b| {
                    let k = b.k as f64;
                    Rectangle::new(
                        [(k - 0.4 * width, 0.0), (k + 0.4 * width, b.binomial)],
                        BLUE.mix(0.8).filled(),
                    )
                }))?
                .label("binomial")
                .legend(|(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], BLUE.mix(0.8).filled())
                });
            chart
                .draw_series(LineSeries::new(
                    bars.iter().map(|b| (b.k as f64, b.poisson)),
                    ORANGE.stroke_width(2),
                ))?
                .label("Poisson approximation")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 14, y)], ORANGE.stroke_width(2))
                });
            theme_legend(&mut chart.configure_series_labels()).draw()?;
            root.present()?;
            Ok(())
        })();
        if result.is_err() {
            return String::new();
        }
    }
    themed(svg)
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
        guides: vec![],
        x_desc: "drives in the fleet (log scale)",
        y_desc: "P(at least one failure)",
        log_x: true,
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
    }
}
