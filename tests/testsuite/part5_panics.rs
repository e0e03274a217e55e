//! Part 5, chapter 15: a job that panics. The attack is a route that
//! panics (`/panic`, a stand-in for a bug), sent by the reader's own load
//! generator and by plain requests, against the server before the fix and
//! after each of its two catches.
//!
//! Every server runs with two workers (Part 5's settings). How many workers
//! a pool still has is counted from what it prints as SIGTERM stops it:
//! each live worker says `worker N leaving`, and `drop` says `worker N had
//! panicked` for each one a panic ended. A server that exits 0 there also
//! took its queue's lock after the panics: the lock was never poisoned.

use std::{
    fs, thread,
    time::{Duration, Instant},
};

use listings_contract::is_anchor_line;

use crate::support::{
    hardening::{assert_survived, root_answered_in_time, start},
    http::{assert_unanswered, get},
    listings::{Listing, repo_root},
    loadgen::{generate, report_of},
    panics::split_panic_reports,
    server::Server,
};

/// Chapter 14's server with a route that panics: the attack's target.
const PANIC_ROUTE: &str = "ch15-01-panic-route";
/// The pool catches the panic: the worker lives on, the client gets nothing.
const POOL_CATCHES: &str = "ch15-03-assert-unwind-safe";
/// The server catches it too, around answering, and sends a 500.
const INTERNAL_SERVER_ERROR: &str = "ch15-05-internal-server-error";
/// Your turn: jobs bound by `UnwindSafe` instead of `AssertUnwindSafe`.
const UNWIND_SAFE_BOUND: &str = "ch15-91-unwind-safe-execute";

/// The reader's generator as chapter 10 leaves it (it has `--rate`).
const GENERATOR: &str = "ch10-03-intended-start";

/// The message of the panic `/panic` stands for.
const BUG: &str = "a bug in a handler";

/// What the pool's catch prints, for worker `id`.
fn caught_by_the_pool(line: &str) -> bool {
    line.starts_with("worker ") && line.ends_with(": the job panicked; taking the next one")
}

/// How long a server may take to stop once the signal is sent.
const STOPPING: Duration = Duration::from_secs(10);

/// The chapter, which quotes a panic report as the reader's server prints it.
const CHAPTER: &str = "src/en/ch15-panics.md";

/// The chapter shows the place `report` names as the reader's file has it:
/// without the listing's anchor lines, which the reader never types.
fn assert_the_chapter_shows_where(listing: &str, report: &str) {
    // `thread '<unnamed>' (7) panicked at src/main.rs:158:34:` and the message
    let place = report
        .lines()
        .next()
        .and_then(|headline| headline.split(" panicked at src/main.rs:").nth(1))
        .and_then(|place| place.strip_suffix(':'))
        .unwrap_or_else(|| panic!("{listing}: no place in src/main.rs in {report:?}"));
    let (line, column) = place.split_once(':').expect("line:column");
    let line: usize = line.parse().expect("a line number");
    let source = fs::read_to_string(Listing::named(listing).dir.join("src/main.rs"))
        .expect("the listing's main.rs");
    let anchors = source
        .lines()
        .take(line)
        .filter(|text| is_anchor_line(text))
        .count();
    let shown = format!("panicked at src/main.rs:{}:{column}:", line - anchors);
    let chapter = fs::read_to_string(repo_root().join(CHAPTER)).expect("the chapter");
    assert!(
        chapter.contains(&shown),
        "{CHAPTER} should quote the report of {listing} as `{shown}` (the line in the reader's file)"
    );
}

/// The panic reports `server` printed, all of them `/panic`'s, and what
/// else it printed on standard error, line by line.
fn panics_and_the_rest(server: &Server, reports: usize) -> Vec<String> {
    // The reports are read from the pipe on a thread of their own: wait.
    server.wait_for_stderr_lines(|line| line == BUG, reports, STOPPING);
    let (found, rest) = split_panic_reports(&server.stderr().join("\n"));
    assert_eq!(
        found.len(),
        reports,
        "{}: expected {reports} panic reports: {found:?}",
        server.listing
    );
    for report in &found {
        assert!(
            report.starts_with("thread '<unnamed>'") && report.ends_with(BUG),
            "{}: a worker's report of `{BUG}`: {report:?}",
            server.listing
        );
    }
    if server.listing != INTERNAL_SERVER_ERROR && server.listing != UNWIND_SAFE_BOUND {
        // The two servers whose reports the chapter quotes.
        assert_the_chapter_shows_where(&server.listing, &found[0]);
    }
    rest
}

/// Stops `server` with SIGTERM (exit status 0) and counts its workers:
/// those that left their loop, and those a panic had ended.
fn workers_at_the_end(server: &mut Server) -> (usize, usize) {
    server.terminate(STOPPING);
    let leaving = server
        .stdout()
        .iter()
        .filter(|line| line.starts_with("worker ") && line.ends_with(" leaving"))
        .count();
    let (_, rest) = split_panic_reports(&server.stderr().join("\n"));
    let dead = rest
        .iter()
        .filter(|line| line.starts_with("worker ") && line.ends_with(" had panicked"))
        .count();
    (leaving, dead)
}

/// Chapter 15 opens: two requests for `/panic`, sent by the reader's
/// generator, each take a worker with them. With both gone, `/` waits in
/// the queue forever, and nothing says why: the Condvar queue has no
/// receiver to fail.
#[test]
fn two_panicking_requests_leave_no_worker() {
    let mut server = start(PANIC_ROUTE);
    // Two requests, half a second apart, on two connections (an open loop).
    let url = format!("http://{}/panic", server.addr());
    let run = generate(
        GENERATOR,
        &["--rate", "2", "--duration", "1", "--connections", "2", &url],
    );
    let report = report_of(&run);
    assert_eq!(
        (report.answered, report.failed, report.failures.as_str()),
        (0, 2, "bad status 2"),
        "{PANIC_ROUTE}: each /panic gets an empty reply: {report:?}"
    );
    assert!(
        !root_answered_in_time(server.addr()),
        "{PANIC_ROUTE}: / was answered after two panics took both workers"
    );
    let rest = panics_and_the_rest(&server, 2);
    assert!(
        rest.is_empty(),
        "{PANIC_ROUTE}: nothing but the two reports, no message about the lost workers: {rest:?}"
    );
    assert!(server.is_running(), "the server itself goes on");
    assert_eq!(
        workers_at_the_end(&mut server),
        (0, 2),
        "{PANIC_ROUTE}: (workers leaving, workers a panic ended); stdout: {:?}; stderr: {:?}",
        server.stdout(),
        server.stderr()
    );
}

/// The pool's catch: ten panicking jobs, and the pool still has both its
/// workers. The client whose job panicked still gets nothing: its stream
/// went down with the job.
#[test]
fn the_pool_catches_a_panicking_job_and_keeps_its_workers() {
    let mut server = start(POOL_CATCHES);
    for _ in 0..10 {
        assert_unanswered(server.addr(), "/panic");
    }
    assert_survived(&mut server);
    let mut rest = panics_and_the_rest(&server, 10);
    // The pool prints its line once the unwinding is over, a moment after
    // the client saw its connection closed: wait for the last ones.
    let deadline = Instant::now() + STOPPING;
    while rest.iter().filter(|line| caught_by_the_pool(line)).count() < 10
        && Instant::now() < deadline
    {
        thread::sleep(Duration::from_millis(20));
        rest = panics_and_the_rest(&server, 10);
    }
    assert_eq!(
        rest.iter().filter(|line| caught_by_the_pool(line)).count(),
        10,
        "{POOL_CATCHES}: one line from the pool per caught panic: {rest:?}"
    );
    assert_eq!(
        workers_at_the_end(&mut server),
        (2, 0),
        "{POOL_CATCHES}: (workers leaving, workers a panic ended); stdout: {:?}",
        server.stdout()
    );
}

/// The server's catch, around answering: each `/panic` gets a 500, the
/// hook still prints each report, the pool's catch has nothing left to
/// catch, and the pool keeps its workers, through ten requests one by one
/// and a second of the generator's closed loop on `/panic`.
fn panics_get_500_and_the_pool_keeps_its_workers(listing: &str) {
    let mut server = start(listing);
    for _ in 0..10 {
        let answer = get(server.addr(), "/panic");
        assert_eq!(
            (answer.status_line.as_str(), answer.body.as_str()),
            ("HTTP/1.1 500 Internal Server Error", ""),
            "{listing}: /panic"
        );
    }
    let rest = panics_and_the_rest(&server, 10);
    assert!(
        rest.is_empty(),
        "{listing}: the reports only, nothing caught by the pool: {rest:?}"
    );
    let url = format!("http://{}/panic", server.addr());
    let report = report_of(&generate(
        GENERATOR,
        &["--duration", "1", "--connections", "2", &url],
    ));
    assert!(
        report.answered == 0
            && report.failed >= 10
            && report.failures == format!("bad status {}", report.failed),
        "{listing}: every /panic answered with a status that is not 200, none lost: {report:?}"
    );
    assert_survived(&mut server);
    assert_eq!(
        workers_at_the_end(&mut server),
        (2, 0),
        "{listing}: (workers leaving, workers a panic ended); stdout: {:?}",
        server.stdout()
    );
}

#[test]
fn a_panicking_request_gets_500_and_the_pool_keeps_its_workers() {
    panics_get_500_and_the_pool_keeps_its_workers(INTERNAL_SERVER_ERROR);
}

/// Chapter 15, Your turn: with `UnwindSafe` in the jobs' bounds the server
/// builds, since its job is unwind safe, and does the same.
#[test]
fn with_unwind_safe_jobs_the_server_does_the_same() {
    panics_get_500_and_the_pool_keeps_its_workers(UNWIND_SAFE_BOUND);
}
