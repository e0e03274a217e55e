//! Part 4, chapter 12 (making the pool fast): the reference server does
//! what the chapter says, every tuning step answers exactly as Part 3's
//! pool does, the tuned pool keeps `/slow` from stalling `/` and stops on
//! SIGTERM, and it no longer reads a page or prints a line for each
//! request, as the untuned pool does.
//!
//! No test asserts a speed: the chapter's figures come from `book-bench`.

use std::{
    io::{self, Read, Write},
    net::{SocketAddr, TcpStream},
    process::Command,
    sync::atomic::{AtomicU64, Ordering},
    thread,
    time::{Duration, Instant},
};

use listings_contract::running::run_to_end;

use crate::support::{
    claims::waited_behind_sleep,
    http::{Response, get, send},
    listings::{Listing, build_listing},
    scratch::scratch_dir,
    server::Server,
};

/// Part 3's pool, as chapter 11 leaves it: where chapter 12 starts.
const UNTUNED: &str = "ch11-02-workers-checked";

/// The steps of chapter 12 that build, in order; the last is the tuned pool.
const STEPS: &[&str] = &[
    "ch12-03-no-job-line",
    "ch12-05-pages-shared",
    "ch12-06-responses-once",
    "ch12-07-queue-and-condvar",
];
const TUNED: &str = "ch12-07-queue-and-condvar";

/// The reference: four threads accepting on one listener.
const REFERENCE: &str = "ch12-02-reference-scoped";

/// Long enough for a server that is going to stop to have stopped.
const STOPS_WITHIN: Duration = Duration::from_secs(10);

fn page(listing: &str, file: &str) -> String {
    let path = Listing::named(listing).dir.join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The parts of an answer a client sees, without its timing.
fn seen(response: &Response) -> (String, Vec<(String, String)>, String) {
    (
        response.status_line.clone(),
        response.headers.clone(),
        response.body.clone(),
    )
}

#[test]
fn the_reference_answers_root_and_404_with_its_pages() {
    let server = Server::start(REFERENCE, &[]);
    let root = get(server.addr(), "/");
    assert_eq!(root.status_line, "HTTP/1.1 200 OK");
    assert_eq!(root.body, page(REFERENCE, "index.html"));
    assert_eq!(root.header("Connection"), Some("close"));
    let missing = get(server.addr(), "/missing");
    assert_eq!(missing.status_line, "HTTP/1.1 404 Not Found");
    assert_eq!(missing.body, page(REFERENCE, "not-found.html"));
    assert!(server.stderr().is_empty(), "{:?}", server.stderr());
}

/// Sends `GET /` with 16 KiB of headers in one write, more than a
/// `BufReader` takes in at once (8 KiB), and reads until the connection
/// ends: `Ok` for a close, `Err` for a reset.
fn get_with_large_head(addr: SocketAddr) -> (Vec<u8>, io::Result<usize>) {
    let mut client = TcpStream::connect(addr).expect("connect");
    client
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\n");
    for n in 0..256 {
        request.push_str(&format!("X-Filler-{n:03}: {}\r\n", "x".repeat(48)));
    }
    request.push_str("\r\n");
    assert!(request.len() > 16 * 1024);
    client.write_all(request.as_bytes()).expect("send the head");
    let mut answer = Vec::new();
    let ended = client.read_to_end(&mut answer);
    (answer, ended)
}

/// The reference reads the head up to its blank line before it answers:
/// nothing is left unread, so its close ends the connection, with no reset
/// (chapter 1), even when the head is larger than one read.
#[test]
fn the_reference_reads_the_whole_head_so_its_close_is_clean() {
    let server = Server::start(REFERENCE, &[]);
    let (answer, ended) = get_with_large_head(server.addr());
    ended.expect("a normal end of the connection, not a reset");
    assert!(
        answer.starts_with(b"HTTP/1.1 200 OK\r\n"),
        "{:?}",
        String::from_utf8_lossy(&answer)
    );
}

/// Every step answers `/`, a 404 and a large head byte for byte as Part 3's
/// pool does: the tuning changes how fast, never what.
#[test]
fn every_tuning_step_answers_as_the_untuned_pool_does() {
    let untuned = Server::start(UNTUNED, &[]);
    let expected: Vec<_> = ["/", "/missing", "/index.html"]
        .iter()
        .map(|path| seen(&get(untuned.addr(), path)))
        .collect();
    let (large, ended) = get_with_large_head(untuned.addr());
    ended.expect("the untuned pool reads the whole head");
    for step in STEPS {
        let server = Server::start(step, &[]);
        for (path, expected) in ["/", "/missing", "/index.html"].iter().zip(&expected) {
            assert_eq!(
                &seen(&get(server.addr(), path)),
                expected,
                "{step}: GET {path}"
            );
        }
        let (answer, ended) = get_with_large_head(server.addr());
        ended.unwrap_or_else(|err| panic!("{step}: a large head ends in a reset: {err}"));
        assert_eq!(answer, large, "{step}: the answer to a large head");
        assert!(server.stderr().is_empty(), "{step}: {:?}", server.stderr());
    }
}

/// Pages are read once now: without them, the server says which one is
/// missing and exits with status 1 before it listens.
#[test]
fn a_missing_page_stops_the_tuned_server_before_it_listens() {
    let listing = Listing::named(TUNED);
    let binary = build_listing(&listing).unwrap_or_else(|err| panic!("{err}"));
    let empty = scratch_dir("no pages");
    let run = run_to_end(
        TUNED,
        Command::new(&binary)
            .current_dir(empty.path())
            .env("ADDR", "127.0.0.1:0"),
        STOPS_WITHIN,
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let said = format!(
        "{}; stdout: {:?}; stderr: {:?}",
        run.status, run.stdout, run.stderr
    );
    assert_eq!(run.status.code(), Some(1), "{said}");
    assert!(
        run.stderr.starts_with("error: cannot read index.html: "),
        "{said}"
    );
    assert!(!run.stdout.contains("Listening"), "{said}");
}

/// `/slow` still keeps one worker only, and the stop still finishes the
/// request in flight: four workers leave, the exit status is 0.
#[test]
fn the_tuned_pool_keeps_slow_apart_and_stops_on_sigterm() {
    let mut server = Server::start(TUNED, &[]);
    let slow = send(server.addr(), "/slow");
    let root = get(server.addr(), "/");
    assert_eq!(root.status_line, "HTTP/1.1 200 OK");
    assert!(
        root.elapsed < waited_behind_sleep(),
        "/ waited {:?} behind /slow",
        root.elapsed
    );
    // `/slow` was queued before `/`, so a worker has it by now.
    server.send_signal(libc::SIGTERM);
    let slow = slow.answer();
    assert_eq!(slow.status_line, "HTTP/1.1 200 OK", "the request in flight");
    server.assert_exit_code(0, STOPS_WITHIN);
    let stdout = server.stdout();
    for id in 0..4 {
        let leaving = format!("worker {id} leaving");
        assert!(stdout.contains(&leaving), "{leaving:?}: {stdout:?}");
    }
    assert!(
        !stdout.iter().any(|line| line.ends_with("runs a job")),
        "{stdout:?}"
    );
}

/// How many `GET /` `clients` clients get answered, each on a new
/// connection, one after another, in `length`.
fn answered_in(addr: SocketAddr, clients: usize, length: Duration) -> u64 {
    let answered = AtomicU64::new(0);
    let deadline = Instant::now() + length;
    thread::scope(|scope| {
        for _ in 0..clients {
            scope.spawn(|| {
                while Instant::now() < deadline {
                    let mut stream = TcpStream::connect(addr).expect("connect");
                    stream
                        .set_read_timeout(Some(Duration::from_secs(15)))
                        .unwrap();
                    stream
                        .write_all(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
                        .expect("send");
                    let mut answer = Vec::new();
                    stream.read_to_end(&mut answer).expect("an answer");
                    assert!(answer.starts_with(b"HTTP/1.1 200 OK\r\n"));
                    answered.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    answered.into_inner()
}

/// How many `read` and `write` system calls on files and pipes the process
/// `pid` has made so far, all its threads together (`syscr` and `syscw` in
/// `/proc/PID/io`). Its sockets are not counted: std sends and receives
/// on them with `send` and `recv`, which the count leaves out.
fn file_calls(pid: u32) -> (u64, u64) {
    let path = format!("/proc/{pid}/io");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    let field = |name: &str| -> u64 {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or_else(|| panic!("{path} has no {name}: {text:?}"))
    };
    (field("syscr"), field("syscw"))
}

/// What the chapter took out of every request, counted: the untuned pool
/// reads its page from disk (a `read` or more) and prints a line (a
/// `write`) for each request; the tuned pool read its pages once, before
/// it listened, and prints nothing per request. A count of system calls,
/// unlike a time, is the same on a busy machine as on an idle one. (This
/// test once compared the two servers' CPU time per request; with the
/// cores saturated by the other tests, the tuned pool's was 0.92, 1.02 and
/// 1.11 times the untuned one's, though 0.67 to 0.73 on an idle machine.)
#[test]
fn the_tuned_pool_reads_no_page_and_prints_no_line_per_request() {
    // Answers, reads and writes while two clients ask for `/` for 300 ms.
    let count = |listing: &str| {
        let server = Server::start(listing, &[]);
        let (reads, writes) = file_calls(server.pid());
        let answered = answered_in(server.addr(), 2, Duration::from_millis(300));
        let (reads_after, writes_after) = file_calls(server.pid());
        (answered, reads_after - reads, writes_after - writes)
    };
    let (answered, reads, writes) = count(UNTUNED);
    let (tuned_answered, tuned_reads, tuned_writes) = count(TUNED);
    let said = format!(
        "{UNTUNED}: {answered} answers, {reads} reads, {writes} writes; \
         {TUNED}: {tuned_answered} answers, {tuned_reads} reads, {tuned_writes} writes"
    );
    assert!(answered > 0 && tuned_answered > 0, "{said}");
    assert!(reads >= answered && writes >= answered, "{said}");
    assert_eq!((tuned_reads, tuned_writes), (0, 0), "{said}");
}
