//! Part 5, chapter 14: limits, and a real request-line parser. The attacks
//! of the chapter's attack tool (a request line that never ends, a head
//! that never ends, a target that is not UTF-8) and the requests the book's
//! servers answered as if every line were a path, against chapter 13's
//! server and then against the steps that fix them.
//!
//! Servers run with Part 5's settings (two workers, a 300 ms head
//! timeout), except where the deadline is not what is checked: there the
//! head timeout is longer than the test, so that a client held up by a busy
//! machine is never cut off by it. Memory is what the system says of the
//! process (`/proc/PID/status`): its resident size before the attack, and
//! its high-water mark, as a ratio measured in one run.

use std::{
    io::{Read, Write},
    net::{Shutdown, TcpStream},
    thread,
    time::{Duration, Instant},
};

use crate::support::{
    attack::{Attack, Outcome, answered_only, assert_refuses},
    hardening::{WORKERS, assert_survived, start},
    http::{Response, get, send_raw},
    listings::test_listing,
    server::Server,
};

/// Chapter 14's attack tool: chapter 13's, with three more attacks.
const ATTACK: &str = "ch14-01-oversized-and-invalid";

/// Chapter 13's last server, where the chapter starts.
const BEFORE: &str = "ch13-05-request-timeout";

/// The first step that builds with the head's limits (414 and 431).
const CAPPED: &str = "ch14-04-read-in-scope";

/// The request line parsed (400, 405, 505, HEAD), and its tests: the
/// chapter's last step.
const PARSED: &str = "ch14-07-parser-tests";

/// A head timeout longer than any test here, for the servers whose
/// deadline is not what a test checks.
const PATIENT_HEAD_TIMEOUT: (&str, &str) = ("HEAD_TIMEOUT_MS", "10000");

/// How much more memory, at its peak, chapter 13's server takes under a
/// long line or head than before it, at least: the test waits until it
/// does. Measured: 40 to 60 times within a second of 300 ms deadlines (a
/// 2 MB server reaching 90 MB and more); on a machine busy enough to slow
/// the attack down tenfold, the line still grows past this, only later.
const GROWN_AT_LEAST: u64 = 5;

/// How long the test waits for that growth.
const GROWTH_PATIENCE: Duration = Duration::from_secs(8);

/// How much more memory, at its peak, a server with limits may take under
/// the same attack: measured, none to speak of (2.3 MB before, 2.3 MB at
/// the peak).
const FLAT_BELOW: u64 = 2;

/// Starts `listing` with two workers and a head timeout longer than the test.
fn start_patient(listing: &str) -> Server {
    Server::start_with_env(listing, &[WORKERS, PATIENT_HEAD_TIMEOUT])
}

/// Runs `mode` with one client for a second against `server`, and gives
/// back the report and the ratio of the server's peak memory during the
/// attack to its memory before it.
fn memory_under(mode: &str, server: &Server) -> (Outcome, u64) {
    let before = server.memory_kb("VmRSS");
    let outcome = Attack::start(ATTACK, &[mode], 1, 1, server).outcome();
    let peak = server.memory_kb("VmHWM");
    (outcome, peak / before.max(1))
}

/// A refusal: its status line, no body, and the connection closed.
fn assert_refused(listing: &str, request: &[u8], answer: &Response, status_line: &str) {
    let shown = String::from_utf8_lossy(&request[..request.len().min(40)]);
    assert_eq!(
        (
            answer.status_line.as_str(),
            answer.header("Content-Length"),
            answer.header("Connection"),
            answer.body.as_str()
        ),
        (status_line, Some("0"), Some("close"), ""),
        "{listing}: the answer to {shown:?}…"
    );
}

/// A request line one byte short of 9 KiB: longer than the 8 KiB the
/// servers read of it.
fn long_request_line() -> Vec<u8> {
    let mut request = b"GET /".to_vec();
    request.extend(vec![b'a'; 9 * 1024]);
    request.extend(b" HTTP/1.1\r\n\r\n");
    request
}

/// A head of about 30 KiB, in 1,000 short header lines: longer than the
/// 16 KiB the servers read of it.
fn long_head() -> Vec<u8> {
    let mut request = b"GET / HTTP/1.1\r\n".to_vec();
    request.extend(b"X-Header: aaaaaaaaaaaaaaaaaaaa\r\n".repeat(1000));
    request.extend(b"\r\n");
    request
}

#[test]
fn the_attack_tool_knows_five_attacks_and_checks_its_options() {
    let usage = "usage: attack idle|trickle|long-line|long-head|bad-utf8 \
                 [--connections N] [--duration SECONDS] [--interval MS] \
                 http://HOST[:PORT][/PATH]";
    let url = "http://127.0.0.1:9";
    let names = "`idle`, `trickle`, `long-line`, `long-head` or `bad-utf8`";
    let cases: &[(&[&str], String)] = &[
        (&[], format!("name the attack: {names}")),
        (
            &["flood", url],
            format!("the first argument is the attack, {names}, not `flood`"),
        ),
        (
            &["long-line", "--duration", "0", url],
            "`--duration` takes a whole number from 1 to 3600, not `0`".to_string(),
        ),
        (&["bad-utf8"], "give the URL to attack".to_string()),
    ];
    assert_refuses(ATTACK, usage, cases);
}

/// Chapter 14 opens: chapter 13's server reads a line, or a head, for as
/// long as its deadline lets it, and keeps every byte: its memory grows
/// with what the client sends. With a deadline longer than the test, the
/// test waits until it has grown `GROWN_AT_LEAST` times.
#[test]
fn long_requests_grow_the_memory_of_chapter_13s_server() {
    for mode in ["long-line", "long-head"] {
        let mut server = start_patient(BEFORE);
        let before = server.memory_kb("VmRSS").max(1);
        let attack = Attack::start(ATTACK, &[mode], 1, 10, &server);
        let waiting = Instant::now();
        let mut grown = server.memory_kb("VmHWM") / before;
        while grown < GROWN_AT_LEAST && waiting.elapsed() < GROWTH_PATIENCE {
            thread::sleep(Duration::from_millis(20));
            grown = server.memory_kb("VmHWM") / before;
        }
        drop(attack);
        assert!(
            grown >= GROWN_AT_LEAST,
            "{BEFORE} under {mode}: peak memory only {grown} times the memory before, \
             after {GROWTH_PATIENCE:?}"
        );
        assert_survived(&mut server);
    }
}

/// The deadline still ends each long line, with a 408 (read by the
/// attack after the reset that the close with unread bytes causes).
#[test]
fn chapter_13s_deadline_ends_each_long_line_with_408() {
    let mut server = start(BEFORE);
    let outcome = Attack::start(ATTACK, &["long-line"], 1, 2, &server).outcome();
    assert!(
        answered_only(BEFORE, &outcome, "408", &[]) >= 1,
        "{BEFORE}: {outcome:?}"
    );
    assert_survived(&mut server);
}

/// A target that is not UTF-8 gets no status line from chapter 13's
/// server: `lines()` fails on it, the error is printed, the connection
/// closed.
#[test]
fn a_target_that_is_not_utf8_gets_no_answer_from_chapter_13s_server() {
    let mut server = start_patient(BEFORE);
    let outcome = Attack::start(ATTACK, &["bad-utf8"], 2, 1, &server).outcome();
    assert_eq!(
        (outcome.total, outcome.closed, outcome.answers.as_str()),
        (2, 2, "none"),
        "{BEFORE}: {outcome:?}"
    );
    let message = "error while answering: stream did not contain valid UTF-8";
    let printed = server.wait_for_stderr_lines(|line| line == message, 2, Duration::from_secs(5));
    assert_eq!(printed.len(), 2, "{:?}", server.stderr());
    assert_survived(&mut server);
}

/// Chapter 13's server compares the whole request line with two lines it
/// knows: any other method, version or shape is a 404 with a page, even
/// for `HEAD`, which asks for no body.
#[test]
fn chapter_13s_server_answers_every_other_line_with_a_page_not_found() {
    let server = start_patient(BEFORE);
    let not_found = get(server.addr(), "/nowhere").body;
    for request in [
        &b"POST / HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.0\r\n\r\n",
        b"GET /index.html HTTP/1.1\r\n\r\n",
        b"GET /index.html\r\n\r\n",
    ] {
        let answer = send_raw(server.addr(), request);
        assert_eq!(
            (answer.status_line.as_str(), answer.body.as_str()),
            ("HTTP/1.1 404 Not Found", not_found.as_str()),
            "{BEFORE}: the answer to {:?}",
            String::from_utf8_lossy(request)
        );
    }
}

/// Capped, the head costs the server no more memory than before, however
/// much the client sends: each connection is refused with 414 or 431 as
/// soon as it passes its limit, and `/` is answered after the attack. The
/// first step with limits, under both attacks; the chapter's last server
/// (which reads the head with the same code) under the long line. Once the
/// server refuses at once, each attack is a flood of connections, which
/// the rest of the suite shares two cores with: a second of each is enough.
#[test]
fn the_capped_head_keeps_memory_flat_under_long_requests() {
    for (listing, mode, status) in [
        (CAPPED, "long-line", "414"),
        (CAPPED, "long-head", "431"),
        (PARSED, "long-line", "414"),
    ] {
        let mut server = start(listing);
        let (outcome, grown) = memory_under(mode, &server);
        assert!(
            grown < FLAT_BELOW,
            "{listing} under {mode}: peak memory {grown} times the memory before: {outcome:?}"
        );
        assert!(
            answered_only(listing, &outcome, status, &["408"]) >= 1 && outcome.other == 0,
            "{listing} under {mode}: {outcome:?}"
        );
        assert_survived(&mut server);
    }
}

/// A request line or a head over its limit gets its status, with no body,
/// from the first step with limits on; a target that is not UTF-8 is read
/// there as text with its bad bytes replaced, and not found.
#[test]
fn the_first_limits_answer_414_and_431() {
    let server = start_patient(CAPPED);
    let line = long_request_line();
    assert_refused(
        CAPPED,
        &line,
        &send_raw(server.addr(), &line),
        "HTTP/1.1 414 URI Too Long",
    );
    let head = long_head();
    assert_refused(
        CAPPED,
        &head,
        &send_raw(server.addr(), &head),
        "HTTP/1.1 431 Request Header Fields Too Large",
    );
    let latin1 = send_raw(server.addr(), b"GET /caf\xE9 HTTP/1.1\r\n\r\n");
    assert_eq!(latin1.status_line, "HTTP/1.1 404 Not Found", "{CAPPED}");
}

/// The chapter's last server: every request it refuses gets the status
/// that says why, with no body and `Connection: close`; `405` names the
/// methods it answers.
#[test]
fn every_refusal_has_its_status() {
    let server = start_patient(PARSED);
    let cases: &[(&[u8], &str)] = &[
        (b"GET /caf\xE9 HTTP/1.1\r\n\r\n", "400 Bad Request"),
        (b"GET /index.html\r\n\r\n", "400 Bad Request"),
        (b"GET  / HTTP/1.1\r\n\r\n", "400 Bad Request"),
        (b"GET / HTTP/1.1 \r\n\r\n", "400 Bad Request"),
        (b"get / http/1.1\r\n\r\n", "400 Bad Request"),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\n\r\n",
            "405 Method Not Allowed",
        ),
        (b"DELETE /slow HTTP/1.0\r\n\r\n", "405 Method Not Allowed"),
        (b"GET / HTTP/2.0\r\n\r\n", "505 HTTP Version Not Supported"),
        (b"GET / HTTP/0.9\r\n\r\n", "505 HTTP Version Not Supported"),
        (&long_request_line(), "414 URI Too Long"),
        (&long_head(), "431 Request Header Fields Too Large"),
    ];
    for (request, status) in cases {
        let answer = send_raw(server.addr(), request);
        assert_refused(PARSED, request, &answer, &format!("HTTP/1.1 {status}"));
        let allow = answer.header("Allow");
        if status.starts_with("405") {
            assert_eq!(
                allow,
                Some("GET, HEAD"),
                "{PARSED}: 405 names what it answers"
            );
        } else {
            assert_eq!(allow, None, "{PARSED}: {status} with an Allow header");
        }
    }
    // A head cut short: the client sends part of it and stops sending.
    let mut stream = TcpStream::connect(server.addr()).expect("connect");
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{PARSED}: a head cut short: {answer:?}"
    );
}

/// What the chapter's last server answers: `GET` and `HEAD`, HTTP/1.0 and
/// 1.1, the pages by their target (the index also by its file's name);
/// `HEAD` gets the headers `GET` would, and no body.
#[test]
fn head_gets_the_headers_only() {
    let server = start_patient(PARSED);
    let index = get(server.addr(), "/").body;
    assert_eq!(get(server.addr(), "/index.html").body, index, "{PARSED}");
    for (target, status) in [
        ("/", "200 OK"),
        ("/index.html", "200 OK"),
        ("/nowhere", "404 Not Found"),
    ] {
        let got = get(server.addr(), target);
        assert_eq!(got.status_line, format!("HTTP/1.1 {status}"), "{PARSED}");
        let head = send_raw(
            server.addr(),
            format!("HEAD {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
        );
        assert_eq!(
            (head.status_line.as_str(), head.body.as_str()),
            (got.status_line.as_str(), ""),
            "{PARSED}: HEAD {target}"
        );
        assert_eq!(
            (head.header("Content-Length"), head.header("Connection")),
            (got.header("Content-Length"), Some("close")),
            "{PARSED}: HEAD {target} says what GET would send"
        );
        let old = send_raw(
            server.addr(),
            format!("GET {target} HTTP/1.0\r\n\r\n").as_bytes(),
        );
        assert_eq!(
            (old.status_line, old.body),
            (got.status_line, got.body),
            "{PARSED}: GET {target} HTTP/1.0"
        );
    }
}

/// The bad-utf8 attack against the last server: each request gets a 400,
/// and nothing is printed.
#[test]
fn a_target_that_is_not_utf8_gets_400() {
    let mut server = start_patient(PARSED);
    let outcome = Attack::start(ATTACK, &["bad-utf8"], 2, 1, &server).outcome();
    assert_eq!(
        (outcome.total, outcome.closed, outcome.answers.as_str()),
        (2, 2, "400 Bad Request 2"),
        "{PARSED}: {outcome:?}"
    );
    assert_survived(&mut server);
    assert!(server.stderr().is_empty(), "{:?}", server.stderr());
}

/// Chapter 13's deadline still holds in the chapter's last server: idle
/// and trickling clients get their 408.
#[test]
fn the_deadline_still_answers_408() {
    let mut server = start(PARSED);
    for mode in [&["idle"][..], &["trickle", "--interval", "100"]] {
        let outcome = Attack::start(ATTACK, mode, 2, 1, &server).outcome();
        assert!(
            answered_only(PARSED, &outcome, "408", &[]) >= 1,
            "{PARSED} under {mode:?}: {outcome:?}"
        );
    }
    assert_survived(&mut server);
}

/// The parser's own tests, unit tests and properties over arbitrary bytes,
/// run as the reader runs them: `cargo test` in the listing.
#[test]
fn the_parser_passes_its_own_tests() {
    let run = test_listing(PARSED, Duration::from_secs(600));
    assert!(
        run.status.success(),
        "cargo test in {PARSED}: {}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stdout.contains("test result: ok. 11 passed; 0 failed"),
        "cargo test in {PARSED}: {}",
        run.stdout
    );
}
