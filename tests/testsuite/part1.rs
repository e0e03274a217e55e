//! Part 1 (one thread): what chapters 1 to 3 say each server does.

use std::{
    fs,
    io::{self, Read, Write},
    net::{Shutdown, SocketAddr, TcpListener, TcpStream},
    process::Command,
    thread,
    time::{Duration, Instant},
};

use crate::support::{
    claims::{SLOW_REQUEST, waited_behind_sleep},
    http::{connect_and_leave, exchange, get, send},
    listings::Listing,
    server::Server,
};

fn page(listing: &str, file: &str) -> String {
    let path = Listing::named(listing).dir.join(file);
    fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn each_connection_is_announced() {
    let server = Server::start("ch01-01-listen", &[]);
    // This server never reads, so a client that sent data would be reset: just connect.
    connect_and_leave(server.addr());
    connect_and_leave(server.addr());
    let announced = server.wait_for_lines(
        |line| line == "A client connected.",
        2,
        Duration::from_secs(5),
    );
    assert_eq!(announced.len(), 2, "stdout: {:?}", server.stdout());
}

/// What `curl` says about ch01-01, which closes every connection without
/// reading the request: an empty reply (exit code 52) or, when the request
/// was already there, unread, a reset (56). Which one is a race.
#[test]
fn curl_gets_an_empty_reply_or_a_reset_from_the_first_listener() {
    let server = Server::start("ch01-01-listen", &[]);
    for _ in 0..3 {
        let output = Command::new("curl")
            .args(["--silent", "--show-error", "--max-time", "10"])
            .arg(format!("http://{}/", server.addr()))
            .output()
            .expect("curl runs (.ci/run installs it)");
        let said = String::from_utf8_lossy(&output.stderr);
        let expected = match output.status.code() {
            Some(52) => "Empty reply from server",
            Some(56) => "Connection reset by peer",
            other => panic!("curl exit code {other:?}, expected 52 or 56: {said}"),
        };
        assert!(said.contains(expected), "curl said: {said}");
    }
}

/// The rule behind the reset (RFC 1122, 4.2.2.13): a socket closed while
/// data it received is still unread sends RST, not the usual FIN. Shown on
/// the test's own sockets, where the order of events is certain.
#[test]
fn closing_with_unread_data_resets_the_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).expect("connect");
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: example\r\n\r\n")
        .expect("send a request");
    let (server_side, _) = listener.accept().expect("accept");
    // Wait until the request has arrived, without reading it: `peek` leaves it unread.
    server_side.peek(&mut [0; 1]).expect("the request arrives");
    drop(server_side);
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let err = client
        .read(&mut [0; 64])
        .expect_err("a connection closed with unread data is reset, not ended");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset, "{err}");
}

#[test]
fn a_taken_address_gets_a_clear_error_and_status_1() {
    let occupier = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = occupier.local_addr().expect("its address").to_string();
    for listing in ["ch01-01-listen", &final_server()] {
        let Err(report) = Server::start_at(listing, &[], &addr) else {
            panic!("{listing} claims to listen on {addr}, which this test holds");
        };
        let message = format!("error: cannot listen on {addr}: Address already in use");
        assert!(report.contains(&message), "{listing}: {report}");
        assert!(report.contains("exit code: Some(1)"), "{listing}: {report}");
    }
}

#[test]
fn the_request_is_printed_and_left_unanswered() {
    let server = Server::start("ch01-02-read-request", &[]);
    let (answer, _) = exchange(server.addr(), "/hello");
    assert!(answer.is_empty(), "expected no answer, got {answer:?}");
    let printed = server.wait_for_stdout(
        |line| line.contains("\"GET /hello HTTP/1.1\""),
        Duration::from_secs(5),
    );
    assert!(printed.is_some(), "stdout: {:?}", server.stdout());
    assert!(
        server
            .stdout()
            .iter()
            .any(|line| line == "The client sent: ["),
        "{:?}",
        server.stdout()
    );
}

/// The book's last server: the last step of chapter 8 (not a *Your turn* answer).
fn final_server() -> String {
    let steps: Vec<String> = crate::support::listings::all_listings()
        .into_iter()
        .map(|listing| listing.name)
        .filter(|name| name.starts_with("ch08-") && !name[5..].starts_with('9'))
        .collect();
    steps.last().expect("chapter 8 has listings").clone()
}

/// Sends raw bytes as a request and returns what comes back before the
/// server closes the connection.
fn exchange_raw(addr: SocketAddr, request: &[u8]) -> io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(15)))?;
    stream.write_all(request)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(answer)
}

/// Without the stop at the blank line, the server waits for the end of the
/// connection, which the client only brings once it gives up on an answer.
#[test]
fn reading_to_the_end_waits_for_the_client_to_give_up() {
    let server = Server::start("ch01-90-read-to-the-end", &[]);
    let mut client = TcpStream::connect(server.addr()).expect("connect");
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: example\r\n\r\n")
        .expect("send a request");
    let early = server.wait_for_stdout(|line| line == "The client sent: [", Duration::from_secs(1));
    assert_eq!(
        early, None,
        "the server should still be reading, waiting for more"
    );

    // The client gives up: it closes its side, and the reading ends.
    client
        .shutdown(Shutdown::Write)
        .expect("close the writing half");
    let printed = server.wait_for_stdout(|line| line == "    \"\",", Duration::from_secs(5));
    assert!(
        printed.is_some(),
        "the blank line should be printed as the last of the lines: {:?}",
        server.stdout()
    );
    let mut answer = Vec::new();
    client.read_to_end(&mut answer).expect("an orderly end");
    assert!(answer.is_empty(), "expected no answer, got {answer:?}");
}

#[test]
fn one_unreadable_request_ends_a_main_that_returns_result() {
    let invalid_utf8: &[u8] = b"GET / HTTP/1.1\r\n\xff\r\n\r\n";
    // The chapter's server reports it and goes on...
    let mut server = Server::start("ch01-02-read-request", &[]);
    let _ = exchange_raw(server.addr(), invalid_utf8);
    let reported = server.wait_for_stderr_lines(
        |line| line == "could not read the request: stream did not contain valid UTF-8",
        1,
        Duration::from_secs(5),
    );
    assert_eq!(reported.len(), 1, "stderr: {:?}", server.stderr());
    assert!(server.is_running(), "ch01-02 should keep serving");

    // ...while the one that took the compiler's help stops, with status 1.
    let mut server = Server::start("ch01-93-main-returns-ok", &[]);
    let _ = exchange_raw(server.addr(), invalid_utf8);
    let status = server
        .wait_for_exit(Duration::from_secs(5))
        .expect("the server stops after an unreadable request");
    assert_eq!(status.code(), Some(1), "stderr: {:?}", server.stderr());
    assert!(
        server
            .stderr()
            .iter()
            .any(|line| line.starts_with("Error: ") && line.contains("InvalidData")),
        "stderr: {:?}",
        server.stderr()
    );
}

#[test]
fn the_first_answer_is_an_empty_200() {
    let server = Server::start("ch02-01-empty-response", &[]);
    let response = get(server.addr(), "/anything");
    assert_eq!(response.status_line, "HTTP/1.1 200 OK");
    assert_eq!(
        response.headers,
        [("Connection".to_string(), "close".to_string())]
    );
    assert_eq!(response.body, "");
    // It still prints what the client sent.
    let printed =
        server.wait_for_stdout(|line| line == "The client sent: [", Duration::from_secs(5));
    assert!(printed.is_some(), "stdout: {:?}", server.stdout());
}

#[test]
fn every_path_gets_the_hello_page() {
    let listing = "ch02-02-serve-html";
    let server = Server::start(listing, &[]);
    for path in ["/", "/other"] {
        let response = get(server.addr(), path);
        assert_eq!(response.status_line, "HTTP/1.1 200 OK", "{path}");
        assert_eq!(response.body, page(listing, "index.html"), "{path}");
        let length = response.body.len().to_string();
        assert_eq!(
            response.header("Content-Length"),
            Some(length.as_str()),
            "{path}"
        );
        assert_eq!(response.header("Connection"), Some("close"), "{path}");
    }
}

#[test]
fn root_and_other_paths_are_told_apart() {
    for listing in ["ch02-03-not-found", "ch02-04-tidy-up", "ch03-01-slow-route"] {
        let server = Server::start(listing, &[]);
        let root = get(server.addr(), "/");
        assert_eq!(root.status_line, "HTTP/1.1 200 OK", "{listing}");
        assert_eq!(root.body, page(listing, "index.html"), "{listing}");
        let missing = get(server.addr(), "/no-such-page");
        assert_eq!(missing.status_line, "HTTP/1.1 404 Not Found", "{listing}");
        assert_eq!(missing.body, page(listing, "not-found.html"), "{listing}");
        // A server that closes every connection must say so (RFC 9112, 9.3).
        for response in [&root, &missing] {
            assert_eq!(response.header("Connection"), Some("close"), "{listing}");
        }
    }
}

#[test]
fn a_silent_connection_does_not_stop_the_server() {
    for listing in ["ch02-03-not-found", "ch02-04-tidy-up"] {
        let server = Server::start(listing, &[]);
        for _ in 0..5 {
            connect_and_leave(server.addr());
        }
        let root = get(server.addr(), "/");
        assert_eq!(root.status_line, "HTTP/1.1 200 OK", "{listing}");
        // The 404 written to each client that had left was accepted by the
        // system all the same: the first write to a closed connection succeeds.
        assert_eq!(server.stderr(), Vec::<String>::new(), "{listing}");
    }
}

/// Writing to a client that has closed: the first write succeeds, the
/// client's system answers it with a reset, and writes go on succeeding
/// until that reset has arrived; the first one made after it fails with
/// `BrokenPipe` instead of killing the process, because Rust programs ignore
/// SIGPIPE (this test binary is one).
#[test]
fn a_later_write_to_a_client_that_left_is_a_broken_pipe() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let client = TcpStream::connect(listener.local_addr().unwrap()).expect("connect");
    let (mut server_side, _) = listener.accept().expect("accept");
    drop(client);
    let read = server_side.read(&mut [0; 16]).expect("an orderly end");
    assert_eq!(read, 0, "the client sent nothing and left");
    server_side
        .write_all(b"HTTP/1.1 404 Not Found\r\n\r\n")
        .expect("the first write to a closed connection succeeds");
    let deadline = Instant::now() + Duration::from_secs(5);
    let err = loop {
        match server_side.write_all(b"more") {
            Err(err) => break err,
            Ok(()) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
            Ok(()) => panic!("writes kept succeeding after the client had left"),
        }
    };
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe, "{err}");
}

#[test]
fn routing_by_method_and_path_ignores_the_version() {
    let listing = "ch02-92-route-by-path";
    let server = Server::start(listing, &[]);
    let cases: [(&[u8], &str, &str); 3] = [
        (b"GET / HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK", "index.html"),
        (
            b"POST / HTTP/1.1\r\n\r\n",
            "HTTP/1.1 404 Not Found",
            "not-found.html",
        ),
        (
            b"GET /missing HTTP/1.1\r\n\r\n",
            "HTTP/1.1 404 Not Found",
            "not-found.html",
        ),
    ];
    for (request, status_line, file) in cases {
        let shown = String::from_utf8_lossy(request);
        let answer = exchange_raw(server.addr(), request).expect("an answer");
        let answer = String::from_utf8(answer).expect("a UTF-8 answer");
        assert!(
            answer.starts_with(&format!("{status_line}\r\n")),
            "{shown:?}: {answer:?}"
        );
        assert!(
            answer.ends_with(&page(listing, file)),
            "{shown:?}: {answer:?}"
        );
    }
}

/// Sends `POST /` with a body of `len` bytes, head and body in one write, to
/// the server of chapter 2's Your turn, and reads until the connection ends:
/// what arrived, and how the connection ended (`Ok` for a close, `Err` for a
/// reset).
fn post_with_body(len: usize) -> (Vec<u8>, io::Result<usize>) {
    let server = Server::start("ch02-92-route-by-path", &[]);
    let mut client = TcpStream::connect(server.addr()).expect("connect");
    client
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let body = "x".repeat(len);
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: {len}\r\n\r\n{body}",
        server.addr(),
    );
    client
        .write_all(request.as_bytes())
        .expect("send the request and its body");
    let mut answer = Vec::new();
    let ended = client.read_to_end(&mut answer);
    (answer, ended)
}

const NOT_FOUND_STATUS_LINE: &[u8] = b"HTTP/1.1 404 Not Found\r\n";

/// A `POST` whose body `respond` never reads (chapter 2, Your turn), larger
/// than what `read_request`'s 8 KiB buffer takes in with the head: the
/// server closes the connection with bytes unread, so its system resets the
/// connection (RFC 1122, 4.2.2.13) instead of ending it, and a client may
/// get the 404, or part of it, or nothing before the reset.
#[test]
fn a_large_unread_request_body_resets_the_connection() {
    let (answer, ended) = post_with_body(16 * 1024);
    let err = ended.expect_err("a connection closed with an unread body is reset, not ended");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset, "{err}");
    assert!(
        answer.starts_with(NOT_FOUND_STATUS_LINE) || NOT_FOUND_STATUS_LINE.starts_with(&answer),
        "what arrived before the reset is not the start of the 404: {:?}",
        String::from_utf8_lossy(&answer)
    );
}

/// A small body arrives with the head, and `read_request`'s `BufReader`
/// takes it off the socket with the head: nothing is left unread, and the
/// close ends the connection normally, after the whole 404.
#[test]
fn a_small_request_body_goes_with_the_head_and_the_close_is_clean() {
    let (answer, ended) = post_with_body(100);
    ended.expect("a normal end of the connection, not a reset");
    assert!(
        answer.starts_with(NOT_FOUND_STATUS_LINE),
        "expected the 404: {:?}",
        String::from_utf8_lossy(&answer)
    );
}

#[test]
fn curl_accepts_the_answer() {
    let server = Server::start("ch02-04-tidy-up", &[]);
    let output = std::process::Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "10", "--fail"])
        .arg(format!("http://{}/", server.addr()))
        .output()
        .expect("curl runs (.ci/run installs it)");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        page("ch02-04-tidy-up", "index.html")
    );
}

#[test]
fn sleep_takes_about_two_seconds() {
    // With one thread, and still with a thread per connection (chapter 4);
    // each check waits for a slow request, so they run side by side.
    std::thread::scope(|scope| {
        for listing in ["ch03-01-slow-route", "ch04-01-thread-per-connection"] {
            scope.spawn(move || {
                let server = Server::start(listing, &[]);
                let response = get(server.addr(), "/slow");
                assert_eq!(response.status_line, "HTTP/1.1 200 OK", "{listing}");
                assert!(
                    response.elapsed >= SLOW_REQUEST && response.elapsed < SLOW_REQUEST * 2,
                    "{listing}: /slow took {:?}",
                    response.elapsed
                );
            });
        }
    });
}

/// The pause chapter 3's commands make between two requests (`sleep 0.2`),
/// so that they reach the server in the order they are typed.
const PAUSE: Duration = Duration::from_millis(200);

/// Chapter 3's two commands: `/slow`, the pause, then `/`. One thread
/// answers `/` only once `/slow`'s sleep is over, so `/` takes the sleep
/// less the pause: "a little less" than two seconds.
#[test]
fn one_thread_makes_root_wait_behind_sleep() {
    let server = Server::start("ch03-01-slow-route", &[]);
    let started = Instant::now();
    let slow = send(server.addr(), "/slow");
    thread::sleep(PAUSE);
    let root = get(server.addr(), "/");
    let answered = started.elapsed();
    assert_eq!(slow.answer().status_line, "HTTP/1.1 200 OK", "/slow");
    assert_eq!(root.status_line, "HTTP/1.1 200 OK", "/");
    assert!(
        answered >= SLOW_REQUEST,
        "/ was answered {answered:?} after /slow was sent: it should wait for the whole sleep"
    );
    assert!(
        root.elapsed < SLOW_REQUEST,
        "/ took {:?}: sent {PAUSE:?} after /slow, it should take less than the sleep",
        root.elapsed
    );
}

#[test]
fn a_missing_page_is_reported_and_the_server_goes_on() {
    for listing in [
        "ch02-02-serve-html",
        "ch02-04-tidy-up",
        "ch03-01-slow-route",
    ] {
        // The repository root has no index.html: the pages are read from the
        // directory the server was started in.
        let mut server = Server::start_in(listing, crate::support::listings::repo_root());
        for _ in 0..2 {
            let (answer, _) = exchange(server.addr(), "/");
            assert!(
                answer.is_empty(),
                "{listing}: expected no answer, got {answer:?}"
            );
        }
        let expected = "error while answering: No such file or directory (os error 2)";
        let reported =
            server.wait_for_stderr_lines(|line| line == expected, 2, Duration::from_secs(5));
        assert_eq!(reported.len(), 2, "{listing}: {:?}", server.stderr());
        assert!(server.is_running(), "{listing} should keep running");
    }
}

/// Chapter 3's prediction: two `/slow`, then `/`, with chapter 3's pause
/// before each but the first. One thread answers them in order, so the
/// second `/slow` waits for the first, and `/` for both: both are answered
/// two sleeps after the first was sent, and each, sent later, takes a little
/// less than that itself ("a little under four seconds").
#[test]
fn two_slow_requests_and_root_are_answered_one_after_another() {
    let server = Server::start("ch03-01-slow-route", &[]);
    let started = Instant::now();
    let first = send(server.addr(), "/slow");
    thread::sleep(PAUSE);
    let second_sent = started.elapsed();
    let second = send(server.addr(), "/slow");
    thread::sleep(PAUSE);
    let root = get(server.addr(), "/");
    let root_answered = started.elapsed();
    let (first, second) = (first.answer(), second.answer());
    let two_sleeps = SLOW_REQUEST * 2;
    assert!(
        first.elapsed >= SLOW_REQUEST && first.elapsed < SLOW_REQUEST + waited_behind_sleep(),
        "the first /slow took {:?}",
        first.elapsed
    );
    assert!(
        second_sent + second.elapsed >= two_sleeps && second.elapsed < two_sleeps,
        "the second /slow, sent {second_sent:?} after the first, took {:?}: it should wait \
         for the first one's sleep, then sleep its own",
        second.elapsed
    );
    assert!(
        root_answered >= two_sleeps && root.elapsed < second.elapsed,
        "/ was answered {root_answered:?} after the first /slow was sent, and took {:?}: it \
         should wait for both sleeps, and take less than the second /slow ({:?})",
        root.elapsed,
        second.elapsed
    );
}

/// With the pages compiled in, the server answers from any working directory.
#[test]
fn built_in_pages_do_not_depend_on_the_working_directory() {
    let listing = "ch03-90-pages-built-in";
    let server = Server::start_in(listing, crate::support::listings::repo_root());
    let root = get(server.addr(), "/");
    assert_eq!(root.status_line, "HTTP/1.1 200 OK");
    assert_eq!(root.body, page(listing, "index.html"));
    let missing = get(server.addr(), "/no-such-page");
    assert_eq!(missing.status_line, "HTTP/1.1 404 Not Found");
    assert_eq!(missing.body, page(listing, "not-found.html"));
    assert_eq!(server.stderr(), Vec::<String>::new());
}
