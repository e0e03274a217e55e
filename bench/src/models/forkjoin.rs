//! Chapter 18's route whose work splits, `/report`: the sequential version
//! against the ones that split it across the cores, one request at a time
//! (a single connection), so that any speed-up is the split's and not
//! several requests served side by side. The servers run at once and are
//! measured in turns, as the throughput is.

use std::time::{Duration, Instant};

use super::throughput::Rows;
use crate::{csv, loadgen::Loadgen, process::Server, report::Report, tuning::rounds::added_up};

/// The servers, first the sequential one every other is compared with:
/// chapter 18's listings (the route and the listings are that chapter's).
pub const SERVERS: &[(&str, &str)] = &[
    ("ch18-01-report", "sequential"),
    ("ch18-03-scoped", "thread::scope"),
    ("ch18-06-par-iter", "rayon par_iter"),
];

/// Each round's length, in seconds.
pub const ROUND_SECONDS: u64 = 2;

/// A round starts once the processors have been this idle (a fraction of
/// all their time) over the last `QUIET_WINDOW`, as chapter 18's own
/// measurement does: a split answer is faster only when a second core is
/// free, and on a shared machine other work decides that. After
/// `QUIET_LIMIT` of waiting, the round starts anyway, and the file says so.
pub const QUIET: f64 = 0.7;
pub const QUIET_WINDOW: Duration = Duration::from_secs(3);
pub const QUIET_LIMIT: Duration = Duration::from_secs(60);

/// The processors' time so far, idle and in all (`/proc/stat`'s `cpu`
/// line, in clock ticks); `None` where the system does not say.
fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().find(|line| line.starts_with("cpu "))?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …
    let idle = ticks.get(3)? + ticks.get(4).copied().unwrap_or(0);
    Some((idle, ticks.iter().take(8).sum()))
}

/// Waits until the processors were at least `QUIET` idle over the last
/// `QUIET_WINDOW`, or `QUIET_LIMIT` has passed; the idle fraction of the
/// last window, and whether it was quiet.
fn wait_for_quiet() -> (f64, bool) {
    let started = Instant::now();
    loop {
        let Some(before) = cpu_ticks() else {
            return (0.0, false);
        };
        std::thread::sleep(QUIET_WINDOW);
        let Some(after) = cpu_ticks() else {
            return (0.0, false);
        };
        let total = after.1.saturating_sub(before.1).max(1);
        let idle = after.0.saturating_sub(before.0) as f64 / total as f64;
        if idle >= QUIET {
            return (idle, true);
        }
        if started.elapsed() >= QUIET_LIMIT {
            return (idle, false);
        }
    }
}

/// The columns of `models-forkjoin.csv`.
pub fn columns() -> Vec<&'static str> {
    csv::columns(&[
        &["server", "split", "connections", "rounds"],
        &csv::OUTCOME_COLUMNS,
        &["speedup"],
    ])
}

/// Measures `/report` on each server (`servers`, in `SERVERS`' order), in
/// turns, `rounds` times; the rows.
pub fn measure(
    servers: &mut [Server],
    loadgen: &Loadgen,
    rounds: u64,
) -> Result<(Rows, u64), String> {
    let mut measured: Vec<Vec<Report>> = servers.iter().map(|_| Vec::new()).collect();
    let mut busy_rounds = 0;
    for round in 1..=rounds {
        let (idle, quiet) = wait_for_quiet();
        eprintln!(
            "fork/join round {round}: the processors were {:.0} % idle over the last {} s{}",
            idle * 100.0,
            QUIET_WINDOW.as_secs(),
            if quiet { "" } else { ": started anyway" }
        );
        busy_rounds += u64::from(!quiet);
        for ((server, reports), (listing, split)) in
            servers.iter_mut().zip(&mut measured).zip(SERVERS)
        {
            let what = format!("loadgen on `/report` of {listing} ({split}), round {round}");
            let url = format!("http://{}/report", server.addr());
            let report = loadgen.closed_loop(&what, &url, 1, ROUND_SECONDS)?;
            if server.has_exited() {
                return Err(server.failure(&format!("exited during the {what}")));
            }
            eprintln!(
                "{split:<15} round {round}: {:.1} /report per second, p50 {} µs",
                report.throughput,
                csv::optional(report.latency.map(|l| l.p50)),
            );
            reports.push(report);
        }
    }
    let totals: Vec<Report> = measured.iter().map(|r| added_up(r)).collect();
    Ok((rows(&totals, rounds), busy_rounds))
}

/// The rows, each with its speed-up: its requests per second over the
/// sequential server's (one connection: one request at a time, so this is
/// also the sequential time over its own).
fn rows(totals: &[Report], rounds: u64) -> Rows {
    let sequential = totals[0].throughput;
    totals
        .iter()
        .zip(SERVERS)
        .map(|(total, (listing, split))| {
            let mut row = vec![
                listing.to_string(),
                split.to_string(),
                "1".to_string(),
                rounds.to_string(),
            ];
            row.extend(csv::outcome(total));
            row.push(if sequential > 0.0 {
                format!("{:.2}", total.throughput / sequential)
            } else {
                String::new()
            });
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use listings_contract::Listing;

    use super::*;

    #[test]
    fn the_servers_are_listings_that_build() {
        for (name, _) in SERVERS {
            let listing = Listing::find(name).unwrap();
            assert!(!listing.must_fail(), "{name} must build");
        }
    }

    #[test]
    fn the_processors_time_is_read() {
        let (idle, total) = cpu_ticks().expect("/proc/stat is there");
        assert!(idle <= total && total > 0, "{idle} of {total}");
    }

    #[test]
    fn the_speedup_is_over_the_sequential_server() {
        let report = |answered| {
            crate::report::parse(&format!(
                "requests: {answered} answered, 0 failed, in 2.00 s\n\
                 throughput: {} answered per second\nfailures: none\n\
                 latency (µs): p50 1, p90 2, p99 3, max 4\n",
                answered / 2
            ))
            .unwrap()
        };
        let rows = rows(&[report(20), report(36), report(38)], 1);
        let speedups: Vec<&str> = rows
            .iter()
            .map(|row| row.last().unwrap().as_str())
            .collect();
        assert_eq!(speedups, ["1.00", "1.80", "1.90"]);
        assert_eq!(rows[0].len(), columns().len());
    }
}
