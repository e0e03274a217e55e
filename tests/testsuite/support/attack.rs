//! Running Part 5's attack tool (package `attack`) against a server, as a
//! reader runs it in a second terminal, and reading its report back.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Child, ChildStdout, Command, Stdio},
};

use super::{
    listings::{Listing, build_listing},
    server::Server,
};

/// What the attack tool reported about its connections.
#[derive(Debug)]
pub struct Outcome {
    /// Connections opened, the first ones and every one opened again.
    pub total: u64,
    pub held: u64,
    pub closed: u64,
    pub reset: u64,
    pub other: u64,
    /// The `answers:` line: `none`, or status and count, e.g.
    /// `408 Request Timeout 2`.
    pub answers: String,
}

/// A run of the attack tool, started and holding its connections.
pub struct Attack {
    child: Child,
    stdout: BufReader<ChildStdout>,
    said: String,
}

impl Attack {
    /// Starts `tool`'s program (a listing of package `attack`) as
    /// `attack MODE… --connections N --duration SECONDS URL` against
    /// `server`, and returns once every connection is open.
    pub fn start(
        tool: &str,
        mode: &[&str],
        connections: u32,
        seconds: u32,
        server: &Server,
    ) -> Attack {
        let binary = build_listing(&Listing::named(tool)).unwrap_or_else(|err| panic!("{err}"));
        let url = format!("http://{}", server.addr());
        let mut child = Command::new(binary)
            .args(mode)
            .args(["--connections", &connections.to_string()])
            .args(["--duration", &seconds.to_string(), &url])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the attack tool starts");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        // From here on, dropping `attack` (a failed test) stops the process.
        let mut attack = Attack {
            child,
            stdout,
            said: String::new(),
        };
        let open = format!("{connections} connections open\n");
        loop {
            let mut line = String::new();
            let read = attack
                .stdout
                .read_line(&mut line)
                .expect("the attack's output");
            assert!(
                read > 0,
                "the attack ended before its connections were open: {}",
                attack.said
            );
            attack.said.push_str(&line);
            if line == open {
                return attack;
            }
        }
    }

    /// Waits for the attack to end, and reads its report.
    pub fn outcome(&mut self) -> Outcome {
        self.stdout
            .read_to_string(&mut self.said)
            .expect("the attack's output");
        let status = self.child.wait().expect("the attack's status");
        let stdout = self.said.clone();
        assert!(status.success(), "the attack ended with {status}: {stdout}");
        let line = |prefix: &str| -> String {
            stdout
                .lines()
                .find_map(|line| line.strip_prefix(prefix))
                .unwrap_or_else(|| panic!("no line starting {prefix:?} in {stdout}"))
                .to_string()
        };
        // `connections: 2 in all, 0 held to the end, 2 closed by the server, 0 reset, 0 failed otherwise`
        let counts: Vec<u64> = line("connections: ")
            .split(", ")
            .map(|part| {
                let count = part.split(' ').next().unwrap_or_default();
                count
                    .parse()
                    .unwrap_or_else(|_| panic!("`{count}` is not a count in {stdout}"))
            })
            .collect();
        let [total, held, closed, reset, other] = counts[..] else {
            panic!("the connections line has not five counts: {stdout}");
        };
        Outcome {
            total,
            held,
            closed,
            reset,
            other,
            answers: line("answers: "),
        }
    }
}

impl Drop for Attack {
    fn drop(&mut self) {
        // Errors mean the process already ended.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
