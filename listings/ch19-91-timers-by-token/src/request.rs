//! A request as the server sees it: its head, read within limits, and its
//! first line, parsed.

// ANCHOR: imports
use std::{
    io::{self, BufRead, Read},
    str,
};
// ANCHOR_END: imports

// ANCHOR: limits
/// The longest request line the server reads, its line ending included: a
/// longer one is answered `414 URI Too Long`.
pub const MAX_REQUEST_LINE: u64 = 8 * 1024;

/// The longest head the server reads, request line and headers together:
/// a longer one is answered `431 Request Header Fields Too Large`.
pub const MAX_HEAD: u64 = 16 * 1024;
// ANCHOR_END: limits

// ANCHOR: head_error
/// Why a request's head could not be read.
pub enum HeadError {
    /// The whole head did not arrive within its time.
    TimedOut,
    /// The request line is longer than `MAX_REQUEST_LINE`.
    LineTooLong,
    /// The head is longer than `MAX_HEAD`.
    TooLarge,
    /// The client stopped sending before the blank line that ends the head.
    Incomplete,
    /// The connection failed.
    Io(io::Error),
}

/// What `?` does with an I/O error while the head is read: a read that
/// waited out its timeout is the deadline passing; anything else, a failure.
impl From<io::Error> for HeadError {
    fn from(err: io::Error) -> HeadError {
        match err.kind() {
            // A read that waited out the time left is `WouldBlock` on Unix
            // and `TimedOut` on Windows; `Deadline` says `TimedOut` itself.
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => HeadError::TimedOut,
            _ => HeadError::Io(err),
        }
    }
}
// ANCHOR_END: head_error

// ANCHOR: read_head
/// Reads the request line and the headers, up to the blank line that ends
/// them, and gives back the request line without its line ending. Reads no
/// more than `MAX_REQUEST_LINE` bytes for the line and `MAX_HEAD` for the
/// whole head, whatever the client sends.
pub fn read_head(mut reader: impl BufRead) -> Result<Vec<u8>, HeadError> {
    let mut line = Vec::new();
    reader
        .by_ref()
        .take(MAX_REQUEST_LINE)
        .read_until(b'\n', &mut line)?;
    if !line.ends_with(b"\n") {
        // Either the limit stopped the read, or the client stopped sending.
        return Err(if line.len() as u64 == MAX_REQUEST_LINE {
            HeadError::LineTooLong
        } else {
            HeadError::Incomplete
        });
    }
    // The headers may have what the request line left of the head.
    let mut headers = reader.take(MAX_HEAD - line.len() as u64);
    let mut header = Vec::new();
    loop {
        header.clear();
        headers.read_until(b'\n', &mut header)?;
        if !header.ends_with(b"\n") {
            return Err(if headers.limit() == 0 {
                HeadError::TooLarge
            } else {
                HeadError::Incomplete
            });
        }
        if header == b"\r\n" || header == b"\n" {
            break;
        }
    }
    // The line ending is `\r\n`; a lone `\n` is accepted too.
    line.pop();
    if line.ends_with(b"\r") {
        line.pop();
    }
    Ok(line)
}
// ANCHOR_END: read_head

// ANCHOR: request_line
/// A request line, `METHOD TARGET VERSION`, borrowed from the bytes it was
/// parsed from.
pub struct RequestLine<'a> {
    pub method: Method,
    pub target: &'a str,
}

/// The methods this server answers, and every other.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Method {
    Get,
    Head,
    /// Any other method, well formed but not answered here: `405`.
    Other,
}

/// Why a request line is refused.
#[derive(PartialEq, Debug)]
pub enum ParseError {
    /// Not `METHOD TARGET HTTP/x.y`, each part with the bytes HTTP allows:
    /// `400 Bad Request`.
    Malformed,
    /// A well-formed version other than HTTP/1.0 and HTTP/1.1: `505 HTTP
    /// Version Not Supported`.
    VersionNotSupported,
}
// ANCHOR_END: request_line

// ANCHOR: parse
/// Parses a request line, without its line ending, as HTTP/1.1 writes it:
/// three parts, separated by one space each.
pub fn parse_request_line(line: &[u8]) -> Result<RequestLine<'_>, ParseError> {
    // Every byte HTTP allows in a request line is ASCII, so valid UTF-8.
    let line = str::from_utf8(line).map_err(|_| ParseError::Malformed)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ParseError::Malformed);
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(ParseError::Malformed);
    }
    // Visible ASCII: no space, no control byte, nothing above 0x7E.
    if target.is_empty() || !target.bytes().all(|byte| byte.is_ascii_graphic()) {
        return Err(ParseError::Malformed);
    }
    match version.as_bytes() {
        b"HTTP/1.1" | b"HTTP/1.0" => {}
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            return Err(ParseError::VersionNotSupported);
        }
        _ => return Err(ParseError::Malformed),
    }
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => Method::Other,
    };
    Ok(RequestLine { method, target })
}

/// Whether `byte` may appear in a method's name (a *token* in HTTP's grammar).
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}
// ANCHOR_END: parse
