//! The data files: comment lines (`# …`) that say where the figures came
//! from, a header row, then one row per measurement. What the columns are
//! is each file's own (`sweep`, `mix`); this is what they share.

use std::{fmt::Write, path::Path};

use crate::report::{Failures, Report};

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

/// The columns `outcome` fills, in its order.
pub const OUTCOME_COLUMNS: [&str; 8] = [
    "duration_s",
    "answered",
    "failed",
    "requests_per_second",
    "p50_us",
    "p90_us",
    "p99_us",
    "max_us",
];

/// The columns `failures` fills, in its order.
pub const FAILURE_COLUMNS: [&str; 5] = ["refused", "reset", "timeout", "bad_status", "other"];

/// A file's columns: the pieces, one after the other.
pub fn columns(pieces: &[&[&'static str]]) -> Vec<&'static str> {
    pieces.concat()
}

/// What one generator run measured, as every file writes it
/// (`OUTCOME_COLUMNS`, or the same with a prefix).
pub fn outcome(report: &Report) -> [String; 8] {
    let [p50, p90, p99, max] = percentiles(report);
    [
        format!("{:.2}", report.seconds),
        report.answered.to_string(),
        report.failed.to_string(),
        format!("{:.1}", report.throughput),
        p50,
        p90,
        p99,
        max,
    ]
}

/// The failed requests by kind: `refused`, `reset`, `timeout`,
/// `bad_status`, `other`.
pub fn failures(failures: &Failures) -> [String; 5] {
    [
        failures.refused,
        failures.reset,
        failures.timeout,
        failures.bad_status,
        failures.other,
    ]
    .map(|count| count.to_string())
}

/// The p50, p90, p99 and max latency in microseconds, or four empty fields
/// when no request was answered.
fn percentiles(report: &Report) -> [String; 4] {
    let latency = report.latency.as_ref();
    [
        optional(latency.map(|l| l.p50)),
        optional(latency.map(|l| l.p90)),
        optional(latency.map(|l| l.p99)),
        optional(latency.map(|l| l.max)),
    ]
}

/// Writes a data file (`write`'s text) to `path`, creating its folder,
/// unless there is nothing to write: a run that measured none of its
/// servers leaves the file as it was.
pub fn save(
    path: &Path,
    header: &[String],
    columns: &[&str],
    rows: &[Vec<String>],
) -> Result<(), String> {
    if rows.is_empty() {
        eprintln!("nothing measured for {}: left as it was", path.display());
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    std::fs::write(path, write(header, columns, rows))
        .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    eprintln!("wrote {} rows to {}", rows.len(), path.display());
    Ok(())
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

    #[test]
    fn a_report_is_written_as_its_outcome_and_its_failures() {
        let report = Report {
            answered: 1234,
            failed: 6,
            seconds: 2.004,
            throughput: 615.77,
            failures: Failures {
                refused: 1,
                reset: 2,
                timeout: 3,
                bad_status: 0,
                other: 0,
                shed: 0,
            },
            latency: Some(Latency {
                p50: 250,
                p90: 600,
                p99: 4000,
                max: 21000,
            }),
        };
        assert_eq!(
            outcome(&report).join(","),
            "2.00,1234,6,615.8,250,600,4000,21000"
        );
        assert_eq!(failures(&report.failures).join(","), "1,2,3,0,0");
        let none = Report {
            answered: 0,
            latency: None,
            ..report
        };
        assert_eq!(outcome(&none).join(","), "2.00,0,6,615.8,,,,");
    }

    #[test]
    fn saving_nothing_leaves_the_file_as_it_was() {
        let scratch = crate::process::Scratch::new("test-csv").unwrap();
        let path = scratch.path().join("deeper/data.csv");
        save(&path, &[], &["n"], &[]).unwrap();
        assert!(!path.exists());
        let header = ["about".to_string()];
        save(&path, &header, &["n"], &[vec!["1".to_string()]]).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# about\nn\n1\n");
    }
}
