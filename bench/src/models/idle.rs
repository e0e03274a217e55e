//! `/` while many idle connections are open, and what each costs the
//! server: the attack tool holds N connections that send nothing, a closed
//! loop on `/` measures meanwhile, and /proc says how many connections the
//! server holds and how much memory it has, before and with them. A fresh
//! server per model.
//!
//! The connections are opened a hundred at a time (an attack process
//! each: the tool opens a thread per connection), each hundred once the
//! server has taken the last, as clients arriving over a few seconds
//! would: a thousand at once overflow a listener's backlog (128 for a
//! `std` listener), and the kernel then lets the overflow in only as it
//! resends its part of the handshake, over a minute or so.

use std::{
    thread,
    time::{Duration, Instant},
};

use listings_contract::{attack::Attack, proc};

use super::servers::Model;
use crate::{csv, loadgen::Loadgen, process::Server, report::Report};

/// The attack tool as chapter 14 leaves it (its `idle` mode is chapter 13's).
pub const ATTACK: &str = "ch14-01-oversized-and-invalid";

/// The connections one attack process opens: fewer than any backlog.
pub const PER_ATTACK: u64 = 100;

/// The connections of the closed loop on `/`.
pub const FAST_CONNECTIONS: u64 = 4;

/// How long the server may go without taking one more of a hundred it has
/// not yet taken, before the next hundred are opened anyway (a server that
/// turns connections away never takes them all).
const STEADY: Duration = Duration::from_millis(100);

/// How many hundreds in a row the server may turn away before no more are
/// opened: one. Its clients come back as soon as they are turned away, and
/// each hundred more only makes that storm longer to open.
const GIVE_UP_AFTER: u32 = 1;

/// How long the attack processes are asked to last: longer than any run.
/// They are stopped once `/` has been measured.
const ATTACK_SECONDS: u64 = 3600;

/// The columns of `models-idle.csv`: the model and the idle connections,
/// what the server held and its memory, the `/` loop, and how long opening
/// the idle connections took.
pub fn columns() -> Vec<&'static str> {
    csv::columns(&[
        &[
            "server",
            "model",
            "idle_connections",
            "idle_opened",
            "held_by_server",
            "open_files_before",
            "open_files_idle",
            "rss_before_kb",
            "rss_idle_kb",
            "rss_per_connection_kb",
            "connections",
        ],
        &csv::OUTCOME_COLUMNS,
        &["shed"],
        &csv::FAILURE_COLUMNS,
        &["opening_s"],
    ])
}

/// A process and its children (nginx's workers), by pid.
fn tree(pid: u32) -> Vec<u32> {
    let mut pids = vec![pid];
    let mut next = 0;
    while next < pids.len() {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", pids[next]));
        for task in tasks.into_iter().flatten().flatten() {
            if let Ok(children) = std::fs::read_to_string(task.path().join("children")) {
                pids.extend(
                    children
                        .split_whitespace()
                        .filter_map(|c| c.parse::<u32>().ok()),
                );
            }
        }
        next += 1;
    }
    pids
}

/// A server's open files and resident memory (kB), its children's added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub open_files: u64,
    pub rss_kb: u64,
}

pub fn held(pid: u32) -> Result<Held, String> {
    let mut sum = Held {
        open_files: 0,
        rss_kb: 0,
    };
    for (n, pid) in tree(pid).into_iter().enumerate() {
        let files = proc::open_files(pid).ok_or_else(|| format!("cannot list /proc/{pid}/fd"));
        let rss = proc::status_kb(pid, "VmRSS");
        match (files, rss) {
            (Ok(files), Ok(rss)) => {
                sum.open_files += files;
                sum.rss_kb += rss;
            }
            // A child that has just ended holds nothing any more.
            (Err(err), _) | (_, Err(err)) if n == 0 => return Err(err),
            _ => {}
        }
    }
    Ok(sum)
}

/// Waits until the server's open files reach `target`, or stop growing for
/// `STEADY`; what it holds then.
fn taken(pid: u32, target: u64) -> Result<Held, String> {
    let mut last = held(pid)?;
    let mut since = Instant::now();
    loop {
        if last.open_files >= target || since.elapsed() >= STEADY {
            return Ok(last);
        }
        thread::sleep(Duration::from_millis(5));
        let now = held(pid)?;
        if now.open_files != last.open_files {
            since = Instant::now();
        }
        last = now;
    }
}

/// Memory per connection, in kB: what the held connections added, over
/// how many there are; `None` when the server held none.
pub fn per_connection_kb(before: Held, idle: Held) -> Option<f64> {
    let connections = idle.open_files.saturating_sub(before.open_files);
    (connections > 0).then(|| (idle.rss_kb as f64 - before.rss_kb as f64) / connections as f64)
}

/// Measures `/` on `server` with `idle` idle connections open, the `/` loop
/// lasting `seconds`; the model's row.
pub fn measure(
    model: &Model,
    server: &mut Server,
    loadgen: &Loadgen,
    attack: &std::path::Path,
    idle: u64,
    seconds: u64,
) -> Result<Vec<String>, String> {
    let pid = server.pid();
    let before = held(pid)?;
    let url = format!("http://{}/", server.addr());
    let opening = Instant::now();
    let mut attacks = Vec::new();
    let mut opened = 0;
    let mut refused_batches = 0;
    while opened < idle && refused_batches < GIVE_UP_AFTER {
        let connections = (idle - opened).min(PER_ATTACK);
        let held_before = held(pid)?.open_files;
        // Idle clients wait a minute between looks at their connection:
        // the tool's longest interval, so that they cost the machine nothing.
        attacks.push(Attack::start(
            attack,
            &["idle", "--interval", "60000"],
            connections,
            ATTACK_SECONDS,
            &url,
        )?);
        opened += connections;
        let now = taken(pid, before.open_files + opened)?;
        // A server that turns connections away takes none of a hundred,
        // and its clients come back again and again: opening more only
        // adds to that storm.
        if now.open_files < held_before + connections / 10 {
            refused_batches += 1;
        } else {
            refused_batches = 0;
        }
    }
    let opening = opening.elapsed();
    let with_idle = held(pid)?;
    let fast = loadgen.closed_loop(
        &format!(
            "loadgen on `/` of `{}` with {idle} idle connections",
            model.name
        ),
        &url,
        FAST_CONNECTIONS,
        seconds,
    )?;
    // Stopped: their reports would say only that they held on.
    drop(attacks);
    if server.has_exited() {
        return Err(server.failure(&format!("exited with {idle} idle connections")));
    }
    eprintln!(
        "{:<11} {opened} of {idle} idle opened in {:.1} s: held {}, {} kB each; / {:.1} requests/s, p50 {} µs, p99 {} µs, {} failed ({} shed)",
        model.name,
        opening.as_secs_f64(),
        with_idle.open_files.saturating_sub(before.open_files),
        csv::optional(per_connection_kb(before, with_idle).map(|kb| format!("{kb:.1}"))),
        fast.throughput,
        csv::optional(fast.latency.map(|l| l.p50)),
        csv::optional(fast.latency.map(|l| l.p99)),
        fast.failed,
        fast.failures.shed,
    );
    Ok(row(model, idle, opened, before, with_idle, &fast, opening))
}

fn row(
    model: &Model,
    idle: u64,
    opened: u64,
    before: Held,
    with_idle: Held,
    fast: &Report,
    opening: Duration,
) -> Vec<String> {
    let mut row = vec![
        model.server().to_string(),
        model.name.to_string(),
        idle.to_string(),
        opened.to_string(),
        with_idle
            .open_files
            .saturating_sub(before.open_files)
            .to_string(),
        before.open_files.to_string(),
        with_idle.open_files.to_string(),
        before.rss_kb.to_string(),
        with_idle.rss_kb.to_string(),
        csv::optional(per_connection_kb(before, with_idle).map(|kb| format!("{kb:.1}"))),
        FAST_CONNECTIONS.to_string(),
    ];
    row.extend(csv::outcome(fast));
    row.push(fast.failures.shed.to_string());
    row.extend(csv::failures(&fast.failures));
    row.push(format!("{:.1}", opening.as_secs_f64()));
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::servers::MODELS;

    #[test]
    fn memory_per_connection_is_what_they_added_over_how_many() {
        let before = Held {
            open_files: 10,
            rss_kb: 2000,
        };
        let idle = Held {
            open_files: 1010,
            rss_kb: 6000,
        };
        assert_eq!(per_connection_kb(before, idle), Some(4.0));
        assert_eq!(per_connection_kb(before, before), None);
    }

    #[test]
    fn a_tree_starts_with_its_process() {
        // Other tests may have children running now: only the root is sure.
        let me = std::process::id();
        assert_eq!(tree(me)[0], me);
        let mine = held(me).unwrap();
        assert!(mine.open_files >= 3 && mine.rss_kb > 0, "{mine:?}");
    }

    #[test]
    fn a_row_has_every_column() {
        let report = crate::report::parse(
            "requests: 10 answered, 0 failed, in 1.00 s\nthroughput: 10.0 answered per second\n\
             failures: none\nlatency (µs): p50 1, p90 2, p99 3, max 4\n",
        )
        .unwrap();
        let (before, idle) = (
            Held {
                open_files: 8,
                rss_kb: 1000,
            },
            Held {
                open_files: 1008,
                rss_kb: 9000,
            },
        );
        let row = row(
            &MODELS[0],
            1000,
            1000,
            before,
            idle,
            &report,
            Duration::from_millis(2345),
        );
        assert_eq!(row.len(), columns().len());
        assert_eq!(
            row[2..11],
            [
                "1000", "1000", "1000", "8", "1008", "1000", "9000", "8.0", "4"
            ]
        );
        assert_eq!(row.last().unwrap(), "2.3");
    }
}
