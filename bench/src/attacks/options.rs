//! `book-bench attacks`' command line.

use crate::options::Runs;

pub const USAGE: &str = "\
usage: book-bench attacks [--duration SECS] [--out FILE] [--cost-out FILE]
                          [--hardened-cost-out FILE] [--profile release|dev]

Builds chapter 13's attack tool, the load generator, Part 4's tuned pool,
chapter 13's last server and Part 5's last server, then measures `/` under
attack: for each case a fresh server, 16 idle and 8 trickling attackers
that reconnect as soon as they are cut off, and the generator on `/` with 4
connections while they hold on; the deadline's length and the pool's size
changed one at a time. Writes one CSV row per case. Then measures what the
fixes cost when nobody attacks: the three servers running, 8 rounds of 1 s
each in turns, at 4 and 16 connections; each file compares one of them with
the tuned pool.

  --duration SECS            how long the generator runs in each case, 1 to
                             600 (default 10; the attack lasts 3 s longer)
  --out FILE                 where the cases go (default bench/data/attacks.csv)
  --cost-out FILE            chapter 13's server against the tuned pool
                             (default bench/data/deadline-cost.csv)
  --hardened-cost-out FILE   Part 5's last server against the tuned pool
                             (default bench/data/hardened-cost.csv)
  --profile PROFILE          how the listings are built: release (default) or dev";

/// Reads the arguments after `attacks`; `Ok(None)` asks for the usage text.
pub fn parse(args: impl Iterator<Item = String>) -> Result<Option<Runs>, String> {
    Runs::parse(
        args,
        10,
        &[
            ("--out", "bench/data/attacks.csv"),
            ("--cost-out", "bench/data/deadline-cost.csv"),
            ("--hardened-cost-out", "bench/data/hardened-cost.csv"),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_is_read_and_a_bad_one_is_named() {
        let parse = |args: &[&str]| super::parse(args.iter().map(|a| a.to_string()));
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
        assert_eq!((options.duration, options.profile), (2, "dev"));
        assert_eq!(options.out("--out"), std::path::Path::new("x.csv"));
        assert_eq!(options.out("--cost-out"), std::path::Path::new("y.csv"));
        let defaults = parse(&[]).unwrap().unwrap();
        assert!(
            defaults
                .out("--cost-out")
                .ends_with("bench/data/deadline-cost.csv")
        );
        assert_eq!(defaults.duration, 10);
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
            &[
                "--duration",
                "--out",
                "--cost-out",
                "--hardened-cost-out",
                "--profile",
            ],
        );
    }
}
