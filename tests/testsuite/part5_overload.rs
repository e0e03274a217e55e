//! Part 5, chapter 16: overload. A flood at four times the server's
//! capacity, sent by the reader's own generator, against the server before
//! the fix (its queue has no bound) and after each step: a bounded queue
//! that turns the excess away with `503 Service Unavailable`, first with the
//! request left unread (resets), then with the answer ended before the
//! close; then the open-file limit (EMFILE), which the accept loop meets
//! spinning, and then backing off.
//!
//! Capacity is known because the route's cost is: `/slow` sleeps `SLOW_MS`
//! (50 ms here), and two workers (Part 5's settings) answer at most
//! 2 / 50 ms = 40 of them a second. The claims are counts and ratios within
//! one run: the p99 of answered requests against the route's own time, the
//! requests shed, the connections the server holds (its open files), and
//! its memory after the flood against before it.

use std::{
    io::Write,
    net::TcpStream,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    thread,
    time::Duration,
};

use crate::support::{
    hardening::{
        EMFILE, WORKERS, assert_setting_refused, assert_survived, idle_past_the_open_file_limit,
        root_answered_in_time,
    },
    http::{get, send},
    loadgen::{Report, generate, report_of},
    server::{Server, open_files},
};

/// The server chapter 16 starts from: chapter 15's, with `SLOW_MS`.
const UNBOUNDED: &str = "ch16-01-slow-ms";
/// A bounded queue; the turned-away client's request is left unread.
const UNREAD: &str = "ch16-03-stream-handed-back";
/// The answer ended (a FIN) before the close.
const SHEDS: &str = "ch16-06-finish-then-close";
/// The accept loop backs off after a failure.
const BACKS_OFF: &str = "ch16-07-accept-backoff";
/// Part 5's last server, which keeps chapter 16's answers.
const LAST_OF_PART: &str = "ch17-03-second-signal";
/// Your turn: a queue of no place at all.
const NO_QUEUE: &str = "ch16-90-no-queue";

/// The reader's generator as chapter 10 leaves it, and as chapter 16 leaves
/// it: `503` counted apart, as `shed`.
const GENERATOR: &str = "ch10-03-intended-start";
const SHED_GENERATOR: &str = "ch16-05-shed";

/// What `/slow` costs in these checks, and what the queue holds per worker
/// (`QUEUE_PER_WORKER` in the listings).
const SLOW_MS: u64 = 50;
const QUEUE_PER_WORKER: usize = 4;

/// Four times capacity: two workers, each answering a `/slow` per 50 ms.
const FLOOD_RATE: &str = "160";
/// More connections than a flood of two seconds can keep in flight, so the
/// generator never waits for one: the server's queue is what holds them.
const FLOOD_CONNECTIONS: &str = "200";

fn start(listing: &str) -> Server {
    Server::start_with_env(listing, &[WORKERS, ("SLOW_MS", &SLOW_MS.to_string())])
}

/// What a flood did: the generator's report, and the most files the server
/// held open at once during it, above what it held before.
struct Flood {
    report: Report,
    held: usize,
}

/// Floods `server`'s `/slow` at four times its capacity for `seconds`, with
/// `generator`, counting the server's open files every 10 ms meanwhile.
fn flood(server: &Server, generator: &str, seconds: &str) -> Flood {
    let before = server.open_files();
    let pid = server.pid();
    let done = Arc::new(AtomicBool::new(false));
    let most = Arc::new(AtomicUsize::new(before));
    let counting = {
        let (done, most) = (Arc::clone(&done), Arc::clone(&most));
        thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                most.fetch_max(open_files(pid), Ordering::SeqCst);
                thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let url = format!("http://{}/slow", server.addr());
    let run = generate(
        generator,
        &[
            "--rate",
            FLOOD_RATE,
            "--duration",
            seconds,
            "--connections",
            FLOOD_CONNECTIONS,
            &url,
        ],
    );
    done.store(true, Ordering::SeqCst);
    counting.join().expect("the counting thread");
    Flood {
        report: report_of(&run),
        held: most.load(Ordering::SeqCst).saturating_sub(before),
    }
}

/// The p99 of the answered requests, in units of the route's own time.
fn p99_in_route_times(listing: &str, report: &Report) -> f64 {
    let Some([_, _, p99, _]) = report.latency else {
        panic!("{listing}: no request was answered: {report:?}");
    };
    p99 as f64 / (SLOW_MS * 1000) as f64
}

/// Chapter 16 opens: a flood at four times capacity against a queue with
/// no bound. Every request is answered, in the end; but each waits behind
/// all that came before it, so the p99 is many times the route's time, and
/// the server holds a connection per waiting request.
#[test]
fn a_flood_fills_the_unbounded_queue_and_every_answer_waits_longer() {
    let server = start(UNBOUNDED);
    let Flood { report, held } = flood(&server, GENERATOR, "1");
    assert_eq!(
        (report.answered, report.failed),
        (160, 0),
        "{UNBOUNDED}: a second at 160 a second, every request answered at last: {report:?}"
    );
    let p99 = p99_in_route_times(UNBOUNDED, &report);
    assert!(
        p99 >= 20.0,
        "{UNBOUNDED}: the p99 of answered requests is {p99:.1} times the route's {SLOW_MS} ms; \
         expected 20 or more (each waits behind the flood so far): {report:?}"
    );
    assert!(
        held >= 50,
        "{UNBOUNDED}: the server held at most {held} connections at once during the flood; \
         expected 50 or more (a growing queue)"
    );
}

/// A bounded queue turns the excess away at once, but leaves its request
/// unread: the close resets the connection, and a client that reads to the
/// end meets the reset after the 503 and counts neither an answer nor a
/// shed request.
#[test]
fn a_turned_away_request_left_unread_is_often_a_reset() {
    let mut server = start(UNREAD);
    let Flood { report, .. } = flood(&server, SHED_GENERATOR, "2");
    let count = |kind: &str| -> u64 {
        report
            .failures
            .split(", ")
            .find_map(|part| part.strip_prefix(kind)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or(0)
    };
    let (reset, shed) = (count("reset"), count("shed"));
    assert!(
        reset + shed == report.failed && reset * 10 >= report.failed && report.failed > 0,
        "{UNREAD}: the requests turned away are shed (503) or reset, a tenth of them or more \
         reset: {report:?}"
    );
    assert_survived(&mut server);
}

/// The fix, flooded at the same moment as the server without it, so that
/// both meet the same machine: the excess is shed, each with a 503 that
/// arrives whole; the answered requests wait for at most the jobs the queue
/// holds per worker, so their p99 is a fraction of the unbounded server's
/// (five route times against about sixty expected; at most half is
/// claimed, since a busy machine's late generator adds to both); the server
/// holds no more connections than its workers and its queue; and its
/// memory after the flood is what it was before.
#[test]
fn a_bounded_queue_sheds_the_excess_and_keeps_the_wait_bounded() {
    let unbounded = start(UNBOUNDED);
    let mut server = start(SHEDS);
    let before = server.memory_kb("VmRSS");
    let (Flood { report, held }, without_bound) = thread::scope(|scope| {
        let without_bound = scope.spawn(|| flood(&unbounded, SHED_GENERATOR, "1").report);
        let with_bound = flood(&server, SHED_GENERATOR, "1");
        (with_bound, without_bound.join().expect("the other flood"))
    });
    let after = server.memory_kb("VmRSS");
    assert!(
        report.failed > report.answered
            && report.answered >= 20
            && report.failures == format!("shed {}", report.failed),
        "{SHEDS}: most of a flood at four times capacity shed with 503, nothing else failed, \
         and half a second's worth answered at least: {report:?}"
    );
    let p99 = p99_in_route_times(SHEDS, &report);
    let p99_without = p99_in_route_times(UNBOUNDED, &without_bound);
    assert!(
        p99 * 2.0 <= p99_without,
        "{SHEDS}: the p99 of answered requests is {p99:.1} times the route's {SLOW_MS} ms, \
         against {p99_without:.1} for {UNBOUNDED} in the same flood at the same moment; \
         expected at most half (each waits for at most {QUEUE_PER_WORKER} jobs per worker, \
         then its own): {report:?}, {without_bound:?}"
    );
    let most = 2 + 2 * QUEUE_PER_WORKER + 2;
    assert!(
        held <= most,
        "{SHEDS}: the server held {held} connections at once during the flood; expected at \
         most its 2 workers' and its queue's {}, and one or two being turned away",
        2 * QUEUE_PER_WORKER
    );
    assert!(
        after * 2 <= before * 3,
        "{SHEDS}: VmRSS {before} kB before the flood, {after} kB after; expected less than 1.5 \
         times"
    );
    assert_survived(&mut server);
}

/// The answer a turned-away client gets: `503 Service Unavailable`, a
/// `Retry-After` of one second, no body; from the step that ends the answer
/// before the close to Part 5's last server.
#[test]
fn a_client_that_finds_the_queue_full_gets_503_with_retry_after() {
    for listing in [SHEDS, LAST_OF_PART] {
        // `/slow` as long as it is by default (2 s): the queue stays full
        // while the test fills it, however busy the machine.
        let server = Server::start_with_env(listing, &[WORKERS]);
        // `/slow` after `/slow`, until the server turns one away: from then
        // until the first of them ends, two seconds later, the workers are
        // busy and the queue is full, however late the workers took their
        // jobs on a busy machine. The others' answers are not awaited.
        let mut slow = Vec::new();
        loop {
            assert!(
                slow.len() <= 4 * (2 + 2 * QUEUE_PER_WORKER),
                "{listing}: {} requests for /slow and none turned away",
                slow.len()
            );
            slow.push(send(server.addr(), "/slow"));
            thread::sleep(Duration::from_millis(20));
            if let Some(ended) = slow.iter().position(|request| request.has_ended()) {
                let answer = slow.swap_remove(ended).answer();
                if answer.status_line == "HTTP/1.1 503 Service Unavailable" {
                    break;
                }
            }
        }
        let turned_away = get(server.addr(), "/");
        assert_eq!(
            (
                turned_away.status_line.as_str(),
                turned_away.header("Retry-After"),
                turned_away.header("Content-Length"),
                turned_away.body.as_str()
            ),
            ("HTTP/1.1 503 Service Unavailable", Some("1"), Some("0"), ""),
            "{listing}: / with both workers busy and the queue full"
        );
    }
}

/// Past the open-file limit, the bounded server's accept loop still spins:
/// a limit below what its workers and queue may hold (here 12 files: six
/// the process holds, two workers, four in the queue), and idle clients.
#[test]
fn past_the_open_file_limit_the_bounded_server_still_spins() {
    const SPINNING: usize = 1000;
    let server = Server::start_with_env_and_open_files(SHEDS, &[WORKERS], 12);
    let (idle, failed) =
        idle_past_the_open_file_limit(&server, 24, SPINNING, Duration::from_secs(5));
    assert!(
        failed >= SPINNING,
        "{SHEDS}: with {} idle connections and a limit of 12 open files, expected {EMFILE:?} \
         {SPINNING} times or more in 5 s; it printed it {failed} times",
        idle.len()
    );
}

/// The back-off: the same attack gets a line per failure, but the failures
/// come 5 ms, 10 ms, … up to a second apart: a dozen or so in 5 s. Once the
/// idle clients leave, `/` is answered.
#[test]
fn past_the_open_file_limit_the_accept_loop_backs_off() {
    let mut server = Server::start_with_env_and_open_files(BACKS_OFF, &[WORKERS], 12);
    let (idle, failed) = idle_past_the_open_file_limit(&server, 24, 1000, Duration::from_secs(5));
    assert!(
        (1..20).contains(&failed),
        "{BACKS_OFF}: with {} idle connections and a limit of 12 open files, expected \
         {EMFILE:?} from 1 to 19 times in 5 s; it printed it {failed} times. stderr: {:?}",
        idle.len(),
        server.stderr()
    );
    drop(idle);
    assert_survived(&mut server);
}

/// A client that sends its request and never reads the answer holds no
/// worker: every answer of the book's server fits in the socket's send
/// buffer, so the worker's write returns at once. Four of them, against two
/// workers, and `/` is still answered in time.
#[test]
fn clients_that_never_read_their_answer_hold_no_worker() {
    let server = start(BACKS_OFF);
    let _never_read: Vec<TcpStream> = ["/", "/", "/nowhere", "/"]
        .into_iter()
        .map(|path| {
            let mut stream = TcpStream::connect(server.addr()).expect("connect");
            let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
            stream
                .write_all(request.as_bytes())
                .expect("send the request");
            stream
        })
        .collect();
    assert!(
        root_answered_in_time(server.addr()),
        "{BACKS_OFF}: / was not answered while four clients left their answers unread"
    );
}

/// Your turn: with no place in the queue, a job has nowhere to wait for a
/// worker, even an idle one, and every request is turned away.
#[test]
fn with_no_queue_every_request_is_turned_away() {
    let server = start(NO_QUEUE);
    for path in ["/", "/slow", "/nowhere"] {
        assert_eq!(
            get(server.addr(), path).status_line,
            "HTTP/1.1 503 Service Unavailable",
            "{NO_QUEUE}: {path} on an idle server"
        );
    }
}

/// `SLOW_MS` is checked as `HEAD_TIMEOUT_MS` is: a value the server cannot
/// use is named, with status 2, before it listens.
#[test]
fn a_slow_time_the_server_cannot_use_is_refused_before_listening() {
    assert_setting_refused(
        BACKS_OFF,
        "SLOW_MS",
        &["0", "600001", "50ms", ""],
        |value| {
            format!(
                "error: SLOW_MS takes a whole number of milliseconds from 1 to 600000, not `{value}`"
            )
        },
    );
}
