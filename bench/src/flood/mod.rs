//! `book-bench flood`: chapter 16's flood, `/slow` at one, two and four
//! times the pool's capacity, against the server with an unbounded queue
//! and the one that sheds; `flood.csv`, one row per server and rate.
//!
//! ```console
//! cargo run -p book-bench --release -- flood [--duration SECS] [--out FILE]
//!     [--profile release|dev]
//! ```
//!
//! `/slow` sleeps `SLOW_MS`, so a pool of `WORKERS` can answer at most
//! `WORKERS / SLOW_MS` of them a second: the capacity, small enough that
//! the generator reaches four times it on two shared cores. Each row starts
//! a fresh server, runs the generator's open loop at the rate, and samples
//! the server's open files and resident memory from /proc meanwhile
//! (`sample`).

mod options;
mod sample;

use std::time::Instant;

pub use options::{USAGE, parse as parse_options};

use crate::{
    csv,
    loadgen::{Loadgen, Run},
    machine,
    options::Runs,
    prepare,
    process::Server,
    report::Report,
};

/// The generator that counts `503` apart, as chapter 16 leaves it.
pub const LOADGEN: &str = "ch16-05-shed";

/// The servers: chapter 16's first step (an unbounded queue) and its last
/// (a bounded queue that sheds, and an accept loop that backs off).
const SERVERS: &[(&str, &str)] = &[
    ("ch16-01-slow-ms", "unbounded"),
    ("ch16-07-accept-backoff", "bounded"),
];

/// The pool's size and `/slow`'s time: a capacity of 400 a second.
const WORKERS: u64 = 4;
const SLOW_MS: u64 = 10;

/// The rates, as multiples of the capacity.
const MULTIPLES: &[u64] = &[1, 2, 4];

/// The generator's connections: enough that a slow answer never holds up
/// the schedule at four times the capacity.
const CONNECTIONS: u64 = 1000;

/// The columns of `flood.csv`, in order: the server and the rate, what the
/// generator measured, and the server's files and memory.
pub fn columns() -> Vec<&'static str> {
    csv::columns(&[
        &[
            "server",
            "queue",
            "workers",
            "slow_ms",
            "capacity_per_second",
            "rate_multiple",
            "rate",
            "connections",
        ],
        &csv::OUTCOME_COLUMNS,
        &["shed"],
        &csv::FAILURE_COLUMNS,
        &[
            "open_files_before",
            "open_files_max",
            "rss_before_kb",
            "rss_max_kb",
            "rss_after_kb",
        ],
    ])
}

/// The pool's capacity, in `/slow` requests a second.
fn capacity() -> u64 {
    WORKERS * 1000 / SLOW_MS
}

/// The command, once its options are read.
pub fn run(options: &Runs) -> Result<(), String> {
    let started = Instant::now();
    let mut wanted = vec![(LOADGEN, options.profile)];
    wanted.extend(
        SERVERS
            .iter()
            .map(|&(listing, _)| (listing, options.profile)),
    );
    let built = prepare::build(&wanted, &crate::repo_root().join("target/bench-flood"))?;
    let loadgen = Loadgen(built.binary(LOADGEN, options.profile).to_path_buf());
    let (workers, slow_ms) = (WORKERS.to_string(), SLOW_MS.to_string());
    let env = [("WORKERS", workers.as_str()), ("SLOW_MS", slow_ms.as_str())];

    let mut rows = Vec::new();
    for &multiple in MULTIPLES {
        let rate = multiple * capacity();
        for &(listing, queue) in SERVERS {
            let what = format!("{listing} ({queue} queue) at {rate} /slow a second");
            eprintln!("{what}");
            let server = Server::start(
                listing,
                built.binary(listing, options.profile),
                built.dir(listing),
                &env,
            )?;
            let before = sample::now(server.pid())?;
            let sampler = sample::Sampler::start(server.pid());
            let url = format!("http://{}/slow", server.addr());
            let run = Run {
                url: &url,
                connections: CONNECTIONS,
                seconds: options.duration,
                rate: Some(rate as f64),
            };
            let report = loadgen.run(&what, &run)?;
            let most = sampler.stop();
            let after = sample::now(server.pid())?;
            drop(server);
            rows.push(row(
                listing,
                queue,
                multiple,
                &report,
                [before, most, after],
            ));
        }
    }
    csv::save(options.out("--out"), &header(options), &columns(), &rows)?;
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// One row: the server and the rate, what the generator measured, and the
/// server's open files and memory before, at most and after.
fn row(
    listing: &str,
    queue: &str,
    multiple: u64,
    report: &Report,
    [before, most, after]: [sample::Sample; 3],
) -> Vec<String> {
    let mut row = vec![
        listing.to_string(),
        queue.to_string(),
        WORKERS.to_string(),
        SLOW_MS.to_string(),
        capacity().to_string(),
        multiple.to_string(),
        (multiple * capacity()).to_string(),
        CONNECTIONS.to_string(),
    ];
    row.extend(csv::outcome(report));
    row.push(report.failures.shed.to_string());
    row.extend(csv::failures(&report.failures));
    row.extend(
        [
            before.open_files,
            most.open_files,
            before.rss_kb,
            most.rss_kb,
            after.rss_kb,
        ]
        .map(|n| n.to_string()),
    );
    row
}

/// The file's comment lines: what was measured and how, then where.
fn header(options: &Runs) -> Vec<String> {
    let mut header = vec![
        format!(
            "book-bench flood: for each rate and server, a fresh server (WORKERS={WORKERS}, \
             SLOW_MS={SLOW_MS}: a capacity of {} /slow a second) and the book's load generator \
             as chapter 16 leaves it ({LOADGEN}, which counts 503 answers as shed) in an open \
             loop of GET /slow at the rate, on {CONNECTIONS} connections for {} s; listings \
             built with the {} profile",
            capacity(),
            options.duration,
            options.profile
        ),
        format!(
            "open_files_…: the server's file descriptors (/proc/PID/fd), rss_…_kb: its VmRSS \
             (/proc/PID/status), before the run, the most seen while it ran (sampled every \
             {} ms) and after it",
            sample::EVERY.as_millis()
        ),
    ];
    let conditions = machine::busy();
    header.extend(machine::about("flood", &[], &conditions));
    header
}

#[cfg(test)]
mod tests {
    use listings_contract::Listing;

    use super::*;

    #[test]
    fn the_servers_and_the_generator_are_listings_that_build() {
        for name in SERVERS.iter().map(|&(listing, _)| listing).chain([LOADGEN]) {
            let listing = Listing::find(name).unwrap();
            assert!(!listing.must_fail(), "{name} must build");
        }
    }

    #[test]
    fn a_row_has_every_column_and_the_rate_from_the_capacity() {
        let report = crate::report::parse(
            "requests: 10 answered, 41 failed, in 1.00 s\nthroughput: 10.0 answered per second\n\
             failures: reset 1, shed 40\nlatency (µs): p50 1, p90 2, p99 3, max 4\n",
        )
        .unwrap();
        let sample = |n| sample::Sample {
            open_files: n,
            rss_kb: n * 100,
        };
        let row = row(
            "ch16-07-accept-backoff",
            "bounded",
            4,
            &report,
            [sample(5), sample(27), sample(6)],
        );
        assert_eq!(row.len(), columns().len());
        assert_eq!(row[4..7], ["400", "4", "1600"]);
        assert_eq!(row[16], "40", "shed");
        assert_eq!(row[18], "1", "reset");
        assert_eq!(row[22..], ["5", "27", "500", "2700", "600"]);
    }
}
