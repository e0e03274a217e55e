//! `book-bench attacks`: what chapter 13's attack does to `/`, before and
//! after the deadline, with the deadline's length and the pool's size
//! changed one at a time; `attacks.csv`, one row per case.
//!
//! ```console
//! cargo run -p book-bench --release -- attacks [--duration SECS] [--out FILE]
//!     [--profile release|dev]
//! ```
//!
//! Each case starts a fresh server, starts the attack tool twice (idle
//! clients and trickling ones), waits until every attacking connection is
//! open, then runs the generator on `/` with a few connections. The attack
//! outlasts the generator's run, so `/` is measured under attack from its
//! first request to its last.
//!
//! Then what the deadline costs when nobody attacks (`deadline-cost.csv`):
//! the two servers, both running, measured in turns as `tuning` measures
//! chapter 12's steps, since the difference is smaller than one run's noise.

mod cases;
mod options;
mod tool;

use std::time::Instant;

pub use options::{USAGE, parse as parse_options};

use crate::{
    csv, loadgen,
    loadgen::Loadgen,
    machine,
    options::Runs,
    prepare,
    process::Server,
    tuning::rounds::{self, Labels, Turn},
};
use cases::{CASES, DEADLINE, HARDENED, TRICKLE_INTERVAL_MS, TUNED};
use listings_contract::attack::Attack;
use tool::ATTACK;

/// The generator's connections on `/`: the pool's default size.
const ROOT_CONNECTIONS: u64 = 4;

/// How much longer than the generator's run the attack lasts: the
/// generator waits for its last requests after its deadline.
const ATTACK_MARGIN_SECONDS: u64 = 3;

/// The cost of the deadline without an attack: rounds of 1 s, in turns, at
/// these numbers of connections.
const COST_ROUNDS: u64 = 8;
const COST_CONNECTIONS: &[u64] = &[4, 16];

/// Both servers run with the pool's default size.
const COST_WORKERS: u32 = 4;

/// The columns of `attacks.csv`, in order: the case, what `/` got, what
/// the attack's connections got.
pub fn columns() -> Vec<&'static str> {
    csv::columns(&[
        &[
            "server",
            "workers",
            "head_timeout_ms",
            "idle_clients",
            "trickling_clients",
            "wait_bound_s",
        ],
        &csv::OUTCOME_COLUMNS,
        &[
            "attack_connections",
            "attack_held",
            "attack_closed",
            "attack_reset",
            "attack_408",
        ],
    ])
}

/// The command, once its options are read.
pub fn run(options: &Runs) -> Result<(), String> {
    let started = Instant::now();
    let mut wanted = vec![
        (loadgen::LISTING, options.profile),
        (ATTACK, options.profile),
    ];
    wanted.extend(CASES.iter().map(|case| (case.listing, options.profile)));
    let built = prepare::build(&wanted, &crate::repo_root().join("target/bench-attacks"))?;
    let loadgen = Loadgen(
        built
            .binary(loadgen::LISTING, options.profile)
            .to_path_buf(),
    );
    let attack = built.binary(ATTACK, options.profile);

    let mut rows = Vec::new();
    for case in CASES {
        eprintln!("{}", case.describe());
        let env = case.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let server = Server::start(
            case.listing,
            built.binary(case.listing, options.profile),
            built.dir(case.listing),
            &env,
        )?;
        let url = format!("http://{}", server.addr());
        let attacks = if case.idle + case.trickling > 0 {
            let seconds = options.duration + ATTACK_MARGIN_SECONDS;
            let interval = TRICKLE_INTERVAL_MS.to_string();
            vec![
                Attack::start(attack, &["idle"], case.idle, seconds, &url)?,
                Attack::start(
                    attack,
                    &["trickle", "--interval", &interval],
                    case.trickling,
                    seconds,
                    &url,
                )?,
            ]
        } else {
            Vec::new()
        };
        let root = loadgen.closed_loop(
            &case.describe(),
            &format!("{url}/"),
            ROOT_CONNECTIONS,
            options.duration,
        )?;
        let mut reports = Vec::new();
        for attack in attacks {
            reports.push(attack.report()?);
        }
        drop(server);
        rows.push(case.row(&root, &reports));
    }
    csv::save(options.out("--out"), &header(options), &columns(), &rows)?;

    let mut turns = Vec::new();
    for name in [TUNED, DEADLINE, HARDENED] {
        turns.push(Turn {
            labels: Labels {
                name,
                threads: "tuned",
                workers: COST_WORKERS,
                profile: options.profile,
            },
            server: Server::start(
                name,
                built.binary(name, options.profile),
                built.dir(name),
                &[],
            )?,
        });
    }
    let rows = rounds::measure(&mut turns, &loadgen, COST_CONNECTIONS, COST_ROUNDS, 1)?;
    drop(turns);
    // One run in turns, two files: each compares a server with the tuned
    // pool, measured beside it.
    for (option, other) in [("--cost-out", DEADLINE), ("--hardened-cost-out", HARDENED)] {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .filter(|row| row[0] == TUNED || row[0] == other)
            .cloned()
            .collect();
        csv::save(
            options.out(option),
            &cost_header(options, other),
            &rounds::columns(),
            &rows,
        )?;
    }
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The file's comment lines: what was measured and how, then where.
fn header(options: &Runs) -> Vec<String> {
    let mut header = vec![
        format!(
            "book-bench attacks: for each case, a fresh server; the book's attack tool ({ATTACK}) \
             opens idle_clients idle connections and trickling_clients trickling ones (a byte \
             every {TRICKLE_INTERVAL_MS} ms), each opened again as soon as the server ends it; \
             once all are open, the book's load generator ({}) runs a closed loop of GET / on \
             {ROOT_CONNECTIONS} connections for {} s, and the attack goes on {ATTACK_MARGIN_SECONDS} s \
             longer; listings built with the {} profile",
            loadgen::LISTING,
            options.duration,
            options.profile
        ),
        "head_timeout_ms: the server's HEAD_TIMEOUT_MS (empty: a server with no deadline); \
         wait_bound_s: Little's law's longest wait for / behind the attack, attackers × \
         deadline / workers (empty: no bound, or no wait because there are more workers \
         than attackers); attack_…: the attack tool's report, both attacks added up"
            .to_string(),
    ];
    let conditions = machine::busy();
    header.extend(machine::about("attacks", &[], &conditions));
    header
}

/// The comment lines of the files that compare `other` with the tuned pool.
fn cost_header(options: &Runs, other: &str) -> Vec<String> {
    let mut header = vec![format!(
        "book-bench attacks, what {other} costs without an attack: {TUNED} and {other} \
         (default settings: {COST_WORKERS} workers, a 10 s deadline), running at once beside \
         {TUNED}, {DEADLINE} and {HARDENED}, \
         under the book's load generator ({}), closed loop, GET / on a new connection per \
         request, measured in turns: at each number of connections, {COST_ROUNDS} rounds of \
         1 s per server; a row adds up its rounds (requests_per_second = answered / \
         duration), p50/p90/p99 are the median of the rounds' and max the largest; \
         cpu_per_request_us: the server's CPU time during its turns (/proc) over the requests \
         it answered; listings built with the {} profile",
        loadgen::LISTING,
        options.profile
    )];
    header.extend(machine::about("attacks", &[], &[]));
    header
}

#[cfg(test)]
mod tests {
    use listings_contract::Listing;

    use super::*;

    #[test]
    fn every_server_and_the_tool_are_listings_that_build() {
        for name in CASES.iter().map(|case| case.listing).chain([ATTACK]) {
            let listing = Listing::find(name).unwrap();
            assert!(!listing.must_fail(), "{name} must build");
        }
    }

    #[test]
    fn the_header_says_how_and_where() {
        let options = parse_options(std::iter::empty()).unwrap().unwrap();
        let lines = header(&options);
        assert!(
            lines[0].contains("for 10 s, and the attack goes on 3 s longer"),
            "{}",
            lines[0]
        );
        assert!(lines.iter().any(|line| line.starts_with("machine: ")));
        assert!(
            lines
                .last()
                .unwrap()
                .starts_with("regenerate: cargo run -p book-bench --release -- attacks ")
        );
    }
}
