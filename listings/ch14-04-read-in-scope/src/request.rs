//! A request as the server sees it: its head, read within limits.

// ANCHOR: imports
use std::io::{self, BufRead, Read};
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
