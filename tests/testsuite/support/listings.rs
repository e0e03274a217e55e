//! Finding the book's listings and building them the way a reader would.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::{Mutex, OnceLock},
};

/// The repository root: the root package's manifest directory.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// Where the listings are and which must fail: the listings-contract crate's,
// whose own test runs trybuild over the failing ones.
pub use listings_contract::{Listing, all_listings};

/// Builds a listing with `cargo build`, as a reader would in that directory,
/// and returns the path of its executable.
pub fn build_listing(listing: &Listing) -> Result<PathBuf, String> {
    cargo_build(listing).map(|(binary, _)| binary)
}

/// What a listing's program printed, and how it ended.
pub struct Run {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Builds a listing and runs its program once with `args`, as a reader runs
/// `cargo run -- ARGS` in its directory, and waits for it to end; a program
/// still running after `timeout` is killed, and the test fails, naming it.
pub fn run_listing(name: &str, args: &[&str], timeout: std::time::Duration) -> Run {
    use std::{io::Read, process::Stdio, thread, time::Instant};

    let listing = Listing::named(name);
    let binary = build_listing(&listing).unwrap_or_else(|err| panic!("{err}"));
    let mut child = Command::new(&binary)
        .args(args)
        .current_dir(&listing.dir)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start {}: {err}", binary.display()));
    // Read both pipes on their own threads, so a full pipe never blocks the program.
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = read_all(Box::new(child.stderr.take().expect("piped stderr")));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the program's status") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name} {args:?} was still running after {timeout:?}; killed it");
        }
        thread::sleep(std::time::Duration::from_millis(20));
    };
    Run {
        status,
        stdout: stdout.join().expect("the stdout reader"),
        stderr: stderr.join().expect("the stderr reader"),
    }
}

/// The warnings `cargo build` prints for a listing that builds, as
/// `src/pool.rs: warning: field ...` (no line or column), sorted, each once.
/// cargo replays cached warnings, so this works on an up-to-date build too.
pub fn build_warnings(listing: &Listing) -> Result<Vec<String>, String> {
    let (_, stderr) = cargo_build(listing)?;
    let lines: Vec<&str> = stderr.lines().collect();
    let mut warnings: Vec<String> = lines
        .windows(2)
        .filter_map(|pair| {
            let message = pair[0].strip_prefix("warning: ")?;
            // The next line points at the code: ` --> src/pool.rs:6:5`.
            let location = pair[1].trim_start().strip_prefix("--> ")?;
            let file = location.split(':').next()?;
            Some(format!("{file}: warning: {message}"))
        })
        .collect();
    warnings.sort();
    warnings.dedup();
    Ok(warnings)
}

/// Each listing gets its own target directory: they share a package name
/// (`server`, or `loadgen` for the load generator), so their binaries would
/// overwrite each other in a shared one.
/// Builds run one at a time per test binary; cargo's own lock protects a
/// target directory across test binaries.
fn cargo_build(listing: &Listing) -> Result<(PathBuf, String), String> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());

    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("listings")
        .join(&listing.name);
    let output = Command::new(cargo())
        // Not --quiet: it would also silence the warnings cargo replays.
        .arg("build")
        .arg("--manifest-path")
        .arg(listing.dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!(
            "listing {} does not build:\n{stderr}\nIf it is meant to fail, give it a snapshot: \
             `touch {}` then `TRYBUILD=overwrite cargo test -p listings-contract`, and review the file.",
            listing.name,
            listing.snapshot().display(),
        ));
    }
    let binary = target_dir.join("debug").join(package_name(listing)?);
    Ok((binary, stderr))
}

/// The listing's package name, from its Cargo.toml: the name of its binary.
fn package_name(listing: &Listing) -> Result<String, String> {
    let path = listing.dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let parsed: toml::Table = manifest
        .parse()
        .map_err(|err| format!("{} is not valid TOML: {err}", path.display()))?;
    parsed
        .get("package")
        .and_then(|package| package.get("name"))
        .and_then(|name| name.as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{} has no [package] name", path.display()))
}

/// Runs `cargo clippy` on a listing with extra lint flags and returns what it
/// printed on standard error (its diagnostics, in cargo's short format).
pub fn clippy_listing(listing: &Listing, lint_flags: &[&str]) -> String {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("clippy")
        .join(&listing.name);
    let output = Command::new(cargo())
        .args(["clippy", "--quiet", "--message-format", "short"])
        .arg("--manifest-path")
        .arg(listing.dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .arg("--")
        .args(lint_flags)
        .output()
        .unwrap_or_else(|err| panic!("cannot run cargo clippy: {err}"));
    assert!(
        output.status.success(),
        "clippy failed on {}: {}",
        listing.name,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The cargo that runs the tests, so nested builds use the pinned toolchain.
fn cargo() -> PathBuf {
    static CARGO: OnceLock<PathBuf> = OnceLock::new();
    CARGO
        .get_or_init(|| std::env::var_os("CARGO").map_or_else(|| "cargo".into(), PathBuf::from))
        .clone()
}
