//! Measurements behind the book's claims about time: what waits for what.

use std::{
    thread,
    time::{Duration, Instant},
};

use super::{
    http::{get, get_in_background},
    server::Server,
};

/// How long the book says `/sleep` takes ("about 2 seconds").
pub const SLOW_REQUEST: Duration = Duration::from_secs(2);

/// Head start given to the slow request, so the server is busy with it before
/// the next request arrives.
const HEAD_START: Duration = Duration::from_millis(300);

/// Sends `/sleep`, then `/` while the first is in flight, and returns how long
/// `/` took. Both must be answered with 200.
pub fn root_latency_during_sleep(server: &Server) -> Duration {
    let slow = get_in_background(server.addr(), "/sleep");
    thread::sleep(HEAD_START);
    let fast = get(server.addr(), "/");
    let slow = slow.join().expect("the /sleep request's thread");
    assert_eq!(
        slow.status_line, "HTTP/1.1 200 OK",
        "{}: /sleep",
        server.listing
    );
    assert_eq!(fast.status_line, "HTTP/1.1 200 OK", "{}: /", server.listing);
    fast.elapsed
}

/// The shortest time `/` can take when it truly waits for `/sleep`.
pub fn waited_behind_sleep() -> Duration {
    SLOW_REQUEST - HEAD_START - Duration::from_millis(200)
}

/// Sends `count` requests for `path` at once and returns how long it took
/// until the last answer arrived.
pub fn all_at_once(server: &Server, path: &'static str, count: usize) -> Duration {
    let started = Instant::now();
    let requests: Vec<_> = (0..count)
        .map(|_| get_in_background(server.addr(), path))
        .collect();
    for request in requests {
        let response = request.join().expect("a request's thread");
        assert_eq!(
            response.status_line, "HTTP/1.1 200 OK",
            "{}: {path}",
            server.listing
        );
    }
    started.elapsed()
}
