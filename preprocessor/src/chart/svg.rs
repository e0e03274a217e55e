//! Drawing a chart as inline SVG: axes with ticks and labels, the lines
//! (each with its own marker shape and dash pattern, so that they are told
//! apart without colour) or the bars, and a legend.
//!
//! Colours come from the page, never from here: text and axes are
//! `currentColor` (the theme's foreground), and each series' group has a
//! class, `chart-series-N`, whose colour `theme/charts.css` sets per theme.
//! The drawing has a `viewBox` and no fixed size, so it scales with the
//! page; every coordinate is written with one decimal, so the same data
//! always gives the same bytes.

use super::data::{Bar, Quantity, Series};
use super::scale::Axis;
use super::words::Words;
use crate::html::escape;
use std::fmt::Write;

/// The drawing's width, in its own units; its height follows its content.
const WIDTH: f64 = 420.0;
const TICK_FONT: f64 = 12.0;
const LABEL_FONT: f64 = 13.0;
/// How wide a character of the page's font is, roughly, for the layout.
const CHAR_WIDTH: f64 = 0.6;
const TICK: f64 = 4.0;
/// The colours of `theme/charts.css`: series N (from 1) takes colour
/// `(N - 1) % COLOURS + 1`.
pub const COLOURS: usize = 8;
/// Dash patterns of the lines, in turn.
const DASHES: [&str; 5] = ["", "7 4", "2 3", "9 3 2 3", "4 4"];
/// Marker shapes, in turn.
const SHAPES: usize = 7;

/// What the `<svg>` element says about itself, for assistive technology.
pub struct Labels<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * CHAR_WIDTH
}

fn open(out: &mut String, labels: &Labels<'_>, height: f64) {
    let id = escape(labels.id);
    // No blank line anywhere: Markdown reads the whole block as one piece
    // of HTML and leaves it as it is.
    writeln!(
        out,
        "<svg class=\"chart-drawing\" viewBox=\"0 0 {WIDTH:.0} {height:.1}\" width=\"100%\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-size=\"{TICK_FONT:.0}\" \
         fill=\"currentColor\">"
    )
    .unwrap();
    writeln!(
        out,
        "<title id=\"{id}-title\">{}</title>",
        escape(labels.title)
    )
    .unwrap();
    writeln!(out, "<desc id=\"{id}-desc\">{}</desc>", escape(labels.desc)).unwrap();
}

/// The tick label of `value` on `axis`.
fn tick_label(axis: &Axis, value: f64, words: &Words) -> String {
    match axis.decimals {
        Some(decimals) => words.fixed(value, decimals),
        None => words.number(value),
    }
}

/// A line chart: `series` against `x` and `y`.
pub fn lines(
    labels: &Labels<'_>,
    x: &Quantity,
    y: &Quantity,
    series: &[Series],
    (log_x, log_y): (bool, bool),
    words: &Words,
) -> String {
    let ys: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .collect();
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .collect();
    let y_axis = Axis::nice(&ys, log_y, !log_y, 5);
    let y_ticks: Vec<String> = y_axis
        .ticks
        .iter()
        .map(|v| tick_label(&y_axis, *v, words))
        .collect();
    let widest = y_ticks
        .iter()
        .map(|t| text_width(t, TICK_FONT))
        .fold(0.0, f64::max);
    let left = LABEL_FONT + 8.0 + widest + TICK + 4.0;
    let right = WIDTH - 12.0;
    let (top, bottom) = (12.0, 232.0);
    // Markers at the ends stay inside the frame.
    let inset = 8.0;
    let x_axis = {
        let at_values = Axis::at_values(&xs, log_x);
        let labels_fit = at_values.ticks.len() <= 12 && {
            let widest = at_values
                .ticks
                .iter()
                .map(|v| text_width(&words.number(*v), TICK_FONT))
                .fold(0.0, f64::max);
            at_values.ticks.len() < 2
                || at_values.tightest_gap() * (right - left - 2.0 * inset) >= widest + 6.0
        };
        if labels_fit {
            at_values
        } else {
            let widest = text_width(&words.number(span_max(&xs)), TICK_FONT) + 12.0;
            Axis::nice(&xs, log_x, false, fitting(right - left, widest))
        }
    };
    let px = |v: f64| left + inset + x_axis.fraction(v) * (right - left - 2.0 * inset);
    let py = |v: f64| bottom - y_axis.fraction(v) * (bottom - top);

    let legend = Legend::lay_out(series, left, right);
    let legend_top = bottom + 50.0;
    let height = legend_top + legend.height();
    let mut out = String::new();
    open(&mut out, labels, height);

    // Grid and y ticks.
    out.push_str("<g class=\"chart-axis\">\n");
    for (value, label) in y_axis.ticks.iter().zip(&y_ticks) {
        let at = py(*value);
        writeln!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{at:.1}\" x2=\"{right:.1}\" y2=\"{at:.1}\" \
             stroke=\"currentColor\" stroke-opacity=\"0.15\"/>"
        )
        .unwrap();
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{at:.1}\" dy=\"0.32em\" text-anchor=\"end\">{}</text>",
            left - TICK - 3.0,
            escape(label)
        )
        .unwrap();
    }
    // The frame's left and bottom edges.
    writeln!(
        out,
        "<path d=\"M{left:.1} {top:.1}V{bottom:.1}H{right:.1}\" fill=\"none\" \
         stroke=\"currentColor\"/>"
    )
    .unwrap();
    for value in &x_axis.ticks {
        let label = tick_label(&x_axis, *value, words);
        bottom_tick(&mut out, px(*value), bottom, &label);
    }
    axis_labels(&mut out, &x.label, (left + right) / 2.0, bottom + 38.0);
    writeln!(
        out,
        "<text transform=\"rotate(-90)\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" \
         font-size=\"{LABEL_FONT:.0}\">{}</text>",
        -(top + bottom) / 2.0,
        LABEL_FONT,
        escape(&y.label)
    )
    .unwrap();
    out.push_str("</g>\n");

    for (i, line) in series.iter().enumerate() {
        writeln!(
            out,
            "<g class=\"chart-series chart-series-{}\">",
            i % COLOURS + 1
        )
        .unwrap();
        let path: Vec<String> = line
            .points
            .iter()
            .enumerate()
            .map(|(j, (xv, yv))| {
                format!(
                    "{}{:.1} {:.1}",
                    if j == 0 { "M" } else { "L" },
                    px(*xv),
                    py(*yv)
                )
            })
            .collect();
        writeln!(
            out,
            "<path d=\"{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"{}/>",
            path.join(""),
            dash(i)
        )
        .unwrap();
        for (xv, yv) in &line.points {
            out.push_str(&marker(i, px(*xv), py(*yv)));
        }
        out.push_str("</g>\n");
    }
    legend.draw(&mut out, legend_top);
    out.push_str("</svg>\n");
    out
}

/// The largest of `values`.
fn span_max(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

/// How many spaces between ticks fit along `length` when each tick's label
/// takes `width`.
fn fitting(length: f64, width: f64) -> usize {
    ((length / width).floor() as usize).max(1)
}

fn axis_labels(out: &mut String, label: &str, x: f64, y: f64) {
    writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"middle\" \
         font-size=\"{LABEL_FONT:.0}\">{}</text>",
        escape(label)
    )
    .unwrap();
}

fn dash(i: usize) -> String {
    match DASHES[i % DASHES.len()] {
        "" => String::new(),
        pattern => format!(" stroke-dasharray=\"{pattern}\""),
    }
}

/// Series `i`'s marker at (`x`, `y`): a circle, square, triangle, diamond,
/// triangle pointing down, plus or cross, in turn; the first five filled.
fn marker(i: usize, x: f64, y: f64) -> String {
    let r = 4.0;
    let filled = "stroke=\"none\"";
    let stroked = "fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"";
    match i % SHAPES {
        0 => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" {filled}/>\n"),
        1 => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7.0\" height=\"7.0\" {filled}/>\n",
            x - 3.5,
            y - 3.5
        ),
        2 => format!(
            "<path d=\"M{x:.1} {:.1}L{:.1} {:.1}H{:.1}Z\" {filled}/>\n",
            y - 5.0,
            x + 5.0,
            y + 4.0,
            x - 5.0
        ),
        3 => format!(
            "<path d=\"M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z\" {filled}/>\n",
            y - 5.0,
            x + 5.0,
            y + 5.0,
            x - 5.0
        ),
        4 => format!(
            "<path d=\"M{x:.1} {:.1}L{:.1} {:.1}H{:.1}Z\" {filled}/>\n",
            y + 5.0,
            x + 5.0,
            y - 4.0,
            x - 5.0
        ),
        5 => format!(
            "<path d=\"M{:.1} {y:.1}H{:.1}M{x:.1} {:.1}V{:.1}\" {stroked}/>\n",
            x - r - 1.0,
            x + r + 1.0,
            y - r - 1.0,
            y + r + 1.0
        ),
        _ => format!(
            "<path d=\"M{:.1} {:.1}L{:.1} {:.1}M{:.1} {:.1}L{:.1} {:.1}\" {stroked}/>\n",
            x - r,
            y - r,
            x + r,
            y + r,
            x - r,
            y + r,
            x + r,
            y - r
        ),
    }
}

/// The legend under a line chart: each series' line sample, marker and
/// label, as many to a row as fit.
struct Legend {
    /// (series index, label, x, row)
    entries: Vec<(usize, String, f64, usize)>,
    rows: usize,
}

impl Legend {
    const SAMPLE: f64 = 28.0;
    const ROW: f64 = 20.0;

    fn lay_out(series: &[Series], left: f64, right: f64) -> Legend {
        let mut entries = Vec::new();
        let (mut x, mut row) = (left, 0);
        for (i, line) in series.iter().enumerate() {
            let width = Self::SAMPLE + 6.0 + text_width(&line.label, TICK_FONT);
            if x > left && x + width > right {
                x = left;
                row += 1;
            }
            entries.push((i, line.label.clone(), x, row));
            x += width + 16.0;
        }
        Legend {
            entries,
            rows: row + 1,
        }
    }

    fn height(&self) -> f64 {
        self.rows as f64 * Self::ROW
    }

    fn draw(&self, out: &mut String, top: f64) {
        out.push_str("<g class=\"chart-legend\">\n");
        for (i, label, x, row) in &self.entries {
            let y = top + *row as f64 * Self::ROW + Self::ROW / 2.0 - 4.0;
            writeln!(
                out,
                "<g class=\"chart-series chart-series-{}\">",
                i % COLOURS + 1
            )
            .unwrap();
            writeln!(
                out,
                "<path d=\"M{x:.1} {y:.1}h{:.1}\" fill=\"none\" stroke=\"currentColor\" \
                 stroke-width=\"2\"{}/>",
                Self::SAMPLE,
                dash(*i)
            )
            .unwrap();
            out.push_str(&marker(*i, x + Self::SAMPLE / 2.0, y));
            out.push_str("</g>\n");
            writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{y:.1}\" dy=\"0.32em\">{}</text>",
                x + Self::SAMPLE + 6.0,
                escape(label)
            )
            .unwrap();
        }
        out.push_str("</g>\n");
    }
}

/// A horizontal bar chart: one bar per entry, top to bottom, its label on
/// the left and its value at its end.
pub fn bars(labels: &Labels<'_>, y: &Quantity, bars: &[Bar], log: bool, words: &Words) -> String {
    let values: Vec<f64> = bars.iter().map(|b| b.value).collect();
    let shown: Vec<String> = values.iter().map(|v| words.number(*v)).collect();
    let label_width = bars
        .iter()
        .map(|b| text_width(&b.label, TICK_FONT))
        .fold(0.0, f64::max);
    let value_width = shown
        .iter()
        .map(|t| text_width(t, TICK_FONT))
        .fold(0.0, f64::max);
    let left = 4.0 + label_width + 8.0;
    // The last tick's label is centred on the axis's end: half of it sticks
    // out; a value's label follows its bar.
    let widest_tick = text_width(&words.number(span_max(&values) * 2.0), TICK_FONT);
    let right = WIDTH - (value_width + 8.0).max(widest_tick / 2.0 + 2.0);
    let axis = Axis::nice(
        &values,
        log,
        !log,
        fitting(right - left, widest_tick + 12.0),
    );
    let top = 8.0;
    let pitch = 26.0;
    let bottom = top + pitch * bars.len() as f64;
    let height = bottom + 44.0;
    let px = |v: f64| left + axis.fraction(v) * (right - left);
    let mut out = String::new();
    open(&mut out, labels, height);
    out.push_str("<g class=\"chart-axis\">\n");
    for value in &axis.ticks {
        let at = px(*value);
        writeln!(
            out,
            "<line x1=\"{at:.1}\" y1=\"{top:.1}\" x2=\"{at:.1}\" y2=\"{bottom:.1}\" \
             stroke=\"currentColor\" stroke-opacity=\"0.15\"/>"
        )
        .unwrap();
        bottom_tick(&mut out, at, bottom, &tick_label(&axis, *value, words));
    }
    writeln!(
        out,
        "<path d=\"M{left:.1} {top:.1}V{bottom:.1}H{right:.1}\" fill=\"none\" \
         stroke=\"currentColor\"/>"
    )
    .unwrap();
    axis_labels(&mut out, &y.label, (left + right) / 2.0, bottom + 38.0);
    out.push_str("</g>\n");
    // The bars in the first series' colour; their labels in the text's.
    let rows: Vec<(f64, f64)> = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| (top + pitch * i as f64 + 5.0, px(bar.value).max(left + 1.0)))
        .collect();
    out.push_str("<g class=\"chart-series chart-series-1\">\n");
    for (y0, end) in &rows {
        writeln!(
            out,
            "<rect x=\"{left:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"16.0\" \
             stroke=\"none\"/>",
            end - left
        )
        .unwrap();
    }
    out.push_str("</g>\n<g class=\"chart-bar-labels\">\n");
    for ((bar, value), (y0, end)) in bars.iter().zip(&shown).zip(&rows) {
        let middle = y0 + 8.0;
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{middle:.1}\" dy=\"0.32em\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            escape(&bar.label)
        )
        .unwrap();
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{middle:.1}\" dy=\"0.32em\">{}</text>",
            end + 4.0,
            escape(value)
        )
        .unwrap();
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// A tick below the horizontal axis at `at`, and its label under it.
fn bottom_tick(out: &mut String, at: f64, bottom: f64, label: &str) {
    writeln!(
        out,
        "<line x1=\"{at:.1}\" y1=\"{bottom:.1}\" x2=\"{at:.1}\" y2=\"{:.1}\" \
         stroke=\"currentColor\"/>",
        bottom + TICK
    )
    .unwrap();
    writeln!(
        out,
        "<text x=\"{at:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        bottom + TICK + TICK_FONT + 1.0,
        escape(label)
    )
    .unwrap();
}
