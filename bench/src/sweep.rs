//! The `/` sweep: each server alone, closed loop on `/`, at each number of
//! connections; `servers.csv`, one row per server and number of connections.

use crate::{csv, prepare::Prepared, report::Report};

/// The columns of `servers.csv`, in order (`tuning.csv` starts with them).
pub fn columns() -> Vec<&'static str> {
    csv::columns(&[
        &["server", "threads", "workers", "connections"],
        &csv::OUTCOME_COLUMNS,
        &csv::FAILURE_COLUMNS,
    ])
}

/// Measures every prepared server at each number of `connections` for
/// `seconds` each, starting each server once and stopping it before the next.
pub fn run(
    prepared: &Prepared,
    connections: &[u64],
    seconds: u64,
) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    for (measured, ready) in &prepared.servers {
        let mut server = ready.start(measured)?;
        for &connections in connections {
            let what = format!(
                "loadgen against `{}` at {connections} connections",
                measured.name
            );
            let url = format!("http://{}/", server.addr());
            let report = prepared
                .loadgen
                .closed_loop(&what, &url, connections, seconds)?;
            if server.has_exited() {
                return Err(server.failure(&format!(
                    "exited during the run at {connections} connections"
                )));
            }
            eprintln!(
                "{:<16} {connections:>4} connections: {:>9.1} requests/s, p99 {} µs, {} failed",
                measured.name,
                report.throughput,
                report
                    .latency
                    .map_or_else(|| "-".to_string(), |l| l.p99.to_string()),
                report.failed
            );
            rows.push(row(
                measured.server(),
                measured.threads,
                measured.workers(),
                connections,
                &report,
            ));
        }
        // `server` is dropped here: it is stopped before the next starts.
    }
    Ok(rows)
}

/// The row of `COLUMNS` for a server (`server`, `threads`, `workers`) at
/// `connections`, from what `report` measured.
pub fn row(
    server: &str,
    threads: &str,
    workers: Option<u32>,
    connections: u64,
    report: &Report,
) -> Vec<String> {
    let mut row = vec![
        server.to_string(),
        threads.to_string(),
        csv::optional(workers),
        connections.to_string(),
    ];
    row.extend(csv::outcome(report));
    row.extend(csv::failures(&report.failures));
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Failures, Latency};

    #[test]
    fn a_row_names_the_server_then_says_what_was_measured() {
        let report = Report {
            answered: 57163,
            failed: 1,
            seconds: 5.0,
            throughput: 11432.6,
            failures: Failures {
                reset: 1,
                ..Failures::default()
            },
            latency: Some(Latency {
                p50: 69,
                p90: 110,
                p99: 253,
                max: 57423,
            }),
        };
        let one = row("ch03-01-slow-route", "one", None, 1, &report);
        assert_eq!(one.len(), columns().len());
        assert_eq!(
            one.join(","),
            "ch03-01-slow-route,one,,1,5.00,57163,1,11432.6,69,110,253,57423,0,1,0,0,0"
        );
        let pool = row("ch11-02-workers-checked", "pool", Some(4), 16, &report);
        assert_eq!(pool[..4].join(","), "ch11-02-workers-checked,pool,4,16");
    }
}
