//! Part 6, chapter 20: async on one thread, tokio's current-thread runtime.
//! What the chapter says its servers do, with real processes on loopback:
//! the same bytes as Part 5's last server for every request and refusal;
//! one thread; `/` waiting behind `/slow` while the handler sleeps with
//! `std::thread::sleep`, and not once it awaits `tokio::time::sleep`; a
//! `tokio::sync::Mutex` held across a sleep making every connection wait;
//! and `/` answered while hundreds of idle connections are open, where
//! Part 5's pool turns it away.
//!
//! Every check is a count, or a ratio between runs made side by side; the
//! durations are the routes' own and patience bounds.

use std::{thread, time::Duration};

use crate::support::{
    attack::Attack,
    hardening::assert_setting_refused,
    http::{get, raw_exchange},
    loadgen::{Report, generate, report_of},
    part5_answers::{PART_5, assert_answers_as_part_5, part_5_answers},
    server::Server,
};

/// The first async server that builds: a task per connection.
const SPAWNED: &str = "ch20-03-spawned-tasks";
/// The server that counts its connections, with `std::thread::sleep` in `/slow`.
const BLOCKING: &str = "ch20-06-guard-dropped";
/// The chapter's last server: `tokio::time::sleep` in `/slow`.
const ASYNC: &str = "ch20-07-tokio-sleep";
/// The Your turn's answers: `Rc` with `spawn_local`; tokio's `Mutex` held
/// across the report's sleep.
const SPAWN_LOCAL: &str = "ch20-90-spawn-local";
const TOKIO_MUTEX: &str = "ch20-91-tokio-mutex";

/// The reader's generator as Part 5 leaves it, and the attack tool.
const GENERATOR: &str = "ch16-05-shed";
const ATTACK: &str = "ch14-01-oversized-and-invalid";

/// A head timeout far shorter than a test, far longer than a request on
/// loopback; a `/slow` short enough to run many.
const HEAD_TIMEOUT: (&str, &str) = ("HEAD_TIMEOUT_MS", "300");
const SLOW_MS: (&str, &str) = ("SLOW_MS", "50");

#[test]
fn every_answer_is_part_5s_byte_for_byte() {
    let part5 = Server::start_with_env(PART_5, &[("WORKERS", "2"), HEAD_TIMEOUT, SLOW_MS]);
    let expected = part_5_answers(&part5);
    for listing in [SPAWNED, ASYNC, SPAWN_LOCAL] {
        let server = Server::start_with_env(listing, &[HEAD_TIMEOUT, SLOW_MS]);
        assert_answers_as_part_5(listing, &server, &expected);
        // Part 5's stand-in for a bug is not carried over: a page not found.
        assert_eq!(
            get(server.addr(), "/panic").status_line,
            "HTTP/1.1 404 Not Found",
            "{listing}: /panic"
        );
    }
}

#[test]
fn a_bad_slow_ms_is_refused_before_listening() {
    assert_setting_refused(ASYNC, "SLOW_MS", &["0", "ten", "600001"], |value| {
        format!(
            "error: SLOW_MS takes a whole number of milliseconds from 1 to 600000, not `{value}`"
        )
    });
}

/// The current-thread runtime runs every task on the thread that started
/// it: one thread, before, during and after a `/slow`, a 404 and an idle
/// client's 408 (tokio's pool for blocking work starts threads only when
/// asked to, and nothing here asks).
#[test]
fn the_current_thread_runtime_is_one_thread() {
    for listing in [BLOCKING, ASYNC] {
        let server = Server::start_with_env(listing, &[HEAD_TIMEOUT, ("SLOW_MS", "500")]);
        assert_eq!(server.threads(), 1, "{listing}, started");
        let slow = thread::scope(|scope| {
            let slow = scope.spawn(|| get(server.addr(), "/slow"));
            let idle = scope.spawn(|| raw_exchange(server.addr(), b"", false));
            thread::sleep(Duration::from_millis(200));
            assert_eq!(server.threads(), 1, "{listing}, a /slow in flight");
            assert!(
                idle.join().unwrap().starts_with(b"HTTP/1.1 408 "),
                "{listing}"
            );
            slow.join().unwrap()
        });
        assert_eq!(slow.status_line, "HTTP/1.1 200 OK", "{listing}: /slow");
        assert_eq!(
            get(server.addr(), "/nowhere").status_line,
            "HTTP/1.1 404 Not Found"
        );
        assert_eq!(server.threads(), 1, "{listing}, after");
        // Once the connections have come and gone, the report says so.
        let reported = |line: &str| line.starts_with("Connections: 0 open, ");
        assert!(
            server
                .wait_for_stdout(reported, Duration::from_secs(3))
                .is_some(),
            "{listing}: no `Connections: 0 open, …` line: {:?}",
            server.stdout()
        );
    }
}

/// An open loop of `/slow` (`SLOW_MS` 500, two a second: one in flight,
/// and the one thread asleep all the time if it sleeps in the handler)
/// that starts half a second before a closed loop on `/` with two
/// connections for three seconds, and ends with it; the report on `/`.
fn slow_and_fast(server: &Server) -> Report {
    let slow_url = format!("http://{}/slow", server.addr());
    let fast_url = format!("http://{}/", server.addr());
    thread::scope(|scope| {
        let slow = scope.spawn(|| {
            let args = ["--rate", "2", "--connections", "8", "--duration", "4"];
            generate(GENERATOR, &[&args[..], &[&slow_url]].concat())
        });
        thread::sleep(Duration::from_millis(500));
        let fast = generate(
            GENERATOR,
            &["--connections", "2", "--duration", "3", &fast_url],
        );
        slow.join().expect("the slow generator's thread");
        report_of(&fast)
    })
}

/// The one thing the compiler cannot see: a handler that sleeps with
/// `std::thread::sleep` holds the only thread, and every other task waits;
/// one that awaits `tokio::time::sleep` gives it back. Both servers under
/// the same load, side by side.
#[test]
fn a_blocking_sleep_stalls_every_task_and_an_awaited_one_does_not() {
    let env = [HEAD_TIMEOUT, ("SLOW_MS", "500")];
    let blocking = Server::start_with_env(BLOCKING, &env);
    let awaiting = Server::start_with_env(ASYNC, &env);
    let (blocking, awaiting) = thread::scope(|scope| {
        let blocked = scope.spawn(|| slow_and_fast(&blocking));
        let awaiting = slow_and_fast(&awaiting);
        (blocked.join().expect("the blocking run"), awaiting)
    });
    assert!(
        awaiting.answered >= 10 * blocking.answered.max(1),
        "with /slow in flight, awaiting the sleep should answer `/` at least 10 times as \
         often as blocking the thread in it: awaiting {awaiting:?}, blocking {blocking:?}"
    );
}

/// The Your turn's `tokio::sync::Mutex`, held by the report across its
/// one-second sleep: it compiles, and every connection waits for the lock
/// as it opens and as it closes. `/` alone, on it and on the chapter's
/// server, side by side.
#[test]
fn a_lock_held_across_the_reports_sleep_makes_every_connection_wait() {
    let held = Server::start_with_env(TOKIO_MUTEX, &[HEAD_TIMEOUT]);
    let released = Server::start_with_env(ASYNC, &[HEAD_TIMEOUT]);
    let run = |server: &Server| {
        let url = format!("http://{}/", server.addr());
        report_of(&generate(
            GENERATOR,
            &["--connections", "2", "--duration", "3", &url],
        ))
    };
    let (held, released) = thread::scope(|scope| {
        let held = scope.spawn(|| run(&held));
        let released = run(&released);
        (held.join().expect("the run on the held lock"), released)
    });
    assert!(
        released.answered >= 10 * held.answered.max(1),
        "a lock held across the report's sleep should make `/` at least 10 times rarer: \
         held {held:?}, released {released:?}"
    );
}

/// Hundreds of idle clients (the attack tool, with the default head
/// timeout of 10 s, longer than the attack): the async server holds every
/// one as a task, on its one thread, says so, and answers `/`; Part 5's
/// pool, its workers and queue full of them, turns `/` away with `503`.
#[test]
fn idle_connections_hold_tasks_not_threads() {
    const IDLE: u64 = 300;
    let server = Server::start_with_env(ASYNC, &[]);
    let pool = Server::start_with_env(PART_5, &[("WORKERS", "4")]);
    let on_server = Attack::start(ATTACK, &["idle"], IDLE, 4, &server);
    let on_pool = Attack::start(ATTACK, &["idle"], IDLE, 4, &pool);
    let answer = get(server.addr(), "/");
    assert_eq!(
        answer.status_line, "HTTP/1.1 200 OK",
        "{ASYNC} with {IDLE} idle connections"
    );
    assert_eq!(server.threads(), 1, "{ASYNC} with {IDLE} idle connections");
    let turned_away = get(pool.addr(), "/");
    assert_eq!(
        turned_away.status_line, "HTTP/1.1 503 Service Unavailable",
        "{PART_5} with {IDLE} idle connections"
    );
    // The report comes once a second: a line that counts them all.
    let counted = |line: &str| {
        line.strip_prefix("Connections: ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|open| open.parse::<u64>().ok())
            .is_some_and(|open| open >= IDLE)
    };
    let line = server.wait_for_stdout(counted, Duration::from_secs(3));
    assert!(
        line.is_some(),
        "{ASYNC} should report {IDLE} connections open or more: {:?}",
        server.stdout()
    );
    let outcome = on_server.outcome();
    assert_eq!(
        outcome.answered_at_all(),
        0,
        "{ASYNC}: idle clients are answered only after the head timeout: {outcome:?}"
    );
    on_pool.outcome();
}
