//! `book-bench models`: chapter 22's comparison of the models the book
//! builds, each serving the same pages, measured in one run.
//!
//! ```console
//! cargo run -p book-bench --release -- models [--only MODEL,...] [--idle N] …
//! ```
//!
//! The models are one table (`servers`). Three measurements, each a file
//! or two: throughput, in turns, with and without keep-alive
//! (`throughput`); `/` while slow requests run (`slow`); `/` while many
//! idle connections are open, and the memory each costs (`idle`).

mod forkjoin;
mod idle;
mod limits;
mod options;
pub mod servers;
mod slow;
mod throughput;

use std::time::Instant;

pub use options::{USAGE, parse as parse_options};

use crate::{csv, loadgen::Loadgen, machine, prepare, process::Server};
use options::Options;
use servers::{ENV, SLOW_SECONDS};
use throughput::{Mode, ROUND_SECONDS};

/// The load generator with `--keep-alive`, as chapter 22 leaves it.
pub const LOADGEN: &str = "ch22-01-keep-alive";

/// Open files a process may need beyond the idle connections: the
/// generator's, the listener, the few every process has.
const SPARE_FILES: u64 = 2048;

/// The command, once its options are read.
pub fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let limit = limits::raise_open_files(options.idle + SPARE_FILES)?;
    let mut wanted = vec![(LOADGEN, options.profile), (idle::ATTACK, options.profile)];
    wanted.extend(servers::wanted(&options.models, options.profile));
    if options.forkjoin {
        wanted.extend(
            forkjoin::SERVERS
                .iter()
                .map(|&(name, _)| (name, options.profile)),
        );
    }
    let built = prepare::build(&wanted, &crate::repo_root().join("target/bench-models"))?;
    let loadgen = Loadgen(built.binary(LOADGEN, options.profile).to_path_buf());
    let attack = built.binary(idle::ATTACK, options.profile);
    let (models, nginx) = servers::ready(&options.models, &built, options.profile)?;
    // nginx's workers take connections unevenly: any one of them may get
    // nearly all the idle ones.
    let nginx_connections = (options.idle + SPARE_FILES / 2) as u32;

    let mut conditions = machine::busy();
    conditions.push(format!(
        "open files: every process started with a limit of {limit} (RLIMIT_NOFILE, raised by \
         book-bench)"
    ));
    conditions.extend(options.note.iter().map(|note| format!("note: {note}")));
    let mut setup: Vec<String> = models
        .iter()
        .filter_map(|(model, _)| {
            let listing = model.listing?;
            Some(format!("{}: {} ({listing})", model.name, model.about))
        })
        .collect();
    if let Some(version) = &nginx {
        setup.push(format!(
            "{} (its answers carry more headers: Server, Date, Last-Modified, ETag, \
             Accept-Ranges)",
            crate::nginx::setup(version)
        ));
    }
    let env: Vec<String> = ENV.iter().map(|(k, v)| format!("{k}={v}")).collect();
    setup.push(format!(
        "the book's servers run with {} (a server ignores what it does not read); listings \
         built with the {} profile",
        env.join(" "),
        options.profile
    ));
    let about = machine::about("models", &setup, &conditions);

    let files = throughput::measure(
        &models,
        &loadgen,
        options.connections,
        options.rounds,
        nginx_connections,
    )?;
    for (mode, rows) in &files {
        let mut header = vec![format!(
            "book-bench models, throughput ({}): every server running at once, measured in \
             turns: {} rounds of {ROUND_SECONDS} s per server, each a closed loop of GET / on \
             {} connections by the book's load generator ({LOADGEN}){}; a row adds up its \
             rounds (requests_per_second = answered / duration), p50/p90/p99 are the median \
             of the rounds' and max the largest; connections_opened: the generator's count; \
             cpu_per_request_us: the server's CPU time (all its threads and processes, /proc) \
             over the requests it answered",
            mode.name(),
            options.rounds,
            options.connections,
            match mode {
                Mode::Close => ", a new connection per request (Connection: close)",
                Mode::KeepAlive =>
                    " with --keep-alive (a connection kept for as long as the server keeps it \
                     open)",
            }
        )];
        header.extend(about.iter().cloned());
        let name = format!("models-{}.csv", mode.name());
        csv::save(&options.out(&name), &header, &throughput::columns(), rows)?;
    }
    ratios(&files);

    let mut rows = Vec::new();
    for (model, ready) in models.iter().filter(|(model, _)| model.slow_route) {
        let mut server = ready.start(model, nginx_connections)?;
        rows.push(slow::measure(
            model,
            &mut server,
            &loadgen,
            options.slow_in_flight,
            options.duration,
        )?);
    }
    let mut header = vec![format!(
        "book-bench models, / beside slow requests: for each model, a fresh server; an open \
         loop of GET /slow ({SLOW_SECONDS} s each) at L / {SLOW_SECONDS} s per second \
         (slow_in_flight = L) on 2L + 4 connections, from {SLOW_SECONDS} s before to the end \
         of a closed loop of GET / on {} connections for {} s (the row's other columns); both \
         loops are the book's load generator ({LOADGEN}), a new connection per request; nginx \
         has no /slow and is not measured here",
        slow::FAST_CONNECTIONS,
        options.duration
    )];
    header.extend(about.iter().cloned());
    csv::save(
        &options.out("models-slow.csv"),
        &header,
        &slow::columns(),
        &rows,
    )?;

    let mut rows = Vec::new();
    for (model, ready) in &models {
        let mut server = ready.start(model, nginx_connections)?;
        rows.push(idle::measure(
            model,
            &mut server,
            &loadgen,
            attack,
            options.idle,
            options.duration,
        )?);
    }
    let mut header = vec![
        format!(
            "book-bench models, / beside idle connections: for each model, a fresh server; \
             the book's attack tool ({}, idle mode) opens idle_connections connections that \
             send nothing (each opened again as soon as the server ends it), {} at a time, a \
             process each, each {} once the server has taken the last or has taken none for \
             100 ms (opening_s: how long that took; idle_opened: how many, fewer when the \
             server took none of a hundred: opening stops there, the turned-away clients \
             coming back all the while); then a closed loop of GET / on {} \
             connections for {} s by the book's load generator ({LOADGEN}), a new connection \
             per request; then the attack is stopped",
            idle::ATTACK,
            idle::PER_ATTACK,
            idle::PER_ATTACK,
            idle::FAST_CONNECTIONS,
            options.duration
        ),
        "held_by_server: the server's open files with the idle connections minus before \
         (/proc/PID/fd; nginx: its master and workers added up); rss_…_kb: VmRSS \
         (/proc/PID/status), the same way; rss_per_connection_kb: (rss_idle_kb - \
         rss_before_kb) / held_by_server"
            .to_string(),
    ];
    header.extend(about.iter().cloned());
    csv::save(
        &options.out("models-idle.csv"),
        &header,
        &idle::columns(),
        &rows,
    )?;
    if options.forkjoin {
        let mut servers = Vec::new();
        for &(name, _) in forkjoin::SERVERS {
            servers.push(Server::start(
                name,
                built.binary(name, options.profile),
                built.dir(name),
                ENV,
            )?);
        }
        let (rows, busy_rounds) = forkjoin::measure(&mut servers, &loadgen, options.rounds)?;
        drop(servers);
        let mut header = vec![format!(
            "book-bench models, chapter 18's route: the servers running at once, measured in \
             turns: {} rounds of {} s per server, each a closed loop of GET /report on ONE \
             connection (one request at a time) by the book's load generator ({LOADGEN}); a \
             row adds up its rounds as the throughput files do; speedup: its requests per \
             second over the sequential server's; each round started once the processors had \
             been {:.0} % idle or more over {} s (as chapter 18 measures), or after {} s of \
             waiting: {busy_rounds} of the {} rounds started without that",
            options.rounds,
            forkjoin::ROUND_SECONDS,
            forkjoin::QUIET * 100.0,
            forkjoin::QUIET_WINDOW.as_secs(),
            forkjoin::QUIET_LIMIT.as_secs(),
            options.rounds,
        )];
        header.extend(about.iter().cloned());
        csv::save(
            &options.out("models-forkjoin.csv"),
            &header,
            &forkjoin::columns(),
            &rows,
        )?;
    }
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Prints each model's requests per second over nginx's, mode by mode,
/// when nginx was measured: the figure the issue's target is about.
fn ratios(files: &[(Mode, throughput::Rows)]) {
    let rate = |row: &Vec<String>| -> Option<f64> {
        let column = throughput::columns()
            .iter()
            .position(|c| *c == "requests_per_second")?;
        row[column].parse().ok()
    };
    for (mode, rows) in files {
        let Some(nginx) = rows.iter().find(|row| row[1] == "nginx").and_then(rate) else {
            continue;
        };
        for row in rows.iter().filter(|row| row[1] != "nginx") {
            if let Some(rate) = rate(row) {
                eprintln!("{} / nginx, {}: {:.2}", row[1], mode.name(), rate / nginx);
            }
        }
    }
}
