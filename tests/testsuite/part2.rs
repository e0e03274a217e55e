//! Part 2 (many threads): what chapters 4 to 7 say each server does.

use std::{collections::BTreeSet, net::TcpStream, time::Duration};

use crate::support::{
    claims::{SLOW_REQUEST, all_at_once, root_latency_during_sleep, waited_behind_sleep},
    http::assert_unanswered,
    listings::{Listing, clippy_listing},
    server::Server,
};

// The pool's own code, compiled straight from the listings, for claims about
// the type rather than the server. Fields the listing never reads stay unread.
#[allow(dead_code)]
#[path = "../../listings/ch08-06-workers-leave/src/pool.rs"]
mod final_pool;
#[allow(dead_code)]
#[path = "../../listings/ch06-01-validate-size/src/pool.rs"]
mod first_validating_pool;

/// Answering `/` at once, while `/slow` is in flight, is the point of Part 2.
fn assert_root_is_not_kept_waiting(listing: &str) {
    let server = Server::start(listing, &[]);
    let waited = root_latency_during_sleep(&server);
    assert!(
        waited < waited_behind_sleep() / 2,
        "{listing}: / took {waited:?} while /slow was in flight; it should not wait"
    );
}

#[test]
fn a_thread_per_connection_answers_root_during_sleep() {
    assert_root_is_not_kept_waiting("ch04-01-thread-per-connection");
}

/// Chapter 4: a flood meets the limit on open files (`ulimit -n`) before
/// threads run out. `accept` then fails with EMFILE and leaves the
/// connection waiting in the backlog, so the next `accept` fails at once
/// too: the `Err` arm prints the same line as fast as it can.
#[test]
fn past_the_open_file_limit_the_accept_loop_spins() {
    const LIMIT: u32 = 32;
    const SPINNING: usize = 1000;
    let server = Server::start_with_open_files("ch04-01-thread-per-connection", LIMIT);
    // Connections that send nothing: each holds a file (and a thread) in the server.
    let idle: Vec<TcpStream> = (0..LIMIT + 8)
        .map(|_| TcpStream::connect(server.addr()).expect("the backlog takes the connection"))
        .collect();
    let emfile = "connection failed: Too many open files (os error 24)";
    let failed =
        server.wait_for_stderr_lines(|line| line == emfile, SPINNING, Duration::from_secs(5));
    assert!(
        failed.len() >= SPINNING,
        "with {} idle connections and a limit of {LIMIT} open files, expected the accept \
         loop to print {emfile:?} over and over; it printed it {} times in 5 s. stderr begins: {:?}",
        idle.len(),
        failed.len(),
        server.stderr().into_iter().take(5).collect::<Vec<_>>()
    );
}

/// Chapter 4, "Your turn": joining each thread at once makes the accept loop
/// wait for every connection, as the single-threaded server did.
#[test]
fn joining_each_thread_at_once_makes_root_wait_again() {
    let server = Server::start("ch04-91-join-each-thread", &[]);
    let waited = root_latency_during_sleep(&server);
    assert!(
        waited >= waited_behind_sleep(),
        "ch04-91-join-each-thread: / took {waited:?} while /slow was in flight; \
         it should wait behind it"
    );
}

#[test]
fn the_interface_with_every_bound_still_answers_root_during_sleep() {
    // Each check waits for a slow request: run them side by side.
    std::thread::scope(|scope| {
        for listing in [
            "ch05-07-all-bounds",
            "ch06-01-validate-size",
            "ch06-02-store-threads",
            "ch06-03-worker",
        ] {
            scope.spawn(move || assert_root_is_not_kept_waiting(listing));
        }
    });
}

/// Chapter 5: the note's closure, `|| job`, with the bounds the compiler
/// asked for on the way: it builds, and no request is ever answered.
#[test]
fn a_closure_that_returns_the_job_never_runs_it() {
    let mut server = Server::start("ch05-06-static-bound", &[]);
    for _ in 0..2 {
        assert_unanswered(server.addr(), "/");
    }
    assert!(server.is_running(), "the server itself goes on");
}

#[test]
#[should_panic(expected = "a thread pool needs at least one thread")]
fn a_pool_of_zero_threads_is_refused() {
    first_validating_pool::ThreadPool::new(0);
}

#[test]
#[should_panic(expected = "a thread pool needs at least one thread")]
fn the_final_pool_still_refuses_zero_threads() {
    final_pool::ThreadPool::new(0);
}

#[test]
fn the_pool_answers_root_during_sleep() {
    assert_root_is_not_kept_waiting("ch07-02-shared-receiver");
}

#[test]
fn four_workers_sleep_together() {
    let server = Server::start("ch07-02-shared-receiver", &[]);
    let took = all_at_once(&server, "/slow", 4);
    assert!(
        took >= SLOW_REQUEST && took < SLOW_REQUEST * 2,
        "four /slow requests at once took {took:?}: about one sleep expected"
    );
    let reports = server.wait_for_lines(
        |line| line.ends_with("runs a job"),
        4,
        Duration::from_secs(5),
    );
    let workers: BTreeSet<String> = reports.into_iter().collect();
    let expected: BTreeSet<String> = (0..4).map(|id| format!("worker {id} runs a job")).collect();
    assert_eq!(workers, expected, "each of the four workers took one job");
}

#[test]
fn a_fifth_job_waits_for_a_free_worker() {
    let server = Server::start("ch07-02-shared-receiver", &[]);
    let took = all_at_once(&server, "/slow", 5);
    assert!(
        took >= SLOW_REQUEST * 2 - Duration::from_millis(100) && took < SLOW_REQUEST * 3,
        "five /slow requests at once took {took:?}: about two sleeps expected"
    );
}

#[test]
fn while_let_holds_the_lock_and_serialises_jobs() {
    let server = Server::start("ch07-03-while-let", &[]);
    let took = all_at_once(&server, "/slow", 2);
    assert!(
        took >= SLOW_REQUEST * 2 - Duration::from_millis(100),
        "two /slow requests took {took:?}; the while-let pool should run them one after the other"
    );
}

#[test]
fn clippy_can_point_at_the_while_let_lock() {
    let lint = ["-W", "clippy::significant_drop_in_scrutinee"];
    let flagged = clippy_listing(&Listing::named("ch07-03-while-let"), &lint);
    let warning = "temporary with significant `Drop` in `while let` scrutinee";
    assert!(
        flagged.contains("src/pool.rs") && flagged.contains(warning),
        "expected the lint on the while-let line: {flagged}"
    );
    let clean = clippy_listing(&Listing::named("ch07-02-shared-receiver"), &lint);
    assert!(
        !clean.contains("temporary with significant `Drop`"),
        "the `let` form holds no lock across the job: {clean}"
    );
}

#[test]
fn draining_in_drop_changes_nothing_while_main_runs() {
    let listing = "ch08-02-drain-workers";
    assert_root_is_not_kept_waiting(listing);
    let server = Server::start(listing, &[]);
    crate::support::claims::all_at_once(&server, "/", 3);
    let joined = server
        .stdout()
        .into_iter()
        .find(|line| line.starts_with("Waiting for worker"));
    assert_eq!(
        joined, None,
        "main never ends, so the pool is never dropped"
    );
}
