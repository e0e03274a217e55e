//! Running a listing's server as a real process on loopback.
//!
//! Every server gets `ADDR=127.0.0.1:0`, so the system picks a free port and
//! tests never collide with each other or with a server the reader left
//! running on the book's port. The server prints the address it got; we read
//! it from its first line. Dropping a `Server` kills the process, so a failing
//! assertion never leaves one behind.

use std::{
    io::{BufRead, BufReader, Read},
    net::SocketAddr,
    path::Path,
    process::{Child, Command, ExitStatus, Stdio},
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use super::{
    listings::{Listing, build_listing},
    turns::{self, Measuring},
};

/// How long a server may take to print its address before we give up.
const STARTUP: Duration = Duration::from_secs(20);

/// What a server printed so far, line by line, shared with the reader threads.
type Lines = Arc<Mutex<Vec<String>>>;

pub struct Server {
    pub listing: String,
    child: Child,
    addr: SocketAddr,
    stdout: Lines,
    stderr: Lines,
    /// Dropped after the process is stopped: compiles wait until then.
    _measuring: Measuring,
}

impl Server {
    /// Builds the listing, starts it in its own directory (it reads its HTML
    /// files from there, as it does for a reader running `cargo run`), and waits
    /// until it is listening.
    pub fn start(listing: &str, args: &[&str]) -> Server {
        Self::start_at(listing, args, "127.0.0.1:0")
            .unwrap_or_else(|report| panic!("{listing} did not start: {report}"))
    }

    /// Like `start`, with a chosen address; `Err` holds what the server said
    /// if it exited or stayed silent instead of listening.
    pub fn start_at(listing: &str, args: &[&str], addr: &str) -> Result<Server, String> {
        Self::launch(listing, args, addr, None, None, &[])
    }

    /// Like `start`, with environment variables set (`WORKERS`, for the
    /// pool's size from chapter 11 on).
    pub fn start_with_env(listing: &str, env: &[(&str, &str)]) -> Server {
        Self::launch(listing, &[], "127.0.0.1:0", None, None, env)
            .unwrap_or_else(|report| panic!("{listing} did not start: {report}"))
    }

    /// Like `start`, with the process allowed at most `limit` open files
    /// (`ulimit -n`), to reach the limit a flood of connections meets first.
    pub fn start_with_open_files(listing: &str, limit: u32) -> Server {
        Self::launch(listing, &[], "127.0.0.1:0", None, Some(limit), &[])
            .unwrap_or_else(|report| panic!("{listing} did not start: {report}"))
    }

    /// Like `start_with_env`, with the process allowed at most `limit` open
    /// files (`ulimit -n`).
    pub fn start_with_env_and_open_files(
        listing: &str,
        env: &[(&str, &str)],
        limit: u32,
    ) -> Server {
        Self::launch(listing, &[], "127.0.0.1:0", None, Some(limit), env)
            .unwrap_or_else(|report| panic!("{listing} did not start: {report}"))
    }

    /// Like `start`, from another working directory (where the pages may be missing).
    pub fn start_in(listing: &str, working_dir: &Path) -> Server {
        Self::launch(listing, &[], "127.0.0.1:0", Some(working_dir), None, &[])
            .unwrap_or_else(|report| panic!("{listing} did not start: {report}"))
    }

    fn launch(
        listing: &str,
        args: &[&str],
        addr: &str,
        working_dir: Option<&Path>,
        open_files: Option<u32>,
        env: &[(&str, &str)],
    ) -> Result<Server, String> {
        let listing_dir = Listing::named(listing);
        let binary = build_listing(&listing_dir).unwrap_or_else(|err| panic!("{err}"));
        let measuring = turns::measuring();
        let mut command = match open_files {
            // The shell lowers its own limit, then becomes the server (`exec`).
            Some(limit) => {
                let mut shell = Command::new("sh");
                shell
                    .arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                    .arg(&binary);
                shell
            }
            None => Command::new(&binary),
        };
        let mut child = command
            .args(args)
            .envs(env.iter().copied())
            .env("ADDR", addr)
            // Show what a reader sees by default, not the backtraces cargo test asks for.
            .env_remove("RUST_BACKTRACE")
            .current_dir(working_dir.unwrap_or(&listing_dir.dir))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", binary.display()));
        let stdout = collect_lines(child.stdout.take().expect("piped stdout"));
        let stderr = collect_lines(child.stderr.take().expect("piped stderr"));
        let mut server = Server {
            listing: listing.to_string(),
            child,
            addr: "127.0.0.1:0".parse().expect("a valid address"),
            stdout,
            stderr,
            _measuring: measuring,
        };
        let line = server.wait_until_listening()?;
        let printed = line.trim_start_matches("Listening on http://");
        server.addr = printed.parse().unwrap_or_else(|err| {
            panic!("{listing} printed an address we cannot parse ({printed:?}): {err}")
        });
        Ok(server)
    }

    /// Waits for the `Listening on` line; gives up early, with what the server
    /// said, if it exits first.
    fn wait_until_listening(&mut self) -> Result<String, String> {
        let deadline = Instant::now() + STARTUP;
        loop {
            let listening = |line: &str| line.starts_with("Listening on http://");
            if let Some(line) = self.wait_for_stdout(listening, Duration::ZERO) {
                return Ok(line);
            }
            let exited = self.child.try_wait().expect("the server's status");
            if exited.is_some() || Instant::now() >= deadline {
                // Let the pipe readers catch up before reporting what was said.
                thread::sleep(Duration::from_millis(100));
                let code = exited.and_then(|status| status.code());
                return Err(format!(
                    "no `Listening on` line (exit code: {code:?}); stdout: {:?}; stderr: {:?}",
                    self.stdout(),
                    self.stderr()
                ));
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The process's id, to read what the system says about it (`/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A size the system reports for the process, in kB, from
    /// `/proc/PID/status`: `VmRSS` (the memory it has now) or `VmHWM` (the
    /// most it has had since it started, its high-water mark).
    pub fn memory_kb(&self, field: &str) -> u64 {
        listings_contract::proc::status_kb(self.child.id(), field)
            .unwrap_or_else(|err| panic!("{}: {err}", self.listing))
    }

    /// How many threads the process has now, as Linux counts them
    /// (`Threads:` in `/proc/PID/status`).
    pub fn threads(&self) -> u64 {
        listings_contract::proc::threads(self.child.id())
            .unwrap_or_else(|err| panic!("{}: {err}", self.listing))
    }

    /// How many files the process has open now, its connections among them.
    pub fn open_files(&self) -> usize {
        open_files(self.child.id())
    }

    /// Lines the server printed to standard output so far.
    pub fn stdout(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    /// Lines the server printed to standard error so far.
    pub fn stderr(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits up to `timeout` for a stdout line matching `wanted`.
    pub fn wait_for_stdout(
        &self,
        wanted: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> Option<String> {
        self.wait_for_lines(wanted, 1, timeout).into_iter().next()
    }

    /// Waits up to `timeout` until `count` stdout lines match `wanted`, and
    /// returns the matching lines seen by then (fewer if time ran out).
    pub fn wait_for_lines(
        &self,
        wanted: impl Fn(&str) -> bool,
        count: usize,
        timeout: Duration,
    ) -> Vec<String> {
        wait_for_matching(&self.stdout, wanted, count, timeout)
    }

    /// The same as `wait_for_lines`, for standard error.
    pub fn wait_for_stderr_lines(
        &self,
        wanted: impl Fn(&str) -> bool,
        count: usize,
        timeout: Duration,
    ) -> Vec<String> {
        wait_for_matching(&self.stderr, wanted, count, timeout)
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .try_wait()
            .expect("the server's status")
            .is_none()
    }

    /// Sends the server a signal it handles, as a terminal does on Ctrl-C
    /// (`libc::SIGINT`) and a service manager or `docker stop` does
    /// (`libc::SIGTERM`), once it handles it. A reader presses Ctrl-C once
    /// the server is up; a test may come sooner: the book's servers print
    /// `Listening on` before they set their handler, and a signal in
    /// between ends them as if they had none (a flaky red run).
    pub fn send_signal(&mut self, signal: libc::c_int) {
        self.wait_until_it_catches(signal);
        self.send_signal_at_once(signal);
    }

    /// Sends the server a signal now, whether it handles it or not: for a
    /// server without a handler, and for `SIGSTOP` and `SIGCONT`, which no
    /// process can catch.
    pub fn send_signal_at_once(&mut self, signal: libc::c_int) {
        // Only a running child: once reaped, its pid could name another process.
        assert!(
            self.is_running(),
            "{}: cannot send signal {signal}, the server has already exited; stderr: {:?}",
            self.listing,
            self.stderr()
        );
        let pid = libc::pid_t::try_from(self.child.id()).expect("a pid fits in pid_t");
        // SAFETY: `kill` reads no memory of ours; the pid is our own running child.
        let sent = unsafe { libc::kill(pid, signal) };
        assert_eq!(
            sent,
            0,
            "{}: cannot send signal {signal}: {}",
            self.listing,
            std::io::Error::last_os_error()
        );
    }

    /// Whether the server has set a handler for `signal` now.
    pub fn catches(&self, signal: libc::c_int) -> bool {
        listings_contract::proc::catches(self.child.id(), signal)
            .unwrap_or_else(|err| panic!("{}: {err}", self.listing))
    }

    /// Waits until the server has set a handler for `signal`; fails, naming
    /// the listing, if it has not within the startup time.
    fn wait_until_it_catches(&mut self, signal: libc::c_int) {
        let deadline = Instant::now() + STARTUP;
        while !self.catches(signal) {
            assert!(
                Instant::now() < deadline && self.is_running(),
                "{}: no handler for signal {signal} {STARTUP:?} after `Listening on`; stderr: {:?}",
                self.listing,
                self.stderr()
            );
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits up to `timeout` for the process to exit by itself, and then for
    /// its output to be fully read. `None` means it was still running.
    pub fn wait_for_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("the server's status") {
                // The pipes close when the process ends; give the readers a moment.
                thread::sleep(Duration::from_millis(100));
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits up to `timeout` for the process to exit by itself and asserts
    /// its exit code is `code`; a failure shows the status and what the
    /// server printed.
    pub fn assert_exit_code(&mut self, code: i32, timeout: Duration) {
        let status = self.wait_for_exit(timeout);
        assert_eq!(
            status.and_then(|status| status.code()),
            Some(code),
            "{}: exit status {status:?}; stdout: {:?}; stderr: {:?}",
            self.listing,
            self.stdout(),
            self.stderr()
        );
    }

    /// Stops the server as a service manager would (SIGTERM) and waits up
    /// to `timeout` for it to exit with status 0; a failure shows what the
    /// server printed. The server must have reached its accept loop (it
    /// sets its handler after printing `Listening on`): answer one request
    /// first.
    pub fn terminate(&mut self, timeout: Duration) {
        self.send_signal(libc::SIGTERM);
        self.assert_exit_code(0, timeout);
    }
}

/// How many files process `pid` has open now, from `/proc/PID/fd` (0 once
/// it has exited).
pub fn open_files(pid: u32) -> usize {
    listings_contract::proc::open_files(pid).map_or(0, |count| count as usize)
}

impl Drop for Server {
    fn drop(&mut self) {
        // Errors mean the process already ended: nothing left to stop.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for_matching(
    lines: &Lines,
    wanted: impl Fn(&str) -> bool,
    count: usize,
    timeout: Duration,
) -> Vec<String> {
    let deadline = Instant::now() + timeout;
    loop {
        let matching: Vec<String> = lines
            .lock()
            .unwrap()
            .iter()
            .filter(|line| wanted(line))
            .cloned()
            .collect();
        if matching.len() >= count || Instant::now() >= deadline {
            return matching;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Reads a pipe line by line on its own thread, so a chatty server never
/// blocks on a full pipe and tests can look at what it printed at any time.
fn collect_lines(pipe: impl Read + Send + 'static) -> Lines {
    let lines = Lines::default();
    let sink = Arc::clone(&lines);
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            match line {
                Ok(line) => sink.lock().unwrap().push(line),
                Err(_) => break,
            }
        }
    });
    lines
}
