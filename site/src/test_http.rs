//! A plain HTTP client for the unit tests: one request per connection, as
//! the server answers them, and the whole answer read back.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};

/// The status, the headers (names lowercased) and the body of an answer.
/// The body is read as text: bytes that are not UTF-8 (a font) are
/// replaced, so only a text file's body matches its `Content-Length`.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `request`, exactly as given, to the server at `addr`.
pub fn send(addr: SocketAddr, request: &str) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    // Done sending: a server that drains what is left of a request it
    // refuses (a head too long) sees the end at once, not after its timeout.
    stream.shutdown(Shutdown::Write).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").expect(&raw);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect(head);
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect(line);
            (name.to_ascii_lowercase(), value.trim().to_string())
        })
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

/// `GET path`.
pub fn get(addr: SocketAddr, path: &str) -> Answer {
    send(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    )
}
