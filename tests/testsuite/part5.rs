//! Part 5, hardening: each chapter's attack, run with the reader's own
//! attack tool against the server before the fix and after it.
//!
//! Every server runs with two workers and a short head timeout
//! (`HEAD_TIMEOUT_MS`), so that an attack of a few seconds shows what one of
//! minutes would; where a server must hold a trickle, the timeout is ten of
//! the trickle's intervals, so that a busy machine cannot fake a cut-off. The claims are counts (connections held, closed, answered
//! with 408) and one comparison within a run: `/` answered while the attack
//! is still going, or not answered at all.

use std::time::Duration;

use crate::support::{
    attack::{Attack, Outcome, answered_only, assert_refuses},
    hardening::{
        PATIENCE, WORKERS, assert_setting_refused, assert_survived, root_answered_in_time, start,
    },
    server::Server,
};

/// The attack tool of chapter 13: idle and trickling connections.
const ATTACK: &str = "ch13-01-idle-and-trickle";

/// The server Part 5 starts from: Part 4's tuned pool.
const TUNED: &str = "ch12-07-queue-and-condvar";

/// Chapter 13's steps that build, and the answer to its Your turn.
const READ_TIMEOUT: &str = "ch13-02-read-timeout";
const DEADLINE_READER: &str = "ch13-03-deadline-reader";
const REQUEST_TIMEOUT: &str = "ch13-05-request-timeout";
const PER_LINE: &str = "ch13-90-time-left-per-line";

/// How long an attack lasts: ten head timeouts.
const ATTACK_SECONDS: u64 = 3;

/// A trickle of one byte every 100 ms: three bytes within each head timeout.
const TRICKLE: &[&str] = &["trickle", "--interval", "100"];

/// The head timeout of the checks in which a server must *not* end a
/// trickle: ten intervals, not three, so that a busy machine that delays
/// the attack's thread cannot make the server cut a trickling client off.
const PATIENT_HEAD_TIMEOUT: (&str, &str) = ("HEAD_TIMEOUT_MS", "1000");

/// How many connections a server that ends each after the head timeout
/// ends, at least, in one attack: each of the two clients opens another as
/// soon as one ends, so ten times each are expected; a third of that is
/// plenty to tell it from a server that ends none.
const ENDED_AT_LEAST: u64 = 6;

/// Starts `attack MODE… --connections 2 --duration 3` against `server`
/// with chapter 13's tool, and returns once both connections are open.
fn start_attack(mode: &[&str], server: &Server) -> Attack {
    Attack::start(ATTACK, mode, 2, ATTACK_SECONDS, server)
}

/// The server ended the attack's connections over and over, as fast as
/// the head timeout allows.
fn assert_ended_again_and_again(listing: &str, outcome: &Outcome) {
    assert!(
        outcome.closed + outcome.reset >= ENDED_AT_LEAST && outcome.other == 0,
        "{listing}: expected the server to end at least {ENDED_AT_LEAST} connections: {outcome:?}"
    );
}

/// No connection was ever ended: the first two were held to the end.
fn assert_held_throughout(listing: &str, outcome: &Outcome) {
    assert_eq!(
        (outcome.total, outcome.held),
        (2, 2),
        "{listing}: expected both connections held to the end: {outcome:?}"
    );
}

#[test]
fn the_attack_tool_refuses_what_it_cannot_do() {
    let usage = "usage: attack idle|trickle [--connections N] [--duration SECONDS] \
                 [--interval MS] http://HOST[:PORT][/PATH]";
    let url = "http://127.0.0.1:9";
    let cases: &[(&[&str], &str)] = &[
        (&[], "name the attack: `idle` or `trickle`"),
        (
            &["flood", url],
            "the first argument is the attack, `idle` or `trickle`, not `flood`",
        ),
        (
            &["idle", "--connections", "0", url],
            "`--connections` takes a whole number from 1 to 1000, not `0`",
        ),
        (
            &["trickle", "--interval", "0.5", url],
            "`--interval` takes a whole number from 1 to 60000, not `0.5`",
        ),
        (&["idle", "--duration"], "`--duration` needs a value"),
        (&["idle", "--slowly", url], "unknown option `--slowly`"),
        (&["idle"], "give the URL to attack"),
        (
            &["idle", "ftp://host"],
            "`ftp://host` is not an http:// URL",
        ),
    ];
    assert_refuses(ATTACK, usage, cases);
}

/// Chapter 13 opens: two silent clients hold both workers of the tuned
/// pool for as long as they like, and `/` waits behind them.
#[test]
fn idle_clients_hold_every_worker_of_the_tuned_pool() {
    let mut server = start(TUNED);
    let attack = start_attack(&["idle"], &server);
    assert!(
        !root_answered_in_time(server.addr()),
        "{TUNED}: / was answered while two idle clients held both workers"
    );
    assert_held_throughout(TUNED, &attack.outcome());
    assert_survived(&mut server);
}

#[test]
fn trickling_clients_hold_every_worker_of_the_tuned_pool() {
    let mut server = start(TUNED);
    let attack = start_attack(TRICKLE, &server);
    assert!(!root_answered_in_time(server.addr()), "{TUNED}");
    assert_held_throughout(TUNED, &attack.outcome());
    assert_survived(&mut server);
}

/// A read timeout lets idle clients go (with no answer: the read fails
/// and the error is printed)…
#[test]
fn a_read_timeout_lets_idle_clients_go() {
    let mut server = start(READ_TIMEOUT);
    let attack = start_attack(&["idle"], &server);
    let outcome = attack.outcome();
    assert_ended_again_and_again(READ_TIMEOUT, &outcome);
    assert_eq!(outcome.answers, "none", "{outcome:?}");
    let timed_out = server.wait_for_stderr_lines(
        |line| line == "error while answering: Resource temporarily unavailable (os error 11)",
        ENDED_AT_LEAST as usize,
        Duration::from_secs(5),
    );
    assert!(
        timed_out.len() >= ENDED_AT_LEAST as usize,
        "{:?}",
        server.stderr()
    );
    assert_survived(&mut server);
}

/// …but each byte of a trickle starts the timeout again: the trickling
/// clients keep both workers to the end, and `/` waits.
#[test]
fn a_read_timeout_does_not_stop_a_trickle() {
    let mut server = Server::start_with_env(READ_TIMEOUT, &[WORKERS, PATIENT_HEAD_TIMEOUT]);
    let attack = start_attack(TRICKLE, &server);
    assert!(
        !root_answered_in_time(server.addr()),
        "{READ_TIMEOUT}: / was answered while two clients trickled their heads"
    );
    assert_held_throughout(READ_TIMEOUT, &attack.outcome());
    assert_survived(&mut server);
}

/// A deadline for the whole head, read after read: the trickle is cut off
/// and `/` is answered while the attack still runs.
#[test]
fn a_deadline_for_the_whole_head_stops_a_trickle() {
    let mut server = start(DEADLINE_READER);
    let attack = start_attack(TRICKLE, &server);
    assert!(root_answered_in_time(server.addr()), "{DEADLINE_READER}");
    let outcome = attack.outcome();
    assert_ended_again_and_again(DEADLINE_READER, &outcome);
    assert_eq!(outcome.answers, "none", "{outcome:?}");
    // The read that waits out the time left fails by itself (`WouldBlock`);
    // a read that would start after the deadline fails with `TimedOut`.
    let timed_out = server.wait_for_stderr_lines(
        |line| {
            line == "error while answering: Resource temporarily unavailable (os error 11)"
                || line == "error while answering: timed out"
        },
        ENDED_AT_LEAST as usize,
        PATIENCE,
    );
    assert!(
        timed_out.len() >= ENDED_AT_LEAST as usize,
        "{:?}",
        server.stderr()
    );
    assert_survived(&mut server);
}

/// Chapter 13's server answers both attacks with `408 Request Timeout`,
/// prints nothing for them, and answers `/` while the attack still runs.
#[test]
fn the_deadline_answers_idle_and_trickling_clients_with_408() {
    let mut server = start(REQUEST_TIMEOUT);
    for mode in [&["idle"][..], TRICKLE] {
        let attack = start_attack(mode, &server);
        assert!(root_answered_in_time(server.addr()), "{mode:?}");
        let outcome = attack.outcome();
        assert_ended_again_and_again(REQUEST_TIMEOUT, &outcome);
        // A trickled byte that arrives between the last read and the close
        // makes the close a reset, which may take the 408 with it: rare,
        // and allowed for.
        assert!(
            answered_only(REQUEST_TIMEOUT, &outcome, "408", &[]) + outcome.reset >= outcome.closed,
            "{REQUEST_TIMEOUT} {mode:?}: every connection the server closed got a 408: {outcome:?}"
        );
    }
    assert_survived(&mut server);
    assert!(server.stderr().is_empty(), "{:?}", server.stderr());
}

/// Chapter 13, Your turn: the time left set before each line, not each
/// read. An idle client still gets its 408; a head line that never ends is
/// one line, read with as many reads as the trickle likes.
#[test]
fn the_time_left_per_line_does_not_stop_a_trickle() {
    let mut server = start(PER_LINE);
    let attack = start_attack(&["idle"], &server);
    let outcome = attack.outcome();
    assert_ended_again_and_again(PER_LINE, &outcome);
    assert!(
        answered_only(PER_LINE, &outcome, "408", &[]) >= ENDED_AT_LEAST,
        "{outcome:?}"
    );
    assert_survived(&mut server);
    let mut server = Server::start_with_env(PER_LINE, &[WORKERS, PATIENT_HEAD_TIMEOUT]);
    let attack = start_attack(TRICKLE, &server);
    assert!(!root_answered_in_time(server.addr()), "{PER_LINE}");
    assert_held_throughout(PER_LINE, &attack.outcome());
    assert_survived(&mut server);
}

/// A head timeout the server cannot use is named, with status 2, before it
/// listens.
#[test]
fn a_head_timeout_the_server_cannot_use_is_refused_before_listening() {
    assert_setting_refused(
        REQUEST_TIMEOUT,
        "HEAD_TIMEOUT_MS",
        &["0", "600001", "1s", "-5", "", "0.5"],
        |value| {
            format!(
                "error: HEAD_TIMEOUT_MS takes a whole number of milliseconds from 1 to 600000, \
                 not `{value}`"
            )
        },
    );
}
