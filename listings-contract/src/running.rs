//! Building a listing the way a reader does (`cargo build` in its folder),
//! and running a program to its end with a time limit. The test suite and
//! the benchmark both need exactly this.

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

/// The folder under `targets` that every listing's build shares: cargo's
/// build directory (`build.build-dir`), where the compiled dependencies live.
pub const SHARED_BUILD_DIR: &str = "shared-build";

impl Listing {
    /// Builds the listing with `--profile PROFILE`, from its own directory
    /// (so rustup picks the book's pinned toolchain), and returns its program.
    ///
    /// Its program lands in `targets/NAME/`, a target directory of its own:
    /// the listings share package names, so their programs would overwrite
    /// each other in a shared one. What cargo compiles on the way lands in
    /// `targets/shared-build/`, one build directory for every listing, so
    /// that tokio, mio or rayon are compiled once for all the listings that
    /// use them (with the same versions and features), not once each.
    ///
    /// That sharing needs care: cargo names a crate's compiled files after a
    /// hash of its package (name, version, path *relative to its workspace*),
    /// and every listing is a package `server` 0.1.0 at the root of its own
    /// workspace, so two listings would land on the same files, and cargo
    /// could take one listing's program for another's, up to date. So the
    /// build is `cargo rustc`, which passes a `--cfg listing="FOLDER"` to the
    /// listing's own crate only: cargo hashes such arguments into that
    /// crate's file names, and each listing folder (a test's edited copy of
    /// a listing too) gets its own, while the dependencies' stay shared. The
    /// flag changes nothing in the program.
    pub fn build(&self, targets: &Path, profile: &str) -> Result<Built, String> {
        let target_dir = targets.join(&self.name);
        let build_dir = targets.join(SHARED_BUILD_DIR);
        let output = Command::new(cargo())
            // Not --quiet: it would also silence the warnings cargo replays.
            .args(["rustc", "--profile", profile])
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            .arg("--config")
            .arg(format!("build.build-dir={}", toml_string(&build_dir)?))
            .arg("--")
            .arg("--cfg")
            .arg(format!("listing={}", toml_string(&self.dir)?))
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

/// A path as a quoted string, the way both `cargo --config` (TOML) and
/// `rustc --cfg` take one: only paths without quotes or backslashes, which
/// would need escaping, and which a listing's folder never has.
fn toml_string(path: &Path) -> Result<String, String> {
    path.to_str()
        .filter(|text| !text.contains(['"', '\\']))
        .map(|text| format!("\"{text}\""))
        .ok_or_else(|| {
            format!(
                "cannot build a listing with {}: the path must be plain text without quotes or backslashes",
                path.display()
            )
        })
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
    fn paths_are_quoted_for_cargo_and_rustc() {
        assert_eq!(
            toml_string(Path::new("/t/shared-build")).unwrap(),
            "\"/t/shared-build\""
        );
        let err = toml_string(Path::new("/t/a\"b")).unwrap_err();
        assert!(err.contains("/t/a\"b"), "{err}");
    }

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
