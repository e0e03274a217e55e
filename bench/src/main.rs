//! `book-bench`: measures the book's servers with the book's own load
//! generator and writes what it measured to a CSV file, the data Part 4's
//! charts are drawn from.
//!
//! ```console
//! cargo run -p book-bench --release -- servers [--duration SECS] [--out FILE]
//! ```

mod csv;
mod machine;
mod process;
mod report;

use std::{
    env,
    ops::RangeInclusive,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
    time::{Duration, Instant},
};

use listings_contract::{Listing, running::run_to_end};
use process::Server;

const USAGE: &str = "\
usage: book-bench servers [--duration SECS] [--out FILE] [--only SERVER]
                          [--connections N,N,...] [--profile release|dev]

Builds the book's servers and its load generator, runs the generator
against each server's `/` (closed loop, a new connection per request) at
each number of connections, and writes one CSV row per server and number
of connections.

  --duration SECS      how long each run lasts, 1 to 3600 (default 5)
  --out FILE           where the CSV goes (default bench/data/servers.csv)
  --only SERVER        measure one server only (its listing's name)
  --connections LIST   numbers of connections, 1 to 1000 (default 1,4,16,64)
  --profile PROFILE    how the listings are built: release (default) or dev";

/// The book's servers that are measured, in the book's order.
struct Measured {
    listing: &'static str,
    /// How the server uses threads: `one`, `per-connection` or `pool`.
    threads: &'static str,
    /// The pool's size, for a pool.
    workers: Option<u32>,
}

const SERVERS: &[Measured] = &[
    Measured {
        listing: "ch03-01-slow-route",
        threads: "one",
        workers: None,
    },
    Measured {
        listing: "ch04-01-thread-per-connection",
        threads: "per-connection",
        workers: None,
    },
    // The final pool of Part 3; its size is fixed at 4 in the listing.
    Measured {
        listing: "ch08-09-close-listener-first",
        threads: "pool",
        workers: Some(4),
    },
];

/// The book's load generator as chapter 10 leaves it.
const LOADGEN: &str = "ch10-03-intended-start";

/// The longest a load generator run may take past its duration: it waits
/// up to 10 s for a request in flight.
const LOADGEN_GRACE: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
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

/// What the command line asks for.
#[derive(Debug)]
struct Options {
    duration: u64,
    out: PathBuf,
    servers: Vec<&'static Measured>,
    connections: Vec<u64>,
    profile: &'static str,
}

impl std::fmt::Debug for Measured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.listing)
    }
}

impl Options {
    /// `Ok(None)` asks for the usage text.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
        match args.next().as_deref() {
            Some("servers") => {}
            Some("--help" | "-h" | "help") => return Ok(None),
            Some(other) => return Err(format!("unknown command `{other}`")),
            None => return Err("give a command: `servers`".to_string()),
        }
        let mut options = Options {
            duration: 5,
            out: repo_root().join("bench/data/servers.csv"),
            servers: SERVERS.iter().collect(),
            connections: vec![1, 4, 16, 64],
            profile: "release",
        };
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--help" | "-h" => return Ok(None),
                "--duration" => options.duration = number(&arg, &value()?, 1..=3600)?,
                "--out" => options.out = PathBuf::from(value()?),
                "--only" => {
                    let name = value()?;
                    let server = SERVERS
                        .iter()
                        .find(|server| server.listing == name)
                        .ok_or_else(|| {
                            let known: Vec<&str> = SERVERS.iter().map(|s| s.listing).collect();
                            format!("`--only` takes one of {}, not `{name}`", known.join(", "))
                        })?;
                    options.servers = vec![server];
                }
                "--connections" => {
                    let list = value()?;
                    options.connections = list
                        .split(',')
                        .map(|n| number(&arg, n, 1..=1000))
                        .collect::<Result<_, _>>()?;
                }
                "--profile" => {
                    options.profile = match value()?.as_str() {
                        "release" => "release",
                        "dev" => "dev",
                        other => {
                            return Err(format!(
                                "`--profile` takes `release` or `dev`, not `{other}`"
                            ));
                        }
                    };
                }
                _ => return Err(format!("unknown option `{arg}`")),
            }
        }
        Ok(Some(options))
    }
}

/// `value` as a whole number within `range`, or an error naming `option`.
fn number(option: &str, value: &str, range: RangeInclusive<u64>) -> Result<u64, String> {
    match value.parse() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "`{option}` takes whole numbers from {} to {}, not `{value}`",
            range.start(),
            range.end()
        )),
    }
}

/// The repository: this crate's parent folder.
fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ is inside the repository")
}

/// Builds a listing in a target directory of its own under `targets`.
fn build(listing: &Listing, targets: &Path, profile: &str) -> Result<PathBuf, String> {
    Ok(listing.build(&targets.join(&listing.name), profile)?.binary)
}

/// The `servers` command.
fn servers(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let targets = repo_root().join("target").join("bench");

    // Every listing is found before anything is built.
    let loadgen = Listing::find(LOADGEN)?;
    let found: Vec<(&Measured, Listing)> = options
        .servers
        .iter()
        .map(|&server| Ok((server, Listing::find(server.listing)?)))
        .collect::<Result<_, String>>()?;

    eprintln!(
        "building {} listing(s) ({} profile) under {}",
        found.len() + 1,
        options.profile,
        targets.display()
    );
    let loadgen_binary = build(&loadgen, &targets, options.profile)?;
    let mut built = Vec::new();
    for (server, listing) in &found {
        built.push((*server, listing, build(listing, &targets, options.profile)?));
    }

    let mut rows = Vec::new();
    for (measured, listing, binary) in &built {
        let mut server = Server::start(listing.name.as_str(), binary, &listing.dir)?;
        for &connections in &options.connections {
            let what = format!(
                "loadgen against `{}` at {connections} connections",
                listing.name
            );
            let output = run_to_end(
                &what,
                Command::new(&loadgen_binary)
                    .arg("--connections")
                    .arg(connections.to_string())
                    .arg("--duration")
                    .arg(options.duration.to_string())
                    .arg(format!("http://{}/", server.addr())),
                Duration::from_secs(options.duration) + LOADGEN_GRACE,
            )?;
            if !output.status.success() {
                return Err(format!(
                    "{what} failed ({}); it printed:\n{}{}",
                    output.status, output.stdout, output.stderr
                ));
            }
            let report = report::parse(&output.stdout).map_err(|err| {
                format!(
                    "cannot read the report of {what}: {err}; it printed:\n{}",
                    output.stdout
                )
            })?;
            if server.has_exited() {
                return Err(server.failure(&format!(
                    "exited during the run at {connections} connections"
                )));
            }
            eprintln!(
                "{:<32} {connections:>4} connections: {:>9.1} requests/s, p99 {} µs, {} failed",
                listing.name,
                report.throughput,
                report
                    .latency
                    .map_or_else(|| "-".to_string(), |latency| latency.p99.to_string()),
                report.failed
            );
            rows.push(csv::Row {
                server: measured.listing,
                threads: measured.threads,
                workers: measured.workers,
                connections,
                report,
            });
        }
        // `server` is dropped here: the process is killed before the next starts.
    }

    let header = [
        format!(
            "book-bench servers: the book's servers under its load generator ({LOADGEN}), \
             closed loop, GET / on a new connection per request, {} s per row, listings built \
             with the {} profile",
            options.duration, options.profile
        ),
        format!("machine: {}", machine::describe()),
        format!("date: {}", machine::now_utc()),
        "regenerate: cargo run -p book-bench --release -- servers (see README, Measuring)"
            .to_string(),
    ];
    let text = csv::write(&header, &rows);
    if let Some(parent) = options.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    std::fs::write(&options.out, text)
        .map_err(|err| format!("cannot write {}: {err}", options.out.display()))?;
    eprintln!(
        "wrote {} rows to {} in {:.0} s",
        rows.len(),
        options.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        Options::parse(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn defaults_measure_every_server_at_four_connection_counts() {
        let options = parse(&["servers"]).unwrap().unwrap();
        assert_eq!(options.duration, 5);
        assert_eq!(options.connections, [1, 4, 16, 64]);
        assert_eq!(options.servers.len(), SERVERS.len());
        assert_eq!(options.profile, "release");
        assert!(options.out.ends_with("bench/data/servers.csv"));
    }

    #[test]
    fn options_narrow_the_run() {
        let options = parse(&[
            "servers",
            "--only",
            "ch08-09-close-listener-first",
            "--connections",
            "1,8",
            "--duration",
            "1",
            "--profile",
            "dev",
            "--out",
            "x.csv",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(options.servers.len(), 1);
        assert_eq!(options.servers[0].listing, "ch08-09-close-listener-first");
        assert_eq!(options.connections, [1, 8]);
        assert_eq!((options.duration, options.profile), (1, "dev"));
        assert_eq!(options.out, Path::new("x.csv"));
    }

    #[test]
    fn bad_input_is_named() {
        let error = |args: &[&str]| parse(args).unwrap_err();
        assert_eq!(error(&[]), "give a command: `servers`");
        assert_eq!(error(&["nginx"]), "unknown command `nginx`");
        assert!(error(&["servers", "--duration", "0"]).contains("`--duration` takes"));
        assert!(error(&["servers", "--duration", "1.5"]).contains("not `1.5`"));
        assert!(error(&["servers", "--connections", "1,,4"]).contains("not ``"));
        assert!(error(&["servers", "--connections", "1001"]).contains("1 to 1000"));
        assert!(error(&["servers", "--only", "ch99-nope"]).contains("not `ch99-nope`"));
        assert!(error(&["servers", "--profile", "fast"]).contains("`release` or `dev`"));
        assert_eq!(error(&["servers", "--out"]), "`--out` needs a value");
        assert_eq!(error(&["servers", "-x"]), "unknown option `-x`");
    }

    #[test]
    fn every_measured_server_is_a_listing() {
        for server in SERVERS {
            Listing::find(server.listing).unwrap();
        }
        Listing::find(LOADGEN).unwrap();
        let missing = Listing::find("ch99-missing").err().unwrap();
        assert!(
            missing.starts_with("no listing named ch99-missing"),
            "{missing}"
        );
    }
}
