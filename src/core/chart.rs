//! Line charts drawn with plotters into SVG strings, shared by the calculators.
//!
//! Text and axes are drawn in a placeholder colour that is then replaced by `currentColor`,
//! so a chart follows the page's light or dark theme. Charts carry no user text: series
//! names and axis titles are fixed strings, numbers are formatted here.

use plotters::chart::{MeshStyle, SeriesLabelStyle};
use plotters::coord::CoordTranslate;
use plotters::prelude::*;

pub const INK: RGBColor = RGBColor(1, 2, 3);
pub const BLUE: RGBColor = RGBColor(59, 130, 246);
pub const ORANGE: RGBColor = RGBColor(234, 138, 12);
pub const GREEN: RGBColor = RGBColor(22, 163, 74);

/// Replaces the placeholder ink with `currentColor`.
pub fn themed(svg: String) -> String {
    svg.replace("#010203", "currentColor")
}

/// One line of a chart.
pub struct Series {
    pub name: &'static str,
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
}

/// A line chart: series, dots marking points of interest, vertical guides.
pub struct LineChart<'a> {
    pub series: Vec<Series>,
    /// Dots (position, colour).
    pub dots: Vec<((f64, f64), RGBColor)>,
    /// Vertical guide lines at these x values (e.g. a break-even point).
    pub guides: Vec<f64>,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub log_x: bool,
    pub x_fmt: fn(&f64) -> String,
    pub y_fmt: fn(&f64) -> String,
    /// Upper bound of the y axis; `None` fits the data.
    pub y_max: Option<f64>,
    /// Draw a legend of the series names.
    pub legend: bool,
}

/// `1,234` for axis labels.
pub fn fmt_count(x: &f64) -> String {
    crate::core::format::thousands(x.round().max(0.0) as u128)
}

/// `$1.23` or `$12,345` for axis labels; below $1 the style of [`crate::core::format::money`]
/// (three significant digits), so an axis of tiny amounts does not read $0.00 throughout.
pub fn fmt_dollars(y: &f64) -> String {
    if y.abs() >= 1000.0 {
        format!("${}", fmt_count(y))
    } else {
        crate::core::format::money(*y)
    }
}

/// `40%` for axis labels (x given as a fraction).
pub fn fmt_percent(x: &f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The shared look of every chart's mesh: axes, labels and faint grid lines in the ink
/// colour (turned into `currentColor` by [`themed`]).
pub fn theme_mesh<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.axis_style(INK)
        .bold_line_style(INK.mix(0.15))
        .light_line_style(INK.mix(0.0))
        .label_style(("sans-serif", 14).into_font().color(&INK))
        .axis_desc_style(("sans-serif", 14).into_font().color(&INK))
}

/// The shared legend: upper right, ink text, a faint border, no fill.
pub fn theme_legend<'m, 'a, 'b, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    labels: &'m mut SeriesLabelStyle<'a, 'b, DB, CT>,
) -> &'m mut SeriesLabelStyle<'a, 'b, DB, CT> {
    labels
        .position(SeriesLabelPosition::UpperRight)
        .label_font(("sans-serif", 13).into_font().color(&INK))
        .background_style(WHITE.mix(0.0))
        .border_style(INK.mix(0.3))
}

impl LineChart<'_> {
    /// The chart as an SVG string; empty when there is nothing to draw or plotters fails.
    pub fn render(&self) -> String {
        let all = || self.series.iter().flat_map(|s| s.points.iter());
        let Some(first) = all().next() else {
            return String::new();
        };
        let (mut x0, mut x1) = (first.0, first.0);
        let mut ymax: f64 = 0.0;
        for p in all().chain(self.dots.iter().map(|d| &d.0)) {
            if !p.0.is_finite() || !p.1.is_finite() {
                return String::new();
            }
            x0 = x0.min(p.0);
            x1 = x1.max(p.0);
            ymax = ymax.max(p.1);
        }
        if x1 <= x0 || (self.log_x && x0 <= 0.0) {
            return String::new();
        }
        let ymax = self.y_max.unwrap_or(ymax.max(0.01) * 1.1);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (720, 300)).into_drawing_area();
            let ok = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
                macro_rules! draw {
                    ($chart:expr) => {{
                        let mut chart = $chart;
                        theme_mesh(&mut chart.configure_mesh())
                            .x_desc(self.x_desc)
                            .y_desc(self.y_desc)
                            .x_label_formatter(&self.x_fmt)
                            .y_label_formatter(&self.y_fmt)
                            .draw()?;
                        for g in &self.guides {
                            chart.draw_series(std::iter::once(PathElement::new(
                                vec![(*g, 0.0), (*g, ymax)],
                                INK.mix(0.45).stroke_width(2),
                            )))?;
                        }
                        for s in &self.series {
                            let color = s.color;
                            let drawn = chart.draw_series(LineSeries::new(
                                s.points.iter().copied(),
                                color.stroke_width(3),
                            ))?;
                            if self.legend {
                                drawn.label(s.name).legend(move |(x, y)| {
                                    PathElement::new(
                                        vec![(x, y), (x + 16, y)],
                                        color.stroke_width(3),
                                    )
                                });
                            }
                        }
                        chart.draw_series(
                            self.dots
                                .iter()
                                .map(|(p, c)| Circle::new(*p, 6, c.filled())),
                        )?;
                        if self.legend {
                            theme_legend(&mut chart.configure_series_labels()).draw()?;
                        }
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
                if self.log_x {
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
        themed(svg)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn chart(points: Vec<(f64, f64)>) -> LineChart<'static> {
        LineChart {
            series: vec![Series {
                name: "a",
                points,
                color: BLUE,
            }],
            dots: vec![((2.0, 1.0), ORANGE)],
            guides: vec![1.5],
            x_desc: "x",
            y_desc: "y",
            log_x: false,
            x_fmt: fmt_count,
            y_fmt: fmt_dollars,
            y_max: None,
            legend: true,
        }
    }

    #[test]
    fn renders_themed_svg_with_dots_and_legend() {
        let svg = chart(vec![(1.0, 0.0), (3.0, 2.0)]).render();
        assert!(svg.starts_with("<svg") && svg.contains("currentColor"));
        assert!(svg.contains("<circle") && svg.contains("\na\n"));
        assert!(!svg.contains("#010203"));
    }

    #[test]
    fn degenerate_input_draws_nothing() {
        let no_dots = |points| LineChart {
            dots: vec![],
            ..chart(points)
        };
        assert_eq!(no_dots(vec![]).render(), "");
        assert_eq!(no_dots(vec![(1.0, 1.0), (1.0, 2.0)]).render(), "");
        assert_eq!(no_dots(vec![(1.0, f64::NAN), (2.0, 1.0)]).render(), "");
        assert_eq!(
            LineChart {
                log_x: true,
                ..no_dots(vec![(0.0, 1.0), (2.0, 1.0)])
            }
            .render(),
            ""
        );
    }

    #[test]
    fn axis_labels() {
        assert_eq!(fmt_dollars(&1.5), "$1.50");
        assert_eq!(fmt_dollars(&12345.0), "$12,345");
        assert_eq!(fmt_percent(&0.289), "29%");
        assert_eq!(fmt_count(&1234.4), "1,234");
    }
}
