//! From a data file's rows to what a chart plots: the rows a chart keeps
//! (`where=`), their values as numbers in the unit shown, and their series
//! (lines) or bars, each with its label in the book's language.

use super::csv::{Row, Table};
use super::spec::{ChartKind, ChartSpec};
use super::words::{Unit, Words};

/// A column as plotted: its label (with the unit, if any) and unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The label without its unit ("p99 latency").
    pub name: String,
    /// The label with its unit ("p99 latency (ms)").
    pub label: String,
    pub unit: Unit,
}

/// One line: its label and its points `(x, y)` in the units shown, by x.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// One bar: its label and its length in the unit shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// What a chart plots.
#[derive(Debug, Clone, PartialEq)]
pub enum Plotted {
    Lines {
        x: Quantity,
        y: Quantity,
        series: Vec<Series>,
    },
    Bars {
        y: Quantity,
        bars: Vec<Bar>,
    },
}

/// The columns that make a `lines` chart's series, and a `bars` chart's labels.
pub const THREADS: &str = "threads";
pub const WORKERS: &str = "workers";
pub const SERVER: &str = "server";

/// Reads what `spec` asks of `table`. `listing_label` names a listing as
/// its caption does ("Listing 57"), or `None` for a name that is not one.
pub fn plotted(
    spec: &ChartSpec,
    table: &Table,
    words: &Words,
    listing_label: &dyn Fn(&str) -> Option<String>,
) -> Result<Plotted, String> {
    let file = spec.file.as_str();
    let column = |name: &str, why: &str| -> Result<usize, String> {
        table.column(name).ok_or_else(|| {
            format!(
                "{file} has no column `{name}` ({why}); its columns are: {}",
                table.header.join(", ")
            )
        })
    };
    let y = column(&spec.y, "y=")?;
    let rows = selected(spec, table, &column)?;
    let y_values = numbers(&rows, y, &spec.y, spec.log_y, "log-y", file)?;
    let y_quantity = quantity(&spec.y, &y_values, words, file)?;
    match spec.kind {
        ChartKind::Lines => {
            let x_name = spec.x.as_deref().unwrap_or_default();
            let x = column(x_name, "x=")?;
            let threads = column(
                THREADS,
                "a `lines` chart draws a line per value of `threads` (and `workers`)",
            )?;
            let workers = table.column(WORKERS);
            let x_values = numbers(&rows, x, x_name, spec.log_x, "log-x", file)?;
            let x_quantity = quantity(x_name, &x_values, words, file)?;
            let mut series: Vec<(String, String, Series, Vec<usize>)> = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let (Some(xv), Some(yv)) = (x_values[i], y_values[i]) else {
                    continue;
                };
                let kind = row.cells[threads].as_str();
                let size = workers.map_or("", |w| row.cells[w].as_str());
                let point = (x_quantity.unit.show(xv), y_quantity.unit.show(yv));
                match series.iter_mut().find(|(k, s, ..)| k == kind && s == size) {
                    Some((.., line, lines)) => {
                        if let Some(at) = line.points.iter().position(|p| p.0 == point.0) {
                            return Err(format!(
                                "{file}: lines {} and {} are both `{}` at {x_name} = {}: a line \
                                 has one point per x; keep one of them with `where=`",
                                lines[at], row.line, line.label, row.cells[x]
                            ));
                        }
                        line.points.push(point);
                        lines.push(row.line);
                    }
                    None => {
                        let label = words.series(kind, size, file)?;
                        if let Some((k, s, ..)) = series.iter().find(|(.., l, _)| l.label == label)
                        {
                            return Err(format!(
                                "{file}: two lines would both be called {label:?}: threads \
                                 `{k}` workers `{s}`, and threads `{kind}` workers `{size}`; \
                                 give the kind's label a {{n}} in {} (or keep one with \
                                 `where=`)",
                                book_languages::TABLE_FILE
                            ));
                        }
                        series.push((
                            kind.to_string(),
                            size.to_string(),
                            Series {
                                label,
                                points: vec![point],
                            },
                            vec![row.line],
                        ));
                    }
                }
            }
            let mut series: Vec<Series> = series.into_iter().map(|(.., s, _)| s).collect();
            for line in &mut series {
                line.points.sort_by(|a, b| a.0.total_cmp(&b.0));
            }
            if series.is_empty() {
                return Err(nothing_measured(spec, file));
            }
            Ok(Plotted::Lines {
                x: x_quantity,
                y: y_quantity,
                series,
            })
        }
        ChartKind::Bars => {
            let server = column(
                SERVER,
                "a `bars` chart labels each bar with its row's `server`",
            )?;
            let kept: Vec<(&Row, f64)> = rows
                .iter()
                .zip(&y_values)
                .filter_map(|(row, value)| Some((*row, (*value)?)))
                .collect();
            let name = |row: &Row| {
                let name = row.cells[server].as_str();
                listing_label(name).unwrap_or_else(|| name.to_string())
            };
            // One server measured several ways (a pool of 1, 2, 4…): its
            // bars say which, with the series' words.
            let repeated =
                |row: &Row| kept.iter().filter(|(r, _)| name(r) == name(row)).count() > 1;
            let bars = kept
                .iter()
                .map(|(row, value)| {
                    let mut label = name(row);
                    if let Some(threads) = table.column(THREADS)
                        && repeated(row)
                    {
                        let size = table.column(WORKERS).map_or("", |w| row.cells[w].as_str());
                        let series = words.series(&row.cells[threads], size, file)?;
                        label = format!("{label}, {series}");
                    }
                    Ok(Bar {
                        label,
                        value: y_quantity.unit.show(*value),
                    })
                })
                .collect::<Result<Vec<Bar>, String>>()?;
            if bars.is_empty() {
                return Err(nothing_measured(spec, file));
            }
            Ok(Plotted::Bars {
                y: y_quantity,
                bars,
            })
        }
    }
}

fn nothing_measured(spec: &ChartSpec, file: &str) -> String {
    format!(
        "{file}: the rows this chart keeps have no value of `{}` to plot (every such cell is \
         empty: nothing was measured)",
        spec.y
    )
}

/// The rows that pass every `where=` condition; none is an error.
fn selected<'t>(
    spec: &ChartSpec,
    table: &'t Table,
    column: &dyn Fn(&str, &str) -> Result<usize, String>,
) -> Result<Vec<&'t Row>, String> {
    let conditions = spec
        .filters
        .iter()
        .map(|(name, value)| Ok((column(name, "where=")?, name, value)))
        .collect::<Result<Vec<_>, String>>()?;
    let rows: Vec<&Row> = table
        .rows
        .iter()
        .filter(|row| {
            conditions
                .iter()
                .all(|(i, _, value)| row.cells[*i] == **value)
        })
        .collect();
    if rows.is_empty() {
        let file = &spec.file;
        if table.rows.is_empty() {
            return Err(format!("{file} has no rows: nothing to draw"));
        }
        // Name the condition that kept nothing, with the values there are.
        let why = conditions
            .iter()
            .find(|(i, _, value)| !table.rows.iter().any(|row| row.cells[*i] == **value))
            .map(|(i, name, value)| {
                let mut seen: Vec<&str> = Vec::new();
                for row in &table.rows {
                    if !seen.contains(&row.cells[*i].as_str()) {
                        seen.push(&row.cells[*i]);
                    }
                }
                format!(
                    "no row has {name} `{value}`; the values of `{name}` there are: {}",
                    seen.iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .unwrap_or_else(|| "no row meets all of them at once".to_string());
        return Err(format!(
            "{file}: the chart keeps no row: `where={}`: {why}",
            spec.filters
                .iter()
                .map(|(c, v)| format!("{c}:{v}"))
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    Ok(rows)
}

/// A column of the kept rows as numbers; an empty cell (nothing measured)
/// is `None`; anything else that is not a number is an error, and so is a
/// value a logarithmic axis cannot show.
fn numbers(
    rows: &[&Row],
    column: usize,
    name: &str,
    log: bool,
    option: &str,
    file: &str,
) -> Result<Vec<Option<f64>>, String> {
    rows.iter()
        .map(|row| {
            let cell = row.cells[column].trim();
            if cell.is_empty() {
                return Ok(None);
            }
            let value = cell
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    format!(
                        "{file}:{}: `{cell}` in column `{name}` is not a number; a chart plots \
                         numbers (an empty cell, for nothing measured, is left out)",
                        row.line
                    )
                })?;
            if log && value <= 0.0 {
                return Err(format!(
                    "{file}:{}: `{name}` is {cell} here, and a logarithmic axis ({option}) \
                     shows only values above 0; drop {option}, or leave the row out with \
                     `where=`",
                    row.line
                ));
            }
            Ok(Some(value))
        })
        .collect()
}

fn quantity(
    name: &str,
    values: &[Option<f64>],
    words: &Words,
    file: &str,
) -> Result<Quantity, String> {
    let label = words.column(name, file)?;
    let largest = values.iter().flatten().fold(0.0_f64, |m, v| m.max(v.abs()));
    let unit = Unit::for_column(name, largest, words);
    Ok(Quantity {
        name: label.to_string(),
        label: words.with_unit(label, unit.symbol),
        unit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::spec::parse;

    const DATA: &str = "# machine: test\n\
        server,threads,workers,connections,requests_per_second,p99_us\n\
        ch03-01-slow-route,one,,1,100.5,900\n\
        ch03-01-slow-route,one,,4,200,1200\n\
        ch08-09-close-listener-first,pool,4,4,400,2000\n\
        ch08-09-close-listener-first,pool,4,1,300,\n\
        nginx,nginx,2,1,900,500\n";

    fn words(code: &str) -> Words {
        Words::of(book_languages::find(code), code).unwrap()
    }

    fn listing(name: &str) -> Option<String> {
        name.starts_with("ch")
            .then(|| format!("Listing {}", name.len()))
    }

    fn plot(directive: &str, data: &str, code: &str) -> Result<Plotted, String> {
        let spec = parse(&directive.split_whitespace().collect::<Vec<_>>()).unwrap();
        let table = Table::parse(data, &spec.file).unwrap();
        plotted(&spec, &table, &words(code), &listing)
    }

    #[test]
    fn lines_are_grouped_by_threads_and_workers_in_file_order() {
        let Plotted::Lines { x, y, series } = plot(
            "lines d.csv x=connections y=requests_per_second",
            DATA,
            "en",
        )
        .unwrap() else {
            panic!("lines")
        };
        assert_eq!(x.label, "connections");
        assert_eq!(y.label, "requests per second");
        let labels: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["one thread", "pool of 4", "nginx, 2 workers"]);
        assert_eq!(series[0].points, [(1.0, 100.5), (4.0, 200.0)]);
        // Sorted by x, whatever the file's order.
        assert_eq!(series[1].points, [(1.0, 300.0), (4.0, 400.0)]);
    }

    #[test]
    fn microseconds_become_milliseconds_and_empty_cells_are_left_out() {
        let Plotted::Lines { y, series, .. } =
            plot("lines d.csv x=connections y=p99_us", DATA, "pt-BR").unwrap()
        else {
            panic!("lines")
        };
        assert_eq!(y.label, "latência p99 (ms)");
        assert_eq!(series[0].points, [(1.0, 0.9), (4.0, 1.2)]);
        assert_eq!(
            series[1].points,
            [(4.0, 2.0)],
            "the empty p99 is not a point"
        );
    }

    #[test]
    fn where_keeps_the_matching_rows() {
        let Plotted::Lines { series, .. } = plot(
            "lines d.csv x=connections y=requests_per_second where=threads:pool,workers:4",
            DATA,
            "es",
        )
        .unwrap() else {
            panic!("lines")
        };
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].label, "pool de 4");
    }

    #[test]
    fn bars_are_rows_in_file_order_labelled_by_listing_or_server() {
        let Plotted::Bars { y, bars } = plot(
            "bars d.csv y=requests_per_second where=connections:1",
            DATA,
            "en",
        )
        .unwrap() else {
            panic!("bars")
        };
        assert_eq!(y.label, "requests per second");
        let bars: Vec<(&str, f64)> = bars.iter().map(|b| (b.label.as_str(), b.value)).collect();
        assert_eq!(
            bars,
            [
                ("Listing 18", 100.5),
                ("Listing 28", 300.0),
                ("nginx", 900.0)
            ]
        );
    }

    #[test]
    fn bars_of_one_server_measured_several_ways_say_which() {
        let data = "server,threads,workers,requests_per_second\n\
                    ch11-02-workers-checked,pool,1,10\n\
                    ch11-02-workers-checked,pool,2,20\n\
                    nginx,nginx,2,30\n";
        let Plotted::Bars { bars, .. } =
            plot("bars d.csv y=requests_per_second", data, "pt-BR").unwrap()
        else {
            panic!("bars")
        };
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Listing 23, pool de 1", "Listing 23, pool de 2", "nginx"]
        );
    }

    #[test]
    fn every_problem_with_the_data_is_named() {
        for (directive, data, says) in [
            (
                "lines d.csv x=connections y=p98_us",
                DATA,
                "d.csv has no column `p98_us` (y=); its columns are: server, threads",
            ),
            (
                "lines d.csv x=conns y=p99_us",
                DATA,
                "no column `conns` (x=)",
            ),
            (
                "lines d.csv x=connections y=p99_us where=thread:pool",
                DATA,
                "no column `thread` (where=)",
            ),
            (
                "lines d.csv x=connections y=p99_us where=threads:pol",
                DATA,
                "d.csv: the chart keeps no row: `where=threads:pol`: no row has threads `pol`; \
                 the values of `threads` there are: `one`, `pool`, `nginx`",
            ),
            (
                "lines d.csv x=connections y=p99_us where=threads:one,workers:4",
                DATA,
                "no row meets all of them at once",
            ),
            (
                "lines d.csv x=connections y=server",
                DATA,
                "d.csv:3: `ch03-01-slow-route` in column `server` is not a number",
            ),
            (
                "lines d.csv x=connections y=requests_per_second log-y",
                "threads,connections,requests_per_second\none,1,0\n",
                "d.csv:2: `requests_per_second` is 0 here, and a logarithmic axis (log-y)",
            ),
            (
                "lines d.csv x=connections y=requests_per_second",
                "server,connections,requests_per_second\na,1,2\n",
                "d.csv has no column `threads` (a `lines` chart draws a line per value",
            ),
            (
                "bars d.csv y=requests_per_second",
                "threads,requests_per_second\none,2\n",
                "no column `server`",
            ),
            (
                "lines d.csv x=connections y=requests_per_second",
                "threads,connections,requests_per_second\nturbo,1,2\n",
                "no entry `turbo`",
            ),
            (
                "lines d.csv x=connections y=p99_us where=threads:pool,connections:1",
                DATA,
                "no value of `p99_us` to plot",
            ),
            (
                "lines d.csv x=connections y=requests_per_second",
                "threads,connections,requests_per_second\none,1,2\none,1,3\n",
                "d.csv: lines 2 and 3 are both `one thread` at connections = 1",
            ),
            (
                "lines d.csv x=connections y=requests_per_second",
                "threads,workers,connections,requests_per_second\none,1,1,2\none,2,1,3\n",
                "two lines would both be called \"one thread\"",
            ),
            (
                "bars d.csv y=requests_per_second",
                "server,requests_per_second\n",
                "d.csv has no rows",
            ),
        ] {
            let err = plot(directive, data, "en").unwrap_err();
            assert!(err.contains(says), "{directive} on {data:?}:\n{err}");
        }
    }

    #[test]
    fn a_column_without_words_is_named_in_every_language() {
        let data = "threads,connections,slowest_us\none,1,2\n";
        for code in ["en", "pt-BR", "es"] {
            let err = plot("lines d.csv x=connections y=slowest_us", data, code).unwrap_err();
            assert!(
                err.contains(&format!(
                    "the chart words of {code} have no entry `slowest_us`"
                )),
                "{err}"
            );
        }
    }
}
