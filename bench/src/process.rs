//! The servers under measurement as processes on loopback, for as long as
//! they are measured: the book's servers, and nginx (see `nginx`). Whatever
//! fails, no server outlives the command. (Building listings and running the
//! load generator to its end are `listings_contract`'s, shared with the
//! test suite.)

use std::{
    fs,
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        mpsc::{self, RecvTimeoutError},
    },
    thread,
    time::{Duration, Instant},
};

/// How long a server may take to listen (or, for nginx, to answer).
const STARTUP: Duration = Duration::from_secs(20);

/// How long a server asked to stop may take before it is killed.
const STOPPING: Duration = Duration::from_secs(5);

/// The lines of standard error kept to explain a failure.
const KEPT_LINES: usize = 20;

/// A running server. Dropping it stops the process (and waits for it), so no
/// server outlives the command, whatever fails.
pub struct Server {
    name: String,
    child: Child,
    addr: String,
    stderr: Arc<Mutex<Vec<String>>>,
    /// Asks the server to stop, for a server that must not simply be killed
    /// (nginx's master must take its workers down); `None`: kill it.
    stop: Option<Command>,
    /// A folder the server runs in, removed once it has stopped. (Fields are
    /// dropped after `drop` has run.)
    _scratch: Option<Scratch>,
}

impl Server {
    /// Starts one of the book's servers, `binary`, on `127.0.0.1:0` (the
    /// system picks a free port) in `dir`, where it reads its pages, with
    /// `env` added to its environment, and waits for its `Listening on
    /// http://ADDR` line. Everything else it prints on standard output (a
    /// line per job) is read and thrown away, so it never blocks on a full pipe.
    pub fn start(
        name: &str,
        binary: &Path,
        dir: &Path,
        env: &[(&str, &str)],
    ) -> Result<Server, String> {
        let mut command = Command::new(binary);
        command
            .envs(env.iter().copied())
            .env("ADDR", "127.0.0.1:0")
            .current_dir(dir);
        let (mut server, stdout) = Server::spawn(name, &mut command, None, None)?;
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

    /// Starts a server that listens at `addr`, an address chosen for it, and
    /// waits until `GET /` there is answered `200 OK`. `stop` asks it to stop
    /// when it is dropped; `scratch` is removed after it has stopped.
    pub fn start_at(
        name: &str,
        command: &mut Command,
        addr: String,
        stop: Command,
        scratch: Scratch,
    ) -> Result<Server, String> {
        let (mut server, stdout) = Server::spawn(name, command, Some(stop), Some(scratch))?;
        thread::spawn(move || std::io::copy(&mut { stdout }, &mut std::io::sink()));
        server.addr = addr;
        let deadline = Instant::now() + STARTUP;
        while !answers(&server.addr) {
            if server.has_exited() {
                return Err(server.failure("exited before answering"));
            }
            if Instant::now() > deadline {
                return Err(server.failure(&format!("did not answer within {STARTUP:?}")));
            }
            thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    /// Spawns `command` with its standard error kept and its standard output
    /// handed back, to be read.
    fn spawn(
        name: &str,
        command: &mut Command,
        stop: Option<Command>,
        scratch: Option<Scratch>,
    ) -> Result<(Server, impl Read + Send + 'static), String> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| {
                let program = command.get_program().to_string_lossy().into_owned();
                format!("cannot start `{name}` ({program}): {err}")
            })?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = keep_last_lines(child.stderr.take().expect("stderr is piped"));
        let server = Server {
            name: name.to_string(),
            child,
            addr: String::new(),
            stderr,
            stop,
            _scratch: scratch,
        };
        Ok((server, stdout))
    }

    /// `HOST:PORT`, as the server printed it or as it was given.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The process's id (nginx: its master's).
    pub fn pid(&self) -> u32 {
        self.child.id()
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
        if let Some(stop) = &mut self.stop {
            let asked = stop
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let deadline = Instant::now() + STOPPING;
            while asked.is_ok() && Instant::now() < deadline {
                if self.has_exited() {
                    return;
                }
                thread::sleep(Duration::from_millis(20));
            }
        }
        // An error means it has already exited: nothing to stop.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `GET /` at `addr` is answered `200 OK` (on a connection of its
/// own, closed after the answer, as the load generator does).
pub fn answers(addr: &str) -> bool {
    let ask = || -> std::io::Result<bool> {
        let mut stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        write!(
            stream,
            "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer)?;
        Ok(answer.starts_with(b"HTTP/1.1 200 "))
    };
    ask().unwrap_or(false)
}

/// A folder of our own under the system's temporary folder, removed when
/// dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    /// Creates `book-bench-WHAT-PID-N`, a name no other run uses.
    pub fn new(what: &str) -> Result<Scratch, String> {
        let base = std::env::temp_dir();
        for n in 0..100 {
            let dir = base.join(format!("book-bench-{what}-{}-{n}", std::process::id()));
            match fs::create_dir(&dir) {
                Ok(()) => return Ok(Scratch(dir)),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(err) => return Err(format!("cannot create {}: {err}", dir.display())),
            }
        }
        Err(format!(
            "cannot find a free name for a folder in {}",
            base.display()
        ))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_folder_is_removed_when_dropped() {
        let scratch = Scratch::new("test").unwrap();
        let path = scratch.path().to_path_buf();
        fs::write(path.join("file"), "x").unwrap();
        let other = Scratch::new("test").unwrap();
        assert_ne!(other.path(), path);
        drop(scratch);
        assert!(!path.exists());
    }

    #[test]
    fn a_server_that_exits_at_once_is_an_error_that_names_it() {
        // `false` exits at once, before it could listen.
        let error = Server::start("quitter", Path::new("false"), Path::new("."), &[])
            .err()
            .unwrap();
        assert!(error.starts_with("server `quitter` "), "{error}");
    }
}
