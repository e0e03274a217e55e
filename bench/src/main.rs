//! `book-bench`: measures the book's servers (and nginx, when it is
//! installed) with the book's own load generator and writes what it
//! measured to CSV files, the data Part 4's charts are drawn from.
//!
//! ```console
//! cargo run -p book-bench --release -- servers [options]
//! ```
//!
//! The servers are one table (`measured`); the `/` sweep (`sweep`) and the
//! mix with `/slow` (`mix`) each write a file of their own.

mod csv;
mod loadgen;
mod machine;
mod measured;
mod mix;
mod nginx;
mod options;
mod prepare;
mod process;
mod report;
mod sweep;
mod tuning;

use std::{env, path::Path, process::ExitCode, time::Instant};

use options::{Options, USAGE};

fn main() -> ExitCode {
    // Chapter 12's command has options of its own (see tuning.rs).
    if env::args().nth(1).as_deref() == Some("tuning") {
        return tuning::main(env::args().skip(2));
    }
    let options = match Options::parse(env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match servers(&options) {
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
    let mut about = vec![format!("machine: {}", machine::describe())];
    about.push(
        "the load generator and the servers share the machine's cores: compare figures \
         within one file, from one run"
            .to_string(),
    );
    about.extend(machine::load_average().map(|load| {
        format!("load average when the measurements started (1, 5, 15 minutes): {load}")
    }));
    about.extend(options.note.iter().map(|note| format!("note: {note}")));
    about.push(format!("date: {}", machine::now_utc()));
    about.push(
        "regenerate: cargo run -p book-bench --release -- servers (see README, Measuring)"
            .to_string(),
    );
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
                "nginx: {version}, worker_processes {} (one per core), serving the same \
                 index.html (its answers carry more headers: Server, Date, Last-Modified, ETag, \
                 Accept-Ranges)",
                nginx::worker_processes()
            ));
        }
        header.extend(about.iter().cloned());
        write(&options.out, &header, sweep::COLUMNS, &rows)?;
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
        write(&options.mix_out, &header, mix::COLUMNS, &rows)?;
    }
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Writes a data file, unless there is nothing to write (a run that
/// measured none of its servers leaves the file as it was).
fn write(
    path: &Path,
    header: &[String],
    columns: &[&str],
    rows: &[Vec<String>],
) -> Result<(), String> {
    if rows.is_empty() {
        eprintln!("nothing measured for {}: left as it was", path.display());
        return Ok(());
    }
    csv::save(path, &csv::write(header, columns, rows))?;
    eprintln!("wrote {} rows to {}", rows.len(), path.display());
    Ok(())
}
