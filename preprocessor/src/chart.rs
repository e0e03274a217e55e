//! `{{#chart …}}`: a chart drawn at build time from a data file that the
//! benchmark command writes (`bench/data/*.csv`), so that a chapter shows
//! the measurements as a figure, never as a picture drawn by hand.
//!
//! ```text
//! {{#chart lines bench/data/servers.csv x=connections y=requests_per_second}}
//! {{#chart lines bench/data/servers.csv x=connections y=p99_us where=threads:pool}}
//! {{#chart bars bench/data/tuning.csv y=requests_per_second log-y}}
//! ```
//!
//! It becomes, with no blank line so that Markdown leaves it as it is:
//!
//! ```text
//! <div class="chart" id="chart-servers-requests-per-second">
//! <figure class="chart-figure">
//! <svg … role="img" aria-labelledby="….-title ….-desc"><title>…</title><desc>…</desc>…</svg>
//! <figcaption>Title. Measured on: MACHINE; DATE. Data: FILE.</figcaption>
//! </figure>
//! <details class="chart-figures"><summary>The figures</summary><table>…</table></details>
//! </div>
//! ```
//!
//! The `<desc>` is a sentence in the book's language that says what the
//! axes are and where each line starts, ends and peaks; the folded table
//! holds exactly the values drawn. Every word comes from the book's table
//! of languages (`words.rs`); reading the file (`csv.rs`), choosing and
//! grouping its rows (`data.rs`), the axes (`scale.rs`) and the drawing
//! (`svg.rs`) each have a module.

mod csv;
mod data;
mod scale;
mod spec;
mod svg;
mod words;

pub use spec::{ChartKind, ChartSpec};
/// How many series colours `theme/charts.css` defines, `--chart-1` on:
/// the lines after the last take the first colours again (with their own
/// marker shapes and dash patterns).
pub use svg::COLOURS as SERIES_COLOURS;

pub(crate) use spec::{USAGE, parse};

use crate::html::escape;
use data::{Plotted, Quantity, Series};
use std::fmt::Write;
use std::path::Path;
use words::{Words, capitalized, fill};

/// The id a chart asks for, before de-duplication: `chart-FILE-Y`
/// (`chart-servers-p99-us`).
pub(crate) fn id(spec: &ChartSpec) -> String {
    let stem = Path::new(&spec.file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        "chart-{}-{}",
        crate::render::slug(&stem),
        crate::render::slug(&spec.y)
    )
}

/// Where a chart's words and data come from.
pub(crate) struct Sources<'a> {
    /// The book's root, which the data file's path starts from.
    pub book_root: &'a Path,
    /// `book.language`, whose words the chart uses.
    pub language: Option<&'a str>,
    /// "Listing 57" for a listing's name, as its caption says; `None` for
    /// another name.
    pub listing_label: &'a dyn Fn(&str) -> Option<String>,
}

/// The chart `spec` asks for, as HTML, or what stops it.
pub(crate) fn render(spec: &ChartSpec, id: &str, sources: &Sources<'_>) -> Result<String, String> {
    let words = Words::for_tag(sources.language)?;
    let path = sources.book_root.join(&spec.file);
    let text = std::fs::read_to_string(&path).map_err(|err| {
        format!(
            "cannot read the data file {} ({err}); its path is from the book's root; the \
             benchmark command writes the files under bench/data/ (README, \"Measuring\")",
            spec.file
        )
    })?;
    let table = csv::Table::parse(&text, &spec.file)?;
    let plotted = data::plotted(spec, &table, &words, sources.listing_label)?;
    let (title, desc) = match &plotted {
        Plotted::Lines { x, y, series } => (
            fill(words.charts.title_lines, &[("y", &y.name), ("x", &x.name)]),
            lines_desc(spec, x, y, series, &words),
        ),
        Plotted::Bars { y, bars } => (
            fill(words.charts.title_bars, &[("y", &y.name)]),
            bars_desc(spec, y, bars, &words),
        ),
    };
    let title = capitalized(&title) + &selection(spec, &words)?;
    let labels = svg::Labels {
        id,
        title: &title,
        desc: &desc,
    };
    let (drawing, figures) = match &plotted {
        Plotted::Lines { x, y, series } => (
            svg::lines(&labels, x, y, series, (spec.log_x, spec.log_y), &words),
            lines_table(x, y, series, &words),
        ),
        Plotted::Bars { y, bars } => (
            svg::bars(&labels, y, bars, spec.log_y, &words),
            bars_table(y, bars, &words),
        ),
    };
    let mut out = String::new();
    writeln!(out, "<div class=\"chart\" id=\"{}\">", escape(id)).unwrap();
    out.push_str("<figure class=\"chart-figure\">\n");
    out.push_str(&drawing);
    writeln!(
        out,
        "<figcaption>{}</figcaption>",
        caption(&title, spec, &table, &words)
    )
    .unwrap();
    out.push_str("</figure>\n");
    writeln!(
        out,
        "<details class=\"chart-figures\">\n<summary>{}</summary>",
        escape(words.charts.figures)
    )
    .unwrap();
    out.push_str(&figures);
    out.push_str("</details>\n</div>\n");
    Ok(out)
}

/// What `where=` kept, for the title: " (connections: 16; build profile:
/// release)", so that charts of one file and one column, on one page, say
/// what sets them apart; nothing without `where=`.
fn selection(spec: &ChartSpec, words: &Words) -> Result<String, String> {
    if spec.filters.is_empty() {
        return Ok(String::new());
    }
    let mut kept = Vec::new();
    for (column, value) in &spec.filters {
        let label = words.column(column, "where=")?;
        kept.push(format!("{label}: {value}"));
    }
    Ok(format!(" ({})", kept.join("; ")))
}

/// "Title. Measured on: MACHINE; DATE. Data: FILE."
fn caption(title: &str, spec: &ChartSpec, table: &csv::Table, words: &Words) -> String {
    let mut caption = format!("<span class=\"chart-title\">{}.</span>", escape(title));
    let measured: Vec<String> = ["machine", "date"]
        .into_iter()
        .filter_map(|key| table.comment(key))
        .map(|said| machine_in(said, words.charts.cores))
        .collect();
    if !measured.is_empty() {
        write!(
            caption,
            " {}: {}.",
            escape(words.charts.measured_on),
            escape(&measured.join("; "))
        )
        .unwrap();
    }
    write!(
        caption,
        " {}: <code>{}</code>.",
        escape(words.charts.data),
        escape(&spec.file)
    )
    .unwrap();
    caption
}

/// The data's `# machine:` line, which book-bench writes in English
/// (`bench/src/machine.rs`: "2 cores (available_parallelism), Linux …"),
/// with its one word, "cores", in the page's language; any other line as
/// it is.
fn machine_in(machine: &str, cores: &str) -> String {
    let digits = machine.len()
        - machine
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    match machine[digits..].strip_prefix(" cores") {
        Some(rest) if digits > 0 => format!("{} {cores}{rest}", &machine[..digits]),
        _ => machine.to_string(),
    }
}

fn scale_words(log: bool, words: &Words) -> &'static str {
    if log { words.charts.log_scale } else { "" }
}

/// The alt text of a line chart: the axes, then each line's first and
/// last point, and its highest and lowest where they fall in between.
fn lines_desc(
    spec: &ChartSpec,
    x: &Quantity,
    y: &Quantity,
    series: &[Series],
    words: &Words,
) -> String {
    let c = words.charts;
    let point = |(xv, yv): (f64, f64)| {
        fill(
            c.desc_point,
            &[
                ("y", &words.quantity(yv, y.unit.symbol)),
                ("x", &words.quantity(xv, x.unit.symbol)),
                ("x-label", &x.name),
            ],
        )
    };
    let lines: Vec<String> = series
        .iter()
        .map(|line| {
            let (first, last) = (line.points[0], line.points[line.points.len() - 1]);
            if line.points.len() == 1 {
                return format!("{}: {}", line.label, point(first));
            }
            let mut text = fill(
                c.desc_series,
                &[
                    ("series", &line.label),
                    ("first", &point(first)),
                    ("last", &point(last)),
                ],
            );
            let inner = &line.points[1..line.points.len() - 1];
            let beyond = |p: &(f64, f64), better: fn(f64, f64) -> bool| {
                better(p.1, first.1)
                    && better(p.1, last.1)
                    && inner.iter().all(|q| !better(q.1, p.1))
            };
            if let Some(peak) = inner.iter().find(|p| beyond(p, |a, b| a > b)) {
                text.push_str(&fill(c.desc_highest, &[("value", &point(*peak))]));
            }
            if let Some(dip) = inner.iter().find(|p| beyond(p, |a, b| a < b)) {
                text.push_str(&fill(c.desc_lowest, &[("value", &point(*dip))]));
            }
            text
        })
        .collect();
    format!(
        "{} {}.",
        fill(
            c.desc_lines,
            &[
                ("y", &y.name),
                ("x", &x.name),
                ("y-scale", scale_words(spec.log_y, words)),
                ("x-scale", scale_words(spec.log_x, words)),
            ]
        ),
        lines.join("; ")
    )
}

/// The alt text of a bar chart: the axis, then every bar and its value.
fn bars_desc(spec: &ChartSpec, y: &Quantity, bars: &[data::Bar], words: &Words) -> String {
    let items: Vec<String> = bars
        .iter()
        .map(|bar| {
            format!(
                "{}: {}",
                bar.label,
                words.quantity(bar.value, y.unit.symbol)
            )
        })
        .collect();
    format!(
        "{} {}.",
        fill(
            words.charts.desc_bars,
            &[("y", &y.name), ("y-scale", scale_words(spec.log_y, words))]
        ),
        items.join("; ")
    )
}

/// The figures of a line chart: a row per x and a column per line, or the
/// other way round where that makes fewer columns (many lines at a few x).
fn lines_table(x: &Quantity, y: &Quantity, series: &[Series], words: &Words) -> String {
    let mut xs: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let value = |line: &Series, xv: f64| match line.points.iter().find(|p| p.0 == xv) {
        Some((_, yv)) => format!("<td>{}</td>", escape(&words.number(*yv))),
        None => "<td>—</td>".to_string(),
    };
    let mut out = String::from("<div class=\"table-wrapper\"><table>\n");
    writeln!(out, "<caption>{}</caption>", escape(&y.label)).unwrap();
    write!(
        out,
        "<thead><tr><th scope=\"col\">{}</th>",
        escape(&x.label)
    )
    .unwrap();
    let by_series = xs.len() < series.len();
    let headings: Vec<String> = if by_series {
        xs.iter().map(|xv| words.number(*xv)).collect()
    } else {
        series.iter().map(|line| line.label.clone()).collect()
    };
    for heading in headings {
        write!(out, "<th scope=\"col\">{}</th>", escape(&heading)).unwrap();
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    if by_series {
        for line in series {
            write!(out, "<tr><th scope=\"row\">{}</th>", escape(&line.label)).unwrap();
            for xv in &xs {
                out.push_str(&value(line, *xv));
            }
            out.push_str("</tr>\n");
        }
    } else {
        for xv in &xs {
            write!(
                out,
                "<tr><th scope=\"row\">{}</th>",
                escape(&words.number(*xv))
            )
            .unwrap();
            for line in series {
                out.push_str(&value(line, *xv));
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

/// The figures of a bar chart: a row per bar.
fn bars_table(y: &Quantity, bars: &[data::Bar], words: &Words) -> String {
    let mut out = String::from("<div class=\"table-wrapper\"><table>\n");
    writeln!(
        out,
        "<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
        escape(words.charts.server),
        escape(&y.label)
    )
    .unwrap();
    for bar in bars {
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(&bar.label),
            escape(&words.number(bar.value))
        )
        .unwrap();
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

#[cfg(test)]
mod tests;
