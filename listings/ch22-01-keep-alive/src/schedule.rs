//! The open loop's schedule: when each request of a run is due.

use std::time::{Duration, Instant};

/// When request number `slot` of the run is due, counting from 0: the run
/// sends `rate` requests per second, evenly spaced from `start`.
pub fn due(start: Instant, rate: f64, slot: u64) -> Instant {
    start + Duration::from_secs_f64(slot as f64 / rate)
}
