//! Building listings and running them as processes: servers on loopback,
//! and the load generator against them.

use std::{
    io::{BufRead, BufReader, Read},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        mpsc::{self, RecvTimeoutError},
    },
    thread,
    time::{Duration, Instant},
};

/// How long a server may take to print its address.
const STARTUP: Duration = Duration::from_secs(20);

/// The lines of standard error kept to explain a failure.
const KEPT_LINES: usize = 20;

/// A listing of the book, found on disk.
pub struct Listing {
    pub name: String,
    pub dir: PathBuf,
}

impl Listing {
    /// The listing `name` under `listings`, or an error naming it.
    pub fn find(listings: &Path, name: &str) -> Result<Listing, String> {
        let dir = listings.join(name);
        if !dir.join("Cargo.toml").is_file() {
            return Err(format!(
                "listing `{name}` not found: no {}",
                dir.join("Cargo.toml").display()
            ));
        }
        Ok(Listing {
            name: name.to_string(),
            dir,
        })
    }

    /// Builds the listing with `cargo build --profile PROFILE` in a target
    /// directory of its own under `targets` (every server is package
    /// `server`: in a shared one their binaries would overwrite each other),
    /// and returns its executable, named after its package.
    pub fn build(&self, targets: &Path, profile: &str, package: &str) -> Result<PathBuf, String> {
        let target_dir = targets.join(&self.name);
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--quiet", "--profile", profile])
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            // In the listing's directory, so rustup finds the book's pinned toolchain.
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|err| format!("cannot run cargo to build `{}`: {err}", self.name))?;
        if !output.status.success() {
            return Err(format!(
                "listing `{}` does not build:\n{}",
                self.name,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        // cargo's own folder for a profile: `dev` builds into `debug`.
        let folder = if profile == "dev" { "debug" } else { profile };
        let binary = target_dir.join(folder).join(package);
        if !binary.is_file() {
            return Err(format!(
                "listing `{}` built, but {} is missing: is its package `{package}`?",
                self.name,
                binary.display()
            ));
        }
        Ok(binary)
    }
}

/// A running server. Dropping it kills the process, so no server outlives
/// the command, whatever fails.
pub struct Server {
    name: String,
    child: Child,
    addr: String,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `binary` on `127.0.0.1:0` (the system picks a free port) in
    /// `dir`, where it reads its pages, and waits for its `Listening on
    /// http://ADDR` line. Everything else it prints on standard output (a
    /// line per job) is read and thrown away, so it never blocks on a full pipe.
    pub fn start(name: &str, binary: &Path, dir: &Path) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .env("ADDR", "127.0.0.1:0")
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| format!("cannot start `{name}` ({}): {err}", binary.display()))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = keep_last_lines(child.stderr.take().expect("stderr is piped"));
        let (first_line, listening) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            while matches!(reader.read_line(&mut line), Ok(read) if read > 0) {
                if let Some(addr) = line.trim_end().strip_prefix("Listening on http://") {
                    let _ = first_line.send(addr.to_string());
                    break;
                }
                line.clear();
            }
            // The rest is discarded, as fast as the server writes it.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let mut server = Server {
            name: name.to_string(),
            child,
            addr: String::new(),
            stderr,
        };
        let deadline = Instant::now() + STARTUP;
        server.addr = loop {
            match listening.recv_timeout(Duration::from_millis(50)) {
                Ok(addr) => break addr,
                Err(RecvTimeoutError::Timeout) if Instant::now() < deadline => {
                    if server.has_exited() {
                        return Err(server.failure("exited before listening"));
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(server.failure(&format!("did not listen within {STARTUP:?}")));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(server.failure("closed its output before listening"));
                }
            }
        };
        Ok(server)
    }

    /// `HOST:PORT`, as the server printed it.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    pub fn has_exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    /// An error that names the server and shows the end of its standard error.
    pub fn failure(&self, what: &str) -> String {
        // Give the reader thread a moment to catch the last lines.
        thread::sleep(Duration::from_millis(100));
        let said = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        format!(
            "server `{}` {what}; the end of its standard error: {:?}",
            self.name, *said
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // An error means it has already exited: nothing to stop.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads a pipe on a thread of its own and keeps its last `KEPT_LINES` lines.
fn keep_last_lines(pipe: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let kept = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&kept);
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let mut kept = sink.lock().unwrap_or_else(|p| p.into_inner());
            if kept.len() == KEPT_LINES {
                kept.remove(0);
            }
            kept.push(line);
        }
    });
    kept
}

/// What a program printed, once it has ended successfully.
pub struct Output {
    pub stdout: String,
}

/// Runs `command` to the end; kills it, and says so, if it is still running
/// after `limit`. A failing exit status is an error with what it printed.
pub fn run(what: &str, command: &mut Command, limit: Duration) -> Result<Output, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot start {what}: {err}"))?;
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = read_all(Box::new(child.stderr.take().expect("stderr is piped")));
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{what} was still running after {limit:?}; killed it"
                ));
            }
            Err(err) => return Err(format!("cannot wait for {what}: {err}")),
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    if !status.success() {
        return Err(format!(
            "{what} failed ({status}); it printed:\n{stdout}{stderr}"
        ));
    }
    Ok(Output { stdout })
}
