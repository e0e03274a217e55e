//! The data file: comment lines (`# …`) that say where the figures came
//! from, a header row, then one row per server and number of connections.

use std::fmt::Write;

use crate::report::Report;

/// The columns, in order.
pub const COLUMNS: &[&str] = &[
    "server",
    "threads",
    "workers",
    "connections",
    "duration_s",
    "answered",
    "failed",
    "requests_per_second",
    "p50_us",
    "p90_us",
    "p99_us",
    "max_us",
    "refused",
    "reset",
    "timeout",
    "bad_status",
    "other",
];

/// One measurement: a server under a number of connections.
pub struct Row<'a> {
    /// The listing's name.
    pub server: &'a str,
    /// How the server uses threads: `one`, `per-connection` or `pool`.
    pub threads: &'a str,
    /// The pool's size; `None` when the server has no pool.
    pub workers: Option<u32>,
    pub connections: u64,
    pub report: Report,
}

/// The whole file: each line of `header` as a comment, then the rows.
pub fn write(header: &[String], rows: &[Row]) -> String {
    let mut text = String::new();
    for line in header {
        // A header line never breaks out of its comment.
        for part in line.lines() {
            writeln!(text, "# {part}").unwrap();
        }
    }
    writeln!(text, "{}", COLUMNS.join(",")).unwrap();
    for row in rows {
        let report = &row.report;
        let latency = |pick: fn(&crate::report::Latency) -> u64| {
            report
                .latency
                .as_ref()
                .map_or_else(String::new, |latency| pick(latency).to_string())
        };
        let failures = report.failures;
        let fields = [
            field(row.server),
            field(row.threads),
            row.workers.map_or_else(String::new, |n| n.to_string()),
            row.connections.to_string(),
            format!("{:.2}", report.seconds),
            report.answered.to_string(),
            report.failed.to_string(),
            format!("{:.1}", report.throughput),
            latency(|l| l.p50),
            latency(|l| l.p90),
            latency(|l| l.p99),
            latency(|l| l.max),
            failures.refused.to_string(),
            failures.reset.to_string(),
            failures.timeout.to_string(),
            failures.bad_status.to_string(),
            failures.other.to_string(),
        ];
        writeln!(text, "{}", fields.join(",")).unwrap();
    }
    text
}

/// A text field, quoted if it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Failures, Latency};

    fn report(answered: u64, latency: Option<Latency>, failures: Failures) -> Report {
        Report {
            answered,
            failed: failures.refused
                + failures.reset
                + failures.timeout
                + failures.bad_status
                + failures.other,
            seconds: 5.004,
            throughput: answered as f64 / 5.004,
            failures,
            latency,
        }
    }

    #[test]
    fn writes_the_header_as_comments_then_one_row_per_measurement() {
        let rows = [
            Row {
                server: "ch08-09-close-listener-first",
                threads: "pool",
                workers: Some(4),
                connections: 16,
                report: report(
                    50_000,
                    Some(Latency {
                        p50: 255,
                        p90: 631,
                        p99: 4351,
                        max: 21781,
                    }),
                    Failures::default(),
                ),
            },
            Row {
                server: "ch03-01-slow-route",
                threads: "one",
                workers: None,
                connections: 1,
                report: report(
                    0,
                    None,
                    Failures {
                        refused: 3,
                        bad_status: 2,
                        ..Failures::default()
                    },
                ),
            },
        ];
        let header = ["machine: 2 cores".to_string(), "two\nlines".to_string()];
        assert_eq!(
            write(&header, &rows),
            "\
# machine: 2 cores
# two
# lines
server,threads,workers,connections,duration_s,answered,failed,requests_per_second,p50_us,p90_us,p99_us,max_us,refused,reset,timeout,bad_status,other
ch08-09-close-listener-first,pool,4,16,5.00,50000,0,9992.0,255,631,4351,21781,0,0,0,0,0
ch03-01-slow-route,one,,1,5.00,0,5,0.0,,,,,3,0,0,2,0
"
        );
    }

    #[test]
    fn every_row_has_as_many_fields_as_the_header() {
        let row = Row {
            server: "a,\"b\"",
            threads: "one",
            workers: None,
            connections: 1,
            report: report(1, None, Failures::default()),
        };
        let text = write(&[], &[row]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[1].starts_with("\"a,\"\"b\"\"\",one,"));
        // Past the quoted field, the commas are the separators.
        let after_quoted = lines[1].rsplit_once("\",").unwrap().1;
        assert_eq!(after_quoted.split(',').count() + 1, COLUMNS.len());
    }
}
