//! A small, strict HTTP/1.1 client over a plain `TcpStream`, so the tests
//! control exactly when each request is sent and can time the answers.

use std::{
    io::{Read, Write},
    net::{Shutdown, SocketAddr, TcpStream},
    thread::{self, JoinHandle},
    time::{Duration, Instant},
};

/// No answer in the book takes this long; waiting longer would only hide a hang.
const READ_TIMEOUT: Duration = Duration::from_secs(15);

/// A parsed answer, and how long it took to arrive after the request was sent.
#[derive(Debug)]
pub struct Response {
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub elapsed: Duration,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Sends `GET path` and reads the whole answer (the book's servers close the
/// connection after one response). Panics, with the address and path, if the
/// server does not answer or answers something that is not HTTP.
pub fn get(addr: SocketAddr, path: &str) -> Response {
    let raw = exchange(addr, path);
    parse(&raw.0, raw.1).unwrap_or_else(|err| panic!("GET {path} on {addr}: {err}"))
}

/// A request that has been sent and whose answer is still to come.
pub struct InFlight {
    path: String,
    reading: JoinHandle<Result<Response, String>>,
}

impl InFlight {
    /// Waits for the whole answer; panics, with the path, if there is none.
    pub fn answer(self) -> Response {
        let path = self.path;
        self.reading
            .join()
            .unwrap_or_else(|_| panic!("the thread reading the answer to GET {path} panicked"))
            .unwrap_or_else(|err| panic!("GET {path}: {err}"))
    }

    /// Whether the whole answer has come (or the connection has ended).
    pub fn has_ended(&self) -> bool {
        self.reading.is_finished()
    }
}

/// Connects and sends `GET path` now, on this thread, and reads the answer
/// on another. When this returns, the server has the connection in its
/// queue and the request on its way, so a request sent after it is queued
/// behind it: the order of a test's requests is the order of its calls,
/// with no sleep to wait for it.
pub fn send(addr: SocketAddr, path: &str) -> InFlight {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr)
        .unwrap_or_else(|err| panic!("cannot connect to {addr} for GET {path}: {err}"));
    write_request(&mut stream, addr, path)
        .unwrap_or_else(|err| panic!("cannot send GET {path} to {addr}: {err}"));
    let reading = thread::spawn(move || {
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .map_err(|err| format!("no complete answer from {addr}: {err}"))?;
        parse(&raw, started.elapsed())
    });
    InFlight {
        path: path.to_string(),
        reading,
    }
}

/// Sends `GET path` and returns whatever bytes come back before the server
/// closes the connection (possibly none), and how long that took.
pub fn exchange(addr: SocketAddr, path: &str) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let raw = try_exchange(addr, path)
        .unwrap_or_else(|err| panic!("no complete answer to GET {path} from {addr}: {err}"));
    (raw, started.elapsed())
}

/// Like `exchange`, but a connection the server resets is an `Err`, not a
/// test failure: closing a socket with unread data resets it.
pub fn try_exchange(addr: SocketAddr, path: &str) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr)?;
    write_request(&mut stream, addr, path)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    Ok(raw)
}

/// Like `get`, but every way the exchange can fail is an `Err` instead of
/// a test failure: a refused or reset connection, with its `ErrorKind`, and
/// an answer that is not HTTP, as `ErrorKind::InvalidData`.
pub fn try_get(addr: SocketAddr, path: &str) -> std::io::Result<Response> {
    let started = Instant::now();
    let raw = try_exchange(addr, path)?;
    parse(&raw, started.elapsed())
        .map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidData, err))
}

/// Sends a `GET` the way the book's readers' clients do, and bounds how
/// long its answer may take.
fn write_request(stream: &mut TcpStream, addr: SocketAddr, path: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes())
}

/// Sends `request`, bytes as they are (a request the client side of
/// `get` would never write), and parses the answer that arrives before the
/// server closes the connection, or resets it: a server that refuses a
/// request without reading all of it closes with bytes unread, which
/// resets the connection, and its answer is still there to read first.
pub fn send_raw(addr: SocketAddr, request: &[u8]) -> Response {
    let started = Instant::now();
    let mut stream =
        TcpStream::connect(addr).unwrap_or_else(|err| panic!("cannot connect to {addr}: {err}"));
    stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    stream
        .write_all(request)
        .unwrap_or_else(|err| panic!("cannot send {request:?} to {addr}: {err}"));
    let mut raw = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => raw.extend_from_slice(&buffer[..read]),
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(err) => panic!("no answer to {request:?} from {addr}: {err}"),
        }
    }
    parse(&raw, started.elapsed())
        .unwrap_or_else(|err| panic!("answer to {:?}: {err}", String::from_utf8_lossy(request)))
}

/// Sends `request`, bytes as they are, then, if `end_sending`, ends the
/// client's sending half (a client that stops before the head is whole);
/// returns every byte that came back before the server closed the
/// connection, unparsed, for checks that compare two servers' answers
/// whole. A server that refuses a request before reading all of it may
/// reset the connection while the rest is sent, or after its answer: what
/// was read by then is the answer. Nothing sent at all is the idle client.
pub fn raw_exchange(addr: SocketAddr, request: &[u8], end_sending: bool) -> Vec<u8> {
    let mut stream =
        TcpStream::connect(addr).unwrap_or_else(|err| panic!("cannot connect to {addr}: {err}"));
    stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    let _ = stream.write_all(request);
    if end_sending {
        let _ = stream.shutdown(Shutdown::Write);
    }
    let mut answer = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => answer.extend_from_slice(&buffer[..read]),
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(err) => panic!(
                "no answer to {:?} from {addr}: {err}",
                String::from_utf8_lossy(&request[..request.len().min(40)])
            ),
        }
    }
    answer
}

/// Asserts that the server closed (or reset) the connection without a byte of answer.
pub fn assert_unanswered(addr: SocketAddr, path: &str) {
    match try_exchange(addr, path) {
        Ok(raw) => assert!(raw.is_empty(), "expected no answer to {path}, got {raw:?}"),
        Err(err) => assert_eq!(
            err.kind(),
            std::io::ErrorKind::ConnectionReset,
            "expected no answer to {path}, got an error other than a reset: {err}"
        ),
    }
}

/// Opens a connection and closes it without sending a byte, as port scanners,
/// load balancers' health checks and impatient clients do.
pub fn connect_and_leave(addr: SocketAddr) {
    let stream =
        TcpStream::connect(addr).unwrap_or_else(|err| panic!("cannot connect to {addr}: {err}"));
    stream
        .shutdown(Shutdown::Both)
        .expect("closing an open connection");
}

fn parse(raw: &[u8], elapsed: Duration) -> Result<Response, String> {
    let text =
        String::from_utf8(raw.to_vec()).map_err(|_| "the answer is not UTF-8".to_string())?;
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no blank line after the headers in {text:?}"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default().to_string();
    if !status_line.starts_with("HTTP/1.1 ") {
        return Err(format!("not an HTTP/1.1 status line: {status_line:?}"));
    }
    let headers = lines
        .map(|line| {
            line.split_once(": ")
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .ok_or_else(|| format!("malformed header line {line:?}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Response {
        status_line,
        headers,
        body: body.to_string(),
        elapsed,
    })
}
