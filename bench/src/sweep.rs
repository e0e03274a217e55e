//! The `/` sweep: each server alone, closed loop on `/`, at each number of
//! connections; `servers.csv`, one row per server and number of connections.

use crate::{csv, loadgen::Run, prepare::Prepared};

/// The columns of `servers.csv`, in order.
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
            let report = prepared.loadgen.run(
                &what,
                &Run {
                    url: &url,
                    connections,
                    seconds,
                    rate: None,
                },
            )?;
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
            let failures = report.failures;
            let [p50, p90, p99, max] = csv::percentiles(&report);
            rows.push(vec![
                measured.server().to_string(),
                measured.threads.to_string(),
                csv::optional(measured.workers()),
                connections.to_string(),
                format!("{:.2}", report.seconds),
                report.answered.to_string(),
                report.failed.to_string(),
                format!("{:.1}", report.throughput),
                p50,
                p90,
                p99,
                max,
                failures.refused.to_string(),
                failures.reset.to_string(),
                failures.timeout.to_string(),
                failures.bad_status.to_string(),
                failures.other.to_string(),
            ]);
        }
        // `server` is dropped here: it is stopped before the next starts.
    }
    Ok(rows)
}
