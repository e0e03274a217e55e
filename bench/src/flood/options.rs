//! `book-bench flood`'s command line.

use crate::options::Runs;

pub const USAGE: &str = "\
usage: book-bench flood [--duration SECS] [--out FILE] [--profile release|dev]

Builds chapter 16's first and last servers (an unbounded queue; a bounded
one that answers 503 when full) and the load generator as chapter 16 leaves
it (it counts 503s as shed), then floods each server's /slow (WORKERS=4,
SLOW_MS=10: a capacity of 400 a second) in an open loop at one, two and four
times the capacity on 1000 connections, a fresh server for each run, and
samples the server's open files and memory from /proc meanwhile. Writes one
CSV row per server and rate.

  --duration SECS      how long each run lasts, 1 to 600 (default 5)
  --out FILE           where the CSV goes (default bench/data/flood.csv)
  --profile PROFILE    how the listings are built: release (default) or dev";

/// Reads the arguments after `flood`; `Ok(None)` asks for the usage text.
pub fn parse(args: impl Iterator<Item = String>) -> Result<Option<Runs>, String> {
    Runs::parse(args, 5, &[("--out", "bench/data/flood.csv")])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_is_read_and_a_bad_one_is_named() {
        let parse = |args: &[&str]| super::parse(args.iter().map(|a| a.to_string()));
        let options = parse(&["--duration", "2", "--out", "x.csv", "--profile", "dev"])
            .unwrap()
            .unwrap();
        assert_eq!((options.duration, options.profile), (2, "dev"));
        assert_eq!(options.out("--out"), std::path::Path::new("x.csv"));
        assert_eq!(parse(&[]).unwrap().unwrap().duration, 5);
        assert!(parse(&["--help"]).unwrap().is_none());
        assert_eq!(
            parse(&["--connections", "2"]).unwrap_err(),
            "unknown option `--connections`"
        );
        crate::options::tests::assert_names(USAGE, &["--duration", "--out", "--profile"]);
    }
}
