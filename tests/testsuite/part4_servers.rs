//! Part 4, chapter 11: the pool's size as a setting, and what the chapter
//! says every server does under a mix of `/` and `/slow`, measured with
//! the reader's own generator on loopback.
//!
//! Every check is a count, or a ratio between runs made side by side; the
//! only durations are the book's own 2 s sleep and fractions of it.

use std::{
    ffi::OsStr,
    os::unix::ffi::OsStrExt,
    process::Command,
    thread,
    time::{Duration, Instant},
};

use listings_contract::running::run_to_end;

use crate::support::{
    claims::SLOW_REQUEST,
    listings::{Listing, build_listing},
    loadgen::{Report, generate, report_of},
    server::Server,
};

/// The pool server chapter 11 measures, and the answer that sizes it by cores.
const POOL: &str = "ch11-02-workers-checked";
const BY_CORES: &str = "ch11-90-workers-from-cores";
const ONE_THREAD: &str = "ch03-01-slow-route";

/// The reader's generator as chapter 10 leaves it (it has `--rate`).
const GENERATOR: &str = "ch10-03-intended-start";

/// How many workers a pool started with `env` has: the lines its `drop`
/// prints for each worker once SIGTERM has stopped it.
fn workers_of(listing: &str, env: &[(&str, &str)]) -> usize {
    let mut server = Server::start_with_env(listing, env);
    // Sent once the server handles it (`Server::send_signal` waits).
    server.send_signal(libc::SIGTERM);
    let status = server
        .wait_for_exit(Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{listing} {env:?} did not stop on SIGTERM"));
    assert!(status.success(), "{listing} {env:?} ended with {status}");
    server
        .stdout()
        .iter()
        .filter(|line| line.starts_with("Waiting for worker "))
        .count()
}

#[test]
fn the_pool_has_as_many_workers_as_workers_says() {
    assert_eq!(workers_of(POOL, &[("WORKERS", "2")]), 2);
    assert_eq!(workers_of(POOL, &[("WORKERS", "7")]), 7);
    assert_eq!(workers_of(POOL, &[]), 4, "without WORKERS: DEFAULT_WORKERS");
}

#[test]
fn without_workers_the_answer_gives_one_worker_per_core() {
    let cores = thread::available_parallelism().map_or(4, |n| n.get());
    assert_eq!(workers_of(BY_CORES, &[]), cores);
    assert_eq!(workers_of(BY_CORES, &[("WORKERS", "3")]), 3);
}

/// A size the pool cannot have is named, with status 2, before the server
/// listens: nothing on standard output.
#[test]
fn a_size_the_pool_cannot_have_is_refused_before_listening() {
    let binary = build_listing(&Listing::named(POOL)).unwrap_or_else(|err| panic!("{err}"));
    let refused = |value: &OsStr, message: &str| {
        let run = run_to_end(
            &format!("{POOL} with WORKERS={value:?}"),
            Command::new(&binary)
                .env("WORKERS", value)
                .env("ADDR", "127.0.0.1:0")
                .env_remove("RUST_BACKTRACE"),
            Duration::from_secs(10),
        )
        .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            (run.status.code(), run.stdout.as_str(), run.stderr.as_str()),
            (Some(2), "", format!("error: {message}\n").as_str()),
            "WORKERS={value:?}"
        );
    };
    for value in ["0", "1025", "four", "-1", " 3", "", "2.5"] {
        refused(
            OsStr::new(value),
            &format!("WORKERS takes a whole number from 1 to 1024, not `{value}`"),
        );
    }
    refused(
        OsStr::from_bytes(b"\xff"),
        r#"WORKERS is not valid Unicode: "\xFF""#,
    );
}

/// Runs the mix the chapter measures against `server`: an open loop of
/// `/slow` at `slow_rate` per second (so `slow_rate` × 2 s in flight, by
/// Little's law) beside a generator on `/` with `fast` options; returns the
/// report of the run on `/`. As book-bench's mix does, the slow loop starts
/// 2 s (one slow request's time) before the run on `/` and ends with it, so
/// that `/` is measured only while the slow requests in flight have
/// reached their number: a run on `/` that started with them, on a busy
/// machine whose slow generator was late, once measured an idle server.
/// And those 2 s count from the first slow request the server holds (one
/// more open file than before), not from the generator's start: on a
/// machine loaded past 40, a generator once took longer than that to send
/// anything, and the one thread answered `/` unhindered.
fn mix(server: &Server, slow_rate: &str, fast: &[&str]) -> Report {
    let slow_url = format!("http://{}/slow", server.addr());
    let fast_url = format!("http://{}/", server.addr());
    let files_before = server.open_files();
    thread::scope(|scope| {
        let slow = scope.spawn(|| {
            let rate = ["--rate", slow_rate, "--connections", "12"];
            generate(
                GENERATOR,
                &[&rate[..], &["--duration", "5"], &[&slow_url]].concat(),
            )
        });
        let patience = Instant::now() + Duration::from_secs(60);
        while server.open_files() <= files_before && Instant::now() < patience {
            thread::sleep(Duration::from_millis(20));
        }
        thread::sleep(SLOW_REQUEST);
        let fast = generate(
            GENERATOR,
            &[fast, &["--duration", "3"], &[&fast_url]].concat(),
        );
        let slow = report_of(&slow.join().expect("the slow generator's thread"));
        assert_eq!(slow.failed, 0, "{}: /slow: {slow:?}", server.listing);
        report_of(&fast)
    })
}

/// As many requests on `/` as the server answers: a closed loop.
const AS_FAST_AS_ANSWERED: [&str; 2] = ["--connections", "2"];

/// Users arriving on their own on `/`: an open loop, timed from when each
/// request was due, so a wait behind the sleeps counts (chapter 10).
const USERS_ARRIVING: [&str; 4] = ["--rate", "200", "--connections", "4"];

const P50: usize = 0;
const P99: usize = 2;

fn percentile(report: &Report, which: usize) -> Duration {
    Duration::from_micros(report.latency.expect("answers on /")[which])
}

/// Two slow requests in flight (one a second, two seconds each): the one
/// thread answers `/` between them only, the pool of four with the two
/// workers the slow requests leave.
#[test]
fn with_slow_requests_in_flight_the_pool_answers_far_more_than_one_thread() {
    let one = Server::start(ONE_THREAD, &[]);
    let pool = Server::start_with_env(POOL, &[("WORKERS", "4")]);
    let (one, pool) = thread::scope(|scope| {
        let one = scope.spawn(|| mix(&one, "1", &AS_FAST_AS_ANSWERED));
        let pool = mix(&pool, "1", &AS_FAST_AS_ANSWERED);
        (one.join().expect("the one-thread run"), pool)
    });
    assert!(
        pool.answered >= 3 * one.answered.max(1),
        "the pool of 4 should answer `/` at least 3 times as often: pool {pool:?}, one thread {one:?}"
    );
}

/// Little's law, as the chapter's second task has the reader check it: a
/// pool of three absorbs 0.75 slow requests a second (1.5 in flight), and
/// `/` does not wait; at 3 a second (6 in flight, more than the workers
/// finish) `/` waits behind the sleeps.
#[test]
fn a_pool_absorbs_fewer_slow_requests_than_it_has_workers() {
    let pool = Server::start_with_env(POOL, &[("WORKERS", "3")]);
    let absorbed = mix(&pool, "0.75", &USERS_ARRIVING);
    let overwhelmed = mix(&pool, "3", &USERS_ARRIVING);
    assert!(
        percentile(&absorbed, P99) < SLOW_REQUEST / 4
            && percentile(&overwhelmed, P50) >= SLOW_REQUEST / 4,
        "1.5 slow requests in flight should leave `/` quick (p99), 6 should make most wait (p50): \
         1.5 in flight {absorbed:?}, 6 {overwhelmed:?}"
    );
}
