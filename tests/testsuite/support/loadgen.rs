//! The book's load generator as the checks run it: a run to its end, and
//! its report read back, field by field, for the claims of Part 4.

use std::time::Duration;

use super::listings::{Run, run_listing};

/// Generous: a run of a few seconds, plus building and starting.
pub const RUN_LIMIT: Duration = Duration::from_secs(60);

/// What a run of the generator reported.
#[derive(Debug)]
pub struct Report {
    pub answered: u64,
    pub failed: u64,
    pub seconds: f64,
    pub failures: String,
    /// p50, p90, p99 and max, in microseconds; `None` if nothing was answered.
    pub latency: Option<[u64; 4]>,
}

/// Reads the generator's report from its output, failing the test with the
/// whole output if a line is missing or malformed.
pub fn report_of(run: &Run) -> Report {
    let fail =
        |why: &str| -> ! { panic!("{why}; stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr) };
    let line = |prefix: &str| {
        run.stdout
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .unwrap_or_else(|| fail(&format!("no line starting {prefix:?}")))
    };
    // `requests: 12 answered, 0 failed, in 1.00 s`
    let words: Vec<&str> = line("requests: ").split_whitespace().collect();
    let [answered, "answered,", failed, "failed,", "in", seconds, "s"] = words[..] else {
        fail("the requests line is not `N answered, M failed, in S s`")
    };
    let number = |text: &str| -> u64 {
        text.parse()
            .unwrap_or_else(|_| fail(&format!("`{text}` is not a count")))
    };
    let latency = line("latency").strip_prefix(" (µs): ").map(|values| {
        let values: Vec<u64> = values
            .split(", ")
            .map(|pair| number(pair.split_once(' ').map_or(pair, |(_, value)| value)))
            .collect();
        values
            .try_into()
            .unwrap_or_else(|_| fail("the latency line has not four values"))
    });
    Report {
        answered: number(answered),
        failed: number(failed),
        seconds: seconds
            .parse()
            .unwrap_or_else(|_| fail("the run's length is not a number")),
        failures: line("failures: ").to_string(),
        latency,
    }
}

/// Runs the generator `listing` with `args` to its end; it must succeed.
/// Runs started together start together: the listing is built once per
/// run of the checks (`support::listings`), and later calls find it built.
pub fn generate(listing: &str, args: &[&str]) -> Run {
    succeeded(listing, args, run_listing(listing, args, RUN_LIMIT))
}

fn succeeded(listing: &str, args: &[&str], run: Run) -> Run {
    assert!(
        run.status.success(),
        "{listing} {args:?} ended with {}; stderr:\n{}",
        run.status,
        run.stderr
    );
    run
}

/// The percentiles of a report are in order: p50 ≤ p90 ≤ p99 ≤ max.
pub fn assert_ordered(listing: &str, report: &Report) {
    let Some([p50, p90, p99, max]) = report.latency else {
        panic!("{listing}: no latency reported: {report:?}");
    };
    assert!(
        p50 <= p90 && p90 <= p99 && p99 <= max,
        "{listing}: percentiles out of order: {report:?}"
    );
}
