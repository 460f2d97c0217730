//! Lambda cost charts (plotters SVG, themed through `currentColor`).

use super::{bill, LambdaInput, LambdaPrices};
use plotters::prelude::*;

const INK: RGBColor = RGBColor(1, 2, 3);
const BLUE: RGBColor = RGBColor(59, 130, 246);
const ORANGE: RGBColor = RGBColor(234, 138, 12);
/// Memory at which a function has one full vCPU (AWS Lambda docs: 1,769 MB).
pub const ONE_VCPU_MB: f64 = 1769.0;

/// Duration at `memory` under the labelled assumption that compute scales with memory up to
/// one vCPU and not beyond (single-threaded work).
pub fn scaled_duration(base_ms: f64, base_mb: u32, memory: u32) -> f64 {
    base_ms * (base_mb as f64).min(ONE_VCPU_MB) / (memory as f64).min(ONE_VCPU_MB)
}

fn line_chart(points: &[(f64, f64)], marked: (f64, f64), x_desc: &str, log_x: bool) -> String {
    let mut svg = String::new();
    let (x0, x1) = (
        points.first().map(|p| p.0).unwrap_or(1.0),
        points.last().map(|p| p.0).unwrap_or(2.0),
    );
    let ymax = points
        .iter()
        .map(|p| p.1)
        .fold(marked.1, f64::max)
        .max(0.01)
        * 1.1;
    {
        let root = SVGBackend::with_string(&mut svg, (720, 300)).into_drawing_area();
        let ok = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            macro_rules! draw {
                ($chart:expr) => {{
                    let mut chart = $chart;
                    chart
                        .configure_mesh()
                        .x_desc(x_desc)
                        .y_desc("US$ per month")
                        .axis_style(INK)
                        .bold_line_style(INK.mix(0.15))
                        .light_line_style(INK.mix(0.0))
                        .label_style(("sans-serif", 14).into_font().color(&INK))
                        .axis_desc_style(("sans-serif", 14).into_font().color(&INK))
                        .x_label_formatter(&|x| {
                            crate::core::format::thousands(x.round().max(0.0) as u128)
                        })
                        .y_label_formatter(&|y| format!("${y:.2}"))
                        .draw()?;
                    chart.draw_series(LineSeries::new(
                        points.iter().copied(),
                        BLUE.stroke_width(3),
                    ))?;
                    chart.draw_series(std::iter::once(Circle::new(marked, 6, ORANGE.filled())))?;
                }};
            }
            let builder = || {
                let mut b = ChartBuilder::on(&root);
                b.margin(12)
                    .margin_right(40)
                    .x_label_area_size(42)
                    .y_label_area_size(72);
                b
            };
            if log_x {
                draw!(builder().build_cartesian_2d((x0..x1).log_scale(), 0f64..ymax)?);
            } else {
                draw!(builder().build_cartesian_2d(x0..x1, 0f64..ymax)?);
            }
            root.present()?;
            Ok(())
        })();
        if ok.is_err() {
            return String::new();
        }
    }
    svg.replace("#010203", "currentColor")
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
        &points,
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
        &points,
        (i.invocations_month.max(100.0), bill(p, i).total),
        "invocations per month (log scale)",
        true,
    )
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
        ] {
            assert!(
                svg.starts_with("<svg") && svg.contains("currentColor") && svg.contains("<circle")
            );
        }
    }
}
