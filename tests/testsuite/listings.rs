//! The listing contract (DESIGN.md): every listing is a complete crate that
//! either builds, with only the warnings the book explains, or fails with
//! exactly the diagnostics in its snapshot. That last check is trybuild's,
//! in the listings-contract package (see its Cargo.toml for why there).

use crate::support::listings::{Listing, all_listings, build_listing, build_warnings, repo_root};
use std::{fs, process::Command};

/// The manifests a listing may have, word for word, edition 2024 each. The
/// book's server, package `server`: with std only, or with the one
/// dependency DESIGN.md allows Parts 1-5, a signal handler (chapter 8 stops
/// on Ctrl-C and SIGTERM), pinned. The load generator of Part 4, package
/// `loadgen`: std only. The reference server of chapter 12, package
/// `reference`: std only. The attack tool of Part 5, package `attack`: std
/// only. And the server with the signal handler and, for its own tests
/// only, the property-testing crate DESIGN.md allows (chapter 14's parser
/// is checked over arbitrary bytes), pinned too.
const STD_ONLY: &str =
    "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n";
const WITH_SIGNAL_HANDLER: &str = "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nctrlc = { version = \"=3.5.3\", features = [\"termination\"] }\n";
const LOAD_GENERATOR: &str =
    "[package]\nname = \"loadgen\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n";
const REFERENCE_SERVER: &str =
    "[package]\nname = \"reference\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n";
const ATTACK_TOOL: &str =
    "[package]\nname = \"attack\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n";
const WITH_PROPERTY_TESTS: &str = "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nctrlc = { version = \"=3.5.3\", features = [\"termination\"] }\n\n[dev-dependencies]\nproptest = \"=1.12.0\"\n";
/// Part 6's async servers (chapters 20 and 21): tokio, pinned, with one
/// feature set for every listing, the current-thread ones too, so that all
/// share one build of it and trybuild, which compiles the failing ones
/// against listings-contract's [dev-dependencies], sees what the reader sees.
const WITH_TOKIO: &str = "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\ntokio = { version = \"=1.54.1\", features = [\"rt\", \"rt-multi-thread\", \"net\", \"time\", \"macros\", \"io-util\", \"sync\", \"signal\"] }\n";
/// Chapter 19's event loop: one thread, readiness from mio, pinned, with
/// what a TCP server needs (its poll and its sockets) and `os-ext`, which
/// the server does not use: tokio's `net` feature turns it on in
/// listings-contract, where trybuild compiles the failing listings, and
/// it changes what rustc lists as `Source` types in chapter 19's first
/// error; with it, the reader's build shows the very snapshot, and shares
/// one build of mio with the tokio listings. No signal handler: the loop
/// has no graceful stop to trigger.
const WITH_MIO: &str = "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nmio = { version = \"=1.2.5\", features = [\"os-poll\", \"os-ext\", \"net\"] }\n";
/// Chapter 18's server, from its rayon step on: Part 5's last manifest (the
/// signal handler, and the property-testing crate for the parser's tests)
/// and rayon, pinned, the fork/join crate the chapter ends with.
const WITH_RAYON: &str = "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nctrlc = { version = \"=3.5.3\", features = [\"termination\"] }\nrayon = \"=1.12.0\"\n\n[dev-dependencies]\nproptest = \"=1.12.0\"\n";
const MANIFESTS: [&str; 9] = [
    STD_ONLY,
    WITH_SIGNAL_HANDLER,
    LOAD_GENERATOR,
    REFERENCE_SERVER,
    ATTACK_TOOL,
    WITH_PROPERTY_TESTS,
    WITH_TOKIO,
    WITH_MIO,
    WITH_RAYON,
];

#[test]
fn every_listing_keeps_the_contract() {
    let listings = all_listings();
    assert!(
        listings.len() >= 25,
        "expected the book's listings under listings/, found {}",
        listings.len()
    );
    let locked = tracked_lock_files();
    let mut problems = Vec::new();
    for listing in &listings {
        problems.extend(contract_problems(listing, &locked));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `Cargo.lock` files git tracks under listings/, as
/// `listings/NAME/Cargo.lock`. A listing with a dependency commits its lock,
/// so that every reader and every run builds the very versions the book
/// was checked with (cargo writes one in the working tree whether or not it
/// is committed, and .gitignore hides it: only git knows).
fn tracked_lock_files() -> Vec<String> {
    let output = Command::new("git")
        .args(["ls-files", "--", "listings/*/Cargo.lock"])
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|err| panic!("cannot run `git ls-files`: {err}"));
    assert!(
        output.status.success(),
        "`git ls-files` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// What is wrong with one listing's layout, each problem named with its fix.
fn contract_problems(listing: &Listing, locked: &[String]) -> Vec<String> {
    let name = &listing.name;
    let mut problems = Vec::new();
    if !is_reading_order_name(name) {
        problems.push(format!(
            "{name}: name it chNN-NN-what-it-shows (chapter, step, words; chNN-NNa-… to insert), so `ls` shows reading order"
        ));
    }
    match fs::read_to_string(listing.dir.join("Cargo.toml")) {
        Ok(manifest)
            if manifest == WITH_SIGNAL_HANDLER
                || manifest == WITH_PROPERTY_TESTS
                || manifest == WITH_RAYON
                || manifest == WITH_TOKIO
                || manifest == WITH_MIO =>
        {
            let lock = format!("listings/{name}/Cargo.lock");
            if !locked.contains(&lock) {
                problems.push(format!(
                    "{lock}: a listing with a dependency commits its lock file: build it, \
                     then `git add -f {lock}` (.gitignore hides lock files)"
                ));
            }
        }
        Ok(manifest) if MANIFESTS.contains(&manifest.as_str()) => {}
        Ok(_) => problems.push(format!(
            "{name}/Cargo.toml: a listing's manifest is one of these, word for word. The \
             book's server (package `server`), std only:\n\
             {STD_ONLY}\nor with the pinned signal handler (the same pin as \
             listings-contract/Cargo.toml's [dev-dependencies], which failing listings compile against):\n\
             {WITH_SIGNAL_HANDLER}\nor the load generator of Part 4 (package `loadgen`), std only:\n\
             {LOAD_GENERATOR}\nor chapter 12's reference server (package `reference`), std only:\n\
             {REFERENCE_SERVER}\nor the attack tool of Part 5 (package `attack`), std only:\n\
             {ATTACK_TOOL}\nor the server with the signal handler and, for its tests only \
             (chapter 14's property test), the pinned property-testing crate:\n\
             {WITH_PROPERTY_TESTS}\nor chapter 18's server, the same with rayon pinned:\n{WITH_RAYON}\nor Part 6's async server, with tokio pinned:\n{WITH_TOKIO}\n\
             or chapter 19's event loop, with mio pinned:\n{WITH_MIO}"
        )),
        Err(err) => problems.push(format!("{name}/Cargo.toml: cannot read it: {err}")),
    }
    if !listing.main_rs().is_file() {
        problems.push(format!("{name}: the crate root must be src/main.rs"));
    }
    if listing.dir.join("src/lib.rs").exists() {
        problems.push(format!(
            "{name}: no src/lib.rs; put the pool in a module file beside main.rs (trybuild compiles one root file)"
        ));
    }
    let stray_snapshots = fs::read_dir(listing.dir.join("src"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|file| file.ends_with(".stderr") && file != "main.stderr");
    for file in stray_snapshots {
        problems.push(format!(
            "{name}/src/{file}: only src/main.stderr is a snapshot; rename or remove it"
        ));
    }
    problems
}

/// `ch05-02-no-new`: chapter and step as two-digit numbers, then lowercase
/// words. A step may carry one letter (`ch05-04a-…`) to slot a listing in
/// between two others without renaming them.
fn is_reading_order_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("ch") else {
        return false;
    };
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    let mut parts = rest.splitn(3, '-');
    let (Some(chapter), Some(step), Some(words)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let step_digits = step
        .strip_suffix(|c: char| c.is_ascii_lowercase())
        .unwrap_or(step);
    two_digits(chapter)
        && two_digits(step_digits)
        && !words.is_empty()
        && words
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// trybuild compiles the failing listings against listings-contract's
/// [dev-dependencies]: the signal handler there must be the listings' own.
#[test]
fn trybuild_compiles_against_the_listings_signal_handler() {
    let ctrlc_of = |manifest: &str, table: &str| -> toml::Value {
        let parsed: toml::Table = manifest.parse().expect("a valid manifest");
        parsed
            .get(table)
            .and_then(|deps| deps.get("ctrlc"))
            .unwrap_or_else(|| panic!("no ctrlc under [{table}]"))
            .clone()
    };
    let contract_path = repo_root().join("listings-contract/Cargo.toml");
    let contract = fs::read_to_string(&contract_path).expect("listings-contract/Cargo.toml");
    assert_eq!(
        ctrlc_of(&contract, "dev-dependencies"),
        ctrlc_of(WITH_SIGNAL_HANDLER, "dependencies"),
        "listings-contract/Cargo.toml's [dev-dependencies] must pin ctrlc as the listings do"
    );
}

#[test]
fn reading_order_names_are_recognised() {
    for good in ["ch05-02-no-new", "ch05-04a-wrapped-job", "ch10-01-x2"] {
        assert!(is_reading_order_name(good), "{good}");
    }
    for bad in [
        "ch5-02-no-new",
        "ch05-02",
        "ch05-02-",
        "ch05-02-No-new",
        "ch05-04ab-x",
        "05-02-x",
    ] {
        assert!(!is_reading_order_name(bad), "{bad}");
    }
}

#[test]
fn listings_without_a_snapshot_build() {
    let failures: Vec<String> = all_listings()
        .iter()
        .filter(|listing| !listing.must_fail())
        .filter_map(|listing| build_listing(listing).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The warnings the chapters talk about, listing by listing. Every other
/// listing that builds must build without a warning, so a new one cannot
/// creep in unexplained.
const EXPECTED_WARNINGS: &[(&str, &[&str])] = &[
    ("ch05-06-static-bound", &[UNUSED_SIZE]),
    ("ch05-07-all-bounds", &[UNUSED_SIZE]),
    ("ch05-93-crate-thread", &[UNUSED_SIZE]),
    (
        "ch06-02-waiting-workers",
        &[
            "src/pool.rs: warning: fields `id` and `thread` are never read",
            "src/pool.rs: warning: fields `workers` and `senders` are never read",
        ],
    ),
    ("ch06-04-take-turns", WORKERS_NEVER_READ),
    ("ch06-90-zero-workers", WORKERS_NEVER_READ),
    ("ch07-03-shared-receiver", WORKERS_NEVER_READ),
    ("ch07-04-while-let", WORKERS_NEVER_READ),
    ("ch07-91-zero-workers", WORKERS_NEVER_READ),
    ("ch07-92-panicking-route", WORKERS_NEVER_READ),
    (
        "ch09-02-copied-count",
        &[
            "src/main.rs: warning: value assigned to `answered` is never read",
            "src/main.rs: warning: value captured by `answered` is never read",
        ],
    ),
];
const UNUSED_SIZE: &str = "src/pool.rs: warning: unused variable: `size`";
const WORKERS_NEVER_READ: &[&str] = &[
    "src/pool.rs: warning: field `workers` is never read",
    "src/pool.rs: warning: fields `id` and `thread` are never read",
];

#[test]
fn listings_warn_only_where_the_book_says_so() {
    let mut problems = Vec::new();
    for listing in all_listings().iter().filter(|listing| !listing.must_fail()) {
        let expected: Vec<String> = EXPECTED_WARNINGS
            .iter()
            .find(|(name, _)| *name == listing.name)
            .map(|(_, warnings)| warnings.iter().map(|w| w.to_string()).collect())
            .unwrap_or_default();
        match build_warnings(listing) {
            Ok(actual) if actual == expected => {}
            Ok(actual) => problems.push(format!(
                "{}: expected warnings {expected:?}, got {actual:?} \
                 (update EXPECTED_WARNINGS and the chapter that shows it)",
                listing.name
            )),
            Err(err) => problems.push(err),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn listings_are_rustfmt_clean() {
    let mains: Vec<_> = all_listings().iter().map(Listing::main_rs).collect();
    // rustfmt follows `mod` declarations, so this covers every module file too.
    let output = Command::new("rustfmt")
        .args(["--check", "--edition", "2024"])
        .args(&mains)
        .current_dir(repo_root())
        .output()
        .expect("rustfmt runs (it is a component in rust-toolchain.toml)");
    assert!(
        output.status.success(),
        "some listings are not rustfmt-clean; run `rustfmt --edition 2024 listings/*/src/main.rs`:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
