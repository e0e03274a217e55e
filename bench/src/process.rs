//! The book's servers as processes on loopback, for as long as they are
//! measured. (Building listings and running the load generator to its end
//! are `listings_contract`'s, shared with the test suite.)

use std::{
    io::{BufRead, BufReader, Read},
    path::Path,
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
