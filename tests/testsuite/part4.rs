//! Part 4 (measuring): chapters 9 and 10's load generator. Its histogram
//! and its schedule are tested as code, compiled straight from the
//! listings; the program is tested as the reader runs it, against the
//! book's own servers on loopback.
//!
//! No test asserts a speed: the runs are short (one second, two
//! connections), and every check is a count, an order or a ratio within
//! the same run.

use std::{
    io::{BufRead, BufReader, Read},
    net::TcpListener,
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use crate::support::{
    claims::{SLOW_REQUEST, waited_behind_sleep},
    http::send,
    listings::{Listing, Run, build_listing, run_listing},
    loadgen::{RUN_LIMIT, Report, assert_ordered, generate, report_of},
    server::Server,
};

// The histogram, compiled from the chapter's last listing.
#[path = "../../listings/ch09-09-options/src/histogram.rs"]
mod histogram;

use histogram::Histogram;

// Chapter 10's schedule, compiled from its last listing.
#[path = "../../listings/ch10-03-intended-start/src/schedule.rs"]
mod schedule;

/// The final generator, and the final server of Part 3.
const GENERATOR: &str = "ch09-09-options";
const SERVER: &str = "ch08-09-close-listener-first";

fn micros(n: u64) -> Duration {
    Duration::from_micros(n)
}

fn histogram_of(values: impl IntoIterator<Item = u64>) -> Histogram {
    let mut histogram = Histogram::new();
    for value in values {
        histogram.record(micros(value));
    }
    histogram
}

// ---------------------------------------------------------------------------
// The histogram

#[test]
fn percentiles_of_one_to_a_thousand_microseconds() {
    let histogram = histogram_of(1..=1000);
    assert_eq!(histogram.count(), 1000);
    assert_eq!(histogram.max(), Some(micros(1000)), "the max is exact");
    for (percent, exact) in [(50.0, 500), (90.0, 900), (99.0, 990), (100.0, 1000)] {
        let reported = histogram.percentile(percent).unwrap();
        // Reported at the top of its bucket: never below, at most 1/64 above.
        assert!(
            reported >= micros(exact) && reported <= micros(exact + exact / 64),
            "p{percent} of 1..=1000 µs: expected {exact} µs, up to 1/64 more; got {reported:?}"
        );
    }
    assert_eq!(
        histogram.percentile(0.0),
        Some(micros(1)),
        "p0 is the smallest"
    );
}

#[test]
fn every_value_is_counted_within_one_sixty_fourth() {
    let mut values: Vec<u64> = (0..300).collect();
    for power in 7..64 {
        let two = 1u64 << power;
        values.extend([two - 1, two, two + 1, two + two / 3]);
    }
    values.push(u64::MAX);
    for value in values {
        // With a larger value beside it, p50 is `value`'s bucket, reported
        // at the bucket's top: never clipped to the max.
        let histogram = histogram_of([value, u64::MAX]);
        let reported = histogram.percentile(50.0).unwrap().as_micros();
        let value = u128::from(value);
        let bound = if value < 128 {
            value
        } else {
            value + value / 64
        };
        assert!(
            reported >= value && reported <= bound,
            "{value} µs was reported as {reported} µs; expected {value}..={bound}"
        );
    }
}

#[test]
fn merged_histograms_report_what_one_would() {
    let mut merged = histogram_of(1..=500);
    merged.merge(&histogram_of(501..=1000));
    let whole = histogram_of(1..=1000);
    assert_eq!(merged.count(), whole.count());
    assert_eq!(merged.max(), whole.max());
    for percent in [0.0, 10.0, 50.0, 90.0, 99.0, 99.9, 100.0] {
        assert_eq!(
            merged.percentile(percent),
            whole.percentile(percent),
            "p{percent} of a merge of 1..=500 and 501..=1000 µs"
        );
    }
}

#[test]
fn an_empty_histogram_reports_nothing_and_merges_as_nothing() {
    let empty = Histogram::new();
    assert_eq!(empty.count(), 0);
    assert_eq!(empty.max(), None);
    assert_eq!(empty.percentile(50.0), None);

    let mut some = histogram_of([10, 20, 30]);
    some.merge(&empty);
    assert_eq!(some.count(), 3);
    assert_eq!(some.percentile(50.0), Some(micros(20)));
    assert_eq!(some.max(), Some(micros(30)));

    let mut still_empty = Histogram::new();
    still_empty.merge(&Histogram::new());
    assert_eq!(still_empty.percentile(100.0), None);
}

// ---------------------------------------------------------------------------
// The program

/// The chapter's last listing against Part 3's server: requests answered,
/// none failed, percentiles in order, and a run at least as long as asked.
#[test]
fn the_generator_loads_the_final_server_without_failures() {
    let server = Server::start(SERVER, &[]);
    let url = format!("http://{}/", server.addr());
    let run = generate(GENERATOR, &["--connections", "2", "--duration", "1", &url]);
    let report = report_of(&run);
    assert!(
        report.answered > 0 && report.failed == 0 && report.failures == "none",
        "expected answers and no failure: {report:?}"
    );
    assert!(
        report.seconds >= 1.0,
        "the run lasts from the start to the last answer, at least the 1 s asked: {report:?}"
    );
    assert_ordered(GENERATOR, &report);
    assert!(
        run.stdout
            .starts_with(&format!("GET {url} on 2 connections for 1 s\n")),
        "the first line says what is measured: {:?}",
        run.stdout
    );
}

/// A 404 is an answer, but not the one asked for; a closed port refuses.
#[test]
fn failures_are_counted_by_kind() {
    let server = Server::start(SERVER, &[]);
    let missing = format!("http://{}/missing", server.addr());
    let report = report_of(&generate(
        GENERATOR,
        &["--connections", "2", "--duration", "1", &missing],
    ));
    assert!(
        report.answered == 0
            && report.failed > 0
            && report.failures == format!("bad status {}", report.failed)
            && report.latency.is_none(),
        "/missing answers 404: every request is a `bad status`: {report:?}"
    );

    // A port that was free a moment ago: nobody listens there.
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    let url = format!("http://{closed}/");
    let report = report_of(&generate(
        GENERATOR,
        &["--connections", "1", "--duration", "1", &url],
    ));
    assert!(
        report.answered == 0 && report.failures == format!("refused {}", report.failed),
        "nobody listens on {closed}: every request is `refused`: {report:?}"
    );
}

/// Latency is what the client waits, queue included: against the
/// one-thread server, two clients asking for `/slow` at once both wait for
/// the sleep, and one of them for the other's sleep too.
#[test]
fn against_one_thread_slow_requests_wait_for_each_other() {
    let server = Server::start("ch03-01-slow-route", &[]);
    let url = format!("http://{}/slow", server.addr());
    let report = report_of(&generate(
        GENERATOR,
        &["--connections", "2", "--duration", "1", &url],
    ));
    assert_eq!(
        (report.answered, report.failed),
        (2, 0),
        "each client sends one /slow within the second, and waits for it: {report:?}"
    );
    let [p50, _, _, max] = report.latency.expect("latencies");
    let sleep = SLOW_REQUEST.as_micros() as u64;
    assert!(
        p50 >= sleep && max >= sleep * 2 * 9 / 10,
        "expected both at least the {SLOW_REQUEST:?} sleep, the slower about twice it: {report:?}"
    );
}

/// Bad input gets a message and status 2, never a panic.
#[test]
fn bad_arguments_exit_with_status_two_and_say_why() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "give the URL to load"),
        (&["--connections"], "`--connections` needs a value"),
        (
            &["--connections", "0", "http://127.0.0.1:1/"],
            "`--connections` takes a whole number from 1 to 1000, not `0`",
        ),
        (
            &["--duration", "soon", "http://127.0.0.1:1/"],
            "`--duration` takes a whole number from 1 to 3600, not `soon`",
        ),
        (
            &["--rate", "5", "http://127.0.0.1:1/"],
            "unknown option `--rate`",
        ),
        (&["https://127.0.0.1:1/"], "is not an http:// URL"),
        (&["http:///"], "names no host"),
        (
            &["http://127.0.0.1:1/", "http://127.0.0.1:2/"],
            "one URL only",
        ),
    ];
    for (args, message) in cases {
        let run = run_listing(GENERATOR, args, RUN_LIMIT);
        assert!(
            run.status.code() == Some(2)
                && run.stderr.starts_with("error: ")
                && run.stderr.contains(message)
                && run.stderr.contains("usage: loadgen")
                && !run.stderr.contains("panicked")
                && run.stdout.is_empty(),
            "loadgen {args:?}: expected status 2, and {message:?} with the usage on stderr; \
             got {}, stdout {:?}, stderr {:?}",
            run.status,
            run.stdout,
            run.stderr
        );
    }
}

/// The first step sends one request and says how long it took.
#[test]
fn one_request_is_timed_or_its_failure_named() {
    let server = Server::start(SERVER, &[]);
    let run = generate(
        "ch09-01-one-request",
        &[&format!("http://{}/", server.addr())],
    );
    assert!(
        run.stdout.starts_with("answered in ") && run.stdout.trim_end().ends_with(" µs"),
        "{:?}",
        run.stdout
    );
    let run = generate(
        "ch09-01-one-request",
        &[&format!("http://{}/missing", server.addr())],
    );
    assert!(
        run.stdout.starts_with("failed (BadStatus) after "),
        "{:?}",
        run.stdout
    );
}

/// Each thread adds to a copy of its own: the count that `main` prints
/// stays 0, however many requests were answered.
#[test]
fn a_copied_count_stays_zero() {
    let server = Server::start(SERVER, &[]);
    let run = generate(
        "ch09-02-copied-count",
        &[&format!("http://{}/", server.addr())],
    );
    assert!(
        run.stdout.starts_with("requests: 0 answered in "),
        "{:?}",
        run.stdout
    );
    assert!(
        server
            .wait_for_stdout(|line| line.ends_with("runs a job"), Duration::from_secs(5))
            .is_some(),
        "the server did answer requests: {:?}",
        server.stdout()
    );
}

/// The atomic counters count; the shared and the per-thread histograms
/// report the same kind of figures.
#[test]
fn the_accepted_designs_count_and_measure() {
    let server = Server::start(SERVER, &[]);
    let url = format!("http://{}/", server.addr());
    let run = generate("ch09-06-atomic-count", &[&url]);
    let first = run.stdout.lines().next().unwrap_or_default();
    let counts: Vec<&str> = first.split_whitespace().collect();
    assert!(
        matches!(counts[..], ["requests:", answered, "answered,", "0", "failed,", "in", _, "s"]
            if answered.parse::<u64>().is_ok_and(|n| n > 0)),
        "ch09-06: {:?}",
        run.stdout
    );
    for listing in ["ch09-07-shared-histogram", "ch09-08-histogram-per-thread"] {
        let run = generate(listing, &[&url]);
        let report = if listing.ends_with("per-thread") {
            report_of(&run)
        } else {
            // Before failures are counted by kind, there is no failures line.
            let with_failures = Run {
                status: run.status,
                stdout: format!("{}failures: none\n", run.stdout),
                stderr: run.stderr.clone(),
            };
            report_of(&with_failures)
        };
        assert!(
            report.answered > 0 && report.failed == 0,
            "{listing}: {report:?}"
        );
        assert_ordered(listing, &report);
    }
}

/// Chapter 9, "Your turn": asking for keep-alive changes nothing, since the
/// book's server closes every connection after its answer anyway.
#[test]
fn asking_for_keep_alive_changes_nothing() {
    let server = Server::start(SERVER, &[]);
    let url = format!("http://{}/", server.addr());
    let report = report_of(&generate(
        "ch09-90-keep-alive",
        &["--connections", "2", "--duration", "1", &url],
    ));
    assert!(
        report.answered > 0 && report.failed == 0 && report.seconds < 5.0,
        "every answer still ends with the server's close: {report:?}"
    );
}

/// Chapter 9, "Your turn": a timeout shorter than `/slow` turns its slow
/// answers into failures, and takes them out of the latencies.
#[test]
fn a_short_timeout_counts_slow_answers_as_failures() {
    let server = Server::start("ch03-01-slow-route", &[]);
    let url = format!("http://{}/slow", server.addr());
    let report = report_of(&generate(
        "ch09-91-short-timeout",
        &["--connections", "1", "--duration", "1", &url],
    ));
    assert!(
        report.answered == 0 && report.failures == "timeout 1" && report.latency.is_none(),
        "one request, cut off after 1 s of a 2 s sleep: {report:?}"
    );
}

// ---------------------------------------------------------------------------
// Chapter 10: the open loop

/// Chapter 10's last listing: closed loop without `--rate`, open with it.
const OPEN_LOOP: &str = "ch10-03-intended-start";

/// How far after `start` request `slot` is due at `rate` per second.
fn offset(rate: f64, slot: u64) -> Duration {
    let start = Instant::now();
    schedule::due(start, rate, slot) - start
}

/// `a` and `b` within a microsecond of each other.
fn close_to(a: Duration, b: Duration) -> bool {
    a.abs_diff(b) <= Duration::from_micros(1)
}

#[test]
fn the_schedule_spaces_requests_evenly_and_does_not_drift() {
    assert_eq!(
        offset(200.0, 0),
        Duration::ZERO,
        "slot 0 is due at the start"
    );
    // The longest run at the highest rate: slot 3,600,000,000 is due exactly
    // at the deadline, an hour after the start, so it is not sent.
    assert_eq!(
        offset(1_000_000.0, 3_600_000_000),
        Duration::from_secs(3600),
        "slot 3,600,000,000 at a million per second"
    );
    for (rate, slot, expected) in [
        (200.0, 1, Duration::from_millis(5)),
        (200.0, 199, Duration::from_millis(995)),
        (200.0, 200, Duration::from_secs(1)),
        (4.0, 3, Duration::from_millis(750)),
        (0.5, 1, Duration::from_secs(2)),
        (3.0, 3 * 3600, Duration::from_secs(3600)),
        // The longest run at the highest rate sends slots 0 to 3,599,999,999,
        // the last a microsecond before the deadline.
        (
            1_000_000.0,
            3_599_999_999,
            Duration::from_nanos(3_599_999_999_000),
        ),
        // The farthest due times a client computes, at the lowest rate (one
        // an hour) with a thousand connections: client 999's first slot, and
        // client 0's second, each far past the deadline of the longest run.
        (1.0 / 3600.0, 999, Duration::from_secs(999 * 3600)),
        (1.0 / 3600.0, 1000, Duration::from_secs(1000 * 3600)),
    ] {
        let got = offset(rate, slot);
        assert!(
            close_to(got, expected),
            "slot {slot} at {rate}/s: expected {expected:?} after the start, got {got:?}"
        );
    }
    // Each slot is computed from the start, so no rounding accumulates.
    let interval = Duration::from_secs_f64(1.0 / 7.0);
    for slot in [1, 1_000, 1_000_000] {
        let got = offset(7.0, slot) - offset(7.0, slot - 1);
        assert!(
            close_to(got, interval),
            "slots {} and {slot} at 7/s are {got:?} apart, not {interval:?}",
            slot - 1
        );
    }
}

/// A generator run with a spawned process, killed if the test ends first.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// How long after the load starts the stall begins.
const STALL_AFTER: Duration = Duration::from_millis(300);

/// Runs `listing ARGS URL` against `server` (chapter 3's one thread) on
/// `/`, and sends one `/slow` `STALL_AFTER` into the load: the server
/// answers nothing else for the whole sleep. Returns the generator's report
/// once it has ended and `/slow` has been answered.
fn run_with_a_stall(server: &Server, listing: &str, args: &[&str]) -> Report {
    let url = format!("http://{}/", server.addr());
    let listing_dir = Listing::named(listing);
    let binary = build_listing(&listing_dir).unwrap_or_else(|err| panic!("{err}"));
    let mut child = Running(
        Command::new(&binary)
            .args(args)
            .arg(&url)
            .current_dir(&listing_dir.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", binary.display())),
    );
    let mut stdout = BufReader::new(child.0.stdout.take().expect("piped stdout"));
    // The first line comes just before the clients start.
    let mut first = String::new();
    stdout.read_line(&mut first).expect("the first line");
    thread::sleep(STALL_AFTER);
    let slow = send(server.addr(), "/slow");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).expect("the report");
    let status = child.0.wait().expect("the generator's status");
    let mut stderr = String::new();
    let _ = child
        .0
        .stderr
        .take()
        .map(|mut pipe| pipe.read_to_string(&mut stderr));
    let slow = slow.answer();
    assert_eq!(slow.status_line, "HTTP/1.1 200 OK", "/slow");
    let run = Run {
        status,
        stdout: first + &rest,
        stderr,
    };
    assert!(
        run.status.success(),
        "{listing} {args:?} ended with {}; stderr:\n{}",
        run.status,
        run.stderr
    );
    let report = report_of(&run);
    assert_ordered(listing, &report);
    report
}

fn micros_of(duration: Duration) -> u64 {
    duration.as_micros() as u64
}

/// The chapter's measurement, in small: one client against chapter 3's
/// server while one `/slow` stalls it. The closed loop's one delayed
/// request barely moves its p50; the open loop, timing each request from
/// when it was due, reports the queue most of its requests met.
#[test]
fn the_open_loop_reports_the_wait_the_closed_loop_skips() {
    let server = Server::start("ch03-01-slow-route", &[]);
    let closed = run_with_a_stall(
        &server,
        OPEN_LOOP,
        &["--connections", "1", "--duration", "2"],
    );
    let open = run_with_a_stall(
        &server,
        OPEN_LOOP,
        &["--connections", "1", "--duration", "2", "--rate", "200"],
    );
    let [closed_p50, .., closed_max] = closed.latency.expect("closed-loop latencies");
    let [open_p50, _, open_p99, _] = open.latency.expect("open-loop latencies");
    assert!(
        closed.failed == 0 && closed_max >= micros_of(waited_behind_sleep()),
        "the closed loop's request in flight waited for the sleep: {closed:?}"
    );
    assert_eq!(
        (open.answered, open.failed),
        (400, 0),
        "2 s at 200 per second is 400 requests, however slow the server: {open:?}"
    );
    assert!(
        open_p50 >= 2 * closed_p50 && open_p99 >= micros_of(waited_behind_sleep()),
        "expected the open loop's p50 at least twice the closed loop's, and its p99 \
         about the sleep; closed {closed:?}, open {open:?}"
    );
}

/// Keeping the schedule is not enough: timed from when each request went
/// out, the requests sent late look as fast as the others.
#[test]
fn a_paced_run_timed_from_the_send_hides_the_wait() {
    let server = Server::start("ch03-01-slow-route", &[]);
    let paced = run_with_a_stall(
        &server,
        "ch10-02-paced",
        &["--connections", "1", "--duration", "2", "--rate", "200"],
    );
    let [p50, .., max] = paced.latency.expect("latencies");
    assert!(
        (paced.answered, paced.failed) == (400, 0)
            && max >= micros_of(waited_behind_sleep())
            && p50 * 10 <= max,
        "400 requests sent on schedule, one of them slow, the p50 far below it: {paced:?}"
    );
}

/// Chapter 10, "Your turn": a next request due one interval after the last
/// answer waits for the server, as a closed loop does, and the stall
/// removes the requests it should have sent.
#[test]
fn a_schedule_from_the_last_answer_sends_fewer_requests() {
    let server = Server::start("ch03-01-slow-route", &[]);
    let report = run_with_a_stall(
        &server,
        "ch10-90-from-last-answer",
        &["--connections", "1", "--duration", "2", "--rate", "200"],
    );
    let [p50, .., max] = report.latency.expect("latencies");
    assert!(
        report.answered + report.failed < 200
            && max >= micros_of(waited_behind_sleep())
            && p50 * 10 <= max,
        "fewer than half the 400 requests asked for, one of them slow, the p50 far below it: \
         {report:?}"
    );
}

/// The listings of chapter 10 that run, each of which parses `--rate`.
const RATE_LISTINGS: [&str; 3] = ["ch10-02-paced", OPEN_LOOP, "ch10-90-from-last-answer"];

/// `--rate` takes a number of requests per second from one an hour to a
/// million; anything else gets a message and status 2, never a panic. Rates
/// just above zero once panicked in the schedule's arithmetic: `1e-20`
/// converting the next due time to a `Duration`, `1e-19` adding it to an
/// `Instant`.
#[test]
fn a_bad_rate_exits_with_status_two_and_says_why() {
    for listing in RATE_LISTINGS {
        for value in [
            "0",
            "-5",
            "fast",
            "NaN",
            "inf",
            "2000000",
            "",
            "1e-20",
            "1e-19",
            // Just below the lowest rate, 1/3600 = 0.0002777777777777778.
            "0.00027777777777777",
        ] {
            let run = run_listing(
                listing,
                &["--rate", value, "http://127.0.0.1:1/"],
                RUN_LIMIT,
            );
            let message = format!(
                "`--rate` takes a number of requests per second from 0.0002777777777777778 \
                 (one an hour) to 1000000, not `{value}`"
            );
            assert!(
                run.status.code() == Some(2)
                    && run.stderr.starts_with(&format!("error: {message}\n"))
                    && run.stderr.contains(
                        "usage: loadgen [--connections N] [--duration SECONDS] [--rate PER_SECOND]"
                    )
                    && !run.stderr.contains("panicked")
                    && run.stdout.is_empty(),
                "{listing} --rate {value:?}: expected status 2 and {message:?}; got {}, \
                 stdout {:?}, stderr {:?}",
                run.status,
                run.stdout,
                run.stderr
            );
        }
    }
    let run = run_listing(OPEN_LOOP, &["http://127.0.0.1:1/", "--rate"], RUN_LIMIT);
    assert!(
        run.status.code() == Some(2) && run.stderr.contains("`--rate` needs a value"),
        "{:?}",
        run.stderr
    );
}

/// The lowest rate, with the most connections and the longest run: the
/// schedule asks for one request, slot 0, at the start. Every other slot a
/// client computes is due at the deadline or after it, up to six weeks after
/// the start, all in range, so the run ends as soon as that request is
/// answered.
#[test]
fn the_lowest_rate_sends_one_request_and_ends() {
    let server = Server::start(SERVER, &[]);
    let url = format!("http://{}/", server.addr());
    for listing in RATE_LISTINGS {
        let run = generate(
            listing,
            &[
                "--rate",
                "0.0002777777777777778",
                "--connections",
                "1000",
                "--duration",
                "3600",
                &url,
            ],
        );
        let report = report_of(&run);
        assert!(
            (report.answered, report.failed) == (1, 0) && report.seconds < 60.0,
            "{listing}: one request an hour, in a run of at most an hour, is one request, \
             and nothing more to wait for: {report:?}"
        );
    }
}
