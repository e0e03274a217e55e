//! What a `{{#chart …}}` line asks for.

/// How the rows are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One line per series (rows grouped by `threads` and `workers`), the
    /// `x` column across, the `y` column up.
    Lines,
    /// One horizontal bar per row, in file order, labelled by its `server`.
    Bars,
}

/// A chart directive: `{{#chart KIND FILE x=COLUMN y=COLUMN [where=…] [log-x] [log-y]}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    /// The data file, relative to the book's root (`bench/data/servers.csv`).
    pub file: String,
    /// The column across (lines only).
    pub x: Option<String>,
    /// The column plotted: up for lines, a bar's length for bars.
    pub y: String,
    /// `where=col:value,…`: only the rows whose every named column has the value.
    pub filters: Vec<(String, String)>,
    pub log_x: bool,
    pub log_y: bool,
}

pub(crate) const USAGE: &str = "write `{{#chart lines FILE x=COLUMN y=COLUMN}}` or \
     `{{#chart bars FILE y=COLUMN}}`, FILE relative to the book's root (such as \
     `bench/data/servers.csv`), optionally with `where=COLUMN:VALUE[,COLUMN:VALUE…]`, \
     `log-y` and (lines) `log-x`";

/// Reads the words after `#chart`.
pub fn parse(args: &[&str]) -> Result<ChartSpec, String> {
    let [kind, file, options @ ..] = args else {
        return Err(format!(
            "`{{{{#chart}}}}` needs a kind and a data file; {USAGE}"
        ));
    };
    let kind = match *kind {
        "lines" => ChartKind::Lines,
        "bars" => ChartKind::Bars,
        other => {
            return Err(format!(
                "`{other}` is not a kind of chart: the kinds are `lines` and `bars`; {USAGE}"
            ));
        }
    };
    check_file(file)?;
    let mut spec = ChartSpec {
        kind,
        file: file.to_string(),
        x: None,
        y: String::new(),
        filters: Vec::new(),
        log_x: false,
        log_y: false,
    };
    let mut filtered = false;
    for option in options {
        match option.split_once('=') {
            Some(("x", column)) => set_once(&mut spec.x, "x", column)?,
            Some(("y", column)) => {
                let mut y = (!spec.y.is_empty()).then(|| spec.y.clone());
                set_once(&mut y, "y", column)?;
                spec.y = y.unwrap_or_default();
            }
            Some(("where", conditions)) if !filtered => {
                filtered = true;
                spec.filters = parse_where(conditions)?;
            }
            Some(("where", _)) => {
                return Err("`where=` comes once: join its conditions with commas, \
                     `where=threads:pool,workers:4`"
                    .to_string());
            }
            None if *option == "log-x" => spec.log_x = true,
            None if *option == "log-y" => spec.log_y = true,
            _ => {
                return Err(format!(
                    "`{option}` is not an option of a chart: the options are `x=COLUMN`, \
                     `y=COLUMN`, `where=COLUMN:VALUE[,…]`, `log-x` and `log-y`"
                ));
            }
        }
    }
    if spec.y.is_empty() {
        return Err(format!(
            "a chart needs `y=COLUMN`, the column it plots; {USAGE}"
        ));
    }
    match kind {
        ChartKind::Lines if spec.x.is_none() => Err(format!(
            "a `lines` chart needs `x=COLUMN`, the column across; {USAGE}"
        )),
        ChartKind::Bars if spec.x.is_some() => Err(
            "a `bars` chart takes no `x=`: it draws one bar per row, labelled by its `server` \
             column, in the file's order"
                .to_string(),
        ),
        ChartKind::Bars if spec.log_x => Err(
            "a `bars` chart has no x axis to make logarithmic: use `log-y` for the bars' \
             lengths"
                .to_string(),
        ),
        _ => Ok(spec),
    }
}

fn set_once(slot: &mut Option<String>, name: &str, column: &str) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!(
            "`{name}=` is given twice; a chart plots one column {name}"
        ));
    }
    if column.is_empty() {
        return Err(format!(
            "`{name}=` needs a column name, such as `{name}=connections`"
        ));
    }
    *slot = Some(column.to_string());
    Ok(())
}

fn parse_where(conditions: &str) -> Result<Vec<(String, String)>, String> {
    conditions
        .split(',')
        .map(|condition| match condition.split_once(':') {
            Some((column, value)) if !column.is_empty() => {
                Ok((column.to_string(), value.to_string()))
            }
            _ => Err(format!(
                "`{condition}` is not a condition: write `COLUMN:VALUE`, such as \
                 `threads:pool` (`workers:` keeps the rows whose workers cell is empty)"
            )),
        })
        .collect()
}

fn check_file(file: &str) -> Result<(), String> {
    if crate::scan::is_plain_relative(file) {
        Ok(())
    } else {
        Err(format!(
            "`{file}` must be a plain path inside the book, from its root, such as \
             `bench/data/servers.csv` (no leading `/`, no `..`, no `./`)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(line: &str) -> Result<ChartSpec, String> {
        parse(&line.split_whitespace().collect::<Vec<_>>())
    }

    #[test]
    fn the_four_forms_of_the_brief_parse() {
        let lines =
            spec("lines bench/data/servers.csv x=connections y=requests_per_second").unwrap();
        assert_eq!(lines.kind, ChartKind::Lines);
        assert_eq!(lines.file, "bench/data/servers.csv");
        assert_eq!(lines.x.as_deref(), Some("connections"));
        assert_eq!(lines.y, "requests_per_second");
        assert!(lines.filters.is_empty() && !lines.log_x && !lines.log_y);

        let filtered =
            spec("lines bench/data/servers.csv x=connections y=p99_us where=threads:pool").unwrap();
        assert_eq!(
            filtered.filters,
            [("threads".to_string(), "pool".to_string())]
        );

        let log =
            spec("lines bench/data/mix.csv x=slow_in_flight y=fast_requests_per_second log-y")
                .unwrap();
        assert!(log.log_y && !log.log_x);

        let bars = spec("bars bench/data/tuning.csv y=requests_per_second").unwrap();
        assert_eq!(bars.kind, ChartKind::Bars);
        assert_eq!(bars.x, None);
    }

    #[test]
    fn options_come_in_any_order_and_where_takes_several_conditions() {
        let s = spec("lines d.csv log-x where=threads:pool,workers: y=b x=a").unwrap();
        assert_eq!(s.x.as_deref(), Some("a"));
        assert_eq!(s.y, "b");
        assert!(s.log_x);
        assert_eq!(
            s.filters,
            [
                ("threads".to_string(), "pool".to_string()),
                ("workers".to_string(), String::new())
            ]
        );
    }

    #[test]
    fn every_mistake_is_named() {
        for (line, says) in [
            ("", "needs a kind and a data file"),
            ("lines", "needs a kind and a data file"),
            ("pie d.csv y=a", "not a kind of chart"),
            ("lines ../d.csv x=a y=b", "plain path inside the book"),
            ("lines /d.csv x=a y=b", "plain path inside the book"),
            ("lines d.csv y=b", "needs `x=COLUMN`"),
            ("lines d.csv x=a", "needs `y=COLUMN`"),
            ("bars d.csv x=a y=b", "takes no `x=`"),
            ("bars d.csv y=b log-x", "no x axis"),
            ("lines d.csv x=a y=b y=c", "`y=` is given twice"),
            ("lines d.csv x= y=c", "`x=` needs a column name"),
            ("lines d.csv x=a y=b where=pool", "not a condition"),
            ("lines d.csv x=a y=b where=:pool", "not a condition"),
            ("lines d.csv x=a y=b where=a:1 where=b:2", "comes once"),
            ("lines d.csv x=a y=b logy", "not an option of a chart"),
        ] {
            let err = spec(line).unwrap_err();
            assert!(err.contains(says), "{line:?}: {err}");
        }
    }
}
