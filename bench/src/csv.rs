//! The data files: comment lines (`# …`) that say where the figures came
//! from, a header row, then one row per measurement. What the columns are
//! is each file's own (`sweep`, `mix`); this is what they share.

use std::fmt::Write;

use crate::report::Report;

/// The whole file: each line of `header` as a comment, the columns, then
/// the rows, each as many fields as there are columns.
pub fn write(header: &[String], columns: &[&str], rows: &[Vec<String>]) -> String {
    let mut text = String::new();
    for line in header {
        // A header line never breaks out of its comment.
        for part in line.lines() {
            writeln!(text, "# {part}").unwrap();
        }
    }
    writeln!(text, "{}", columns.join(",")).unwrap();
    for row in rows {
        assert_eq!(row.len(), columns.len(), "a row of {row:?} for {columns:?}");
        let fields: Vec<String> = row.iter().map(|value| field(value)).collect();
        writeln!(text, "{}", fields.join(",")).unwrap();
    }
    text
}

/// A field, quoted if it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A number that may be missing: empty when it is.
pub fn optional(value: Option<impl ToString>) -> String {
    value.map_or_else(String::new, |value| value.to_string())
}

/// The p50, p90, p99 and max latency in microseconds, or four empty fields
/// when no request was answered.
pub fn percentiles(report: &Report) -> [String; 4] {
    let latency = report.latency.as_ref();
    [
        optional(latency.map(|l| l.p50)),
        optional(latency.map(|l| l.p90)),
        optional(latency.map(|l| l.p99)),
        optional(latency.map(|l| l.max)),
    ]
}

/// Writes `text` to `path`, creating its folder.
pub fn save(path: &std::path::Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Failures, Latency};

    #[test]
    fn writes_the_header_as_comments_then_the_rows() {
        let header = ["machine: 2 cores".to_string(), "two\nlines".to_string()];
        let rows = [
            vec!["a".to_string(), "1".to_string()],
            vec!["b,\"c\"".to_string(), String::new()],
        ];
        assert_eq!(
            write(&header, &["name", "n"], &rows),
            "\
# machine: 2 cores
# two
# lines
name,n
a,1
\"b,\"\"c\"\"\",
"
        );
    }

    #[test]
    fn percentiles_are_empty_without_answers() {
        let mut report = Report {
            answered: 0,
            failed: 1,
            seconds: 1.0,
            throughput: 0.0,
            failures: Failures {
                refused: 1,
                ..Failures::default()
            },
            latency: None,
        };
        assert_eq!(percentiles(&report), ["", "", "", ""]);
        report.latency = Some(Latency {
            p50: 1,
            p90: 2,
            p99: 3,
            max: 4,
        });
        assert_eq!(percentiles(&report), ["1", "2", "3", "4"]);
    }
}
