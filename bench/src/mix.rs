//! The mix: a closed loop on `/` while an open loop sends `/slow` (a 2 s
//! sleep in the book's servers) at a fixed rate, chosen by Little's law so
//! that a given number of slow requests is in flight: L = rate × 2 s. It
//! shows how many slow requests each server absorbs before `/` waits.
//!
//! Each row starts a fresh server (a server left with queued slow requests
//! would spoil the next row). The slow loop starts first and runs 2 s
//! longer: the `/` loop starts once the slow requests in flight have
//! reached L, and measures only while they stay there. The generator sends
//! every request due before its deadline and waits for those in flight, so
//! the slow requests due in its last 2 s are answered after it; all of them
//! are counted.

use std::{thread, time::Duration};

use crate::{csv, loadgen::Run, measured::Measured, prepare::Prepared, report::Report};

/// How long `/slow` sleeps in the book's servers, in seconds.
pub const SLOW_SECONDS: u64 = 2;

/// The connections of the closed loop on `/`.
pub const FAST_CONNECTIONS: u64 = 4;

/// The columns of `mix.csv`, in order: the server, the slow requests (what
/// was intended, then what was measured), then the `/` loop (`fast_…`).
pub const COLUMNS: &[&str] = &[
    "server",
    "threads",
    "workers",
    "slow_in_flight",
    "slow_rate",
    "slow_connections",
    "slow_duration_s",
    "slow_answered",
    "slow_failed",
    "slow_per_second",
    "slow_p50_us",
    "slow_p99_us",
    "slow_in_flight_measured",
    "fast_connections",
    "fast_duration_s",
    "fast_answered",
    "fast_failed",
    "fast_requests_per_second",
    "fast_p50_us",
    "fast_p90_us",
    "fast_p99_us",
    "fast_max_us",
];

/// The rate of `/slow` requests that keeps `in_flight` of them in flight.
pub fn slow_rate(in_flight: u64) -> f64 {
    in_flight as f64 / SLOW_SECONDS as f64
}

/// Connections for the slow loop: each holds one request at a time, so
/// twice the requests in flight and a few more, in case they take longer
/// than 2 s, keep the generator from ever being the bottleneck.
pub fn slow_connections(in_flight: u64) -> u64 {
    2 * in_flight + 4
}

/// What the slow loop measured: requests answered per second of its
/// schedule, and Little's L from them, that rate × their median time.
pub fn measured_in_flight(slow: &Report, schedule_seconds: u64) -> (f64, f64) {
    let per_second = slow.answered as f64 / schedule_seconds as f64;
    let median = slow.latency.map_or(0.0, |l| l.p50 as f64 / 1e6);
    (per_second, per_second * median)
}

/// Measures every prepared server that is in the mix at each number of slow
/// requests in flight, the `/` loop lasting `seconds`.
pub fn run(
    prepared: &Prepared,
    in_flight: &[u64],
    seconds: u64,
) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    for (measured, ready) in prepared.servers.iter().filter(|(m, _)| m.in_mix) {
        for &slow_in_flight in in_flight {
            let mut server = ready.start(measured)?;
            let (slow, fast) = one(prepared, measured, server.addr(), slow_in_flight, seconds)?;
            if server.has_exited() {
                return Err(server.failure(&format!(
                    "exited during the mix with {slow_in_flight} slow requests in flight"
                )));
            }
            rows.push(row(measured, slow_in_flight, slow.as_ref(), &fast, seconds));
            // `server` is dropped here, with whatever it still had queued.
        }
    }
    Ok(rows)
}

/// One row's runs: the slow loop (none for 0 in flight) and the `/` loop.
fn one(
    prepared: &Prepared,
    measured: &Measured,
    addr: &str,
    slow_in_flight: u64,
    seconds: u64,
) -> Result<(Option<Report>, Report), String> {
    let slow_url = format!("http://{addr}/slow");
    let fast_url = format!("http://{addr}/");
    let name = measured.name;
    let fast = |what: &str| {
        prepared
            .loadgen
            .closed_loop(what, &fast_url, FAST_CONNECTIONS, seconds)
    };
    let fast_what = format!("loadgen on `/` of `{name}` with {slow_in_flight} slow in flight");
    if slow_in_flight == 0 {
        let fast = fast(&fast_what)?;
        progress(name, 0, None, &fast);
        return Ok((None, fast));
    }
    let slow_what = format!("loadgen on `/slow` of `{name}` at {slow_in_flight} in flight");
    let (slow, fast) = thread::scope(|scope| {
        let slow = scope.spawn(|| {
            prepared.loadgen.run(
                &slow_what,
                &Run {
                    url: &slow_url,
                    connections: slow_connections(slow_in_flight),
                    seconds: seconds + SLOW_SECONDS,
                    rate: Some(slow_rate(slow_in_flight)),
                },
            )
        });
        thread::sleep(Duration::from_secs(SLOW_SECONDS));
        let fast = fast(&fast_what);
        (slow.join().expect("the slow loop's thread panicked"), fast)
    });
    let (slow, fast) = (slow?, fast?);
    progress(
        name,
        slow_in_flight,
        Some((&slow, seconds + SLOW_SECONDS)),
        &fast,
    );
    Ok((Some(slow), fast))
}

fn progress(name: &str, slow_in_flight: u64, slow: Option<(&Report, u64)>, fast: &Report) {
    let slow = slow.map_or_else(String::new, |(slow, schedule)| {
        let (_, measured) = measured_in_flight(slow, schedule);
        format!(
            " (measured {measured:.2}; slow p50 {} ms, {} failed)",
            slow.latency
                .map_or_else(|| "-".to_string(), |l| (l.p50 / 1000).to_string()),
            slow.failed
        )
    });
    eprintln!(
        "{name:<16} {slow_in_flight:>2} slow in flight{slow}: / {:.1} requests/s, p99 {} µs, {} failed",
        fast.throughput,
        fast.latency
            .map_or_else(|| "-".to_string(), |l| l.p99.to_string()),
        fast.failed
    );
}

/// The row of `mix.csv` for one server at one number of slow requests.
fn row(
    measured: &Measured,
    slow_in_flight: u64,
    slow: Option<&Report>,
    fast: &Report,
    seconds: u64,
) -> Vec<String> {
    let schedule = if slow.is_some() {
        seconds + SLOW_SECONDS
    } else {
        0
    };
    let (slow_fields, measured_l) = match slow {
        Some(slow) => {
            let (per_second, in_flight) = measured_in_flight(slow, schedule);
            let latency = slow.latency.as_ref();
            (
                [
                    slow_connections(slow_in_flight).to_string(),
                    schedule.to_string(),
                    slow.answered.to_string(),
                    slow.failed.to_string(),
                    format!("{per_second:.2}"),
                    csv::optional(latency.map(|l| l.p50)),
                    csv::optional(latency.map(|l| l.p99)),
                ],
                format!("{in_flight:.2}"),
            )
        }
        None => (
            ["0", "0", "0", "0", "0.00", "", ""].map(String::from),
            "0.00".to_string(),
        ),
    };
    let mut fields = vec![
        measured.server().to_string(),
        measured.threads.to_string(),
        csv::optional(measured.workers()),
        slow_in_flight.to_string(),
        slow_rate(slow_in_flight).to_string(),
    ];
    fields.extend(slow_fields);
    fields.extend([measured_l, FAST_CONNECTIONS.to_string()]);
    fields.extend(csv::outcome(fast));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        measured::SERVERS,
        report::{Failures, Latency},
    };

    fn report(answered: u64, p50: u64) -> Report {
        Report {
            answered,
            failed: 0,
            seconds: 12.0,
            throughput: answered as f64 / 12.0,
            failures: Failures::default(),
            latency: Some(Latency {
                p50,
                p90: p50,
                p99: p50,
                max: p50,
            }),
        }
    }

    #[test]
    fn rates_and_connections_follow_littles_law() {
        assert_eq!(slow_rate(1), 0.5);
        assert_eq!(slow_rate(16), 8.0);
        assert_eq!(slow_rate(0), 0.0);
        for in_flight in [1, 2, 4, 8, 16] {
            // Each connection holds one request of at least 2 s at a time.
            let most_per_second = slow_connections(in_flight) as f64 / SLOW_SECONDS as f64;
            assert!(most_per_second >= 2.0 * slow_rate(in_flight));
        }
    }

    #[test]
    fn the_measured_l_is_the_answered_rate_times_the_median() {
        // 48 answered over a 12 s schedule, each in 2.004 s: L = 4 × 2.004.
        let (per_second, in_flight) = measured_in_flight(&report(48, 2_004_000), 12);
        assert_eq!(per_second, 4.0);
        assert!((in_flight - 8.016).abs() < 1e-9, "{in_flight}");
    }

    #[test]
    fn a_row_has_every_column() {
        let pool = SERVERS.iter().find(|s| s.name == "pool-4").unwrap();
        let with = row(
            pool,
            8,
            Some(&report(48, 2_004_000)),
            &report(1000, 300),
            10,
        );
        assert_eq!(with.len(), COLUMNS.len());
        let column = |row: &[String], name: &str| {
            row[COLUMNS.iter().position(|c| *c == name).unwrap()].clone()
        };
        assert_eq!(column(&with, "server"), "ch11-02-workers-checked");
        assert_eq!(column(&with, "workers"), "4");
        assert_eq!(column(&with, "slow_rate"), "4");
        assert_eq!(column(&with, "slow_connections"), "20");
        assert_eq!(column(&with, "slow_duration_s"), "12");
        assert_eq!(column(&with, "slow_in_flight_measured"), "8.02");
        assert_eq!(column(&with, "fast_connections"), "4");
        assert_eq!(column(&with, "fast_p50_us"), "300");

        let without = row(pool, 0, None, &report(1000, 300), 10);
        assert_eq!(without.len(), COLUMNS.len());
        assert_eq!(column(&without, "slow_rate"), "0");
        assert_eq!(column(&without, "slow_p50_us"), "");
        assert_eq!(column(&without, "fast_answered"), "1000");
    }
}
