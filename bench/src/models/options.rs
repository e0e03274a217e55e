//! `book-bench models`' command line.

use std::path::PathBuf;

use super::servers::{self, MODELS, Model};
use crate::options::{number, profile};

pub const USAGE: &str = "\
usage: book-bench models [--only MODEL,...] [--connections N] [--rounds N]
                         [--duration SECS] [--slow-in-flight L] [--idle N]
                         [--out-dir DIR] [--profile release|dev] [--note TEXT]

Builds the final server of each model the book builds (Part 5's pool,
chapter 19's event loop, chapter 20's and chapter 21's tokio servers) and
the load generator with keep-alive (chapter 22), then measures, in one run:
  throughput: every server running at once, measured in turns (--rounds
    rounds of 2 s each) on `/` at --connections connections, each request
    on a new connection (models-close.csv) and on kept-alive connections
    (models-keep-alive.csv); nginx beside them when it is on the PATH;
  slow: `/` on 4 connections for --duration seconds while an open loop
    keeps L requests to `/slow` (a 1 s sleep) in flight, a fresh server
    each (models-slow.csv; nginx has no /slow);
  idle: `/` on 4 connections for --duration seconds while the attack tool
    holds N idle connections open, a fresh server each, with its memory
    and open files before and with them (models-idle.csv);
  forkjoin: chapter 18's /report, sequential and split across the cores,
    one request at a time, in turns (models-forkjoin.csv).

  --only LIST          models to measure: pool, event-loop, async-one,
                       async-many, nginx, and forkjoin for chapter 18's
                       route (default: all)
  --connections N      the throughput's connections, 1 to 1000 (default 128)
  --rounds N           the throughput's rounds, 1 to 20 (default 3)
  --duration SECS      each `/` run beside slow or idle clients, 1 to 600
                       (default 10)
  --slow-in-flight L   slow requests in flight, 1 to 100 (default 16)
  --idle N             idle connections, 1 to 50000 (default 10000)
  --out-dir DIR        where the four files go (default bench/data)
  --profile PROFILE    how the listings are built: release (default) or dev
  --note TEXT          a comment line for the files (the machine's state)";

/// What the command line asks for.
#[derive(Debug)]
pub struct Options {
    pub models: Vec<&'static Model>,
    /// Whether chapter 18's route is measured.
    pub forkjoin: bool,
    pub connections: u64,
    pub rounds: u64,
    pub duration: u64,
    pub slow_in_flight: u64,
    pub idle: u64,
    pub out_dir: PathBuf,
    pub profile: &'static str,
    pub note: Option<String>,
}

impl Options {
    /// The file `name` (`models-close.csv`…) in the output folder.
    pub fn out(&self, name: &str) -> PathBuf {
        self.out_dir.join(name)
    }
}

/// Reads the arguments after `models`; `Ok(None)` asks for the usage text.
pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        models: MODELS.iter().collect(),
        forkjoin: true,
        connections: 128,
        rounds: 3,
        duration: 10,
        slow_in_flight: 16,
        idle: 10_000,
        out_dir: crate::repo_root().join("bench/data"),
        profile: "release",
        note: None,
    };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--only" => {
                let list = value()?;
                let models: Vec<&str> =
                    list.split(',').filter(|name| *name != "forkjoin").collect();
                options.forkjoin = models.len() < list.split(',').count();
                options.models = if models.is_empty() {
                    Vec::new()
                } else {
                    servers::select(&models.join(","))?
                };
            }
            "--connections" => options.connections = number(&arg, &value()?, 1..=1000)?,
            "--rounds" => options.rounds = number(&arg, &value()?, 1..=20)?,
            "--duration" => options.duration = number(&arg, &value()?, 1..=600)?,
            "--slow-in-flight" => options.slow_in_flight = number(&arg, &value()?, 1..=100)?,
            "--idle" => options.idle = number(&arg, &value()?, 1..=50_000)?,
            "--out-dir" => options.out_dir = PathBuf::from(value()?),
            "--profile" => options.profile = profile(&value()?)?,
            "--note" => options.note = Some(value()?),
            _ => return Err(format!("unknown option `{arg}`")),
        }
    }
    Ok(Some(options))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        super::parse(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn defaults_measure_every_model_at_the_issue_s_numbers() {
        let options = parse(&[]).unwrap().unwrap();
        let names: Vec<&str> = options.models.iter().map(|m| m.name).collect();
        assert_eq!(
            names,
            ["pool", "event-loop", "async-one", "async-many", "nginx"]
        );
        assert_eq!(
            (options.connections, options.rounds, options.duration),
            (128, 3, 10)
        );
        assert_eq!((options.slow_in_flight, options.idle), (16, 10_000));
        assert!(
            options
                .out("models-idle.csv")
                .ends_with("bench/data/models-idle.csv")
        );
        assert_eq!((options.profile, options.note), ("release", None));
        assert!(options.forkjoin);
    }

    #[test]
    fn every_option_is_read_and_a_bad_one_is_named() {
        let options = parse(&[
            "--only",
            "nginx,pool",
            "--connections",
            "8",
            "--rounds",
            "1",
            "--duration",
            "2",
            "--slow-in-flight",
            "3",
            "--idle",
            "50",
            "--out-dir",
            "out",
            "--profile",
            "dev",
            "--note",
            "quiet",
        ])
        .unwrap()
        .unwrap();
        // In the table's order, whatever the list's.
        let names: Vec<&str> = options.models.iter().map(|m| m.name).collect();
        assert_eq!(names, ["pool", "nginx"]);
        assert!(!options.forkjoin);
        let forkjoin = parse(&["--only", "forkjoin"]).unwrap().unwrap();
        assert!(forkjoin.forkjoin && forkjoin.models.is_empty());
        assert_eq!(
            (options.connections, options.rounds, options.duration),
            (8, 1, 2)
        );
        assert_eq!((options.slow_in_flight, options.idle), (3, 50));
        assert_eq!(options.out("x.csv"), Path::new("out/x.csv"));
        assert_eq!(
            (options.profile, options.note.as_deref()),
            ("dev", Some("quiet"))
        );
        assert!(parse(&["--help"]).unwrap().is_none());
        let error = |args: &[&str]| parse(args).unwrap_err();
        assert!(error(&["--only", "pool,fibers"]).contains("not `fibers`"));
        assert!(error(&["--idle", "0"]).contains("from 1 to 50000, not `0`"));
        assert!(error(&["--connections", "1001"]).contains("1 to 1000"));
        assert_eq!(error(&["--out-dir"]), "`--out-dir` needs a value");
        assert_eq!(error(&["--mix-only"]), "unknown option `--mix-only`");
        crate::options::tests::assert_names(
            USAGE,
            &[
                "--only",
                "--connections",
                "--rounds",
                "--duration",
                "--slow-in-flight",
                "--idle",
                "--out-dir",
                "--profile",
                "--note",
            ],
        );
        for model in MODELS {
            assert!(USAGE.contains(model.name), "{}", model.name);
        }
    }
}
