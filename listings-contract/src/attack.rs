//! The book's attack tool (chapter 13's `attack` package) as a process
//! beside a server: started, waited for until its connections are open, and
//! its report read back when it ends. The test suite and the benchmark both
//! run it and count what it saw.

use std::{
    io::{BufRead, BufReader, Read},
    path::Path,
    process::{Child, ChildStdout, Command, Stdio},
};

/// How the attack's connections ended, as its report says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttackReport {
    /// Connections opened: the first ones and every one opened again.
    pub total: u64,
    /// Still open when the attack was over.
    pub held: u64,
    /// Closed by the server.
    pub closed: u64,
    /// Reset by the server.
    pub reset: u64,
    /// Failed in another way.
    pub other: u64,
    /// The `answers:` line: `none`, or each status and its count, e.g.
    /// `408 Request Timeout 2`.
    pub answers: String,
}

impl AttackReport {
    /// Reads the report from all the tool printed on standard output; the
    /// error says which line is missing or malformed.
    pub fn parse(stdout: &str) -> Result<AttackReport, String> {
        let line = |prefix: &str| {
            stdout
                .lines()
                .find_map(|line| line.strip_prefix(prefix))
                .ok_or_else(|| format!("no line starting {prefix:?}"))
        };
        // `connections: 2 in all, 0 held to the end, 2 closed by the
        // server, 0 reset, 0 failed otherwise`
        let counts = line("connections: ")?
            .split(", ")
            .map(|part| {
                let count = part.split(' ').next().unwrap_or_default();
                count
                    .parse()
                    .map_err(|_| format!("`{count}` is not a count"))
            })
            .collect::<Result<Vec<u64>, String>>()?;
        let [total, held, closed, reset, other] = counts[..] else {
            return Err(format!(
                "the connections line has {} counts, not five",
                counts.len()
            ));
        };
        Ok(AttackReport {
            total,
            held,
            closed,
            reset,
            other,
            answers: line("answers: ")?.to_string(),
        })
    }

    /// How many times the server answered with `status` (e.g. `408`).
    pub fn answered_with(&self, status: &str) -> u64 {
        self.counted_answers()
            .filter(|(answer, _)| answer.starts_with(&format!("{status} ")))
            .map(|(_, count)| count)
            .sum()
    }

    /// How many answers the server gave in all, whatever their status.
    pub fn answered_at_all(&self) -> u64 {
        self.counted_answers().map(|(_, count)| count).sum()
    }

    /// Each answer of the `answers:` line with its count (`none`: no
    /// answer); a part without a count counts 0.
    fn counted_answers(&self) -> impl Iterator<Item = (&str, u64)> {
        self.answers
            .split(", ")
            .filter(|answer| *answer != "none")
            .map(|answer| match answer.rsplit_once(' ') {
                Some((status, count)) => (status, count.parse().unwrap_or(0)),
                None => (answer, 0),
            })
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_read_back_count_by_count() {
        let report = AttackReport::parse(
            "idle on 2 connections to 127.0.0.1:1 for 3 s\n2 connections open\n\
             connections: 7 in all, 2 held to the end, 4 closed by the server, 1 reset, \
             0 failed otherwise\nanswers: 408 Request Timeout 3, 400 Bad Request 1\n",
        )
        .unwrap();
        assert_eq!(
            (
                report.total,
                report.held,
                report.closed,
                report.reset,
                report.other
            ),
            (7, 2, 4, 1, 0)
        );
        assert_eq!(report.answered_with("408"), 3);
        assert_eq!(report.answered_with("400"), 1);
        assert_eq!(report.answered_with("500"), 0);
        assert_eq!(report.answered_at_all(), 4);
        let none = AttackReport {
            answers: "none".to_string(),
            ..report
        };
        assert_eq!((none.answered_with("408"), none.answered_at_all()), (0, 0));
    }

    #[test]
    fn a_missing_or_malformed_line_is_named() {
        let missing = AttackReport::parse("answers: none\n").unwrap_err();
        assert_eq!(missing, "no line starting \"connections: \"");
        let short = AttackReport::parse("connections: 2 in all, 2 held\nanswers: none\n");
        assert_eq!(
            short.unwrap_err(),
            "the connections line has 2 counts, not five"
        );
        let word = AttackReport::parse("connections: two in all\n").unwrap_err();
        assert_eq!(word, "`two` is not a count");
    }
}
