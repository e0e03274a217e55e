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
        let mut command = Command::new(&self.0);
        command
            .arg("--connections")
            .arg(run.connections.to_string())
            .arg("--duration")
            .arg(run.seconds.to_string());
        if let Some(rate) = run.rate {
            command.arg("--rate").arg(rate.to_string());
        }
        command.arg(run.url);
        let output = run_to_end(what, &mut command, Duration::from_secs(run.seconds) + GRACE)?;
        if !output.status.success() {
            return Err(format!(
                "{what} failed ({}); it printed:\n{}{}",
                output.status, output.stdout, output.stderr
            ));
        }
        report::parse(&output.stdout).map_err(|err| {
            format!(
                "cannot read the report of {what}: {err}; it printed:\n{}",
                output.stdout
            )
        })
    }
}
