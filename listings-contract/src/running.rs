//! Building a listing the way a reader does (`cargo build` in a target
//! directory of its own), and running a program to its end with a time
//! limit. The test suite and the benchmark both need exactly this.

use std::{
    io::Read,
    path::{Path, PathBuf},
    process::{Command, ExitStatus, Stdio},
    thread,
    time::{Duration, Instant},
};

use crate::Listing;

/// A listing that built: its program, and what cargo printed on standard
/// error (its warnings, replayed even when nothing was compiled).
pub struct Built {
    pub binary: PathBuf,
    pub stderr: String,
}

impl Listing {
    /// Builds the listing with `cargo build --profile PROFILE` into
    /// `target_dir`, from its own directory (so rustup picks the book's
    /// pinned toolchain), and returns its program. Give each listing a target
    /// directory of its own: they share package names, so their programs
    /// would overwrite each other in a shared one.
    pub fn build(&self, target_dir: &Path, profile: &str) -> Result<Built, String> {
        let output = Command::new(cargo())
            // Not --quiet: it would also silence the warnings cargo replays.
            .args(["build", "--profile", profile])
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|err| format!("cannot run cargo to build {}: {err}", self.name))?;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if !output.status.success() {
            return Err(format!("listing {} does not build:\n{stderr}", self.name));
        }
        let binary = target_dir
            .join(profile_folder(profile))
            .join(self.package()?);
        if !binary.is_file() {
            return Err(format!(
                "listing {} built, but {} is missing",
                self.name,
                binary.display()
            ));
        }
        Ok(Built { binary, stderr })
    }
}

/// The folder of a target directory that cargo builds a profile into:
/// `dev` builds into `debug`, every other profile into its own name.
fn profile_folder(profile: &str) -> &str {
    if profile == "dev" { "debug" } else { profile }
}

/// The cargo that runs us (the pinned toolchain's), or the one on the PATH.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// What a program printed, and how it ended.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` to its end, with standard input closed and both outputs
/// read on threads of their own (a full pipe never blocks the program). A
/// program still running after `limit` is killed, and that is the error.
pub fn run_to_end(what: &str, command: &mut Command, limit: Duration) -> Result<Finished, String> {
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
    Ok(Finished {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_build_into_cargo_s_folders() {
        assert_eq!(profile_folder("dev"), "debug");
        assert_eq!(profile_folder("release"), "release");
    }

    #[test]
    fn a_program_is_run_to_its_end_and_its_output_kept() {
        let done = run_to_end(
            "sh",
            Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(done.status.code(), Some(3));
        assert_eq!(
            (done.stdout.as_str(), done.stderr.as_str()),
            ("out\n", "err\n")
        );
    }

    #[test]
    fn a_program_past_its_limit_is_killed_and_named() {
        let started = Instant::now();
        let err = run_to_end(
            "a sleeper",
            Command::new("sleep").arg("30"),
            Duration::from_millis(200),
        )
        .err()
        .unwrap();
        assert!(err.starts_with("a sleeper was still running"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
