//! `book-bench tuning`'s command line.

use std::path::PathBuf;

use crate::options::{number, numbers, profile};

pub const USAGE: &str = "\
usage: book-bench tuning [--duration SECS] [--rounds N] [--connections N,N,...]
                         [--out FILE] [--profile release|dev]

Builds chapter 12's servers (Part 3's pool in debug and in release, each
tuning step, the reference server) and the load generator, starts them all
(and nginx, serving the same page, if it is on the PATH),
and runs the generator against each server's `/` in turns (closed loop, a
new connection per request): at each number of connections, each round runs
every server once. Writes one CSV row per server and number of connections.

  --duration SECS      how long each run lasts, 1 to 600 (default 1)
  --rounds N           how many turns each server gets, 1 to 100 (default 8)
  --connections LIST   numbers of connections, 1 to 1000 (default 4,16,64)
  --out FILE           where the CSV goes (default bench/data/tuning.csv)
  --profile PROFILE    how the steps are built: release (default) or dev
                       (the first row is always built with dev: the debug build)";

/// What the command line asks for.
#[derive(Debug)]
pub struct Options {
    pub duration: u64,
    pub rounds: u64,
    pub connections: Vec<u64>,
    pub out: PathBuf,
    pub profile: &'static str,
}

impl Options {
    /// Reads the arguments after `tuning`; `Ok(None)` asks for the usage text.
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
        let mut options = Options {
            duration: 1,
            rounds: 8,
            connections: vec![4, 16, 64],
            out: crate::repo_root().join("bench/data/tuning.csv"),
            profile: "release",
        };
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--help" | "-h" => return Ok(None),
                "--duration" => options.duration = number(&arg, &value()?, 1..=600)?,
                "--rounds" => options.rounds = number(&arg, &value()?, 1..=100)?,
                "--connections" => options.connections = numbers(&arg, &value()?, 1..=1000)?,
                "--out" => options.out = PathBuf::from(value()?),
                "--profile" => options.profile = profile(&value()?)?,
                _ => return Err(format!("unknown option `{arg}`")),
            }
        }
        Ok(Some(options))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        Options::parse(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn options_have_defaults_and_narrow_the_run() {
        let options = parse(&[]).unwrap().unwrap();
        assert_eq!((options.duration, options.rounds), (1, 8));
        assert_eq!(options.connections, [4, 16, 64]);
        assert!(options.out.ends_with("bench/data/tuning.csv"));
        assert_eq!(options.profile, "release");
        let options = parse(&[
            "--rounds",
            "1",
            "--duration",
            "2",
            "--connections",
            "2,8",
            "--profile",
            "dev",
            "--out",
            "t.csv",
        ])
        .unwrap()
        .unwrap();
        assert_eq!((options.rounds, options.duration), (1, 2));
        assert_eq!((options.profile, options.connections), ("dev", vec![2, 8]));
        assert!(options.out.ends_with("t.csv"));
        assert!(parse(&["--help"]).unwrap().is_none());
    }

    #[test]
    fn bad_input_is_named() {
        let error = |args: &[&str]| parse(args).unwrap_err();
        assert!(error(&["--rounds", "0"]).contains("1 to 100"));
        assert!(error(&["--duration", "601"]).contains("`--duration` takes"));
        assert!(error(&["--connections", "4,x"]).contains("not `x`"));
        assert!(error(&["--profile", "fast"]).contains("`release` or `dev`"));
        assert_eq!(error(&["--out"]), "`--out` needs a value");
        assert_eq!(error(&["-x"]), "unknown option `-x`");
    }

    #[test]
    fn the_usage_names_every_option() {
        crate::options::tests::assert_names(
            USAGE,
            &[
                "--duration",
                "--rounds",
                "--connections",
                "--out",
                "--profile",
            ],
        );
    }
}
