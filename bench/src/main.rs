//! `book-bench`: measures the book's servers (and nginx, when it is
//! installed) with the book's own load generator and writes what it
//! measured to CSV files, the data Part 4's charts are drawn from.
//!
//! ```console
//! cargo run -p book-bench --release -- all
//! cargo run -p book-bench --release -- servers [options]
//! cargo run -p book-bench --release -- tuning [options]
//! cargo run -p book-bench --release -- attacks [options]
//! cargo run -p book-bench --release -- flood [options]
//! cargo run -p book-bench --release -- models [options]
//! ```
//!
//! `servers` (chapter 11): the servers are one table (`measured`); the `/`
//! sweep (`sweep`) and the mix with `/slow` (`mix`) each write a file of
//! their own. `tuning` (chapter 12, `tuning/`): the chapter's steps, all
//! running, measured in turns. `attacks` (chapter 13, `attacks/`): `/`
//! under the attack tool's idle and trickling clients. `flood` (chapter 16,
//! `flood/`): `/slow` at one to four times the pool's capacity. `models`
//! (chapter 22, `models/`): the models of Part 6 and Part 5's pool, side by
//! side. All build with `prepare`, run servers with
//! `process` and `nginx`, the generator with `loadgen`, and write with `csv`.

mod attacks;
mod csv;
mod flood;
mod loadgen;
mod machine;
mod measured;
mod mix;
mod models;
mod nginx;
mod options;
mod prepare;
mod process;
mod report;
mod sweep;
mod tuning;

use std::{env, path::Path, process::ExitCode, time::Instant};

use options::Options;

/// What `book-bench --help` prints: the commands.
const USAGE: &str = "\
usage: book-bench all
       book-bench servers [OPTION...]
       book-bench tuning [OPTION...]
       book-bench attacks [OPTION...]
       book-bench flood [OPTION...]
       book-bench models [OPTION...]

Measures the book's servers with the book's own load generator and writes
what it measured to CSV files (bench/data/), the data Part 4's charts are
drawn from.

  all       the commands below with their defaults, one after the
            other: every file of bench/data/ (about 27 minutes on 2 cores)
  servers   every server, one at a time (chapter 11): the `/` sweep
            (servers.csv) and the mix with `/slow` (mix.csv)
  tuning    chapter 12's steps and its reference server, all running at
            once, measured in turns (tuning.csv)
  attacks   `/` under chapter 13's attack, before and after the deadline
            (attacks.csv, deadline-cost.csv)
  flood     chapter 16's flood of /slow, unbounded queue and bounded
            (flood.csv)
  models    chapter 22's comparison: Part 5's pool, the event loop, tokio
            on one thread and on many, nginx (models-*.csv)

`book-bench COMMAND --help` lists a command's options.";

fn main() -> ExitCode {
    let mut args = env::args().skip(1);
    match args.next().as_deref() {
        Some("all") => command(no_options(args), USAGE, |&()| all()),
        Some("servers") => command(Options::parse(args), options::USAGE, servers),
        Some("tuning") => command(tuning::Options::parse(args), tuning::USAGE, tuning::run),
        Some("attacks") => command(attacks::parse_options(args), attacks::USAGE, attacks::run),
        Some("flood") => command(flood::parse_options(args), flood::USAGE, flood::run),
        Some("models") => command(models::parse_options(args), models::USAGE, models::run),
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => wrong(&format!("unknown command `{other}`"), USAGE),
        None => wrong(
            "give a command: `all`, `servers`, `tuning`, `attacks`, `flood` or `models`",
            USAGE,
        ),
    }
}

/// `all` takes no option but `--help`.
fn no_options(mut args: impl Iterator<Item = String>) -> Result<Option<()>, String> {
    match args.next().as_deref() {
        None => Ok(Some(())),
        Some("--help" | "-h") => Ok(None),
        Some(other) => Err(format!(
            "`all` takes no option (`{other}`); give options to the other commands instead"
        )),
    }
}

/// Every data file of the book, each command with its defaults.
fn all() -> Result<(), String> {
    let defaults = || std::iter::empty::<String>();
    let servers_options = Options::parse(defaults())?.expect("no option asks for help");
    servers(&servers_options)?;
    let tuning_options = tuning::Options::parse(defaults())?.expect("no option asks for help");
    tuning::run(&tuning_options)?;
    let attacks_options = attacks::parse_options(defaults())?.expect("no option asks for help");
    attacks::run(&attacks_options)?;
    let flood_options = flood::parse_options(defaults())?.expect("no option asks for help");
    flood::run(&flood_options)?;
    let models_options = models::parse_options(defaults())?.expect("no option asks for help");
    models::run(&models_options)
}

/// What is wrong with the command line, then the `usage` (status 2).
fn wrong(message: &str, usage: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{usage}");
    ExitCode::from(2)
}

/// A command's run from its parsed options: its `usage` when asked
/// (status 0), or after what is wrong with the command line (status 2);
/// what failed, if `run` fails (status 1).
fn command<O>(
    parsed: Result<Option<O>, String>,
    usage: &str,
    run: impl FnOnce(&O) -> Result<(), String>,
) -> ExitCode {
    let options = match parsed {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{usage}");
            return ExitCode::SUCCESS;
        }
        Err(message) => return wrong(&message, usage),
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository: this crate's parent folder.
fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ is inside the repository")
}

/// The `servers` command.
fn servers(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let targets = repo_root().join("target").join("bench");
    let prepared = prepare::prepare(&options.servers, options.profile, &targets)?;

    // What both files say about where their figures came from, after the
    // line that says what each one measured.
    let mut conditions = machine::busy();
    conditions.extend(options.note.iter().map(|note| format!("note: {note}")));
    let about = machine::about("servers", &[], &conditions);
    let profile = options.profile;

    if options.sweep {
        let rows = sweep::run(&prepared, &options.connections, options.duration)?;
        let mut header = vec![format!(
            "book-bench servers, the `/` sweep: each server alone under the book's load \
             generator ({}), closed loop, GET / on a new connection per request, {} s per row; \
             listings built with the {profile} profile",
            loadgen::LISTING,
            options.duration
        )];
        if let Some(version) = &prepared.nginx {
            header.push(format!(
                "{} (its answers carry more headers: Server, Date, Last-Modified, ETag, \
                 Accept-Ranges)",
                nginx::setup(version)
            ));
        }
        header.extend(about.iter().cloned());
        csv::save(&options.out, &header, &sweep::columns(), &rows)?;
    }
    if options.mix {
        let rows = mix::run(&prepared, &options.slow_in_flight, options.mix_duration)?;
        let mut header = vec![format!(
            "book-bench servers, the mix: for each server and each L (slow_in_flight), an open \
             loop of GET /slow ({slow} s each) at L / {slow} s per second on 2L + 4 connections, \
             from {slow} s before to the end of a closed loop of GET / on {fast} connections for \
             {seconds} s; a fresh server per row; load generator {}; listings built with the \
             {profile} profile",
            loadgen::LISTING,
            slow = mix::SLOW_SECONDS,
            fast = mix::FAST_CONNECTIONS,
            seconds = options.mix_duration,
        )];
        header.push(
            "slow_per_second: slow requests answered per second of their schedule; \
             slow_in_flight_measured: that rate × their median time (Little's law)"
                .to_string(),
        );
        header.extend(about.iter().cloned());
        csv::save(&options.mix_out, &header, mix::COLUMNS, &rows)?;
    }
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
