//! What Linux says about a running process (`/proc/PID/…`): its open files
//! and the sizes in its status file. The test suite and the benchmark both
//! read them about the book's servers.

/// How many file descriptors the process has open (`/proc/PID/fd`): its
/// connections, its listener and the few every process has; `None` if the
/// folder cannot be listed (the process is gone).
pub fn open_files(pid: u32) -> Option<u64> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .ok()
        .map(|entries| entries.count() as u64)
}

/// A size from `/proc/PID/status`, in kB: `VmRSS` (the memory the process
/// has now) or `VmHWM` (the most it has had, its high-water mark). The
/// error says what could not be read.
pub fn status_kb(pid: u32, field: &str) -> Result<u64, String> {
    let (path, status) = status(pid)?;
    kb_line(&status, field).ok_or_else(|| format!("no `{field}: N kB` line in {path}"))
}

/// How many threads the process has now (`Threads:` in `/proc/PID/status`):
/// the error says what could not be read.
pub fn threads(pid: u32) -> Result<u64, String> {
    let (path, status) = status(pid)?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:")?.trim().parse().ok())
        .ok_or_else(|| format!("no `Threads: N` line in {path}"))
}

/// Whether the process has set a handler for `signal` (its bit in
/// `SigCgt:`, the mask of caught signals in `/proc/PID/status`): the error
/// says what could not be read.
pub fn catches(pid: u32, signal: i32) -> Result<bool, String> {
    let (path, status) = status(pid)?;
    let mask = status
        .lines()
        .find_map(|line| u64::from_str_radix(line.strip_prefix("SigCgt:")?.trim(), 16).ok())
        .ok_or_else(|| format!("no `SigCgt: MASK` line in {path}"))?;
    Ok((1..=64).contains(&signal) && mask & (1 << (signal - 1)) != 0)
}

/// `/proc/PID/status`'s path and text, or what could not be read.
fn status(pid: u32) -> Result<(String, String), String> {
    let path = format!("/proc/{pid}/status");
    let text =
        std::fs::read_to_string(&path).map_err(|err| format!("cannot read {path}: {err}"))?;
    Ok((path, text))
}

/// The `FIELD:` line of a status file, in kB.
fn kb_line(status: &str, field: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))?
        .trim()
        .strip_suffix(" kB")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_files_and_memory() {
        let me = std::process::id();
        assert!(open_files(me).unwrap() >= 3);
        assert!(status_kb(me, "VmRSS").unwrap() > 0);
        assert!(threads(me).unwrap() >= 1);
        assert!(
            threads(u32::MAX)
                .unwrap_err()
                .starts_with("cannot read /proc/")
        );
        assert_eq!(open_files(u32::MAX), None);
        assert!(
            status_kb(u32::MAX, "VmRSS")
                .unwrap_err()
                .starts_with("cannot read /proc/")
        );
        assert_eq!(
            status_kb(me, "VmNothing").unwrap_err(),
            format!("no `VmNothing: N kB` line in /proc/{me}/status")
        );
    }

    #[test]
    fn a_handler_shows_in_the_caught_signals() {
        // The test harness sets no handler for SIGUSR2 (12); a child that
        // traps it does, and shows it once its shell has run the `trap`.
        let me = std::process::id();
        assert_eq!(catches(me, 12), Ok(false));
        let mut child = std::process::Command::new("sh")
            .args(["-c", "trap 'exit 0' USR2; echo ready; read line"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("sh");
        let mut ready = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
            &mut ready,
        )
        .unwrap();
        let caught = catches(child.id(), 12);
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(caught, Ok(true));
        assert!(
            catches(u32::MAX, 12)
                .unwrap_err()
                .starts_with("cannot read /proc/")
        );
    }

    #[test]
    fn a_line_is_read_in_kb() {
        let status = "Name:\tserver\nVmHWM:\t    9001 kB\nVmRSS:\t    2304 kB\n";
        assert_eq!(kb_line(status, "VmRSS"), Some(2304));
        assert_eq!(kb_line(status, "VmHWM"), Some(9001));
        assert_eq!(kb_line("Name:\tserver\n", "VmRSS"), None);
    }
}
