//! Part 6, chapter 19: one thread, many connections. A loop over
//! non-blocking sockets that spins (the detour the chapter measures and
//! leaves), then an event loop on mio's readiness: one thread that serves
//! Part 5's pages, refuses Part 5's bad requests the same way, answers `/`
//! while `/slow` requests wait on timers, and while hundreds of idle
//! clients hold connections that would hold every worker of Part 5's pool.
//!
//! The claims are counts and comparisons within one run: the processor
//! time each server used over the same idle moment, the bytes each server
//! sends for the same request, the `/` requests answered while `/slow` or
//! idle clients are in flight, and the process's threads as Linux counts
//! them.

use std::{
    net::TcpStream,
    thread,
    time::{Duration, Instant},
};

use crate::support::{
    attack::Attack,
    hardening::{
        PATIENCE, WORKERS, assert_setting_refused, assert_survived, root_answered_in_time,
    },
    http::{exchange, get, raw_exchange, send, try_get},
    part5_answers::{PART_5, long_head, long_request_line},
    server::Server,
};

/// The loop over non-blocking sockets that never waits.
const BUSY_LOOP: &str = "ch19-01-busy-loop";
/// The event loop's first server: readiness, a state per connection.
const STATE_MACHINE: &str = "ch19-04-state-machine";
/// The chapter's last server: timers for `/slow` and the head's deadline.
const EVENT_LOOP: &str = "ch19-06-timers";
/// Your turn: timers in a struct that orders them by token first.
const BY_TOKEN: &str = "ch19-91-timers-by-token";
/// The attack tool as chapter 14 leaves it (its `idle` mode is chapter 13's).
const ATTACK: &str = "ch14-01-oversized-and-invalid";

/// What `/slow` takes in the check where it must still be waiting while
/// `/` is answered: far longer than a few answers on loopback, even on a
/// busy machine.
const LONG_SLOW_MS: &str = "3000";

/// How many idle clients the attack opens: far more than Part 5's pool
/// holds (two workers, and four places in its queue per worker), and few
/// enough for a test.
const IDLE_CLIENTS: u64 = 300;

/// How many times a check asks for `/` while the server is busy with
/// others.
const ROOT_REQUESTS: usize = 5;

/// The processor time process `pid` has used so far, user and system, in
/// clock ticks (`/proc/PID/stat`, fields 14 and 15).
fn cpu_ticks(pid: u32) -> u64 {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    // The name, in parentheses, may hold spaces: count fields after it.
    let after_name = &stat[stat.rfind(')').expect("a name in parentheses") + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    // Field 3 (the state) is the first after the name: 14 and 15 are 11 and 12 on.
    let field = |index: usize| -> u64 {
        fields[index]
            .parse()
            .unwrap_or_else(|err| panic!("{path}: field {}: {err}", index + 3))
    };
    field(11) + field(12)
}

/// The first line of an answer, for messages.
fn status_line(answer: &[u8]) -> String {
    String::from_utf8_lossy(answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A loop that asks a non-blocking socket again and again, without ever
/// waiting, uses the processor all the time, even with no client at all;
/// the event loop, waiting in `poll`, uses none. Both are idle over the
/// same stretch of time, in the same run, until the busy loop has used a
/// fifth of a second of processor time (on a busy machine it gets only a
/// share of a core, so the stretch is as long as that takes, up to a
/// minute): the event loop must have used a tenth of that at most.
#[test]
fn the_busy_loop_burns_the_processor_while_the_event_loop_sleeps() {
    let busy = Server::start(BUSY_LOOP, &[]);
    let waiting = Server::start(EVENT_LOOP, &[]);
    // Each answers once, so that both are in their loops.
    for server in [&busy, &waiting] {
        assert_eq!(
            get(server.addr(), "/").status_line,
            "HTTP/1.1 200 OK",
            "{}",
            server.listing
        );
    }
    let ticks_per_second = clock_ticks_per_second();
    // A fifth of a second of processor time.
    let enough = ticks_per_second / 5;
    let before = (cpu_ticks(busy.pid()), cpu_ticks(waiting.pid()));
    let started = Instant::now();
    let mut spun = 0;
    while spun < enough && started.elapsed() < Duration::from_secs(60) {
        thread::sleep(Duration::from_millis(100));
        spun = cpu_ticks(busy.pid()) - before.0;
    }
    let slept = cpu_ticks(waiting.pid()) - before.1;
    let elapsed = started.elapsed();
    assert!(
        spun >= enough && slept * 10 <= spun,
        "{BUSY_LOOP} used {spun} clock ticks of processor time ({ticks_per_second} a second) \
         in {elapsed:?} with no client, {EVENT_LOOP} {slept}; expected a fifth of a second \
         or more for the first, and at most a tenth of that for the second"
    );
}

/// How many clock ticks make a second, in `/proc/PID/stat`'s times.
fn clock_ticks_per_second() -> u64 {
    // SAFETY: `sysconf` reads a system setting; it touches no memory of ours.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(ticks).expect("a positive number of clock ticks a second")
}

/// The busy loop serves, all the same: it is not wrong, only wasteful.
#[test]
fn the_busy_loop_answers_all_the_same() {
    let server = Server::start(BUSY_LOOP, &[]);
    let part5 = Server::start_with_env(PART_5, &[WORKERS]);
    assert_eq!(
        exchange(server.addr(), "/").0,
        exchange(part5.addr(), "/").0,
        "{BUSY_LOOP}: GET /"
    );
}

/// The event loop's servers send Part 5's bytes, to the byte, for the
/// index (by either name), a page not found, and a `HEAD`.
#[test]
fn the_event_loop_sends_part_5s_pages() {
    let part5 = Server::start_with_env(PART_5, &[WORKERS, ("SLOW_MS", "50")]);
    let head = b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
    for listing in [STATE_MACHINE, EVENT_LOOP] {
        let server = Server::start_with_env(listing, &[("SLOW_MS", "50")]);
        for path in ["/", "/index.html", "/nothing-here"] {
            assert_eq!(
                String::from_utf8_lossy(&exchange(server.addr(), path).0),
                String::from_utf8_lossy(&exchange(part5.addr(), path).0),
                "{listing}: GET {path}, against {PART_5}'s"
            );
        }
        assert_eq!(
            String::from_utf8_lossy(&raw_exchange(server.addr(), head, false)),
            String::from_utf8_lossy(&raw_exchange(part5.addr(), head, false)),
            "{listing}: HEAD /"
        );
        assert!(
            server.stderr().is_empty(),
            "{listing}: {:?}",
            server.stderr()
        );
    }
    // `/slow` is the chapter's last server's only.
    let server = Server::start_with_env(EVENT_LOOP, &[("SLOW_MS", "50")]);
    assert_eq!(
        String::from_utf8_lossy(&exchange(server.addr(), "/slow").0),
        String::from_utf8_lossy(&exchange(part5.addr(), "/slow").0),
        "{EVENT_LOOP}: GET /slow"
    );
    assert_eq!(
        get(Server::start(STATE_MACHINE, &[]).addr(), "/slow").status_line,
        "HTTP/1.1 404 Not Found",
        "{STATE_MACHINE} does not serve /slow yet"
    );
}

/// Bad requests get Part 5's answers, byte for byte: the limits (414, 431),
/// malformed lines and heads cut short (400), other methods (405) and
/// versions (505).
#[test]
fn bad_requests_get_part_5s_answers() {
    let part5 = Server::start_with_env(PART_5, &[WORKERS]);
    let (long_line, long_head) = (long_request_line(), long_head());
    let cases: &[(&[u8], bool, &str)] = &[
        (&long_line, false, "414 URI Too Long"),
        (&long_head, false, "431 Request Header Fields Too Large"),
        (b"GET /caf\xE9 HTTP/1.1\r\n\r\n", false, "400 Bad Request"),
        (b"GET  / HTTP/1.1\r\n\r\n", false, "400 Bad Request"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n", true, "400 Bad Request"),
        (b"POST / HTTP/1.1\r\n\r\n", false, "405 Method Not Allowed"),
        (
            b"GET / HTTP/2.0\r\n\r\n",
            false,
            "505 HTTP Version Not Supported",
        ),
    ];
    for listing in [STATE_MACHINE, EVENT_LOOP] {
        let mut server = Server::start(listing, &[]);
        for (request, end, status) in cases {
            let answer = raw_exchange(server.addr(), request, *end);
            let shown = String::from_utf8_lossy(&request[..request.len().min(30)]);
            assert!(
                answer.starts_with(format!("HTTP/1.1 {status}\r\n").as_bytes()),
                "{listing}: {shown:?}… got {:?}",
                status_line(&answer)
            );
            assert_eq!(
                String::from_utf8_lossy(&answer),
                String::from_utf8_lossy(&raw_exchange(part5.addr(), request, *end)),
                "{listing}: {shown:?}…, against {PART_5}'s answer"
            );
        }
        assert_survived(&mut server);
    }
}

/// The head's deadline, on a timer: a client that sends part of its head
/// and then nothing gets Part 5's 408 once `HEAD_TIMEOUT_MS` is over.
#[test]
fn a_head_that_does_not_come_in_time_gets_408() {
    let timeout = ("HEAD_TIMEOUT_MS", "300");
    let server = Server::start_with_env(EVENT_LOOP, &[timeout]);
    let part5 = Server::start_with_env(PART_5, &[WORKERS, timeout]);
    let answer = raw_exchange(server.addr(), b"GET / HT", false);
    assert_eq!(
        String::from_utf8_lossy(&answer),
        String::from_utf8_lossy(&raw_exchange(part5.addr(), b"GET / HT", false)),
        "{EVENT_LOOP}: a head that stops halfway, against {PART_5}'s answer"
    );
    assert!(
        answer.starts_with(b"HTTP/1.1 408 Request Timeout\r\n"),
        "{EVENT_LOOP}: {:?}",
        status_line(&answer)
    );
}

/// `SLOW_MS` and `HEAD_TIMEOUT_MS` are checked as Part 5 checks them.
#[test]
fn the_event_loop_refuses_bad_settings() {
    for name in ["SLOW_MS", "HEAD_TIMEOUT_MS"] {
        assert_setting_refused(EVENT_LOOP, name, &["0", "2s", "600001"], |value| {
            format!(
                "error: {name} takes a whole number of milliseconds from 1 to 600000, \
                 not `{value}`"
            )
        });
    }
}

/// Four `/slow` requests in flight do not hold the one thread: `/` is
/// answered, every time, while all four still wait; they wait together,
/// not one after another (all four answered within two route times of
/// being sent, where one after another would take four); and the process
/// has one thread throughout.
#[test]
fn slow_requests_wait_on_timers_while_the_one_thread_answers_root() {
    let server = Server::start_with_env(EVENT_LOOP, &[("SLOW_MS", LONG_SLOW_MS)]);
    let slow: Vec<_> = (0..4).map(|_| send(server.addr(), "/slow")).collect();
    let mut answered = 0;
    for _ in 0..ROOT_REQUESTS {
        if let Ok(root) = try_get(server.addr(), "/") {
            answered += usize::from(root.status_line == "HTTP/1.1 200 OK");
        }
    }
    let still_waiting = slow.iter().filter(|request| !request.has_ended()).count();
    let threads_meanwhile = server.threads();
    assert_eq!(
        (answered, still_waiting, threads_meanwhile),
        (ROOT_REQUESTS, 4, 1),
        "{EVENT_LOOP}: `/` answered (of {ROOT_REQUESTS}), `/slow` still waiting (of 4), and \
         the process's threads, while four `/slow` of {LONG_SLOW_MS} ms were in flight"
    );
    let route_time = Duration::from_millis(LONG_SLOW_MS.parse().unwrap());
    for request in slow {
        let answer = request.answer();
        assert_eq!(answer.status_line, "HTTP/1.1 200 OK", "{EVENT_LOOP}: /slow");
        assert!(
            answer.elapsed < 2 * route_time,
            "{EVENT_LOOP}: a /slow answered {:?} after it was sent; expected less than two \
             route times ({LONG_SLOW_MS} ms each): the four wait together",
            answer.elapsed
        );
    }
}

/// Hundreds of idle clients, attacking both servers in the same run. Part
/// 5's pool, even with 64 workers, gives each a thread or a place in its
/// queue (64 + 4 × 64 = 320 of them: none is turned away, and `/` waits
/// behind them all, unanswered); the event loop holds every one of them
/// on its one thread, and answers `/` every time.
#[test]
fn idle_clients_hold_part_5s_pool_but_not_the_event_loop() {
    // A head deadline of a minute: no idle client is let go before the
    // attacks end, even if a busy machine is slow to open the connections.
    let patient = ("HEAD_TIMEOUT_MS", "60000");
    let mut part5 = Server::start_with_env(PART_5, &[("WORKERS", "64"), patient]);
    let mut server = Server::start_with_env(EVENT_LOOP, &[patient]);
    let against_part5 = Attack::start(ATTACK, &["idle"], IDLE_CLIENTS, 5, &part5);
    let against_loop = Attack::start(ATTACK, &["idle"], IDLE_CLIENTS, 5, &server);
    let part5_answered = root_answered_in_time(part5.addr());
    let loop_answered = (0..ROOT_REQUESTS)
        .filter(|_| {
            try_get(server.addr(), "/").is_ok_and(|root| root.status_line == "HTTP/1.1 200 OK")
        })
        .count();
    let (held_files, threads_meanwhile) = (server.open_files(), server.threads());
    assert_eq!(
        (part5_answered, loop_answered, threads_meanwhile),
        (false, ROOT_REQUESTS, 1),
        "whether {PART_5} answered `/` within {PATIENCE:?}, how many `/` (of \
         {ROOT_REQUESTS}) {EVENT_LOOP} answered 200, and its threads, while {IDLE_CLIENTS} \
         idle clients were connected to each"
    );
    assert!(
        held_files as u64 >= IDLE_CLIENTS,
        "{EVENT_LOOP} had {held_files} files open during the attack; expected one per idle \
         client, {IDLE_CLIENTS}, and more"
    );
    for (listing, attack) in [(EVENT_LOOP, against_loop), (PART_5, against_part5)] {
        let outcome = attack.outcome();
        assert_eq!(
            (outcome.total, outcome.held),
            (IDLE_CLIENTS, IDLE_CLIENTS),
            "{listing}: every idle connection held to the end: {outcome:?}"
        );
    }
    assert_survived(&mut server);
    assert_survived(&mut part5);
}

/// Your turn: with the comparison derived on a `Timer` that declares its
/// token first, the heap gives back the oldest connection's timer first.
/// An idle client connects, then a `/slow` of 100 ms: its answer waits
/// for the idle client's head deadline (2 s), ten route times and more,
/// where the chapter's server, in the same run, answers in less than half
/// that.
#[test]
fn timers_ordered_by_token_answer_slow_as_late_as_an_older_deadline() {
    let settings = [("HEAD_TIMEOUT_MS", "2000"), ("SLOW_MS", "100")];
    let slow_after_an_idle_client = |listing: &str| {
        let server = Server::start_with_env(listing, &settings);
        // Connected first, so accepted first: the smaller token.
        let idle = TcpStream::connect(server.addr()).expect("connect");
        let answer = get(server.addr(), "/slow");
        assert_eq!(answer.status_line, "HTTP/1.1 200 OK", "{listing}: /slow");
        drop(idle);
        answer.elapsed
    };
    let by_token = slow_after_an_idle_client(BY_TOKEN);
    let by_time = slow_after_an_idle_client(EVENT_LOOP);
    assert!(
        by_token >= Duration::from_millis(1000) && by_time * 2 <= by_token,
        "/slow of 100 ms after an idle client whose head deadline is 2 s: {BY_TOKEN} answered \
         in {by_token:?}, {EVENT_LOOP} in {by_time:?}; expected ten route times or more for \
         the first, and at most half of that for the second"
    );
}
