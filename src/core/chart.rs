//! Line and bar charts drawn into SVG strings, shared by the calculators.
//!
//! Text, axes and grid lines are drawn in `currentColor`, so a chart follows the page's
//! light or dark theme. Charts carry no user text: series names and axis titles are fixed
//! strings, numbers are formatted here. The drawing is our own (about 400 lines) rather than
//! a charting crate's: plotters cost each calculator's module about 20 KB gzip
//! (docs/size.md), for the axes, lines, dots and bars drawn here.

use crate::core::format::xml_escape as esc;
use std::fmt::Write;

/// Series colours (CSS colours; the same in both themes).
pub const BLUE: &str = "#3b82f6";
pub const ORANGE: &str = "#ea8a0c";
pub const GREEN: &str = "#16a34a";

/// The SVG's size in user units (it scales to its container).
const W: f64 = 720.0;
const H: f64 = 300.0;
/// The plot area inside it: room for the y labels and title on the left, the x labels and
/// title below.
const LEFT: f64 = 84.0;
const RIGHT: f64 = 680.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 246.0;
/// About this many labelled ticks on an axis.
const TICKS: f64 = 10.0;

/// One line of a chart.
pub struct Series {
    pub name: &'static str,
    pub points: Vec<(f64, f64)>,
    pub color: &'static str,
}

/// Bars standing on the x axis, one per point (x, height), each `width` wide in x units.
pub struct Bars {
    pub name: &'static str,
    pub points: Vec<(f64, f64)>,
    pub width: f64,
    pub color: &'static str,
}

/// A chart: bars, lines, dots marking points of interest, vertical guides.
pub struct LineChart<'a> {
    pub series: Vec<Series>,
    /// Drawn under the lines, listed first in the legend.
    pub bars: Option<Bars>,
    /// Dots (position, colour).
    pub dots: Vec<((f64, f64), &'static str)>,
    /// Vertical guide lines at these x values (e.g. a break-even point).
    pub guides: Vec<f64>,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    /// A logarithmic x axis (every x must be above 0).
    pub log_x: bool,
    /// Vertical grid lines at the x ticks (horizontal ones are always drawn).
    pub x_grid: bool,
    /// The x values are whole numbers (counts): ticks only at whole numbers.
    pub x_whole: bool,
    pub x_fmt: fn(&f64) -> String,
    pub y_fmt: fn(&f64) -> String,
    /// Upper bound of the y axis; `None` fits the data (with 10% headroom). The y axis starts
    /// at 0.
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

/// Ticks on a linear axis from `lo` to `hi`: multiples of 1, 2 or 5 × 10ⁿ, the smallest such
/// step giving at most `n` intervals; empty when the range is empty or not finite.
pub fn linear_ticks(lo: f64, hi: f64, n: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && hi > lo && n >= 1.0) {
        return Vec::new();
    }
    let raw = (hi - lo) / n;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag);
    if !(step.is_finite() && step > 0.0) {
        return Vec::new();
    }
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    // At most n + 1 ticks by the choice of step; the bound keeps rounding from running on.
    (0..=(n as usize + 1))
        .map(|k| (first + k as f64) * step)
        .take_while(|t| *t / step <= last + 0.5)
        .collect()
}

/// Ticks at whole numbers from `lo` to `hi`: [`linear_ticks`] when their step is 1 or more,
/// else every whole number in the range (a handful: the range is under `n`).
pub fn whole_ticks(lo: f64, hi: f64, n: f64) -> Vec<f64> {
    let t = linear_ticks(lo, hi, n);
    match t.as_slice() {
        [a, b, ..] if b - a < 1.0 => {
            let (first, last) = (lo.ceil(), hi.floor());
            (0..=(n as usize + 1))
                .map(|k| first + k as f64)
                .take_while(|v| *v <= last)
                .collect()
        }
        _ => t,
    }
}

/// Ticks on a logarithmic axis from `lo` to `hi` (both above 0): the powers of ten inside
/// it (every other one, or sparser, past 10 decades), with 2× and 5× added when it spans
/// fewer than three decades.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > lo) {
        return Vec::new();
    }
    let (a, b) = (lo.log10(), hi.log10());
    let (first, last) = ((a - 1e-9).ceil() as i32, (b + 1e-9).floor() as i32);
    let decades = (last - first).max(0) as usize;
    let every = decades.div_ceil(10).max(1);
    let inside = |t: &f64| *t >= lo * (1.0 - 1e-9) && *t <= hi * (1.0 + 1e-9);
    let mut ticks: Vec<f64> = Vec::new();
    let fine = b - a < 3.0;
    for e in (first - 1)..=(last + 1) {
        if (e - first).rem_euclid(every as i32) != 0 && !fine {
            continue;
        }
        let p = 10f64.powi(e);
        let mults: &[f64] = if fine { &[1.0, 2.0, 5.0] } else { &[1.0] };
        ticks.extend(mults.iter().map(|m| m * p).filter(inside));
    }
    ticks
}

/// A coordinate with one decimal, written without float formatting.
fn px(v: f64) -> String {
    let t = (v * 10.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    let t = t.unsigned_abs();
    if t % 10 == 0 {
        format!("{sign}{}", t / 10)
    } else {
        format!("{sign}{}.{}", t / 10, t % 10)
    }
}

impl LineChart<'_> {
    /// The chart as an SVG string, 720 × 300 user units; empty when there is nothing to
    /// draw: no points, a point that is not finite, every point at one x, or a logarithmic
    /// axis reaching 0.
    pub fn render(&self) -> String {
        let half = self.bars.as_ref().map_or(0.0, |b| b.width.abs() / 2.0);
        let lines = self.series.iter().flat_map(|s| s.points.iter().copied());
        let bars: Vec<(f64, f64)> = self
            .bars
            .iter()
            .flat_map(|b| b.points.iter().copied())
            .collect();
        let dots = self.dots.iter().map(|d| d.0);
        let (mut x0, mut x1, mut top) = (f64::INFINITY, f64::NEG_INFINITY, 0f64);
        let mut any = false;
        for (p, pad) in lines
            .chain(dots)
            .map(|p| (p, 0.0))
            .chain(bars.iter().map(|p| (*p, half)))
        {
            if !p.0.is_finite() || !p.1.is_finite() || !half.is_finite() {
                return String::new();
            }
            any = true;
            x0 = x0.min(p.0 - pad);
            x1 = x1.max(p.0 + pad);
            top = top.max(p.1);
        }
        if !any || x1 <= x0 || (self.log_x && x0 <= 0.0) {
            return String::new();
        }
        let y_max = match self.y_max {
            Some(m) if m.is_finite() && m > 0.0 => m,
            _ => top.max(0.01) * 1.1,
        };
        let (l0, l1) = (x0.log10(), x1.log10());
        let fx = |x: f64| {
            let f = if self.log_x {
                (x.log10() - l0) / (l1 - l0)
            } else {
                (x - x0) / (x1 - x0)
            };
            LEFT + (RIGHT - LEFT) * f.clamp(0.0, 1.0)
        };
        let fy = |y: f64| BOTTOM - (BOTTOM - TOP) * (y / y_max).clamp(0.0, 1.0);
        // Unclamped, for lines that leave the plot area (cut at its edge, `clipped`).
        let fy_free = |y: f64| BOTTOM - (BOTTOM - TOP) * (y / y_max).clamp(-1e6, 1e6);

        let mut s = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="14">"#,
            w = px(W),
            h = px(H)
        );
        let y_ticks = linear_ticks(0.0, y_max, TICKS);
        let x_ticks = labelled(
            match (self.log_x, self.x_whole) {
                // A log axis inside one decade has no power of ten: round numbers instead.
                (true, _) => Some(log_ticks(x0, x1))
                    .filter(|t| t.len() >= 2)
                    .unwrap_or_else(|| linear_ticks(x0, x1, TICKS)),
                (false, true) => whole_ticks(x0, x1, TICKS),
                (false, false) => linear_ticks(x0, x1, TICKS),
            },
            self.x_fmt,
            &fx,
        );
        // Grid lines.
        s.push_str(r#"<g stroke="currentColor" stroke-opacity="0.15">"#);
        for t in &y_ticks {
            let _ = write!(
                s,
                r#"<path d="M{},{}H{}"/>"#,
                px(LEFT),
                px(fy(*t)),
                px(RIGHT)
            );
        }
        if self.x_grid {
            for (t, _) in &x_ticks {
                let _ = write!(
                    s,
                    r#"<path d="M{},{}V{}"/>"#,
                    px(fx(*t)),
                    px(TOP),
                    px(BOTTOM)
                );
            }
        }
        s.push_str("</g>");
        if let Some(b) = &self.bars {
            let _ = write!(s, r#"<g fill="{}" fill-opacity="0.8">"#, b.color);
            for (x, y) in &b.points {
                let (a, z) = (fx(x - 0.4 * b.width.abs()), fx(x + 0.4 * b.width.abs()));
                let _ = write!(
                    s,
                    r#"<rect x="{}" y="{}" width="{}" height="{}"/>"#,
                    px(a),
                    px(fy(*y)),
                    px(z - a),
                    px(BOTTOM - fy(*y))
                );
            }
            s.push_str("</g>");
        }
        for g in &self.guides {
            if g.is_finite() && *g >= x0 && *g <= x1 {
                let _ = write!(
                    s,
                    r#"<path d="M{},{}V{}" stroke="currentColor" stroke-opacity="0.45" stroke-width="2"/>"#,
                    px(fx(*g)),
                    px(TOP),
                    px(BOTTOM)
                );
            }
        }
        for line in &self.series {
            let points: Vec<(f64, f64)> = line
                .points
                .iter()
                .map(|(x, y)| (fx(*x), fy_free(*y)))
                .collect();
            let d = clipped(&points);
            if !d.is_empty() {
                let _ = write!(
                    s,
                    r#"<path d="{d}" fill="none" stroke="{}" stroke-width="3" stroke-linejoin="round"/>"#,
                    line.color
                );
            }
        }
        for ((x, y), color) in &self.dots {
            let _ = write!(
                s,
                r#"<circle cx="{}" cy="{}" r="6" fill="{color}"/>"#,
                px(fx(*x)),
                px(fy(*y))
            );
        }
        // Axes and tick marks.
        let mut d = format!("M{},{}V{}H{}", px(LEFT), px(TOP), px(BOTTOM), px(RIGHT));
        for t in &y_ticks {
            let _ = write!(d, "M{},{}h5", px(LEFT - 5.0), px(fy(*t)));
        }
        for (t, _) in &x_ticks {
            let _ = write!(d, "M{},{}v5", px(fx(*t)), px(BOTTOM));
        }
        let _ = write!(s, r#"<path d="{d}" fill="none" stroke="currentColor"/>"#);
        // Labels and titles.
        s.push_str(r#"<g fill="currentColor">"#);
        let mut last = String::new();
        for t in &y_ticks {
            let label = (self.y_fmt)(t);
            if label != last {
                let _ = write!(
                    s,
                    r#"<text x="{}" y="{}" dy="0.35em" text-anchor="end">{}</text>"#,
                    px(LEFT - 8.0),
                    px(fy(*t)),
                    esc(&label)
                );
            }
            last = label;
        }
        for (t, label) in &x_ticks {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
                px(fx(*t)),
                px(BOTTOM + 20.0),
                esc(label)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text><text transform="translate(18 {}) rotate(-90)" dy="0.35em" text-anchor="middle">{}</text>"#,
            px((LEFT + RIGHT) / 2.0),
            px(H - 8.0),
            esc(self.x_desc),
            px((TOP + BOTTOM) / 2.0),
            esc(self.y_desc)
        );
        if self.legend {
            self.draw_legend(&mut s);
        }
        s.push_str("</g></svg>");
        s
    }

    /// The legend, upper right: a swatch and the name of the bars and of each line.
    fn draw_legend(&self, s: &mut String) {
        let entries: Vec<(&str, &str, bool)> = self
            .bars
            .iter()
            .map(|b| (b.name, b.color, true))
            .chain(self.series.iter().map(|l| (l.name, l.color, false)))
            .collect();
        if entries.is_empty() {
            return;
        }
        let chars = entries
            .iter()
            .map(|e| e.0.chars().count())
            .max()
            .unwrap_or(0);
        let (w, h) = (
            44.0 + 7.0 * chars as f64,
            12.0 + 20.0 * entries.len() as f64,
        );
        let (bx, by) = (RIGHT - w - 10.0, TOP + 10.0);
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="currentColor" stroke-opacity="0.3"/>"#,
            px(bx),
            px(by),
            px(w),
            px(h)
        );
        for (i, (name, color, bar)) in entries.into_iter().enumerate() {
            let y = by + 16.0 + 20.0 * i as f64;
            if bar {
                let _ = write!(
                    s,
                    r#"<rect x="{}" y="{}" width="14" height="10" fill="{color}" fill-opacity="0.8"/>"#,
                    px(bx + 10.0),
                    px(y - 5.0)
                );
            } else {
                let _ = write!(
                    s,
                    r#"<path d="M{},{}h16" stroke="{color}" stroke-width="3"/>"#,
                    px(bx + 9.0),
                    px(y)
                );
            }
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" dy="0.35em" font-size="13">{}</text>"#,
                px(bx + 32.0),
                px(y),
                esc(name)
            );
        }
    }
}

/// A line through screen points as path data, cut where it leaves the plot area's height
/// (a line above the y axis's top goes off the chart rather than along its edge).
fn clipped(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    if let [only] = points {
        if (TOP..=BOTTOM).contains(&only.1) {
            let _ = write!(d, "M{},{}h0", px(only.0), px(only.1));
        }
        return d;
    }
    let mut pen: Option<(f64, f64)> = None;
    for w in points.windows(2) {
        let ((x1, y1), (x2, y2)) = (w[0], w[1]);
        let (t0, t1) = if y1 == y2 {
            if (TOP..=BOTTOM).contains(&y1) {
                (0.0, 1.0)
            } else {
                continue;
            }
        } else {
            let (a, b) = ((TOP - y1) / (y2 - y1), (BOTTOM - y1) / (y2 - y1));
            (a.min(b).max(0.0), a.max(b).min(1.0))
        };
        if t0 > t1 {
            pen = None;
            continue;
        }
        let at = |t: f64| (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t);
        let (start, end) = (at(t0), at(t1));
        if pen != Some(start) || t0 > 0.0 {
            let _ = write!(d, "M{},{}", px(start.0), px(start.1));
        }
        let _ = write!(d, "L{},{}", px(end.0), px(end.1));
        pen = (t1 >= 1.0).then_some(end);
    }
    d
}

/// The x ticks with their labels, thinned to every k-th tick so that labels (about 8 user
/// units a character) do not run into each other (measured at the closest two ticks: a log
/// axis's 1, 2, 5 are unevenly spaced); a label equal to the one before it is left out.
fn labelled(
    ticks: Vec<f64>,
    fmt: fn(&f64) -> String,
    fx: &dyn Fn(f64) -> f64,
) -> Vec<(f64, String)> {
    let labels: Vec<(f64, String)> = ticks.into_iter().map(|t| (t, fmt(&t))).collect();
    let widest = labels
        .iter()
        .map(|l| l.1.chars().count())
        .max()
        .unwrap_or(0) as f64
        * 8.0;
    let gap = labels
        .windows(2)
        .map(|w| (fx(w[1].0) - fx(w[0].0)).abs())
        .fold(f64::INFINITY, f64::min);
    let every = if gap > 0.0 {
        ((widest + 10.0) / gap).ceil().max(1.0) as usize
    } else {
        1
    };
    let mut out: Vec<(f64, String)> = Vec::new();
    for (i, l) in labels.into_iter().enumerate() {
        if i % every == 0 && out.last().is_none_or(|p| p.1 != l.1) {
            out.push(l);
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn chart(points: Vec<(f64, f64)>) -> LineChart<'static> {
        LineChart {
            series: vec![Series {
                name: "a <b>",
                points,
                color: BLUE,
            }],
            bars: None,
            dots: vec![((2.0, 1.0), ORANGE)],
            guides: vec![1.5],
            x_desc: "x",
            y_desc: "y",
            log_x: false,
            x_grid: true,
            x_whole: false,
            x_fmt: fmt_count,
            y_fmt: fmt_dollars,
            y_max: None,
            legend: true,
        }
    }

    #[test]
    fn renders_themed_svg_with_dots_and_legend() {
        let svg = chart(vec![(1.0, 0.0), (3.0, 2.0)]).render();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("currentColor") && svg.contains(BLUE));
        assert!(svg.contains("<circle") && svg.contains(">a &lt;b&gt;</text>"));
        // Tags balance: every element opened is closed.
        let opened = svg.matches("<g").count() + svg.matches("<text").count();
        let closed = svg.matches("</g>").count() + svg.matches("</text>").count();
        assert_eq!(opened, closed);
    }

    #[test]
    fn points_land_where_the_axes_say() {
        // x from 1 to 3 across the plot area, y from 0 to 2 × 1.1: the dot (2, 1) is in the
        // middle of the x range and at 1 / 2.2 of the height.
        let svg = chart(vec![(1.0, 0.0), (3.0, 2.0)]).render();
        let cy = BOTTOM - (BOTTOM - TOP) / 2.2;
        assert!(
            svg.contains(&format!(r#"<circle cx="382" cy="{}""#, px(cy))),
            "{svg}"
        );
        // The guide at 1.5 is a quarter of the way along.
        assert!(svg.contains(&format!(
            "M{},{}V{}",
            px(LEFT + (RIGHT - LEFT) / 4.0),
            px(TOP),
            px(BOTTOM)
        )));
        // On a log axis from 1 to 100, 10 is in the middle.
        let log = LineChart {
            log_x: true,
            dots: vec![((10.0, 1.0), ORANGE)],
            guides: vec![],
            ..chart(vec![(1.0, 0.0), (100.0, 2.0)])
        }
        .render();
        assert!(log.contains(r#"<circle cx="382""#), "{log}");
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
        assert_eq!(no_dots(vec![(1.0, 1.0), (f64::INFINITY, 1.0)]).render(), "");
        assert_eq!(
            LineChart {
                log_x: true,
                ..no_dots(vec![(0.0, 1.0), (2.0, 1.0)])
            }
            .render(),
            ""
        );
        // Values far apart still draw, within the plot area.
        let wide = no_dots(vec![(-1e300, -1e300), (1e300, 1e300)]).render();
        assert!(wide.starts_with("<svg"));
    }

    #[test]
    fn bars_draw_under_the_lines_and_lead_the_legend() {
        let svg = LineChart {
            bars: Some(Bars {
                name: "binomial",
                points: vec![(0.0, 0.5), (1.0, 0.3), (2.0, 0.2)],
                width: 1.0,
                color: BLUE,
            }),
            x_grid: false,
            dots: vec![],
            guides: vec![],
            ..chart(vec![(0.0, 0.45), (2.0, 0.25)])
        }
        .render();
        // The x axis runs from -0.5 to 2.5: the first bar spans 0.8 of 3 units.
        assert_eq!(svg.matches("<rect").count(), 3 + 2, "{svg}");
        assert!(svg.find(">binomial<").unwrap() < svg.find(">a &lt;b&gt;<").unwrap());
        assert!(
            svg.find("<rect").unwrap() < svg.find(r#"stroke-width="3" stroke-linejoin"#).unwrap()
        );
        let width = (RIGHT - LEFT) * 0.8 / 3.0;
        assert!(svg.contains(&format!(r#"width="{}""#, px(width))), "{svg}");
    }

    #[test]
    fn linear_ticks_are_round_numbers() {
        let t = linear_ticks(0.0, 0.0989, 10.0);
        assert_eq!(t.len(), 10);
        for (k, v) in t.iter().enumerate() {
            assert!((v - k as f64 * 0.01).abs() < 1e-12, "{t:?}");
        }
        assert_eq!(
            linear_ticks(128.0, 10_240.0, 10.0),
            vec![2000.0, 4000.0, 6000.0, 8000.0, 10_000.0]
        );
        assert_eq!(linear_ticks(0.0, 1.0, 10.0).len(), 11);
        assert!(linear_ticks(1.0, 1.0, 10.0).is_empty());
        assert!(linear_ticks(0.0, f64::INFINITY, 10.0).is_empty());
    }

    #[test]
    fn counts_get_whole_ticks() {
        // Five bars, k = 0..4: the axis runs from -0.5 to 4.5, and the ticks sit on the bars.
        assert_eq!(whole_ticks(-0.5, 4.5, TICKS), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(whole_ticks(-0.4, 0.4, TICKS), vec![0.0]);
        assert_eq!(
            whole_ticks(0.0, 40.0, TICKS),
            linear_ticks(0.0, 40.0, TICKS)
        );
        // A log axis inside one decade is labelled all the same.
        let svg = LineChart {
            log_x: true,
            dots: vec![],
            guides: vec![],
            ..chart(vec![(3.0, 1.0), (4.0, 2.0)])
        }
        .render();
        assert!(svg.matches("text-anchor=\"middle\">").count() >= 3, "{svg}");
    }

    #[test]
    fn log_ticks_are_powers_of_ten() {
        assert_eq!(log_ticks(1.0, 1e5), vec![1.0, 10.0, 100.0, 1e3, 1e4, 1e5]);
        assert_eq!(
            log_ticks(128.0, 10_240.0),
            vec![200.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0]
        );
        let many = log_ticks(1e-100, 1e200);
        assert!(many.len() <= 11 && many.len() >= 2, "{many:?}");
        assert!(log_ticks(0.0, 1.0).is_empty());
    }

    #[test]
    fn x_labels_do_not_run_into_each_other_on_uneven_ticks() {
        // 1, 2, 5 per decade: 2 to 5 is wider than 5 to 10, and the thinning takes the narrower.
        let fx = |x: f64| LEFT + (RIGHT - LEFT) * (x.log10() - 2.0) / 0.6;
        let l = labelled(log_ticks(100.0, 398.0), fmt_count, &fx);
        for pair in l.windows(2) {
            assert!(fx(pair[1].0) - fx(pair[0].0) >= 8.0 * 3.0 + 10.0, "{l:?}");
        }
    }

    #[test]
    fn x_labels_do_not_run_into_each_other() {
        // Nine decades of counts: "1,000,000,000" is 13 characters.
        let fx = |x: f64| LEFT + (RIGHT - LEFT) * x.log10() / 9.0;
        let l = labelled(log_ticks(1.0, 1e9), fmt_count, &fx);
        for pair in l.windows(2) {
            let room = fx(pair[1].0) - fx(pair[0].0);
            let need = 8.0 * (pair[0].1.len() + pair[1].1.len()) as f64 / 2.0;
            assert!(room >= need, "{l:?}");
        }
        assert_eq!(l[0].1, "1");
    }

    #[test]
    fn lines_leaving_the_plot_are_cut_at_its_edge() {
        let mid = (TOP + BOTTOM) / 2.0;
        // Inside throughout: one stroke.
        assert_eq!(
            clipped(&[(100.0, mid), (200.0, mid), (300.0, BOTTOM)]),
            format!("M100,{0}L200,{0}L300,246", px(mid))
        );
        // Up through the top edge and back down: two strokes, each ending at the edge.
        let above = TOP - 100.0;
        let d = clipped(&[(100.0, mid), (200.0, above), (300.0, mid)]);
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert!(
            d.contains(&format!(",{}M", px(TOP))) && d.ends_with(&format!("L300,{}", px(mid))),
            "{d}"
        );
        // Entirely above: nothing.
        assert_eq!(clipped(&[(100.0, above), (200.0, above)]), "");
        // A chart whose y axis is capped below its data draws no flat line along the top.
        let capped = LineChart {
            y_max: Some(1.0),
            dots: vec![],
            guides: vec![],
            ..chart(vec![(0.0, 5.0), (1.0, 0.5), (2.0, 0.25)])
        }
        .render();
        let line = capped
            .split("<path d=\"")
            .find(|p| p.contains(BLUE))
            .unwrap_or_default()
            .to_string();
        assert!(!line.contains(&format!("M84,{}L", px(TOP))), "{line}");
    }

    #[test]
    fn coordinates_have_one_decimal() {
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.34), "12.3");
        assert_eq!(px(-0.25), "-0.3");
        assert_eq!(px(-0.04), "0");
    }

    #[test]
    fn axis_labels() {
        assert_eq!(fmt_dollars(&1.5), "$1.50");
        assert_eq!(fmt_dollars(&12345.0), "$12,345");
        assert_eq!(fmt_percent(&0.289), "29%");
        assert_eq!(fmt_count(&1234.4), "1,234");
    }

    proptest::proptest! {
        #[test]
        fn ticks_stay_inside_their_range(lo in -1e12f64..1e12, span in 1e-9f64..1e12) {
            let hi = lo + span;
            let t = linear_ticks(lo, hi, TICKS);
            proptest::prop_assert!(t.len() <= 12);
            let step = t.get(1).map(|b| b - t[0]);
            for v in &t {
                let slack = step.unwrap_or(span) * 1e-6;
                proptest::prop_assert!(*v >= lo - slack && *v <= hi + slack, "{} outside {}..{}", v, lo, hi);
            }
            proptest::prop_assert!(t.windows(2).all(|w| w[1] > w[0]));
        }
    }
}
