//! `book-bench tuning`: chapter 12's steps, from Part 3's pool to the tuned
//! pool, and the reference server, measured in one run; `tuning.csv`, one
//! row per step and number of connections.
//!
//! ```console
//! cargo run -p book-bench --release -- tuning [--duration SECS] [--rounds N]
//!     [--connections N,N,...] [--out FILE] [--profile release|dev]
//! ```
//!
//! The steps differ by a few per cent, less than the noise of one run on a
//! shared machine; so every server runs the whole time, and the runs take
//! turns (`rounds`): at each number of connections, round after round, each
//! server once. A row adds up its server's rounds, with the server's CPU
//! time from /proc (`cpu`). Building, starting servers and nginx, running
//! the generator and writing the file are the `servers` command's pieces.

pub mod cpu;
mod options;
pub mod rounds;

use std::time::Instant;

pub use options::{Options, USAGE};
use rounds::{Labels, Turn};

use crate::{csv, loadgen, loadgen::Loadgen, machine, nginx, prepare, process::Server};

/// One server of the chapter.
struct Step {
    listing: &'static str,
    /// `pool` (Part 3's), `tuned` (a step of chapter 12) or `reference`.
    threads: &'static str,
    /// Built with the `dev` profile whatever `--profile` says: the chapter's
    /// first measurement is debug against release.
    debug: bool,
}

const fn step(listing: &'static str, threads: &'static str) -> Step {
    Step {
        listing,
        threads,
        debug: false,
    }
}

/// In the chapter's order, which is the rows' order.
const STEPS: &[Step] = &[
    Step {
        listing: "ch11-02-workers-checked",
        threads: "pool",
        debug: true,
    },
    step("ch11-02-workers-checked", "pool"),
    step("ch12-03-no-job-line", "tuned"),
    step("ch12-05-pages-shared", "tuned"),
    step("ch12-06-responses-once", "tuned"),
    step("ch12-07-queue-and-condvar", "tuned"),
    step(REFERENCE, "reference"),
];

/// The reference server, whose folder nginx serves: the same `index.html`.
const REFERENCE: &str = "ch12-02-reference-scoped";

/// The nginx row's `threads`; its `workers` are its worker processes, one
/// per core.
const NGINX: &str = "nginx";

/// Every server has four threads that answer: the pool's default size, and
/// the reference's `THREADS`.
const WORKERS: u32 = 4;

/// The command, once its options are read.
pub fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let profile_of = |step: &Step| if step.debug { "dev" } else { options.profile };
    let wanted: Vec<_> = std::iter::once((loadgen::LISTING, options.profile))
        .chain(STEPS.iter().map(|step| (step.listing, profile_of(step))))
        .collect();
    let built = prepare::build(&wanted, &crate::repo_root().join("target/bench-tuning"))?;
    let loadgen = Loadgen(
        built
            .binary(loadgen::LISTING, options.profile)
            .to_path_buf(),
    );

    // Every server runs the whole time: the chapter's steps, then nginx.
    let mut turns = Vec::new();
    for step in STEPS {
        let profile = profile_of(step);
        let binary = built.binary(step.listing, profile);
        turns.push(Turn {
            labels: Labels {
                name: step.listing,
                threads: step.threads,
                workers: WORKERS,
                profile,
            },
            server: Server::start(step.listing, binary, built.dir(step.listing), &[])?,
        });
    }
    let nginx_version = match nginx::find() {
        Some(program) => {
            let workers = nginx::worker_processes();
            turns.push(Turn {
                // The system's nginx package is an optimised build.
                labels: Labels {
                    name: NGINX,
                    threads: NGINX,
                    workers,
                    profile: "release",
                },
                server: nginx::start(&program, built.dir(REFERENCE), workers)?,
            });
            Some(nginx::version(&program))
        }
        None => {
            eprintln!("{}", nginx::NOT_FOUND);
            None
        }
    };

    let rows = rounds::measure(
        &mut turns,
        &loadgen,
        &options.connections,
        options.rounds,
        options.duration,
    )?;
    // Every server is stopped before the file is written.
    drop(turns);
    csv::save(
        &options.out,
        &header(options, nginx_version.as_deref()),
        &rounds::columns(),
        &rows,
    )?;
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The file's comment lines: what was measured and how, then where.
fn header(options: &Options, nginx_version: Option<&str>) -> Vec<String> {
    let mut header = vec![
        format!(
            "book-bench tuning: chapter 12's servers under the book's load generator ({}), \
             closed loop, GET / on a new connection per request; all servers running at once, \
             measured in turns: at each number of connections, {} rounds of {} s per server; a row \
             adds up its rounds (answered, failed, duration; requests_per_second = answered / \
             duration), p50/p90/p99 are the median of the rounds' and max the largest; listings \
             built with the {} profile, except the rows whose profile says dev; workers: \
             the threads that answer (nginx: its worker processes)",
            loadgen::LISTING,
            options.rounds,
            options.duration,
            options.profile
        ),
        "cpu_per_request_us: the CPU time the server's threads (nginx: its processes) had \
         during its turns, from /proc/PID/task/TID/schedstat, divided by the requests it \
         answered; other work on the machine disturbs it far less than requests_per_second"
            .to_string(),
    ];
    let nginx = match nginx_version {
        Some(version) => format!(
            "{} (its response adds the headers Server, Date, Last-Modified, ETag and \
             Accept-Ranges)",
            nginx::setup(version)
        ),
        None => "nginx: not found on PATH, not measured".to_string(),
    };
    header.extend(machine::about("tuning", &[nginx], &[]));
    header
}

#[cfg(test)]
mod tests {
    use listings_contract::Listing;

    use super::*;

    #[test]
    fn every_step_is_a_listing_that_builds() {
        for step in STEPS {
            let listing = Listing::find(step.listing).unwrap();
            assert!(!listing.must_fail(), "{} must build", step.listing);
        }
    }

    #[test]
    fn the_header_says_how_and_where_in_its_order() {
        let options = Options::parse(std::iter::empty()).unwrap().unwrap();
        let with = header(&options, Some("nginx/1.22.1"));
        assert_eq!(with.len(), 7, "{with:#?}");
        for (line, start) in with.iter().zip([
            "book-bench tuning: chapter 12's servers under the book's load generator \
             (ch10-03-intended-start), closed loop",
            "cpu_per_request_us: ",
            "machine: ",
            "nginx: nginx/1.22.1, worker_processes ",
            "the load generator and the servers share",
            "date: ",
            "regenerate: cargo run -p book-bench --release -- tuning ",
        ]) {
            assert!(line.starts_with(start), "{line:?} does not start {start:?}");
        }
        assert!(
            with[0].contains("8 rounds of 1 s per server"),
            "{}",
            with[0]
        );
        assert!(
            with[3].ends_with(
                "serving the same index.html (its response adds the headers Server, \
                 Date, Last-Modified, ETag and Accept-Ranges)"
            ),
            "{}",
            with[3]
        );
        let without = header(&options, None);
        assert_eq!(without[3], "nginx: not found on PATH, not measured");
    }
}
