//! What Part 5's checks share: the servers' settings, and the two ways a
//! check asks whether a server still serves (`/` answered within a patience
//! bound while it is attacked, and `/` answered once the attack is over).

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    time::Duration,
};

use super::{http::get, server::Server};

/// The servers' settings in Part 5's checks: two workers, and a head
/// timeout far shorter than an attack, far longer than a request on
/// loopback.
pub const WORKERS: (&str, &str) = ("WORKERS", "2");
pub const HEAD_TIMEOUT: (&str, &str) = ("HEAD_TIMEOUT_MS", "300");

/// How long `/` is given while an attack holds every worker: five head
/// timeouts. A server that bounds the head answers well within it; one that
/// does not cannot answer before the attack ends.
pub const PATIENCE: Duration = Duration::from_millis(1500);

/// Starts `listing` with Part 5's settings.
pub fn start(listing: &str) -> Server {
    Server::start_with_env(listing, &[WORKERS, HEAD_TIMEOUT])
}

/// Sends `GET /` and waits up to `PATIENCE` for the first byte of an
/// answer: whether one came.
pub fn root_answered_in_time(addr: SocketAddr) -> bool {
    let mut stream = TcpStream::connect(addr).expect("the backlog takes the connection");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send GET /");
    let mut first = [0; 1];
    match stream.read(&mut first) {
        Ok(read) => read == 1,
        Err(err) => {
            assert!(
                matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "GET / while attacked: {err}"
            );
            false
        }
    }
}

/// The server as the attack left it: still answering `/`.
pub fn assert_survived(server: &mut Server) {
    assert!(
        server.is_running(),
        "{}: the server is gone",
        server.listing
    );
    let root = get(server.addr(), "/");
    assert_eq!(
        root.status_line, "HTTP/1.1 200 OK",
        "{}: / after the attack",
        server.listing
    );
}
