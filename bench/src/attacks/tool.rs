//! The attack tool as a process beside the server: started, waited for
//! until its connections are open, and read back when it ends.

use std::{
    io::{BufRead, BufReader, Read},
    path::Path,
    process::{Child, ChildStdout, Command, Stdio},
};

use listings_contract::attack::AttackReport;

/// The attack tool as chapter 13 leaves it.
pub const ATTACK: &str = "ch13-01-idle-and-trickle";

/// A run of the tool. Dropping it kills the process, so no attack outlives
/// the command, whatever fails.
pub struct Attack {
    child: Child,
    stdout: BufReader<ChildStdout>,
    said: String,
}

impl Attack {
    /// Starts `attack MODE… --connections N --duration SECONDS URL` and
    /// returns once it says every connection is open.
    pub fn start(
        binary: &Path,
        mode: &[&str],
        connections: u64,
        seconds: u64,
        url: &str,
    ) -> Result<Attack, String> {
        let mut child = Command::new(binary)
            .args(mode)
            .args(["--connections", &connections.to_string()])
            .args(["--duration", &seconds.to_string()])
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|err| format!("cannot start the attack tool: {err}"))?;
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut attack = Attack {
            child,
            stdout,
            said: String::new(),
        };
        let open = format!("{connections} connections open\n");
        loop {
            let mut line = String::new();
            match attack.stdout.read_line(&mut line) {
                Ok(0) | Err(_) => {
                    return Err(format!(
                        "the attack tool ended before its connections were open; it printed: {}",
                        attack.said
                    ));
                }
                Ok(_) => attack.said.push_str(&line),
            }
            if line == open {
                return Ok(attack);
            }
        }
    }

    /// Waits for the attack to end (it ends by itself at its duration), and
    /// reads its report.
    pub fn report(mut self) -> Result<AttackReport, String> {
        self.stdout
            .read_to_string(&mut self.said)
            .map_err(|err| format!("cannot read the attack tool's output: {err}"))?;
        let status = self
            .child
            .wait()
            .map_err(|err| format!("the attack tool: {err}"))?;
        if !status.success() {
            return Err(format!(
                "the attack tool ended with {status}; it printed: {}",
                self.said
            ));
        }
        AttackReport::parse(&self.said).map_err(|err| {
            format!(
                "cannot read the attack tool's report: {err}; it printed: {}",
                self.said
            )
        })
    }
}

impl Drop for Attack {
    fn drop(&mut self) {
        // An error means it has already ended.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
