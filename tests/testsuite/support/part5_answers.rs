//! Part 5's last server as the yardstick of Part 6: every kind of request
//! chapter 14's server tells apart, and the check that another server
//! answers each one, byte for byte, as Part 5's does. Chapters 19, 20 and
//! 21 each rebuild the server on another model and promise exactly that.

use super::{http::raw_exchange, server::Server};

/// Part 5's last server, whose answers the other models give.
pub const PART_5: &str = "ch17-03-second-signal";

/// A request line longer than chapter 14's limit (414).
pub fn long_request_line() -> Vec<u8> {
    let mut line = b"GET /".to_vec();
    line.extend(vec![b'a'; 9 * 1024]);
    line.extend(b" HTTP/1.1\r\n\r\n");
    line
}

/// A head longer than chapter 14's limit, in short headers (431).
pub fn long_head() -> Vec<u8> {
    let mut head = b"GET / HTTP/1.1\r\n".to_vec();
    head.extend(b"X-Header: aaaaaaaaaaaaaaaaaaaa\r\n".repeat(1000));
    head.extend(b"\r\n");
    head
}

/// Every kind of request chapter 14's server tells apart, and whether the
/// client stops sending after it. The first is answered `200`, the last
/// (a client that sends nothing) `408`. Each HTTP/1.1 request that a server
/// could keep open says `Connection: close`, so that a server with
/// keep-alive (chapter 21) answers it as Part 5's does, and closes.
pub fn requests() -> Vec<(Vec<u8>, bool)> {
    let plain = |request: &[u8]| (request.to_vec(), false);
    vec![
        plain(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        plain(b"GET /index.html HTTP/1.0\r\n\r\n"),
        plain(b"GET / HTTP/1.1\nConnection: close\n\n"),
        plain(b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        plain(b"GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        plain(b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        plain(b"HEAD /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n"),
        plain(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n"),
        plain(b"GET / HTTP/2.0\r\n\r\n"),
        plain(b"GET /caf\xE9 HTTP/1.1\r\n\r\n"),
        plain(b"GET  / HTTP/1.1\r\n\r\n"),
        plain(&long_request_line()),
        plain(&long_head()),
        // A head cut short, and a client that sends nothing (408).
        (b"GET / HTTP/1.1\r\nHost: x\r\n".to_vec(), true),
        (Vec::new(), false),
    ]
}

/// A request's first bytes, for messages.
pub fn shown(request: &[u8]) -> String {
    String::from_utf8_lossy(&request[..request.len().min(40)]).into_owned()
}

/// What Part 5's server (started by the caller, with the settings the
/// servers compared share) answers to each of `requests()`, checked to be
/// what the list promises: a `200` first and a `408` last.
pub fn part_5_answers(part_5: &Server) -> Vec<Vec<u8>> {
    let answers: Vec<Vec<u8>> = requests()
        .iter()
        .map(|(request, end_sending)| raw_exchange(part_5.addr(), request, *end_sending))
        .collect();
    assert!(
        answers[0].starts_with(b"HTTP/1.1 200 OK\r\n")
            && answers.last().unwrap().starts_with(b"HTTP/1.1 408 "),
        "{PART_5}: {:?}",
        answers
            .iter()
            .map(|answer| shown(answer))
            .collect::<Vec<_>>()
    );
    answers
}

/// Asserts that `server` (running `listing`) answers every one of
/// `requests()` with exactly the bytes of `expected`, Part 5's answers.
pub fn assert_answers_as_part_5(listing: &str, server: &Server, expected: &[Vec<u8>]) {
    for ((request, end_sending), expected) in requests().iter().zip(expected) {
        let answer = raw_exchange(server.addr(), request, *end_sending);
        assert_eq!(
            String::from_utf8_lossy(&answer),
            String::from_utf8_lossy(expected),
            "{listing}: the answer to {:?}…, against {PART_5}'s",
            shown(request)
        );
    }
}
