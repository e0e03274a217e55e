//! Measurements behind the book's claims about time: what waits for what.

use std::time::{Duration, Instant};

use super::{
    http::{get, send},
    server::Server,
};

/// How long the book says `/slow` takes ("about 2 seconds").
pub const SLOW_REQUEST: Duration = Duration::from_secs(2);

/// Sends `/slow`, then `/` while the first is in flight, and returns how long
/// `/` took. Both must be answered with 200. `/slow` is sent first, so a
/// server that takes connections one at a time takes it first.
pub fn root_latency_during_sleep(server: &Server) -> Duration {
    let slow = send(server.addr(), "/slow");
    let fast = get(server.addr(), "/");
    let slow = slow.answer();
    assert_eq!(
        slow.status_line, "HTTP/1.1 200 OK",
        "{}: /slow",
        server.listing
    );
    assert_eq!(fast.status_line, "HTTP/1.1 200 OK", "{}: /", server.listing);
    fast.elapsed
}

/// The shortest time `/` can take when it truly waits for `/slow`: the
/// whole sleep, less a generous allowance for the moments between sending
/// the two requests.
pub fn waited_behind_sleep() -> Duration {
    SLOW_REQUEST * 3 / 4
}

/// Sends `count` requests for `path` at once and returns how long it took
/// until the last answer arrived.
pub fn all_at_once(server: &Server, path: &'static str, count: usize) -> Duration {
    let started = Instant::now();
    let requests: Vec<_> = (0..count).map(|_| send(server.addr(), path)).collect();
    for request in requests {
        let response = request.answer();
        assert_eq!(
            response.status_line, "HTTP/1.1 200 OK",
            "{}: {path}",
            server.listing
        );
    }
    started.elapsed()
}
