//! Part 2, chapters 6 and 7 (workers, one channel): what the book says each
//! pool does, and what each "Your turn" answer does when it runs.

use std::{
    collections::BTreeSet,
    time::{Duration, Instant},
};

use crate::support::{
    claims::{SLOW_REQUEST, all_at_once, root_latency_during_sleep, waited_behind_sleep},
    http::{assert_unanswered, get, send},
    listings::{Listing, clippy_listing},
    panics::split_panic_reports,
    server::Server,
};

// The first pool that checks its size, compiled straight from the listing,
// for a claim about the type rather than the server.
#[allow(dead_code)]
#[path = "../../listings/ch06-01-validate-size/src/pool.rs"]
mod first_validating_pool;

/// What `execute` prints when the channel has no receiving end any more.
const NO_WORKER_LEFT: &str = "no worker is left to run the job";

/// The longest an answer given "at once" may take, even on a busy machine.
fn at_once() -> Duration {
    waited_behind_sleep() / 2
}

fn assert_root_is_not_kept_waiting(listing: &str) {
    let server = Server::start(listing, &[]);
    let waited = root_latency_during_sleep(&server);
    assert!(
        waited < at_once(),
        "{listing}: / took {waited:?} while /slow was in flight; it should not wait"
    );
}

/// Sends `/slow`, then `count` requests for `/` one after the other, and
/// returns how long each `/` took.
fn roots_after_one_slow(server: &Server, count: usize) -> Vec<Duration> {
    roots_after_one_slow_and_a_pause(server, Duration::ZERO, count)
}

/// How long chapter 6's commands wait (`sleep 0.5`) between starting `/slow`
/// in the background and asking for `/`.
const PAUSE_AFTER_SLOW: Duration = Duration::from_millis(500);

/// Sends `/slow`, waits `pause`, then sends `count` requests for `/` one
/// after the other, and returns how long each `/` took.
fn roots_after_one_slow_and_a_pause(
    server: &Server,
    pause: Duration,
    count: usize,
) -> Vec<Duration> {
    let slow = send(server.addr(), "/slow");
    std::thread::sleep(pause);
    let roots = (0..count)
        .map(|_| {
            let response = get(server.addr(), "/");
            assert_eq!(
                response.status_line, "HTTP/1.1 200 OK",
                "{}: /",
                server.listing
            );
            response.elapsed
        })
        .collect();
    let slow = slow.answer();
    assert_eq!(
        slow.status_line, "HTTP/1.1 200 OK",
        "{}: /slow",
        server.listing
    );
    roots
}

/// Four `/slow` at once take one sleep, one on each worker, and each of the
/// four workers says so.
fn assert_four_workers_sleep_together(listing: &str) {
    let server = Server::start(listing, &[]);
    let took = all_at_once(&server, "/slow", 4);
    assert!(
        took >= SLOW_REQUEST && took < SLOW_REQUEST * 2,
        "{listing}: four /slow requests at once took {took:?}: about one sleep expected"
    );
    let reports = server.wait_for_lines(
        |line| line.ends_with("runs a job"),
        4,
        Duration::from_secs(5),
    );
    let workers: BTreeSet<String> = reports.into_iter().collect();
    let expected: BTreeSet<String> = (0..4).map(|id| format!("worker {id} runs a job")).collect();
    assert_eq!(
        workers, expected,
        "{listing}: each of the four workers took one job"
    );
}

// Chapter 6.

#[test]
#[should_panic(expected = "a thread pool needs at least one thread")]
fn a_pool_of_zero_threads_is_refused() {
    first_validating_pool::ThreadPool::new(0);
}

#[test]
fn every_step_of_chapter_six_answers_root_during_sleep() {
    // Each check waits for a slow request: run them side by side.
    std::thread::scope(|scope| {
        for listing in [
            "ch06-01-validate-size",
            "ch06-02-waiting-workers",
            "ch06-04-take-turns",
        ] {
            scope.spawn(move || assert_root_is_not_kept_waiting(listing));
        }
    });
}

#[test]
fn workers_that_take_turns_sleep_together() {
    assert_four_workers_sleep_together("ch06-04-take-turns");
}

/// The end of chapter 6: with a channel per worker, on a fresh server, the
/// fifth job goes back to worker 0, behind `/slow`, while the three others
/// have nothing to do; it waits for what is left of the sleep ("about a
/// second and a half" after the book's half-second pause).
#[test]
fn a_job_in_a_busy_workers_channel_waits_behind_the_slow_one() {
    let server = Server::start("ch06-04-take-turns", &[]);
    let roots = roots_after_one_slow_and_a_pause(&server, PAUSE_AFTER_SLOW, 4);
    let (quick, last) = roots.split_at(3);
    assert!(
        quick.iter().all(|&took| took < at_once()),
        "the first three / after /slow go to idle workers 1, 2 and 3: {roots:?}"
    );
    let rest_of_the_sleep = SLOW_REQUEST - PAUSE_AFTER_SLOW;
    assert!(
        last[0] >= rest_of_the_sleep * 3 / 4,
        "the fourth / goes to worker 0 and waits for the rest of /slow \
         (about {rest_of_the_sleep:?}): {roots:?}"
    );
    let worker_zero = server.wait_for_lines(
        |line| line == "worker 0 runs a job",
        2,
        Duration::from_secs(5),
    );
    assert_eq!(
        worker_zero.len(),
        2,
        "worker 0 ran /slow and the fourth /: {:?}",
        server.stdout()
    );
}

/// Chapter 6, "Your turn": without the check, a pool of zero workers panics
/// on main's thread at the first request, dividing by zero, and the server ends.
#[test]
fn without_the_check_zero_workers_divide_by_zero() {
    let mut server = Server::start("ch06-90-zero-workers", &[]);
    assert_unanswered(server.addr(), "/");
    let status = server.wait_for_exit(Duration::from_secs(5));
    assert_eq!(
        status.and_then(|status| status.code()),
        Some(101),
        "the main thread's panic ends the process: {:?}",
        server.stderr()
    );
    let remainder = "attempt to calculate the remainder with a divisor of zero";
    server.wait_for_stderr_lines(|line| line == remainder, 1, Duration::from_secs(5));
    let (reports, _) = split_panic_reports(&server.stderr().join("\n"));
    assert!(
        reports.len() == 1
            && reports[0].starts_with("thread 'main'")
            && reports[0].ends_with(remainder),
        "expected main's one panic, a remainder by zero: {reports:?}"
    );
}

// Chapter 7.

#[test]
fn the_shared_queue_answers_root_during_sleep() {
    assert_root_is_not_kept_waiting("ch07-03-shared-receiver");
}

#[test]
fn four_workers_sleep_together() {
    assert_four_workers_sleep_together("ch07-03-shared-receiver");
}

#[test]
fn a_fifth_job_waits_for_a_free_worker() {
    let server = Server::start("ch07-03-shared-receiver", &[]);
    let took = all_at_once(&server, "/slow", 5);
    assert!(
        took >= SLOW_REQUEST * 2 - Duration::from_millis(100) && took < SLOW_REQUEST * 3,
        "five /slow requests at once took {took:?}: about two sleeps expected"
    );
}

/// What chapter 6's pool got wrong, right: with one queue, the fourth `/`
/// after `/slow` goes to whichever worker is free.
#[test]
fn with_one_queue_no_job_waits_behind_the_slow_one() {
    let server = Server::start("ch07-03-shared-receiver", &[]);
    let roots = roots_after_one_slow(&server, 4);
    assert!(
        roots.iter().all(|&took| took < at_once()),
        "every / after /slow is answered at once: {roots:?}"
    );
}

#[test]
fn while_let_holds_the_lock_and_serialises_jobs() {
    let server = Server::start("ch07-04-while-let", &[]);
    let took = all_at_once(&server, "/slow", 2);
    assert!(
        took >= SLOW_REQUEST * 2 - Duration::from_millis(100),
        "two /slow requests took {took:?}; the while-let pool should run them one after the other"
    );
}

#[test]
fn clippy_can_point_at_the_while_let_lock() {
    let lint = ["-W", "clippy::significant_drop_in_scrutinee"];
    let flagged = clippy_listing(&Listing::named("ch07-04-while-let"), &lint);
    let warning = "temporary with significant `Drop` in `while let` scrutinee";
    assert!(
        flagged.contains("src/pool.rs") && flagged.contains(warning),
        "expected the lint on the while-let line: {flagged}"
    );
    let clean = clippy_listing(&Listing::named("ch07-03-shared-receiver"), &lint);
    assert!(
        !clean.contains("temporary with significant `Drop`"),
        "the `let` form holds no lock across the job: {clean}"
    );
}

/// Chapter 7, "Your turn": without the check, a pool of zero workers drops
/// the receiver in `new`; every job is refused with a message, every client
/// is hung up on at once, and the server goes on.
#[test]
fn without_the_check_zero_workers_refuse_every_job() {
    let mut server = Server::start("ch07-91-zero-workers", &[]);
    for _ in 0..3 {
        let started = Instant::now();
        assert_unanswered(server.addr(), "/");
        let took = started.elapsed();
        assert!(
            took < at_once(),
            "the connection should be closed at once, not after {took:?}"
        );
    }
    let refused =
        server.wait_for_stderr_lines(|line| line == NO_WORKER_LEFT, 3, Duration::from_secs(5));
    assert_eq!(
        refused.len(),
        3,
        "one {NO_WORKER_LEFT:?} per request: {:?}",
        server.stderr()
    );
    assert!(server.is_running(), "the server itself goes on");
}

/// Chapter 7, "Your turn": a job that panics takes its worker with it, for
/// good. After four such jobs no worker is left: every request is refused
/// with a message, and the server goes on accepting connections.
#[test]
fn each_panicking_job_takes_a_worker_with_it() {
    let mut server = Server::start("ch07-92-panicking-route", &[]);
    for _ in 0..4 {
        assert_unanswered(server.addr(), "/panic");
    }
    // The last worker's thread lets go of the receiver when its unwinding
    // ends, a moment after its client is hung up on: ask until it has.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.stderr().iter().any(|line| line == NO_WORKER_LEFT) {
        assert!(
            Instant::now() < deadline,
            "after four panics, expected {NO_WORKER_LEFT:?}; stderr: {:?}",
            server.stderr()
        );
        assert_unanswered(server.addr(), "/");
        std::thread::sleep(Duration::from_millis(20));
    }
    let before = count_lines(&server, NO_WORKER_LEFT);
    for _ in 0..3 {
        assert_unanswered(server.addr(), "/");
    }
    let refused = server.wait_for_stderr_lines(
        |line| line == NO_WORKER_LEFT,
        before + 3,
        Duration::from_secs(5),
    );
    assert_eq!(
        refused.len(),
        before + 3,
        "every later request is refused: {:?}",
        server.stderr()
    );
    let (reports, _) = split_panic_reports(&server.stderr().join("\n"));
    let jobs_that_failed = reports
        .iter()
        .filter(|report| {
            report.starts_with("thread '<unnamed>'") && report.ends_with("a job that fails")
        })
        .count();
    assert_eq!(
        jobs_that_failed, 4,
        "four panic reports, each from a worker: {reports:?}"
    );
    // The pipes are read on threads of their own: wait for the lines, do not
    // just look at what has been read so far.
    let ran: BTreeSet<String> = server
        .wait_for_lines(
            |line| line.ends_with("runs a job"),
            4,
            Duration::from_secs(5),
        )
        .into_iter()
        .collect();
    assert_eq!(
        ran.len(),
        4,
        "each /panic ran on a different worker, the only ones there were: {ran:?}"
    );
    assert!(server.is_running(), "the server itself goes on");
}

fn count_lines(server: &Server, wanted: &str) -> usize {
    server
        .stderr()
        .iter()
        .filter(|line| *line == wanted)
        .count()
}
