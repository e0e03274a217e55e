//! `/` while slow requests run: an open loop keeps `L` requests to `/slow`
//! (a 1 s sleep) in flight, by Little's law (L = rate × 1 s), and a closed
//! loop on `/` measures what a fast request waits meanwhile. A fresh server
//! per model: one left with slow requests queued would spoil the next.

use std::{thread, time::Duration};

use super::servers::{Model, SLOW_SECONDS};
use crate::{
    csv,
    loadgen::{Loadgen, Run},
    process::Server,
    report::Report,
};

/// The connections of the closed loop on `/`.
pub const FAST_CONNECTIONS: u64 = 4;

/// The columns of `models-slow.csv`: the model, the slow loop, then the
/// `/` loop (the columns of a sweep).
pub fn columns() -> Vec<&'static str> {
    csv::columns(&[
        &[
            "server",
            "model",
            "slow_in_flight",
            "slow_rate",
            "slow_connections",
            "slow_answered",
            "slow_failed",
            "slow_shed",
            "slow_p50_us",
            "connections",
        ],
        &csv::OUTCOME_COLUMNS,
        &["shed"],
        &csv::FAILURE_COLUMNS,
    ])
}

/// The rate of `/slow` that keeps `in_flight` of them in flight.
pub fn slow_rate(in_flight: u64) -> f64 {
    in_flight as f64 / SLOW_SECONDS as f64
}

/// The slow loop's connections: each holds one request at a time, so twice
/// the requests in flight and a few more keep the generator from ever
/// being what holds them back.
pub fn slow_connections(in_flight: u64) -> u64 {
    2 * in_flight + 4
}

/// Measures `/` on `server` with `in_flight` slow requests beside it, the
/// `/` loop lasting `seconds`; the model's row.
pub fn measure(
    model: &Model,
    server: &mut Server,
    loadgen: &Loadgen,
    in_flight: u64,
    seconds: u64,
) -> Result<Vec<String>, String> {
    let slow_url = format!("http://{}/slow", server.addr());
    let fast_url = format!("http://{}/", server.addr());
    let name = model.name;
    let (slow, fast) = thread::scope(|scope| {
        let slow = scope.spawn(|| {
            loadgen.run(
                &format!("loadgen on `/slow` of `{name}`, {in_flight} in flight"),
                &Run {
                    url: &slow_url,
                    connections: slow_connections(in_flight),
                    seconds: seconds + SLOW_SECONDS,
                    rate: Some(slow_rate(in_flight)),
                },
            )
        });
        // The slow requests in flight reach L after one slow request's time.
        thread::sleep(Duration::from_secs(SLOW_SECONDS));
        let fast = loadgen.closed_loop(
            &format!("loadgen on `/` of `{name}` with {in_flight} slow requests in flight"),
            &fast_url,
            FAST_CONNECTIONS,
            seconds,
        );
        (slow.join().expect("the slow loop's thread panicked"), fast)
    });
    let (slow, fast) = (slow?, fast?);
    if server.has_exited() {
        return Err(server.failure("exited beside slow requests"));
    }
    eprintln!(
        "{name:<11} {in_flight} slow in flight: / {:.1} requests/s, p50 {} µs, p99 {} µs, {} failed ({} shed); /slow {} answered, {} shed",
        fast.throughput,
        csv::optional(fast.latency.map(|l| l.p50)),
        csv::optional(fast.latency.map(|l| l.p99)),
        fast.failed,
        fast.failures.shed,
        slow.answered,
        slow.failures.shed,
    );
    Ok(row(model, in_flight, &slow, &fast))
}

fn row(model: &Model, in_flight: u64, slow: &Report, fast: &Report) -> Vec<String> {
    let mut row = vec![
        model.server().to_string(),
        model.name.to_string(),
        in_flight.to_string(),
        format!("{:.1}", slow_rate(in_flight)),
        slow_connections(in_flight).to_string(),
        slow.answered.to_string(),
        slow.failed.to_string(),
        slow.failures.shed.to_string(),
        csv::optional(slow.latency.map(|l| l.p50)),
        FAST_CONNECTIONS.to_string(),
    ];
    row.extend(csv::outcome(fast));
    row.push(fast.failures.shed.to_string());
    row.extend(csv::failures(&fast.failures));
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::servers::MODELS;

    #[test]
    fn a_row_has_every_column() {
        let report = crate::report::parse(
            "requests: 10 answered, 3 failed, in 1.00 s\nthroughput: 10.0 answered per second\n\
             failures: shed 3\nlatency (µs): p50 1, p90 2, p99 3, max 4\n",
        )
        .unwrap();
        let row = row(&MODELS[0], 16, &report, &report);
        assert_eq!(row.len(), columns().len());
        assert_eq!(row[2..10], ["16", "16.0", "36", "10", "3", "3", "1", "4"]);
    }
}
