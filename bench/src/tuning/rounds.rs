//! The runs in turns, and `tuning.csv`'s rows: at each number of
//! connections, round after round, each server once; a row adds up its
//! server's rounds.

use std::time::Duration;

use super::cpu;
use crate::{
    loadgen::Loadgen,
    process::Server,
    report::{Failures, Latency, Report},
    sweep,
};

/// `servers.csv`'s columns, then the build profile and the server's CPU
/// time per answered request.
pub fn columns() -> Vec<&'static str> {
    [sweep::columns(), vec!["profile", "cpu_per_request_us"]].concat()
}

/// What a server's rows say about it.
pub struct Labels {
    /// The `server` column: the listing's name, or `nginx`.
    pub name: &'static str,
    pub threads: &'static str,
    pub workers: u32,
    pub profile: &'static str,
}

/// One server taking turns.
pub struct Turn {
    pub labels: Labels,
    pub server: Server,
}

/// One run: what the generator measured, and the server's CPU time during
/// it (`None` where /proc does not say).
type Round = (Report, Option<Duration>);

/// Runs the generator against each turn's server in turns, `rounds` times
/// at each number of `connections`, for `seconds` each; the rows, by turn
/// then connections.
pub fn measure(
    turns: &mut [Turn],
    loadgen: &Loadgen,
    connections: &[u64],
    rounds: u64,
    seconds: u64,
) -> Result<Vec<Vec<String>>, String> {
    // measured[turn][connections] holds one entry per round.
    let mut measured: Vec<Vec<Vec<Round>>> = vec![vec![Vec::new(); connections.len()]; turns.len()];
    for (c, &connections) in connections.iter().enumerate() {
        for round in 1..=rounds {
            for (t, turn) in turns.iter_mut().enumerate() {
                let Labels { name, profile, .. } = turn.labels;
                let what = format!(
                    "loadgen against `{name}` ({profile}) at {connections} connections, round {round}"
                );
                let pid = turn.server.pid();
                let cpu_before = cpu::time(pid);
                let url = format!("http://{}/", turn.server.addr());
                let report = loadgen.closed_loop(&what, &url, connections, seconds)?;
                let cpu = cpu_before
                    .zip(cpu::time(pid))
                    .map(|(before, after)| after - before);
                if turn.server.has_exited() {
                    return Err(turn.server.failure(&format!("exited during the {what}")));
                }
                eprintln!(
                    "{name:<28} {profile:<7} {connections:>4} connections, round {round}: {:>9.1} requests/s",
                    report.throughput
                );
                measured[t][c].push((report, cpu));
            }
        }
    }
    let mut rows = Vec::new();
    for (turn, per_connections) in turns.iter().zip(&measured) {
        for (&connections, rounds) in connections.iter().zip(per_connections) {
            rows.push(row(&turn.labels, connections, rounds));
        }
    }
    Ok(rows)
}

/// One row: a server's rounds at one number of connections, added up.
fn row(labels: &Labels, connections: u64, rounds: &[Round]) -> Vec<String> {
    let reports: Vec<Report> = rounds.iter().map(|(report, _)| report.clone()).collect();
    let total = added_up(&reports);
    // The server's CPU time per answered request, if every round has it.
    let cpu: Option<Duration> = rounds.iter().map(|(_, cpu)| *cpu).sum();
    let mut row = sweep::row(
        labels.name,
        labels.threads,
        Some(labels.workers),
        connections,
        &total,
    );
    row.push(labels.profile.to_string());
    row.push(
        cpu.filter(|_| total.answered > 0)
            .map_or_else(String::new, |cpu| {
                format!("{:.1}", cpu.as_secs_f64() * 1e6 / total.answered as f64)
            }),
    );
    row
}

/// The rounds as one report: answered, failed, duration and failures
/// added up (requests per second = answered / duration); p50, p90 and p99
/// the median of the rounds' (the lower of the middle two for an even
/// number), max the largest; no latency if no round answered a request.
pub fn added_up(rounds: &[Report]) -> Report {
    let answered: u64 = rounds.iter().map(|r| r.answered).sum();
    let seconds: f64 = rounds.iter().map(|r| r.seconds).sum();
    let mut failures = Failures::default();
    for round in rounds {
        failures += round.failures;
    }
    let latencies: Vec<Latency> = rounds.iter().filter_map(|r| r.latency).collect();
    let median = |of: fn(&Latency) -> u64| {
        let mut values: Vec<u64> = latencies.iter().map(of).collect();
        values.sort_unstable();
        values[(values.len() - 1) / 2]
    };
    let latency = (!latencies.is_empty()).then(|| Latency {
        p50: median(|l| l.p50),
        p90: median(|l| l.p90),
        p99: median(|l| l.p99),
        max: latencies.iter().map(|l| l.max).max().unwrap_or_default(),
    });
    Report {
        answered,
        failed: rounds.iter().map(|r| r.failed).sum(),
        seconds,
        throughput: answered as f64 / seconds,
        failures,
        latency,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(answered: u64, seconds: f64, p50: u64, max: u64) -> Report {
        Report {
            answered,
            failed: 1,
            seconds,
            throughput: answered as f64 / seconds,
            failures: Failures {
                reset: 1,
                ..Failures::default()
            },
            latency: Some(Latency {
                p50,
                p90: p50 * 2,
                p99: p50 * 3,
                max,
            }),
        }
    }

    #[test]
    fn a_row_adds_up_its_rounds() {
        let ms = Duration::from_millis;
        let rounds = [
            (report(100, 1.0, 30, 900), Some(ms(10))),
            (report(300, 1.0, 10, 700), Some(ms(20))),
            (report(200, 2.0, 20, 800), Some(ms(30))),
        ];
        let pool = Labels {
            name: "ch11-02-workers-checked",
            threads: "pool",
            workers: 4,
            profile: "release",
        };
        let row = row(&pool, 16, &rounds);
        let expected = "ch11-02-workers-checked,pool,4,16,4.00,600,3,150.0,20,40,60,900,0,3,0,0,0,release,100.0";
        assert_eq!(row.join(","), expected);
        assert_eq!(row.len(), columns().len());
        // A round without a CPU time leaves the cell empty.
        let mut rounds = rounds;
        rounds[1].1 = None;
        let row = super::row(&pool, 16, &rounds);
        assert_eq!(row.last().unwrap(), "");
    }

    #[test]
    fn rounds_without_answers_leave_the_latency_out() {
        let none = Report {
            answered: 0,
            latency: None,
            ..report(0, 1.0, 0, 0)
        };
        let both = added_up(&[none.clone(), report(10, 1.0, 50, 90)]);
        assert_eq!(both.latency.map(|l| (l.p50, l.max)), Some((50, 90)));
        assert_eq!(
            (both.answered, both.failed, both.failures.reset),
            (10, 2, 2)
        );
        assert_eq!(added_up(&[none]).latency, None);
        // Two rounds: the lower of the middle two.
        let two = added_up(&[report(1, 1.0, 20, 90), report(1, 1.0, 10, 80)]);
        assert_eq!(two.latency.map(|l| l.p50), Some(10));
    }

    #[test]
    fn the_columns_are_the_sweeps_then_profile_and_cpu() {
        let columns = columns();
        assert_eq!(columns[..sweep::columns().len()], *sweep::columns());
        assert_eq!(
            columns[sweep::columns().len()..],
            ["profile", "cpu_per_request_us"]
        );
    }
}
