//! `book-bench attacks`' command line.

use std::path::PathBuf;

use crate::options::{number, profile};

pub const USAGE: &str = "\
usage: book-bench attacks [--duration SECS] [--out FILE] [--cost-out FILE]
                          [--profile release|dev]

Builds chapter 13's attack tool, the load generator, Part 4's tuned pool
and chapter 13's last server, then measures `/` under attack: for each case
a fresh server, 16 idle and 8 trickling attackers that reconnect as soon as
they are cut off, and the generator on `/` with 4 connections while they
hold on; the deadline's length and the pool's size changed one at a time.
Writes one CSV row per case. Then measures what the deadline costs when
nobody attacks: both servers running, 8 rounds of 1 s each in turns, at 4
and 16 connections.

  --duration SECS      how long the generator runs in each case, 1 to 600
                       (default 10; the attack lasts 3 s longer)
  --out FILE           where the cases go (default bench/data/attacks.csv)
  --cost-out FILE      where the cost goes (default bench/data/deadline-cost.csv)
  --profile PROFILE    how the listings are built: release (default) or dev";

/// What the command line asks for.
#[derive(Debug)]
pub struct Options {
    pub duration: u64,
    pub out: PathBuf,
    pub cost_out: PathBuf,
    pub profile: &'static str,
}

impl Options {
    /// Reads the arguments after `attacks`; `Ok(None)` asks for the usage text.
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
        let mut options = Options {
            duration: 10,
            out: crate::repo_root().join("bench/data/attacks.csv"),
            cost_out: crate::repo_root().join("bench/data/deadline-cost.csv"),
            profile: "release",
        };
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--help" | "-h" => return Ok(None),
                "--duration" => options.duration = number(&arg, &value()?, 1..=600)?,
                "--out" => options.out = PathBuf::from(value()?),
                "--cost-out" => options.cost_out = PathBuf::from(value()?),
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

    #[test]
    fn every_option_is_read_and_a_bad_one_is_named() {
        let parse = |args: &[&str]| Options::parse(args.iter().map(|a| a.to_string()));
        let options = parse(&[
            "--duration",
            "2",
            "--out",
            "x.csv",
            "--cost-out",
            "y.csv",
            "--profile",
            "dev",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(
            (
                options.duration,
                options.out,
                options.cost_out,
                options.profile
            ),
            (2, PathBuf::from("x.csv"), PathBuf::from("y.csv"), "dev")
        );
        assert!(parse(&["--help"]).unwrap().is_none());
        assert_eq!(
            parse(&["--duration", "0"]).unwrap_err(),
            "`--duration` takes whole numbers from 1 to 600, not `0`"
        );
        assert_eq!(
            parse(&["--rounds", "2"]).unwrap_err(),
            "unknown option `--rounds`"
        );
        crate::options::tests::assert_names(
            USAGE,
            &["--duration", "--out", "--cost-out", "--profile"],
        );
    }
}
