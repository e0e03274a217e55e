//! The book's load generator, run to its end and its report read back.

use std::{path::PathBuf, process::Command, time::Duration};

use listings_contract::running::run_to_end;

use crate::report::{self, Report};

/// The generator as chapter 10 leaves it.
pub const LISTING: &str = "ch10-03-intended-start";

/// The longest a run may take past its duration: the generator waits for
/// the requests in flight at the deadline, each up to its 10 s timeout.
const GRACE: Duration = Duration::from_secs(30);

/// One run of the generator.
pub struct Run<'a> {
    /// `http://HOST:PORT/PATH`.
    pub url: &'a str,
    pub connections: u64,
    pub seconds: u64,
    /// Requests per second for an open loop; `None`: closed loop.
    pub rate: Option<f64>,
}

/// The built generator.
pub struct Loadgen(pub PathBuf);

impl Loadgen {
    /// Runs the generator to its end and reads its report; `what` names the
    /// run in errors.
    pub fn run(&self, what: &str, run: &Run) -> Result<Report, String> {
        self.run_with(what, run, &[]).map(|(report, _)| report)
    }

    /// `run`, with `extra` arguments before the URL (`--keep-alive`), and
    /// all that the generator printed, for the lines a `Report` leaves out.
    pub fn run_with(
        &self,
        what: &str,
        run: &Run,
        extra: &[&str],
    ) -> Result<(Report, String), String> {
        let mut command = Command::new(&self.0);
        command
            .arg("--connections")
            .arg(run.connections.to_string())
            .arg("--duration")
            .arg(run.seconds.to_string());
        if let Some(rate) = run.rate {
            command.arg("--rate").arg(rate.to_string());
        }
        command.args(extra).arg(run.url);
        let output = run_to_end(what, &mut command, Duration::from_secs(run.seconds) + GRACE)?;
        if !output.status.success() {
            return Err(format!(
                "{what} failed ({}); it printed:\n{}{}",
                output.status, output.stdout, output.stderr
            ));
        }
        match report::parse(&output.stdout) {
            Ok(report) => Ok((report, output.stdout)),
            Err(err) => Err(format!(
                "cannot read the report of {what}: {err}; it printed:\n{}",
                output.stdout
            )),
        }
    }

    /// A closed loop on `url` (each of `connections` sends its next request
    /// once the last is answered) for `seconds`.
    pub fn closed_loop(
        &self,
        what: &str,
        url: &str,
        connections: u64,
        seconds: u64,
    ) -> Result<Report, String> {
        let run = Run {
            url,
            connections,
            seconds,
            rate: None,
        };
        self.run(what, &run)
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::process::Scratch;

    /// A stand-in for the generator: prints its arguments, then a report.
    fn fake(scratch: &Scratch) -> Loadgen {
        let program = scratch.path().join("loadgen");
        std::fs::write(
            &program,
            "#!/bin/sh\n\
             echo \"args: $*\"\n\
             echo 'requests: 10 answered, 0 failed, in 1.00 s'\n\
             echo 'throughput: 10.0 answered per second'\n\
             echo 'failures: none'\n\
             echo 'latency (µs): p50 1, p90 2, p99 3, max 4'\n",
        )
        .unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        Loadgen(program)
    }

    #[test]
    fn a_closed_loop_is_a_run_without_a_rate() {
        let scratch = Scratch::new("test-loadgen").unwrap();
        let report = fake(&scratch)
            .closed_loop("a fake run", "http://127.0.0.1:1/", 4, 1)
            .unwrap();
        assert_eq!((report.answered, report.throughput), (10, 10.0));
        assert_eq!(report.latency.map(|l| l.max), Some(4));
        // What it was given is not a report: the error shows what it printed.
        let broken = scratch.path().join("broken");
        std::fs::write(&broken, "#!/bin/sh\necho \"args: $*\"\n").unwrap();
        std::fs::set_permissions(&broken, std::fs::Permissions::from_mode(0o755)).unwrap();
        let error = Loadgen(broken)
            .closed_loop("a fake run", "http://127.0.0.1:1/", 4, 1)
            .unwrap_err();
        assert!(
            error.ends_with("args: --connections 4 --duration 1 http://127.0.0.1:1/\n"),
            "{error}"
        );
    }
}
