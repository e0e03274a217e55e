//! Reading the report the book's load generator prints (chapter 9's
//! `report`, as chapter 10 leaves it):
//!
//! ```text
//! GET http://127.0.0.1:7391/ on 4 connections for 2 s
//! requests: 18923 answered, 0 failed, in 2.00 s
//! throughput: 9457.5 answered per second
//! failures: none
//! latency (µs): p50 255, p90 631, p99 4351, max 21781
//! ```
//!
//! The last line is `latency: no request was answered` when none was, and
//! the failures line lists kinds with counts: `failures: refused 3, bad status 2`
//! (and, from chapter 16's generator on, `shed 40`: answered 503).

/// Failed requests, by the kinds loadgen tells apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    pub refused: u64,
    pub reset: u64,
    pub timeout: u64,
    pub bad_status: u64,
    pub other: u64,
    /// Turned away with `503 Service Unavailable`: only chapter 16's
    /// generator tells these apart (chapter 10's counts them as bad status).
    pub shed: u64,
}

impl std::ops::AddAssign for Failures {
    /// Counts `other`'s failures too, kind by kind.
    fn add_assign(&mut self, other: Failures) {
        self.refused += other.refused;
        self.reset += other.reset;
        self.timeout += other.timeout;
        self.bad_status += other.bad_status;
        self.other += other.other;
        self.shed += other.shed;
    }
}

/// Latency percentiles, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latency {
    pub p50: u64,
    pub p90: u64,
    pub p99: u64,
    pub max: u64,
}

/// What one loadgen run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub answered: u64,
    pub failed: u64,
    /// How long the run took, as loadgen measured it.
    pub seconds: f64,
    /// Answered requests per second.
    pub throughput: f64,
    pub failures: Failures,
    /// `None` when no request was answered.
    pub latency: Option<Latency>,
}

/// Reads loadgen's standard output; `Err` says which line is missing or
/// which one it could not read.
pub fn parse(output: &str) -> Result<Report, String> {
    let line = |prefix: &str| {
        output
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .ok_or_else(|| format!("no line starting `{prefix}`"))
    };

    // requests: 18923 answered, 0 failed, in 2.00 s
    let requests = line("requests: ")?;
    let bad = || format!("cannot read `requests: {requests}`");
    let (answered, rest) = requests.split_once(" answered, ").ok_or_else(bad)?;
    let (failed, rest) = rest.split_once(" failed, in ").ok_or_else(bad)?;
    let seconds = rest.strip_suffix(" s").ok_or_else(bad)?;
    let answered: u64 = answered.parse().map_err(|_| bad())?;
    let failed: u64 = failed.parse().map_err(|_| bad())?;
    let seconds: f64 = seconds.parse().map_err(|_| bad())?;

    // throughput: 9457.5 answered per second
    let throughput = line("throughput: ")?;
    let throughput: f64 = throughput
        .strip_suffix(" answered per second")
        .and_then(|number| number.parse().ok())
        .ok_or_else(|| format!("cannot read `throughput: {throughput}`"))?;

    let failures = parse_failures(line("failures: ")?)?;
    let counted = failures.refused
        + failures.reset
        + failures.timeout
        + failures.bad_status
        + failures.other
        + failures.shed;
    if counted != failed {
        return Err(format!(
            "{failed} requests failed, but the failures line counts {counted}"
        ));
    }

    let latency = if output
        .lines()
        .any(|line| line == "latency: no request was answered")
    {
        None
    } else {
        Some(parse_latency(line("latency (µs): ")?)?)
    };
    if latency.is_none() != (answered == 0) {
        return Err(format!(
            "{answered} requests answered, but the latency line does not agree"
        ));
    }

    Ok(Report {
        answered,
        failed,
        seconds,
        throughput,
        failures,
        latency,
    })
}

/// `none`, or `refused 3, bad status 2`: a name (one word or two) and a count.
fn parse_failures(text: &str) -> Result<Failures, String> {
    let mut failures = Failures::default();
    if text == "none" {
        return Ok(failures);
    }
    for kind in text.split(", ") {
        let bad = || format!("cannot read the failure `{kind}` in `failures: {text}`");
        let (name, count) = kind.rsplit_once(' ').ok_or_else(bad)?;
        let count: u64 = count.parse().map_err(|_| bad())?;
        let slot = match name {
            "refused" => &mut failures.refused,
            "reset" => &mut failures.reset,
            "timeout" => &mut failures.timeout,
            "bad status" => &mut failures.bad_status,
            "other" => &mut failures.other,
            "shed" => &mut failures.shed,
            _ => {
                return Err(format!(
                    "unknown kind of failure `{name}` in `failures: {text}`"
                ));
            }
        };
        *slot += count;
    }
    Ok(failures)
}

/// `p50 255, p90 631, p99 4351, max 21781`, in that order.
fn parse_latency(text: &str) -> Result<Latency, String> {
    let bad = || format!("cannot read `latency (µs): {text}`");
    let mut values = [0; 4];
    let mut parts = text.split(", ");
    for (value, name) in values.iter_mut().zip(["p50", "p90", "p99", "max"]) {
        *value = parts
            .next()
            .and_then(|part| part.strip_prefix(name))
            .and_then(|number| number.strip_prefix(' '))
            .and_then(|number| number.parse().ok())
            .ok_or_else(bad)?;
    }
    if parts.next().is_some() {
        return Err(bad());
    }
    let [p50, p90, p99, max] = values;
    Ok(Latency { p50, p90, p99, max })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Real output of `listings/ch10-03-intended-start` (release), captured by
    // hand against `listings/ch08-09-close-listener-first` on 127.0.0.1:7391.

    /// `--connections 4 --duration 2 http://127.0.0.1:7391/`
    const ANSWERED: &str = "\
GET http://127.0.0.1:7391/ on 4 connections for 2 s
requests: 18923 answered, 0 failed, in 2.00 s
throughput: 9457.5 answered per second
failures: none
latency (µs): p50 255, p90 631, p99 4351, max 21781
";

    /// The same after the server was stopped: nobody listens.
    const REFUSED: &str = "\
GET http://127.0.0.1:7391/ on 2 connections for 1 s
requests: 0 answered, 197 failed, in 1.01 s
throughput: 0.0 answered per second
failures: refused 197
latency: no request was answered
";

    /// `/nothing`: every answer is a 404.
    const NOT_FOUND: &str = "\
GET http://127.0.0.1:7391/nothing on 2 connections for 1 s
requests: 0 answered, 7519 failed, in 1.00 s
throughput: 0.0 answered per second
failures: bad status 7519
latency: no request was answered
";

    #[test]
    fn reads_a_run_where_every_request_was_answered() {
        let report = parse(ANSWERED).unwrap();
        assert_eq!(
            report,
            Report {
                answered: 18923,
                failed: 0,
                seconds: 2.0,
                throughput: 9457.5,
                failures: Failures::default(),
                latency: Some(Latency {
                    p50: 255,
                    p90: 631,
                    p99: 4351,
                    max: 21781
                }),
            }
        );
    }

    #[test]
    fn reads_failures_by_kind_and_no_latency() {
        let refused = parse(REFUSED).unwrap();
        assert_eq!((refused.answered, refused.failed), (0, 197));
        assert_eq!(refused.failures.refused, 197);
        assert_eq!(refused.latency, None);
        assert_eq!(refused.seconds, 1.01);

        let not_found = parse(NOT_FOUND).unwrap();
        assert_eq!(not_found.failures.bad_status, 7519);
        assert_eq!(not_found.failures.refused, 0);
    }

    #[test]
    fn reads_several_kinds_of_failure() {
        let mixed = ANSWERED
            .replace("0 failed", "6 failed")
            .replace("failures: none", "failures: refused 1, reset 2, timeout 3");
        let failures = parse(&mixed).unwrap().failures;
        assert_eq!(
            failures,
            Failures {
                refused: 1,
                reset: 2,
                timeout: 3,
                bad_status: 0,
                other: 0,
                shed: 0,
            }
        );
        // Chapter 16's generator counts the 503s apart.
        let shed = ANSWERED
            .replace("0 failed", "41 failed")
            .replace("failures: none", "failures: reset 1, shed 40");
        let failures = parse(&shed).unwrap().failures;
        assert_eq!((failures.reset, failures.shed), (1, 40));
    }

    #[test]
    fn says_what_it_cannot_read() {
        let error = |output: &str| parse(output).unwrap_err();
        assert_eq!(error(""), "no line starting `requests: `");
        assert!(error("error: `--connections` takes a whole number").contains("requests: "));
        assert!(
            error(&ANSWERED.replace("18923 answered", "many answered")).contains("many answered")
        );
        assert!(
            error(&ANSWERED.replace("failures: none", "failures: lost 3"))
                .contains("unknown kind of failure `lost`")
        );
        assert!(error(&ANSWERED.replace("failures: none", "failures: refused 3")).contains("3"));
        assert!(error(&ANSWERED.replace("p90 631, ", "")).contains("latency"));
        assert!(
            error(&REFUSED.replace("latency: no request was answered", "")).contains("latency")
        );
    }

    #[test]
    fn failures_add_up_kind_by_kind() {
        let mut sum = Failures {
            refused: 1,
            reset: 2,
            ..Failures::default()
        };
        sum += Failures {
            reset: 3,
            timeout: 4,
            bad_status: 5,
            other: 6,
            shed: 7,
            ..Failures::default()
        };
        let expected = Failures {
            refused: 1,
            reset: 5,
            timeout: 4,
            bad_status: 5,
            other: 6,
            shed: 7,
        };
        assert_eq!(sum, expected);
    }
}
