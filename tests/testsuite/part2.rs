//! Part 2 (many threads): what chapters 4 and 5 say each server does
//! (chapters 6 and 7 are in `part2_channel`).

use std::time::Duration;

use crate::support::{
    claims::{root_latency_during_sleep, waited_behind_sleep},
    hardening::{EMFILE, idle_past_the_open_file_limit},
    http::assert_unanswered,
    server::Server,
};

// The pool's own code, compiled straight from the listings, for claims about
// the type rather than the server. Fields the listing never reads stay unread.
#[allow(dead_code)]
#[path = "../../listings/ch08-09-close-listener-first/src/pool.rs"]
mod final_pool;

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
    let (idle, failed) =
        idle_past_the_open_file_limit(&server, LIMIT + 8, SPINNING, Duration::from_secs(5));
    assert!(
        failed >= SPINNING,
        "with {} idle connections and a limit of {LIMIT} open files, expected the accept \
         loop to print {EMFILE:?} over and over; it printed it {failed} times in 5 s. \
         stderr begins: {:?}",
        idle.len(),
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
    assert_root_is_not_kept_waiting("ch05-07-all-bounds");
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
fn the_final_pool_still_refuses_zero_threads() {
    final_pool::ThreadPool::new(0);
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
