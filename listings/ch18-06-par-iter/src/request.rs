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

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(line: &str) -> Result<(Method, &str), ParseError> {
        parse_request_line(line.as_bytes()).map(|request| (request.method, request.target))
    }

    #[test]
    fn parses_the_methods_it_answers() {
        assert_eq!(parsed("GET / HTTP/1.1"), Ok((Method::Get, "/")));
        assert_eq!(parsed("HEAD /slow HTTP/1.0"), Ok((Method::Head, "/slow")));
        assert_eq!(parsed("POST /form HTTP/1.1"), Ok((Method::Other, "/form")));
        assert_eq!(parsed("get / HTTP/1.1"), Ok((Method::Other, "/")));
    }

    #[test]
    fn refuses_other_versions() {
        for line in ["GET / HTTP/2.0", "GET / HTTP/0.9", "GET / HTTP/1.2"] {
            assert_eq!(parsed(line), Err(ParseError::VersionNotSupported), "{line}");
        }
    }

    #[test]
    fn refuses_malformed_lines() {
        for line in [
            "",
            "GET /",
            "GET / HTTP/1.1 extra",
            "GET  / HTTP/1.1",
            "GET / HTTP/1.1 ",
            " GET / HTTP/1.1",
            "GET / http/1.1",
            "GET / HTTP/1",
            "GET / HTTP/1.10",
            "G(ET / HTTP/1.1",
            "GET /caf\u{e9} HTTP/1.1",
            "GET /\t HTTP/1.1",
        ] {
            assert_eq!(parsed(line), Err(ParseError::Malformed), "{line:?}");
        }
        // `café` in Latin-1: not UTF-8 at all.
        let latin1 = b"GET /caf\xE9 HTTP/1.1";
        assert!(matches!(
            parse_request_line(latin1),
            Err(ParseError::Malformed)
        ));
    }

    /// What `read_head` made of `bytes`, and how many of them it read.
    fn read_from(bytes: &[u8]) -> (Result<Vec<u8>, HeadError>, usize) {
        let mut rest = bytes;
        let head = read_head(&mut rest);
        (head, bytes.len() - rest.len())
    }

    #[test]
    fn reads_a_head_up_to_its_blank_line() {
        let (head, read) = read_from(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody");
        assert_eq!(head.ok(), Some(b"GET / HTTP/1.1".to_vec()));
        assert_eq!(read, 27, "the body is left unread");
    }

    #[test]
    fn stops_at_its_limits() {
        let line = vec![b'a'; 20_000];
        let (head, read) = read_from(&line);
        assert!(matches!(head, Err(HeadError::LineTooLong)));
        assert_eq!(read as u64, MAX_REQUEST_LINE);

        let mut head = b"GET / HTTP/1.1\r\n".to_vec();
        head.extend(b"X-Header: aaaaaaaaaaaaaaaa\r\n".repeat(1_000));
        let (result, read) = read_from(&head);
        assert!(matches!(result, Err(HeadError::TooLarge)));
        assert_eq!(read as u64, MAX_HEAD);

        let (result, _) = read_from(b"GET / HTTP/1.1\r\nHost: x\r\n");
        assert!(matches!(result, Err(HeadError::Incomplete)));
    }

    proptest! {
        #[test]
        fn parsing_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_request_line(&bytes);
        }

        /// Lines made of the pieces of a request line, in any order and
        /// number: nearly all of them malformed, in every way those pieces
        /// allow, where arbitrary bytes are nearly all refused as not UTF-8.
        #[test]
        fn parsing_pieces_of_lines_never_panics(
            line in "(GET|HEAD|POST|get|/|/slow| |  |\t|HTTP/|1|\\.|0|9|é){0,12}",
        ) {
            let _ = parse_request_line(line.as_bytes());
        }

        #[test]
        fn every_well_formed_line_is_accepted(
            method in "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,10}",
            target in "/[!-~]{0,60}",
            minor in 0..=1u8,
        ) {
            let line = format!("{method} {target} HTTP/1.{minor}");
            let request = parse_request_line(line.as_bytes());
            prop_assert!(request.is_ok(), "{line:?} was refused");
            let request = request.unwrap();
            prop_assert_eq!(request.target, target.as_str());
            let expected = match method.as_str() {
                "GET" => Method::Get,
                "HEAD" => Method::Head,
                _ => Method::Other,
            };
            prop_assert_eq!(request.method, expected);
        }

        /// Any bytes, up to more than twice the limit: a short run of
        /// arbitrary bytes, repeated (cheaper to make than as many bytes one
        /// by one, and as likely to hold line endings or not).
        #[test]
        fn reading_any_bytes_stops_at_the_limit(
            run in prop::collection::vec(any::<u8>(), 1..64),
            len in 0..40_000usize,
        ) {
            let mut bytes = run.repeat(len / run.len() + 1);
            bytes.truncate(len);
            let (head, read) = read_from(&bytes);
            prop_assert!(read as u64 <= MAX_HEAD);
            if let Ok(line) = head {
                prop_assert!(line.len() as u64 <= MAX_REQUEST_LINE);
            }
        }

        /// Lines of any length, around and past the limits.
        #[test]
        fn reading_any_lines_stops_at_the_limits(
            lines in prop::collection::vec(
                (0..12_000usize, prop::sample::select(&b"a:\r"[..])),
                0..8,
            ),
        ) {
            let lines: Vec<Vec<u8>> = lines
                .iter()
                .map(|&(len, byte)| vec![byte; len])
                .collect();
            let bytes = lines.join(&b"\n"[..]);
            let (head, read) = read_from(&bytes);
            prop_assert!(read as u64 <= MAX_HEAD);
            if let Ok(line) = head {
                prop_assert!(line.len() as u64 <= MAX_REQUEST_LINE);
            }
        }

        #[test]
        fn every_head_within_the_limits_is_read_whole(
            target in "/[!-~]{0,60}",
            headers in prop::collection::vec("[A-Za-z-]{1,20}: [ -~]{0,100}", 0..20),
        ) {
            let line = format!("GET {target} HTTP/1.1");
            let headers: String = headers.iter().map(|header| format!("{header}\r\n")).collect();
            let head = format!("{line}\r\n{headers}\r\n");
            let (result, read) = read_from(head.as_bytes());
            prop_assert_eq!(result.ok(), Some(line.into_bytes()));
            prop_assert_eq!(read, head.len());
        }
    }
}
// ANCHOR_END: tests
