//! What Part 5's checks share: the servers' settings, and the two ways a
//! check asks whether a server still serves (`/` answered within a patience
//! bound while it is attacked, and `/` answered once the attack is over);
//! and the attack on the open-file limit (EMFILE) that chapter 4 and
//! chapter 16 run.

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    process::Command,
    time::Duration,
};

use super::{
    http::get,
    listings::{Listing, build_listing},
    server::Server,
};

/// The servers' settings in Part 5's checks: two workers, and a head
/// timeout far shorter than an attack, far longer than a request on
/// loopback.
pub const WORKERS: (&str, &str) = ("WORKERS", "2");
pub const HEAD_TIMEOUT: (&str, &str) = ("HEAD_TIMEOUT_MS", "300");

/// How long `/` is given while an attack holds every worker: five head
/// timeouts. A server that bounds the head answers well within it; one that
/// does not cannot answer before the attack ends.
pub const PATIENCE: Duration = Duration::from_millis(1500);

/// What an accept loop prints at the start of its line each time `accept`
/// fails because the process has no file descriptor left (EMFILE).
pub const EMFILE: &str = "connection failed: Too many open files (os error 24)";

/// Opens `connections` connections to `server` that send nothing, and
/// counts the lines of its standard error that begin with `EMFILE`, until
/// there are `enough` or `window` is over. The connections stay open until
/// the caller drops them.
pub fn idle_past_the_open_file_limit(
    server: &Server,
    connections: u32,
    enough: usize,
    window: Duration,
) -> (Vec<TcpStream>, usize) {
    // Each holds a file in the server, in a worker, in the queue, or in a thread.
    let idle: Vec<TcpStream> = (0..connections)
        .map(|_| TcpStream::connect(server.addr()).expect("the backlog takes the connection"))
        .collect();
    let failed = server.wait_for_stderr_lines(|line| line.starts_with(EMFILE), enough, window);
    (idle, failed.len())
}

/// Starts `listing` once for each of `values` of the setting `name` (an
/// environment variable), each a value it cannot use, and checks that it
/// refuses each before it listens, as chapter 11 refused a bad `WORKERS`:
/// status 2, nothing on standard output, and `message(value)`, one line,
/// on standard error.
pub fn assert_setting_refused(
    listing: &str,
    name: &str,
    values: &[&str],
    message: impl Fn(&str) -> String,
) {
    let binary = build_listing(&Listing::named(listing)).unwrap_or_else(|err| panic!("{err}"));
    for value in values {
        let run = listings_contract::running::run_to_end(
            &format!("{listing} with {name}={value:?}"),
            Command::new(&binary)
                .env(name, value)
                .env("ADDR", "127.0.0.1:0")
                .env_remove("RUST_BACKTRACE"),
            Duration::from_secs(10),
        )
        .unwrap_or_else(|err| panic!("{err}"));
        let expected = format!("{}\n", message(value));
        assert_eq!(
            (run.status.code(), run.stdout.as_str(), run.stderr.as_str()),
            (Some(2), "", expected.as_str()),
            "{listing} with {name}={value:?}"
        );
    }
}

/// Starts `listing` with Part 5's settings.
pub fn start(listing: &str) -> Server {
    Server::start_with_env(listing, &[WORKERS, HEAD_TIMEOUT])
}

/// Starts `listing` with two workers and `env`, and answers one `/` first:
/// once a request was answered, its pool and its Ctrl-C handler are running
/// (chapter 17's stops and chapter 18's thread counts both start there).
pub fn start_answering(listing: &str, env: &[(&str, &str)]) -> Server {
    let mut settings = vec![WORKERS];
    settings.extend_from_slice(env);
    let server = Server::start_with_env(listing, &settings);
    assert_eq!(get(server.addr(), "/").status_line, "HTTP/1.1 200 OK");
    server
}

/// Sends `GET /` and waits up to `PATIENCE` for the first byte of an
/// answer: whether one came.
pub fn root_answered_in_time(addr: SocketAddr) -> bool {
    let mut stream = TcpStream::connect(addr).expect("the backlog takes the connection");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send GET /");
    let mut first = [0; 1];
    let read = loop {
        match stream.read(&mut first) {
            // A signal delivered to the checks' own process interrupts the
            // read (seen once under a full run): it is no answer; read again.
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            read => break read,
        }
    };
    match read {
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
