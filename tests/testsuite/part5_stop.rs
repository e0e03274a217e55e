//! Part 5, chapter 17: a graceful stop under load. Chapter 8's stop (the
//! listener closed first, the queue closed, the workers joined, exit 0)
//! meets what Part 5 brought: clients that send nothing (a stop waits for
//! them: forever without chapter 13's deadline, one head timeout with it),
//! connections waiting in the backlog when the signal comes (the kernel
//! resets them when the listener closes; the server takes them first), a
//! flood from the reader's generator, stopped in the middle (every
//! connection the server accepted gets a whole answer, `200` or `503`),
//! and an operator who will not wait (a second signal).
//!
//! The server's last line says how many connections it accepted; the
//! generator says how each of its requests ended. The claims compare the
//! two, within one run: counts, never times, beyond generous bounds.

use std::{
    io::{ErrorKind, Read, Write},
    net::{TcpListener, TcpStream},
    thread,
    time::Duration,
};

use crate::support::{
    attack::Attack,
    hardening::{HEAD_TIMEOUT, PATIENCE, start_answering},
    http::{Response, send, try_get},
    loadgen::{generate, report_of},
    server::Server,
};

/// Chapter 12's tuned pool: no deadline on the request's head.
const NO_DEADLINE: &str = "ch12-07-queue-and-condvar";
/// Where chapter 17 starts: chapter 16's last server.
const BEFORE: &str = "ch16-07-accept-backoff";
/// The backlog taken before the listener closes.
const DRAINS: &str = "ch17-02-drain-backlog";
/// A second signal stops at once: the chapter's last server.
const LAST: &str = "ch17-03-second-signal";
/// Your turn: the backlog turned away, with `503`, instead of served.
const TURNS_AWAY: &str = "ch17-90-drain-turns-away";

/// The reader's attack tool (idle clients) and generator (`503` as `shed`).
const ATTACK: &str = "ch13-01-idle-and-trickle";
const GENERATOR: &str = "ch16-05-shed";

/// What `/slow` costs in the flood, and what the queue holds per worker
/// (`QUEUE_PER_WORKER` in the listings).
const SLOW_MS: &str = "50";
const QUEUE_PER_WORKER: usize = 4;

/// How long a stop may take where the test expects it to end: generous,
/// for a loaded machine; the stops measured take a fraction of a second.
const STOP_LIMIT: Duration = Duration::from_secs(10);

/// How many connections the server says it accepted, in its last line,
/// `Stopping after N connections: …`.
fn accepted(server: &Server) -> u64 {
    let line = server
        .wait_for_stdout(|line| line.starts_with("Stopping after "), STOP_LIMIT)
        .unwrap_or_else(|| {
            panic!(
                "{}: no `Stopping after` line; stdout: {:?}",
                server.listing,
                server.stdout()
            )
        });
    line.split_whitespace()
        .nth(2)
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("{}: no count in {line:?}", server.listing))
}

/// A whole answer: `200 OK` with as many bytes of body as its
/// `Content-Length` says, or `503` with `Retry-After`. Returns whether it
/// was a `200`.
fn whole(listing: &str, response: &Response) -> bool {
    match response.status_line.as_str() {
        "HTTP/1.1 200 OK" => {
            let length: usize = response
                .header("Content-Length")
                .and_then(|length| length.parse().ok())
                .unwrap_or_else(|| panic!("{listing}: a 200 with no length: {response:?}"));
            assert!(
                length > 0 && response.body.len() == length,
                "{listing}: a 200 cut short: {} bytes of {length}",
                response.body.len()
            );
            true
        }
        "HTTP/1.1 503 Service Unavailable" => {
            assert_eq!(response.header("Retry-After"), Some("1"), "{listing}");
            false
        }
        other => panic!("{listing}: neither 200 nor 503: {other:?}"),
    }
}

/// Chapter 17 opens: two idle clients against chapter 12's server, which has
/// no deadline, and SIGTERM. The listener closes at once, but the stop
/// waits for the workers, and both are waiting for a request that never
/// comes: the server is still running long after the signal, and exits
/// only when the attack ends and its clients close their connections.
#[test]
fn without_a_deadline_idle_clients_hold_the_stop() {
    let mut server = start_answering(NO_DEADLINE, &[]);
    // Five seconds: well past the signal and the patience after it, even
    // on a busy machine.
    let attack = Attack::start(ATTACK, &["idle"], 2, 5, &server);
    // As below: the workers take the clients before the signal comes.
    thread::sleep(Duration::from_millis(100));
    server.send_signal(libc::SIGTERM);
    assert!(
        server.wait_for_exit(PATIENCE).is_none(),
        "{NO_DEADLINE}: stopped while idle clients held its workers"
    );
    assert!(
        server
            .stdout()
            .iter()
            .any(|line| line.starts_with("Stopping")),
        "{NO_DEADLINE}: the listener was not closed; stdout: {:?}",
        server.stdout()
    );
    let outcome = attack.outcome();
    // Both, unless the signal came before `accept` took the second: then
    // that is the connection the loop takes and drops as it stops (the flaw
    // of chapter 8's loop under load), and its client connects again, to
    // be refused.
    assert!(outcome.held >= 1, "{NO_DEADLINE}: {outcome:?}");
    // The attack over, its clients gone: the workers are free, the stop ends.
    server.assert_exit_code(0, STOP_LIMIT);
}

/// The same attack against chapter 16's server: chapter 13's deadline ends
/// each idle client with `408`, and the stop with it, within a few head
/// timeouts of the signal (300 ms each here), long before the attack ends.
#[test]
fn with_the_deadline_a_stop_waits_for_idle_clients_one_head_timeout() {
    let mut server = start_answering(BEFORE, &[HEAD_TIMEOUT]);
    let attack = Attack::start(ATTACK, &["idle"], 2, 3, &server);
    // Give the accept loop a moment to hand both connections to the
    // workers: one still in the backlog when the signal comes falls into
    // chapter 8's window (dropped, or reset at the close), which chapter 17
    // closes and these checks are not about. A clean-clone run on a busy
    // machine once signalled before either was taken.
    thread::sleep(Duration::from_millis(100));
    server.send_signal(libc::SIGTERM);
    server.assert_exit_code(0, PATIENCE);
    let outcome = attack.outcome();
    assert_eq!(outcome.held, 0, "{BEFORE}: {outcome:?}");
    assert!(
        outcome.answered_with("408") > 0,
        "{BEFORE}: the idle clients got no 408: {outcome:?}"
    );
}

/// What the system does with the backlog when a listener closes, with no
/// server of the book: three clients connected (the system completed their
/// handshakes) and sent a request that nobody accepted; the listener is
/// closed; each of them reads a reset, and a client that comes after it
/// is refused.
#[test]
fn a_closed_listener_resets_its_backlog_and_refuses_the_next_client() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port of the system's choice");
    let addr = listener.local_addr().unwrap();
    let mut waiting: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(addr).expect("the backlog takes the connection"))
        .collect();
    for stream in &mut waiting {
        stream.set_read_timeout(Some(STOP_LIMIT)).unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .expect("the request goes to the system's buffer");
    }
    drop(listener);
    for mut stream in waiting {
        let mut answer = Vec::new();
        let read = stream.read_to_end(&mut answer);
        assert_eq!(
            read.map_err(|err| err.kind()),
            Err(ErrorKind::ConnectionReset),
            "a connection left in the backlog"
        );
    }
    assert_eq!(
        TcpStream::connect(addr).map_err(|err| err.kind()).err(),
        Some(ErrorKind::ConnectionRefused),
        "a client after the close"
    );
}

/// Pauses `listing` (SIGSTOP) while twelve clients connect and send
/// `GET /slow` (200 ms): they wait in the backlog, as under load. Then
/// SIGTERM and SIGCONT. Each of the twelve must get a whole answer, `200`
/// or `503` (none reset, none cut short), the server must exit 0, and its
/// count must be the twelve, `GET /` and perhaps its own connection.
/// Returns how many got `200`.
fn paused_with_a_backlog(listing: &str) -> usize {
    let mut server = start_answering(listing, &[("SLOW_MS", "200")]);
    server.send_signal_at_once(libc::SIGSTOP);
    let waiting: Vec<_> = (0..12).map(|_| send(server.addr(), "/slow")).collect();
    server.send_signal(libc::SIGTERM);
    server.send_signal_at_once(libc::SIGCONT);
    let answers: Vec<Response> = waiting
        .into_iter()
        .map(|request| request.answer())
        .collect();
    let answered = answers
        .iter()
        .filter(|answer| whole(listing, answer))
        .count();
    server.assert_exit_code(0, STOP_LIMIT);
    // Ours, the connection that woke `accept`, may be among those accepted.
    let accepted = accepted(&server);
    assert!(
        (13..=14).contains(&accepted),
        "{listing}: accepted {accepted}, for GET / and twelve clients (and maybe its own)"
    );
    answered
}

/// The connections waiting in the backlog at the signal: the server takes
/// them before it closes the listener, so none is reset; the queue (eight
/// jobs) is finished before the workers leave, each a whole `200`; the
/// rest, `503`.
#[test]
fn the_connections_waiting_at_the_signal_are_answered() {
    let answered = paused_with_a_backlog(LAST);
    // The queue holds eight: at least those, taken before a worker woke.
    assert!(
        answered >= 2 * QUEUE_PER_WORKER,
        "{LAST}: {answered} of 12 answered 200, fewer than the queue holds"
    );
}

/// Your turn: the backlog turned away instead. Whichever clients the
/// accept loop took before it saw the flag are served or shed as before;
/// the rest get `503`; still none is reset, and the server exits 0.
#[test]
fn turned_away_the_backlog_still_gets_whole_answers() {
    paused_with_a_backlog(TURNS_AWAY);
}

/// The target of issue 10: SIGTERM in the middle of a flood from the
/// reader's generator (four times the capacity of two workers, an open
/// loop on 200 connections for 3 s, the signal after 1 s), with a client
/// of the test's own beside it, asking for `/slow` again and again until
/// it is refused, which checks each answer it gets for the whole body.
/// The server exits 0; the requests end only answered (`200`, read to the
/// end), shed (`503`), refused (after the close), or reset (never
/// accepted: left in the backlog by a client that came between the last
/// `accept` and the close), or, rarely, timed out (see below); and every
/// connection the server says it accepted is among the answered and the
/// shed, but for its own.
#[test]
fn under_load_every_accepted_connection_gets_a_whole_answer() {
    let mut server = start_answering(LAST, &[("SLOW_MS", SLOW_MS)]);
    let addr = server.addr();
    let url = format!("http://{addr}/slow");
    let (flood, own) = thread::scope(|scope| {
        let flood = scope.spawn(|| {
            generate(
                GENERATOR,
                &[
                    "--rate",
                    "160",
                    "--connections",
                    "200",
                    "--duration",
                    "3",
                    &url,
                ],
            )
        });
        // The test's own client: how many whole answers it got.
        let own = scope.spawn(move || {
            let mut answers = 0;
            loop {
                match try_get(addr, "/slow") {
                    Ok(answer) => {
                        whole(LAST, &answer);
                        answers += 1;
                    }
                    Err(err) if err.kind() == ErrorKind::ConnectionReset => {}
                    Err(err) if err.kind() == ErrorKind::ConnectionRefused => break answers,
                    Err(err) => panic!("{LAST}: the test's own client: {err}"),
                }
            }
        });
        thread::sleep(Duration::from_secs(1));
        server.send_signal(libc::SIGTERM);
        server.assert_exit_code(0, STOP_LIMIT);
        (
            flood.join().expect("the generator's thread"),
            own.join().expect("the test's own client"),
        )
    });
    let report = report_of(&flood);
    let mut shed = 0;
    for failure in report.failures.split(", ") {
        let (kind, count) = failure
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("{LAST}: a failure without a count: {failure:?}"));
        let count: u64 = count.parse().expect("a count");
        match kind {
            "shed" => shed = count,
            // Once, in some forty stops measured against chapter 16's server,
            // a client waited out the generator's 10 s instead of being
            // reset: its handshake was under way as the listener closed.
            // Rare, and no excuse: the count below says whether any such
            // client had been accepted.
            "refused" | "reset" | "timeout" => {}
            _ => panic!("{LAST}: {count} requests ended `{kind}`: {report:?}"),
        }
    }
    assert!(report.answered > 0, "{LAST}: nothing answered: {report:?}");
    assert!(
        report.failures.contains("refused"),
        "{LAST}: no client was refused after the stop: {report:?}"
    );
    assert!(own > 0, "{LAST}: the test's own client got no answer");
    // The one `GET /` of `start`, the generator's answered and shed, the
    // test's own client's answers, and perhaps the server's own connection:
    // every one the server accepted.
    let accepted = accepted(&server);
    let whole = 1 + report.answered + shed + own;
    assert!(
        accepted == whole || accepted == whole + 1,
        "{LAST}: accepted {accepted} connections, answered {whole} \
         (GET /, {own} of the test's own): {report:?}"
    );
}

/// An operator who will not wait: a `/slow` of 10 s is in flight (long
/// enough that it cannot end first, however busy the machine), SIGTERM
/// starts the stop, a second SIGTERM ends the process at once, with status
/// 130; the client in flight gets no answer.
#[test]
fn a_second_signal_stops_at_once() {
    let mut server = start_answering(LAST, &[("SLOW_MS", "10000")]);
    let mut slow = TcpStream::connect(server.addr()).expect("connect");
    slow.set_read_timeout(Some(STOP_LIMIT)).unwrap();
    slow.write_all(b"GET /slow HTTP/1.1\r\nConnection: close\r\n\r\n")
        .expect("send GET /slow");
    server.send_signal(libc::SIGTERM);
    accepted(&server);
    server.send_signal(libc::SIGTERM);
    server.assert_exit_code(130, PATIENCE);
    assert!(
        server
            .stderr()
            .iter()
            .any(|line| line == "Stopping now, without waiting for the requests in flight."),
        "{LAST}: stderr {:?}",
        server.stderr()
    );
    let mut answer = Vec::new();
    match slow.read_to_end(&mut answer) {
        Ok(_) => assert!(answer.is_empty(), "{LAST}: answered after exiting"),
        Err(err) => assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{LAST}"),
    }
}

/// Before the second signal: the server ignores it, finishes the `/slow`
/// in flight (a whole answer; 3 s, so that it is still in flight at the
/// second signal) and exits 0.
#[test]
fn before_it_a_second_signal_changes_nothing() {
    let mut server = start_answering(DRAINS, &[("SLOW_MS", "3000")]);
    let slow = send(server.addr(), "/slow");
    server.send_signal(libc::SIGTERM);
    accepted(&server);
    server.send_signal(libc::SIGTERM);
    assert!(
        whole(DRAINS, &slow.answer()),
        "{DRAINS}: /slow not answered 200"
    );
    server.assert_exit_code(0, STOP_LIMIT);
}
