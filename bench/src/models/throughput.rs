//! Throughput: every model's server running at once, measured in turns
//! (round after round, each server once), on `/` at one number of
//! connections, each request on a new connection and then on kept-alive
//! ones. In turns, because what the machine does meanwhile (other work,
//! the generator itself) then weighs on every server alike.

use std::time::Duration;

use super::servers::{Chosen, Model};
use crate::{
    csv,
    loadgen::{Loadgen, Run},
    process::Server,
    report::Report,
    tuning::{cpu, rounds::added_up},
};

/// Each round's length, in seconds.
pub const ROUND_SECONDS: u64 = 2;

/// How the generator's clients use their connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A new connection for every request, with `Connection: close`.
    Close,
    /// `--keep-alive`: a connection for as long as the server keeps it.
    KeepAlive,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Close => "close",
            Mode::KeepAlive => "keep-alive",
        }
    }

    fn args(self) -> &'static [&'static str] {
        match self {
            Mode::Close => &[],
            Mode::KeepAlive => &["--keep-alive"],
        }
    }
}

/// The columns of `models-close.csv` and `models-keep-alive.csv`.
pub fn columns() -> Vec<&'static str> {
    csv::columns(&[
        &["server", "model", "mode", "connections", "rounds"],
        &csv::OUTCOME_COLUMNS,
        &["connections_opened", "shed"],
        &csv::FAILURE_COLUMNS,
        &["cpu_per_request_us"],
    ])
}

/// One round of one server: what the generator measured, the connections
/// it opened, and the server's CPU time meanwhile.
struct Round {
    report: Report,
    opened: Option<u64>,
    cpu: Option<Duration>,
}

/// A data file's rows, each its fields.
pub type Rows = Vec<Vec<String>>;

/// Measures the models in turns, in each mode; the rows of each mode, in
/// the models' order.
pub fn measure(
    models: &[Chosen],
    loadgen: &Loadgen,
    connections: u64,
    rounds: u64,
    nginx_connections: u32,
) -> Result<Vec<(Mode, Rows)>, String> {
    let mut servers: Vec<(&Model, Server)> = Vec::new();
    for (model, ready) in models {
        servers.push((model, ready.start(model, nginx_connections)?));
    }
    let mut files = Vec::new();
    for mode in [Mode::Close, Mode::KeepAlive] {
        let mut measured: Vec<Vec<Round>> = servers.iter().map(|_| Vec::new()).collect();
        for round in 1..=rounds {
            for ((model, server), rounds) in servers.iter_mut().zip(&mut measured) {
                let what = format!(
                    "loadgen against `{}` ({}), {connections} connections, round {round}",
                    model.name,
                    mode.name()
                );
                let url = format!("http://{}/", server.addr());
                let cpu_before = cpu::time(server.pid());
                let run = Run {
                    url: &url,
                    connections,
                    seconds: ROUND_SECONDS,
                    rate: None,
                };
                let (report, said) = loadgen.run_with(&what, &run, mode.args())?;
                let cpu = cpu_before
                    .zip(cpu::time(server.pid()))
                    .map(|(before, after)| after.saturating_sub(before));
                if server.has_exited() {
                    return Err(server.failure(&format!("exited during the {what}")));
                }
                let opened = connections_opened(&said);
                eprintln!(
                    "{:<11} {:<10} round {round}: {:>9.1} requests/s, {} connections, p99 {} µs, {} failed",
                    model.name,
                    mode.name(),
                    report.throughput,
                    csv::optional(opened),
                    csv::optional(report.latency.map(|l| l.p99)),
                    report.failed,
                );
                rounds.push(Round {
                    report,
                    opened,
                    cpu,
                });
            }
        }
        let rows = servers
            .iter()
            .zip(&measured)
            .map(|((model, _), rounds)| row(model, mode, connections, rounds))
            .collect();
        files.push((mode, rows));
    }
    Ok(files)
}

/// `connections: 128 opened for 94507 requests`: the 128.
pub fn connections_opened(said: &str) -> Option<u64> {
    said.lines()
        .find_map(|line| line.strip_prefix("connections: "))?
        .split(' ')
        .next()?
        .parse()
        .ok()
}

/// One row: a model's rounds in one mode, added up (`rounds::added_up`).
fn row(model: &Model, mode: Mode, connections: u64, rounds: &[Round]) -> Vec<String> {
    let reports: Vec<Report> = rounds.iter().map(|r| r.report.clone()).collect();
    let total = added_up(&reports);
    let opened: Option<u64> = rounds.iter().map(|r| r.opened).sum();
    let cpu: Option<Duration> = rounds.iter().map(|r| r.cpu).sum();
    let mut row = vec![
        model.server().to_string(),
        model.name.to_string(),
        mode.name().to_string(),
        connections.to_string(),
        rounds.len().to_string(),
    ];
    row.extend(csv::outcome(&total));
    row.push(csv::optional(opened));
    row.push(total.failures.shed.to_string());
    row.extend(csv::failures(&total.failures));
    row.push(
        cpu.filter(|_| total.answered > 0)
            .map_or_else(String::new, |cpu| {
                format!("{:.1}", cpu.as_secs_f64() * 1e6 / total.answered as f64)
            }),
    );
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::servers::MODELS;

    #[test]
    fn the_generator_s_connections_line_is_read() {
        let said = "requests: 10 answered, 0 failed, in 1.00 s\n\
                    connections: 4 opened for 10 requests\n";
        assert_eq!(connections_opened(said), Some(4));
        assert_eq!(connections_opened("requests: 1 answered\n"), None);
    }

    #[test]
    fn a_row_adds_up_its_rounds() {
        let report = |answered| {
            crate::report::parse(&format!(
                "requests: {answered} answered, 2 failed, in 2.00 s\n\
                 throughput: 1.0 answered per second\nfailures: shed 2\n\
                 latency (µs): p50 10, p90 20, p99 30, max 40\n"
            ))
            .unwrap()
        };
        let rounds = [
            Round {
                report: report(100),
                opened: Some(4),
                cpu: Some(Duration::from_millis(3)),
            },
            Round {
                report: report(200),
                opened: Some(4),
                cpu: Some(Duration::from_millis(3)),
            },
        ];
        let row = row(&MODELS[0], Mode::KeepAlive, 4, &rounds);
        assert_eq!(row.len(), columns().len());
        assert_eq!(
            row.join(","),
            "ch17-03-second-signal,pool,keep-alive,4,2,4.00,300,4,75.0,10,20,30,40,8,4,0,0,0,0,0,20.0"
        );
    }
}
