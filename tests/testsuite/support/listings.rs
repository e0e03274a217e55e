//! Finding the book's listings and building them the way a reader would.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
    sync::{
        Arc, Mutex, OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
    thread,
};

/// The repository root: the root package's manifest directory.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// Where the listings are and which must fail: the listings-contract crate's,
// whose own test runs trybuild over the failing ones.
use listings_contract::running::{cargo, run_to_end};

use super::turns;
pub use listings_contract::{Listing, all_listings};

/// Builds a listing with `cargo build`, as a reader would in that directory,
/// and returns the path of its executable.
pub fn build_listing(listing: &Listing) -> Result<PathBuf, String> {
    cargo_build(listing).map(|(binary, _)| binary)
}

/// What a listing's program printed, and how it ended.
pub use listings_contract::running::Finished as Run;

/// Builds a listing and runs its program once with `args`, as a reader runs
/// `cargo run -- ARGS` in its directory, and waits for it to end; a program
/// still running after `timeout` is killed, and the test fails, naming it.
pub fn run_listing(name: &str, args: &[&str], timeout: std::time::Duration) -> Run {
    let listing = Listing::named(name);
    let binary = build_listing(&listing).unwrap_or_else(|err| panic!("{err}"));
    let what = format!("{name} {args:?}");
    run_to_end(
        &what,
        Command::new(&binary)
            .args(args)
            .current_dir(&listing.dir)
            .env_remove("RUST_BACKTRACE"),
        timeout,
    )
    .unwrap_or_else(|err| panic!("{err}"))
}

/// Runs a listing's own tests, `cargo test --locked` in its directory as a
/// reader runs it (its tests' dependencies from its committed lock), in a
/// target directory of its own; a run still going after `timeout` is killed.
pub fn test_listing(name: &str, timeout: std::time::Duration) -> Run {
    let listing = Listing::named(name);
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("listing-tests")
        .join(&listing.name);
    turns::compile_when_idle(|| {
        run_to_end(
            &format!("cargo test in {name}"),
            Command::new(cargo())
                .args(["test", "--locked", "--manifest-path"])
                .arg(listing.dir.join("Cargo.toml"))
                .arg("--target-dir")
                .arg(&target_dir)
                .current_dir(&listing.dir)
                .env_remove("RUST_BACKTRACE"),
            timeout,
        )
    })
    .unwrap_or_else(|err| panic!("{err}"))
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

/// Each listing gets its own target directory, and all share one build of
/// their dependencies (see `Listing::build`); cargo's own lock on that
/// build keeps two builds from writing it at once. A listing is built once
/// per run (the listings do not change while the checks run): the dozens
/// of servers the tests start, and the checks of every listing's build and
/// warnings, would otherwise each ask cargo again, and the cargo processes
/// that find nothing to do still cost the run seconds of CPU.
///
/// Each listing has a cell of its own, so a test that wants a listing
/// already built gets it at once, even while a copy of another builds.
///
/// In a run of the whole suite, the first test that needs a listing built
/// builds every listing that must build, four at a time, before any
/// of them gets its program (the whole suite builds them all anyway: see
/// `listings_without_a_snapshot_build`). So on a cold run the servers that
/// tests time start once the compiling is over, not beside it: a timed
/// test sharing two cores with rustc measured rustc (a pool stalled by
/// idle connections answered thousands of requests, a tuned pool spent
/// more CPU per request than the untuned one).
fn cargo_build(listing: &Listing) -> Result<(PathBuf, String), String> {
    static EVERY_LISTING: OnceLock<()> = OnceLock::new();
    if whole_suite() {
        EVERY_LISTING.get_or_init(|| turns::compile(build_every_listing));
    }
    let cell = built_cell(listing);
    if let Some(built) = cell.get() {
        return built.clone();
    }
    turns::compile(|| cell.get_or_init(|| build_once(listing)).clone())
}

/// Builds every listing that must build into its cell, four cargos at a
/// time: on a warm run each has little to do but read its files and wait
/// for its lock. An error is kept in the listing's cell, for its tests to
/// report.
fn build_every_listing() {
    let listings: Vec<Listing> = all_listings()
        .into_iter()
        .filter(|listing| !listing.must_fail())
        .collect();
    let next = AtomicUsize::new(0);
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while let Some(listing) = listings.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let _ = built_cell(listing).get_or_init(|| build_once(listing));
                }
            });
        }
    });
}

type Built = Result<(PathBuf, String), String>;

/// The cell that holds a listing's build, once built.
fn built_cell(listing: &Listing) -> Arc<OnceLock<Built>> {
    // By folder, not name: a copy of a listing elsewhere is another build.
    static BUILT: Mutex<BTreeMap<PathBuf, Arc<OnceLock<Built>>>> = Mutex::new(BTreeMap::new());
    BUILT
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .entry(listing.dir.clone())
        .or_default()
        .clone()
}

/// Whether this run is the whole suite: no test name was given to pick
/// some (`cargo test part1` passes `part1`; flags start with `-`). A run
/// of a few tests builds only the listings they use.
fn whole_suite() -> bool {
    std::env::args().skip(1).all(|arg| arg.starts_with('-'))
}

fn build_once(listing: &Listing) -> Built {
    let targets = Path::new(env!("CARGO_TARGET_TMPDIR")).join("listings");
    let built = listing.build(&targets, "dev").map_err(|err| {
        format!(
            "{err}\nIf it is meant to fail, give it a snapshot: `touch {}` then \
             `TRYBUILD=overwrite cargo test -p listings-contract`, and review the file.",
            listing.snapshot().display(),
        )
    })?;
    Ok((built.binary, built.stderr))
}

/// Runs `cargo clippy` on a listing with extra lint flags and returns what it
/// printed on standard error (its diagnostics, in cargo's short format).
pub fn clippy_listing(listing: &Listing, lint_flags: &[&str]) -> String {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("clippy")
        .join(&listing.name);
    let output = turns::compile_when_idle(|| {
        Command::new(cargo())
            .args(["clippy", "--quiet", "--message-format", "short"])
            .arg("--manifest-path")
            .arg(listing.dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            .arg("--")
            .args(lint_flags)
            .output()
    })
    .unwrap_or_else(|err| panic!("cannot run cargo clippy: {err}"));
    assert!(
        output.status.success(),
        "clippy failed on {}: {}",
        listing.name,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}
