//! The `servers` command's line, and the pieces every command's options
//! are read with (numbers, lists of numbers, a build profile).

use std::{ops::RangeInclusive, path::PathBuf};

use crate::measured::{self, Measured, SERVERS};

pub const USAGE: &str = "\
usage: book-bench servers [--only SERVER,...] [--sweep-only | --mix-only]
                          [--connections N,...] [--duration SECS] [--out FILE]
                          [--slow-in-flight L,...] [--mix-duration SECS]
                          [--mix-out FILE] [--profile release|dev] [--note TEXT]

Builds the book's servers and its load generator, then measures, one server
at a time (every connection new, `Connection: close`):
  the `/` sweep: each server alone, closed loop on `/`, at each number of
    connections; one row per server and number of connections in --out;
  the mix: a closed loop on `/` (4 connections) beside an open loop of
    `/slow` (2 s each) at the rate that keeps L of them in flight (L / 2 s
    per second); one row per server and L in --mix-out.
nginx is measured in the sweep when it is on the PATH (skipped otherwise).

  --only LIST            servers to measure: one, per-connection, pool-1,
                         pool-2, pool-4, pool-8, pool-16, nginx, or a
                         listing's name (default: all)
  --sweep-only           measure the `/` sweep only
  --mix-only             measure the mix only
  --connections LIST     the sweep's connections, 1 to 1000 (default 1,4,16,64)
  --duration SECS        each sweep run, 1 to 3600 (default 5)
  --out FILE             the sweep's CSV (default bench/data/servers.csv)
  --slow-in-flight LIST  the mix's slow requests in flight, 0 to 100
                         (default 0,1,2,4,8,16)
  --mix-duration SECS    each mix run's `/` loop, 1 to 3600 (default 10)
  --mix-out FILE         the mix's CSV (default bench/data/mix.csv)
  --profile PROFILE      how the listings are built: release (default) or dev
  --note TEXT            a comment line for the CSV files (the machine's state)";

/// What the command line asks for.
#[derive(Debug)]
pub struct Options {
    pub servers: Vec<&'static Measured>,
    pub sweep: bool,
    pub mix: bool,
    pub connections: Vec<u64>,
    pub duration: u64,
    pub out: PathBuf,
    pub slow_in_flight: Vec<u64>,
    pub mix_duration: u64,
    pub mix_out: PathBuf,
    pub profile: &'static str,
    pub note: Option<String>,
}

impl Options {
    /// Reads the arguments after `servers`; `Ok(None)` asks for the usage text.
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
        let data = crate::repo_root().join("bench/data");
        let mut options = Options {
            servers: SERVERS.iter().collect(),
            sweep: true,
            mix: true,
            connections: vec![1, 4, 16, 64],
            duration: 5,
            out: data.join("servers.csv"),
            slow_in_flight: vec![0, 1, 2, 4, 8, 16],
            mix_duration: 10,
            mix_out: data.join("mix.csv"),
            profile: "release",
            note: None,
        };
        let (mut sweep_only, mut mix_only) = (false, false);
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--help" | "-h" => return Ok(None),
                "--only" => options.servers = measured::select(&value()?)?,
                "--sweep-only" => sweep_only = true,
                "--mix-only" => mix_only = true,
                "--connections" => options.connections = numbers(&arg, &value()?, 1..=1000)?,
                "--duration" => options.duration = number(&arg, &value()?, 1..=3600)?,
                "--out" => options.out = PathBuf::from(value()?),
                "--slow-in-flight" => {
                    options.slow_in_flight = numbers(&arg, &value()?, 0..=100)?;
                }
                "--mix-duration" => options.mix_duration = number(&arg, &value()?, 1..=3600)?,
                "--mix-out" => options.mix_out = PathBuf::from(value()?),
                "--profile" => options.profile = profile(&value()?)?,
                "--note" => options.note = Some(value()?),
                _ => return Err(format!("unknown option `{arg}`")),
            }
        }
        if sweep_only && mix_only {
            return Err("`--sweep-only` and `--mix-only` exclude each other".to_string());
        }
        options.sweep = !mix_only;
        options.mix = !sweep_only;
        Ok(Some(options))
    }
}

/// The command line of a command that measures runs of one length and
/// writes a file or two (`attacks`, `flood`): `--duration`, `--profile`,
/// and an option naming each file.
#[derive(Debug)]
pub struct Runs {
    /// How long each run lasts, in seconds.
    pub duration: u64,
    pub profile: &'static str,
    /// Each file's option and path, in the order `parse` was given them.
    outs: Vec<(&'static str, PathBuf)>,
}

impl Runs {
    /// Reads a command's arguments, with `duration` seconds and the files
    /// (`--out` and the like, each with its path under the repository) as
    /// defaults; `Ok(None)` asks for the usage text.
    pub fn parse(
        mut args: impl Iterator<Item = String>,
        duration: u64,
        files: &[(&'static str, &str)],
    ) -> Result<Option<Runs>, String> {
        let mut runs = Runs {
            duration,
            profile: "release",
            outs: files
                .iter()
                .map(|&(option, path)| (option, crate::repo_root().join(path)))
                .collect(),
        };
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--help" | "-h" => return Ok(None),
                "--duration" => runs.duration = number(&arg, &value()?, 1..=600)?,
                "--profile" => runs.profile = profile(&value()?)?,
                option => match runs.outs.iter().position(|(name, _)| *name == option) {
                    Some(file) => runs.outs[file].1 = PathBuf::from(value()?),
                    None => return Err(format!("unknown option `{arg}`")),
                },
            }
        }
        Ok(Some(runs))
    }

    /// The path the file option `option` names.
    pub fn out(&self, option: &str) -> &std::path::Path {
        let (_, path) = self
            .outs
            .iter()
            .find(|(name, _)| *name == option)
            .unwrap_or_else(|| panic!("no file option {option}"));
        path
    }
}

/// `value` as a whole number within `range`, or an error naming `option`.
pub fn number(option: &str, value: &str, range: RangeInclusive<u64>) -> Result<u64, String> {
    match value.parse() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "`{option}` takes whole numbers from {} to {}, not `{value}`",
            range.start(),
            range.end()
        )),
    }
}

/// A comma-separated list of such numbers.
pub fn numbers(option: &str, list: &str, range: RangeInclusive<u64>) -> Result<Vec<u64>, String> {
    list.split(',')
        .map(|n| number(option, n, range.clone()))
        .collect()
}

/// `--profile`'s value: the cargo profile the listings are built with.
pub fn profile(value: &str) -> Result<&'static str, String> {
    match value {
        "release" => Ok("release"),
        "dev" => Ok("dev"),
        other => Err(format!(
            "`--profile` takes `release` or `dev`, not `{other}`"
        )),
    }
}

#[cfg(test)]
pub mod tests {
    use std::path::Path;

    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        Options::parse(args.iter().map(|arg| arg.to_string()))
    }

    fn names(options: &Options) -> Vec<&str> {
        options.servers.iter().map(|server| server.name).collect()
    }

    #[test]
    fn defaults_measure_every_server_in_the_sweep_and_the_mix() {
        let options = parse(&[]).unwrap().unwrap();
        assert_eq!(
            names(&options),
            [
                "one",
                "per-connection",
                "pool-1",
                "pool-2",
                "pool-4",
                "pool-8",
                "pool-16",
                "nginx"
            ]
        );
        assert!(options.sweep && options.mix);
        assert_eq!(options.connections, [1, 4, 16, 64]);
        assert_eq!(options.duration, 5);
        assert!(options.out.ends_with("bench/data/servers.csv"));
        assert_eq!(options.slow_in_flight, [0, 1, 2, 4, 8, 16]);
        assert_eq!(options.mix_duration, 10);
        assert!(options.mix_out.ends_with("bench/data/mix.csv"));
        assert_eq!(options.profile, "release");
        assert_eq!(options.note, None);
    }

    #[test]
    fn options_narrow_the_run() {
        let options = parse(&[
            "--only",
            "pool-8,nginx",
            "--connections",
            "1,8",
            "--duration",
            "1",
            "--slow-in-flight",
            "0,3",
            "--mix-duration",
            "2",
            "--profile",
            "dev",
            "--out",
            "x.csv",
            "--mix-out",
            "y.csv",
            "--note",
            "a quiet machine",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(names(&options), ["pool-8", "nginx"]);
        assert_eq!(options.connections, [1, 8]);
        assert_eq!((options.duration, options.profile), (1, "dev"));
        assert_eq!(options.slow_in_flight, [0, 3]);
        assert_eq!(options.mix_duration, 2);
        assert_eq!(options.out, Path::new("x.csv"));
        assert_eq!(options.mix_out, Path::new("y.csv"));
        assert_eq!(options.note.as_deref(), Some("a quiet machine"));
    }

    #[test]
    fn either_part_can_run_alone() {
        let sweep = parse(&["--sweep-only"]).unwrap().unwrap();
        assert!(sweep.sweep && !sweep.mix);
        let mix = parse(&["--mix-only"]).unwrap().unwrap();
        assert!(!mix.sweep && mix.mix);
        assert!(parse(&["--help"]).unwrap().is_none());
        assert!(parse(&["-h"]).unwrap().is_none());
    }

    #[test]
    fn bad_input_is_named() {
        let error = |args: &[&str]| parse(args).unwrap_err();
        assert_eq!(error(&["nginx"]), "unknown option `nginx`");
        assert!(error(&["--duration", "0"]).contains("`--duration` takes"));
        assert!(error(&["--duration", "1.5"]).contains("not `1.5`"));
        assert!(error(&["--mix-duration", "0"]).contains("`--mix-duration` takes"));
        assert!(error(&["--connections", "1,,4"]).contains("not ``"));
        assert!(error(&["--connections", "1001"]).contains("1 to 1000"));
        assert!(error(&["--slow-in-flight", "0,101"]).contains("0 to 100, not `101`"));
        assert!(error(&["--slow-in-flight", "-1"]).contains("not `-1`"));
        assert!(error(&["--only", "ch99-nope"]).contains("not `ch99-nope`"));
        assert!(error(&["--only", "pool-8,pool-3"]).contains("not `pool-3`"));
        assert!(error(&["--profile", "fast"]).contains("`release` or `dev`"));
        assert_eq!(error(&["--out"]), "`--out` needs a value");
        assert_eq!(error(&["--note"]), "`--note` needs a value");
        assert_eq!(error(&["-x"]), "unknown option `-x`");
        assert!(error(&["--sweep-only", "--mix-only"]).contains("exclude each other"));
    }

    #[test]
    fn numbers_lists_and_profiles_are_read_or_named() {
        assert_eq!(number("--rounds", "100", 1..=100), Ok(100));
        assert_eq!(
            number("--rounds", "0", 1..=100),
            Err("`--rounds` takes whole numbers from 1 to 100, not `0`".to_string())
        );
        assert_eq!(
            numbers("--connections", "4,16,64", 1..=1000),
            Ok(vec![4, 16, 64])
        );
        assert_eq!(
            numbers("--connections", "4,", 1..=1000),
            Err("`--connections` takes whole numbers from 1 to 1000, not ``".to_string())
        );
        assert_eq!(
            (profile("release"), profile("dev")),
            (Ok("release"), Ok("dev"))
        );
        assert_eq!(
            profile("test"),
            Err("`--profile` takes `release` or `dev`, not `test`".to_string())
        );
    }

    /// Asserts that `usage` names each of `options`.
    pub fn assert_names(usage: &str, options: &[&str]) {
        for option in options {
            assert!(usage.contains(option), "the usage does not name {option}");
        }
    }

    #[test]
    fn the_usage_names_every_option_and_server() {
        assert_names(
            USAGE,
            &[
                "--only",
                "--sweep-only",
                "--mix-only",
                "--connections",
                "--duration",
                "--out",
                "--slow-in-flight",
                "--mix-duration",
                "--mix-out",
                "--profile",
                "--note",
            ],
        );
        for server in SERVERS {
            assert!(USAGE.contains(server.name), "{}", server.name);
        }
    }
}
