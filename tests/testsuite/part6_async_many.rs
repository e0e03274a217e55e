//! Part 6, chapter 21: async on many threads. tokio's multi-thread
//! runtime runs a worker thread each (counted in `/proc/PID/status`) where
//! chapter 20's runs one; work for the processor done on a worker stalls
//! `/` until it ends, and done on the blocking pool (`spawn_blocking`) does
//! not; a `/slow` that waits on a timer costs no thread, one that sleeps on
//! the blocking pool costs one each; and the last server keeps a
//! connection open for request after request, closes it when the client
//! asks, or keeps it waiting for longer than the head timeout, and answers
//! every other request byte for byte as Part 5's last server does.
//!
//! The claims are counts within one run: threads, requests answered while
//! others are in flight. The only times are patience bounds.

use std::{
    io::{ErrorKind, Read, Write},
    net::TcpStream,
    thread,
    time::{Duration, Instant},
};

use crate::support::{
    hardening::{HEAD_TIMEOUT, WORKERS, assert_setting_refused},
    http::{InFlight, Response, get, send},
    part5_answers::{PART_5, assert_answers_as_part_5, part_5_answers},
    server::Server,
};

/// Chapter 20's last server: tokio's current-thread runtime.
const ONE_THREAD: &str = "ch20-07-tokio-sleep";
/// The multi-thread runtime, its worker threads from `WORKERS`.
const MANY_THREADS: &str = "ch21-01-multi-thread";
/// Chapter 18's `/report`, computed in the task, on a worker thread.
const INLINE: &str = "ch21-03-report-inline";
/// The same on the blocking pool.
const BLOCKING_POOL: &str = "ch21-04-spawn-blocking";
/// Keep-alive: the chapter's last server.
const KEEP_ALIVE: &str = "ch21-05-keep-alive";
/// Your turn: `/slow` sleeps on a thread of the blocking pool.
const SLOW_ON_A_THREAD: &str = "ch21-90-slow-on-a-thread";

/// How long a check waits for what it expects before it fails: far longer
/// than anything takes on loopback, even on a busy machine.
const PATIENCE: Duration = Duration::from_secs(10);

/// One thread for chapter 20's runtime; the one that calls `block_on`
/// and a worker each for this chapter's: as many as `WORKERS` says, or one
/// per core without it.
#[test]
fn the_multi_thread_runtime_runs_a_worker_thread_each() {
    let one = Server::start(ONE_THREAD, &[]);
    assert_eq!(get(one.addr(), "/").status_line, "HTTP/1.1 200 OK");
    assert_eq!(one.threads(), 1, "{ONE_THREAD}: threads");

    let three = Server::start_with_env(MANY_THREADS, &[("WORKERS", "3")]);
    assert_eq!(get(three.addr(), "/").status_line, "HTTP/1.1 200 OK");
    assert_eq!(
        three.threads(),
        1 + 3,
        "{MANY_THREADS} with WORKERS=3: main and three workers"
    );

    let cores = thread::available_parallelism().map_or(1, |cores| cores.get()) as u64;
    let per_core = Server::start(MANY_THREADS, &[]);
    assert_eq!(get(per_core.addr(), "/").status_line, "HTTP/1.1 200 OK");
    assert_eq!(
        per_core.threads(),
        1 + cores,
        "{MANY_THREADS} without WORKERS: main and a worker per core ({cores})"
    );
}

/// `WORKERS` is checked as Part 4's pool checked it: a value the runtime
/// cannot use is named, with status 2, before the server listens.
#[test]
fn a_worker_count_the_runtime_cannot_use_is_refused_before_listening() {
    assert_setting_refused(
        MANY_THREADS,
        "WORKERS",
        &["0", "1025", "two", ""],
        |value| format!("error: WORKERS takes a whole number from 1 to 1024, not `{value}`"),
    );
}

/// Sends `reports` requests for `/report` to `server`, then `/` after `/`,
/// one at a time, for as long as none of the reports has been answered;
/// returns how many `/` were answered in that time. Every answer must be a
/// `200`.
fn root_answered_while_reports_run(server: &Server, reports: usize) -> u64 {
    let listing = &server.listing;
    let in_flight: Vec<InFlight> = (0..reports)
        .map(|_| send(server.addr(), "/report"))
        .collect();
    let any_ended = || in_flight.iter().any(InFlight::has_ended);
    let mut answered = 0;
    while !any_ended() {
        let root = get(server.addr(), "/");
        assert_eq!(root.status_line, "HTTP/1.1 200 OK", "{listing}: /");
        // Answered while every report still ran, or not counted.
        if !any_ended() {
            answered += 1;
        }
    }
    for report in in_flight {
        let report = report.answer();
        assert_eq!(report.status_line, "HTTP/1.1 200 OK", "{listing}: /report");
        assert!(
            report.body.contains("primes</li>"),
            "{listing}: /report's page: {:?}",
            report.body
        );
    }
    answered
}

/// The same load at the same moment on the two servers, two workers each:
/// two `/report` in flight, and `/` asked again and again. Computed on the
/// workers, the reports hold both, and `/` waits for one of them to end
/// (a `/` or two may slip in before both reports have started); computed
/// on the blocking pool, they hold none, and `/` is answered many times
/// over while they run.
#[test]
fn computing_on_the_workers_stalls_root_and_on_the_blocking_pool_it_does_not() {
    let inline = Server::start_with_env(INLINE, &[WORKERS]);
    let blocking = Server::start_with_env(BLOCKING_POOL, &[WORKERS]);
    let (stalled, served) = thread::scope(|scope| {
        let stalled = scope.spawn(|| root_answered_while_reports_run(&inline, 2));
        let served = root_answered_while_reports_run(&blocking, 2);
        (stalled.join().expect("the inline server's run"), served)
    });
    assert!(
        served >= 10 && served >= 5 * stalled.max(1),
        "/ answered {served} times by {BLOCKING_POOL} while two reports ran on its blocking \
         pool, and {stalled} times by {INLINE} while two ran on its two workers, at the same \
         moment; expected at least 10, and five times as many"
    );
}

/// Sends `count` requests for `/slow` to `server`, without waiting for
/// their answers.
fn send_slow(server: &Server, count: usize) -> Vec<InFlight> {
    (0..count).map(|_| send(server.addr(), "/slow")).collect()
}

/// Waits until `server` says it holds `count` connections at once
/// (chapter 20's line, `Connections: N open, …`, printed each second):
/// then the `/slow` requests sent to it are all waiting in `/slow`.
fn wait_until_holding(server: &Server, count: usize) {
    let holding = |line: &str| {
        line.strip_prefix("Connections: ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|open| open.parse::<usize>().ok())
            .is_some_and(|open| open >= count)
    };
    assert!(
        server.wait_for_stdout(holding, PATIENCE).is_some(),
        "{}: never said it held {count} connections; stdout: {:?}",
        server.listing,
        server.stdout()
    );
}

/// Waiting costs nothing: twenty `/slow` waiting on their timers leave the
/// server with the threads it had, and `/` is answered meanwhile. Your
/// turn's server sleeps on the blocking pool instead, and holds a thread
/// for each: twenty more. `/slow` lasts 4 s here, far longer than the
/// counting takes, and the test checks that none has ended when it counts.
#[test]
fn a_timer_costs_no_thread_and_a_sleep_on_the_blocking_pool_costs_one_each() {
    const SLOW: usize = 20;
    let settings = [WORKERS, ("SLOW_MS", "4000")];
    let waiting = Server::start_with_env(KEEP_ALIVE, &settings);
    let sleeping = Server::start_with_env(SLOW_ON_A_THREAD, &settings);
    for server in [&waiting, &sleeping] {
        assert_eq!(get(server.addr(), "/").status_line, "HTTP/1.1 200 OK");
    }
    let before = (waiting.threads(), sleeping.threads());

    let waiting_slow = send_slow(&waiting, SLOW);
    let sleeping_slow = send_slow(&sleeping, SLOW);
    wait_until_holding(&waiting, SLOW);
    wait_until_holding(&sleeping, SLOW);
    // The blocking pool starts a thread per sleeping request as each comes.
    let started = Instant::now();
    while sleeping.threads() < before.1 + SLOW as u64 && started.elapsed() < PATIENCE {
        thread::sleep(Duration::from_millis(20));
    }
    let during = (waiting.threads(), sleeping.threads());
    let still_in_flight = waiting_slow
        .iter()
        .chain(&sleeping_slow)
        .filter(|slow| !slow.has_ended())
        .count();
    assert_eq!(
        still_in_flight,
        2 * SLOW,
        "the threads were counted while every /slow was in flight"
    );
    assert_eq!(
        during.0, before.0,
        "{KEEP_ALIVE}: threads before and with {SLOW} /slow waiting on timers"
    );
    assert!(
        during.1 >= before.1 + SLOW as u64,
        "{SLOW_ON_A_THREAD}: {} threads before, {} with {SLOW} /slow sleeping on the \
         blocking pool; expected one more for each",
        before.1,
        during.1
    );
    for server in [&waiting, &sleeping] {
        assert_eq!(
            get(server.addr(), "/").status_line,
            "HTTP/1.1 200 OK",
            "{}: / with {SLOW} /slow in flight",
            server.listing
        );
    }
    for slow in waiting_slow.into_iter().chain(sleeping_slow) {
        assert_eq!(slow.answer().status_line, "HTTP/1.1 200 OK", "/slow");
    }
}

/// A connection to a server that keeps it open: requests are written to
/// it, and each answer read as long as its `Content-Length` says.
struct Kept {
    stream: TcpStream,
    unread: Vec<u8>,
}

impl Kept {
    fn connect(server: &Server) -> Kept {
        let stream = TcpStream::connect(server.addr()).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        Kept {
            stream,
            unread: Vec::new(),
        }
    }

    fn send(&mut self, request: &str) {
        self.stream
            .write_all(request.as_bytes())
            .expect("send a request");
    }

    /// Reads one answer: its head and the body its `Content-Length` says,
    /// no more (none for the answer to a `HEAD`).
    fn answer(&mut self, to_head: bool) -> Response {
        let started = Instant::now();
        let head_end = loop {
            if let Some(end) = self.unread.windows(4).position(|four| four == b"\r\n\r\n") {
                break end + 4;
            }
            assert!(
                self.fill() > 0,
                "the connection ended before an answer's head"
            );
        };
        let head = String::from_utf8(self.unread[..head_end].to_vec()).expect("a UTF-8 head");
        let mut lines = head.trim_end().split("\r\n");
        let status_line = lines.next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = lines
            .map(|line| {
                let (name, value) = line.split_once(": ").expect("a header line");
                (name.to_string(), value.to_string())
            })
            .collect();
        let length: usize = headers
            .iter()
            .find(|(name, _)| name == "Content-Length")
            .map_or(0, |(_, value)| value.parse().expect("a length"));
        let length = if to_head { 0 } else { length };
        while self.unread.len() < head_end + length {
            assert!(
                self.fill() > 0,
                "the connection ended inside an answer's body"
            );
        }
        let body = String::from_utf8(self.unread[head_end..head_end + length].to_vec())
            .expect("a UTF-8 body");
        self.unread.drain(..head_end + length);
        Response {
            status_line,
            headers,
            body,
            elapsed: started.elapsed(),
        }
    }

    /// Reads what the connection has; 0 at its end (a reset counts as one).
    fn fill(&mut self) -> usize {
        let mut buffer = [0; 4096];
        match self.stream.read(&mut buffer) {
            Ok(read) => {
                self.unread.extend_from_slice(&buffer[..read]);
                read
            }
            Err(err) if err.kind() == ErrorKind::ConnectionReset => 0,
            Err(err) => panic!("reading an answer: {err}"),
        }
    }

    /// Whether the server ended the connection, within `PATIENCE`, with no
    /// byte after the answers already read.
    fn ends_without_a_word(&mut self) -> bool {
        self.unread.is_empty() && self.fill() == 0
    }
}

/// An HTTP/1.1 request as browsers send them: no `Connection` header, so
/// the connection is meant to stay open.
fn request(method: &str, path: &str) -> String {
    format!("{method} {path} HTTP/1.1\r\nHost: test\r\n\r\n")
}

/// Keep-alive: one connection, request after request, the pages Part 5's
/// server sends, each said to keep the connection; then two requests sent
/// at once, before either answer is read; then nothing, and once the head
/// timeout has passed, the server ends the connection without a word.
#[test]
fn a_kept_connection_answers_request_after_request_until_it_idles() {
    let part_5 = Server::start_with_env(PART_5, &[WORKERS, HEAD_TIMEOUT]);
    let index = get(part_5.addr(), "/").body;
    let not_found = get(part_5.addr(), "/nowhere").body;
    let server = Server::start_with_env(KEEP_ALIVE, &[WORKERS, HEAD_TIMEOUT]);
    let mut kept = Kept::connect(&server);
    let expected = [
        ("GET", "/", "200 OK", &index),
        ("GET", "/nowhere", "404 Not Found", &not_found),
        ("HEAD", "/", "200 OK", &String::new()),
        ("GET", "/index.html", "200 OK", &index),
    ];
    for (method, path, status, body) in expected {
        kept.send(&request(method, path));
        let answer = kept.answer(method == "HEAD");
        assert_eq!(
            (
                answer.status_line.as_str(),
                answer.header("Connection"),
                &answer.body
            ),
            (
                format!("HTTP/1.1 {status}").as_str(),
                Some("keep-alive"),
                body
            ),
            "{KEEP_ALIVE}: {method} {path} on a kept connection"
        );
    }
    kept.send(&(request("GET", "/nowhere") + &request("GET", "/")));
    let (first, second) = (kept.answer(false), kept.answer(false));
    assert_eq!(
        (first.status_line.as_str(), second.status_line.as_str()),
        ("HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"),
        "{KEEP_ALIVE}: two requests sent at once, answered in order"
    );
    assert!(
        kept.ends_without_a_word(),
        "{KEEP_ALIVE}: a kept connection left idle past the head timeout ends without an \
         answer; it sent {:?}",
        String::from_utf8_lossy(&kept.unread)
    );
}

/// The client decides too: `Connection: close`, HTTP/1.0 without
/// `Connection: keep-alive`, or a request with a body, and the answer says
/// `Connection: close` and the connection ends after it; HTTP/1.0 with
/// `Connection: keep-alive` keeps it.
#[test]
fn a_connection_ends_when_the_request_says_so() {
    let server = Server::start_with_env(KEEP_ALIVE, &[WORKERS, HEAD_TIMEOUT]);
    let closing = [
        "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: test\r\nConnection: Upgrade, Close\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\nhi",
    ];
    for request in closing {
        let mut kept = Kept::connect(&server);
        kept.send(request);
        let answer = kept.answer(false);
        // A second request on the same connection gets no answer: the
        // server has closed it (the write itself may fail, or not).
        let _ = kept.stream.write_all(request.as_bytes());
        assert!(
            answer.header("Connection") == Some("close") && kept.ends_without_a_word(),
            "{KEEP_ALIVE}: {request:?} answered {answer:?}, and nothing more on its connection;              then came {:?}",
            String::from_utf8_lossy(&kept.unread)
        );
    }
    let mut kept = Kept::connect(&server);
    for _ in 0..2 {
        kept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        let answer = kept.answer(false);
        assert_eq!(
            (answer.status_line.as_str(), answer.header("Connection")),
            ("HTTP/1.1 200 OK", Some("keep-alive")),
            "{KEEP_ALIVE}: HTTP/1.0 with Connection: keep-alive"
        );
    }
}

/// What Part 5's last server answers, the chapter's last answers too, byte
/// for byte, to a client that closes after one answer as the book's
/// clients do: the pages, 404, `HEAD`, `/slow`, and every refusal (400,
/// 405, 505, 414, 431, and 408 for a client that sends nothing).
#[test]
fn every_answer_is_part_5s_byte_for_byte() {
    let settings = [WORKERS, HEAD_TIMEOUT, ("SLOW_MS", "50")];
    let expected = part_5_answers(&Server::start_with_env(PART_5, &settings));
    let server = Server::start_with_env(KEEP_ALIVE, &settings);
    assert_answers_as_part_5(KEEP_ALIVE, &server, &expected);
}
