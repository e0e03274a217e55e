//! Starting Chromium with its DevTools protocol on a pair of pipes
//! (`--remote-debugging-pipe`): it reads commands from its fd 3 and writes
//! answers and events to its fd 4.

use std::{
    collections::VecDeque,
    fs,
    io::{self, BufRead, BufReader, PipeReader, PipeWriter},
    os::{fd::AsRawFd, unix::process::CommandExt},
    path::{Path, PathBuf},
    process::{Child, ChildStderr, Command, Stdio},
    sync::{Arc, Mutex, PoisonError},
    thread,
};

/// The switches of a quiet, headless browser: no GPU, no sandbox (the tests
/// may run as root in a container), and none of the background traffic a
/// fresh profile would start (updates, sync, QUIC probes).
const SWITCHES: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
];

/// Lines of Chromium's stderr kept to explain its death.
const STDERR_LINES: usize = 12;

/// A running Chromium and our ends of its two pipes.
pub struct Launched {
    pub child: Child,
    /// Where our commands go (Chromium's fd 3).
    pub commands: PipeWriter,
    /// Where its answers and events come from (Chromium's fd 4).
    pub messages: PipeReader,
    /// The last lines Chromium wrote to stderr.
    pub stderr: Arc<Mutex<VecDeque<String>>>,
}

/// Starts `binary` with a fresh profile in `profile`.
pub fn launch(binary: &Path, profile: &Path) -> io::Result<Launched> {
    let (commands_in, commands) = io::pipe()?;
    let (messages, messages_out) = io::pipe()?;
    let (child_in, child_out) = (commands_in.as_raw_fd(), messages_out.as_raw_fd());
    let mut command = Command::new(binary);
    command
        .args(SWITCHES)
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: the closure runs in the child between fork and exec, where only
    // async-signal-safe functions may be called (another thread of the test
    // binary may have held the allocator's lock at fork time). It calls only
    // fcntl and dup2, which are, and reads errno on failure; it allocates
    // nothing and takes no lock. The two fds it reads stay open in the parent
    // until `spawn` has returned, so they are valid in the child.
    unsafe {
        command.pre_exec(move || onto_fds_3_and_4(child_in, child_out));
    }
    let mut child = command.spawn()?;
    // Chromium has its own copies now. Ours must go, or we would never see
    // the end of `messages` when Chromium dies.
    drop((commands_in, messages_out));
    let stderr = Arc::new(Mutex::new(VecDeque::new()));
    let pipe = child.stderr.take().expect("a piped stderr");
    let tail = Arc::clone(&stderr);
    thread::Builder::new()
        .name("chromium stderr".into())
        .spawn(move || keep_last_lines(pipe, &tail))?;
    Ok(Launched {
        child,
        commands,
        messages,
        stderr,
    })
}

/// In the child: puts `read` on fd 3 and `write` on fd 4, without CLOEXEC,
/// so that Chromium inherits them through exec. Both are first copied to
/// fds >= 10: were `read` already 4, say, the dup2 onto 4 would overwrite
/// it before it was copied to 3; and a dup2 of an fd onto itself would keep
/// its CLOEXEC flag. Only async-signal-safe calls (see `launch`).
fn onto_fds_3_and_4(read: i32, write: i32) -> io::Result<()> {
    let check = |result: i32| {
        if result == -1 {
            Err(io::Error::last_os_error())
        } else {
            Ok(result)
        }
    };
    // SAFETY: fcntl and dup2 on fds we own in this process; the copies at
    // >= 10 are CLOEXEC, so exec closes them.
    unsafe {
        let read = check(libc::fcntl(read, libc::F_DUPFD_CLOEXEC, 10))?;
        let write = check(libc::fcntl(write, libc::F_DUPFD_CLOEXEC, 10))?;
        check(libc::dup2(read, 3))?;
        check(libc::dup2(write, 4))?;
    }
    Ok(())
}

fn keep_last_lines(stderr: ChildStderr, tail: &Mutex<VecDeque<String>>) {
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { return };
        // Containers have no D-Bus; Chromium says so at length, and it is
        // never why it died.
        if line.contains("dbus") {
            continue;
        }
        let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
        if tail.len() == STDERR_LINES {
            tail.pop_front();
        }
        tail.push_back(line);
    }
}

/// The profile of this test process's browser, in `dir`. Profiles of test
/// runs that ended without removing theirs (killed, say) are removed here.
pub fn fresh_profile(dir: &Path) -> PathBuf {
    const PREFIX: &str = "chromium-profile-";
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let pid = name.to_str().and_then(|name| name.strip_prefix(PREFIX));
            let dead = pid
                .and_then(|pid| pid.parse::<u32>().ok())
                .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
            if dead {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
    let profile = dir.join(format!("{PREFIX}{}", std::process::id()));
    // Left by an earlier process with our pid: start afresh all the same.
    let _ = fs::remove_dir_all(&profile);
    profile
}
