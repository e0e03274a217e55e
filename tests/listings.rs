//! The listing contract (DESIGN.md): every listing is a complete crate that
//! either builds or fails with exactly the diagnostics in its snapshot.

mod support;

use std::{fs, process::Command};
use support::listings::{Listing, all_listings, build_listing, repo_root};

/// Every listing's manifest, word for word: same package, edition 2024, std only.
const MANIFEST: &str =
    "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n";

#[test]
fn every_listing_keeps_the_contract() {
    let listings = all_listings();
    assert!(
        listings.len() >= 25,
        "expected the book's listings under listings/, found {}",
        listings.len()
    );
    let mut problems = Vec::new();
    for listing in &listings {
        problems.extend(contract_problems(listing));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What is wrong with one listing's layout, each problem named with its fix.
fn contract_problems(listing: &Listing) -> Vec<String> {
    let name = &listing.name;
    let mut problems = Vec::new();
    if !is_reading_order_name(name) {
        problems.push(format!(
            "{name}: name it chNN-NN-what-it-shows (chapter, step, words), so `ls` shows reading order"
        ));
    }
    match fs::read_to_string(listing.dir.join("Cargo.toml")) {
        Ok(manifest) if manifest == MANIFEST => {}
        Ok(_) => problems.push(format!(
            "{name}/Cargo.toml: every listing uses the same manifest:\n{MANIFEST}"
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

/// `ch05-02-no-new`: two two-digit numbers, then lowercase words.
fn is_reading_order_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    name.len() > 10
        && name.starts_with("ch")
        && bytes[2..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && name[8..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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

#[test]
fn listings_with_a_snapshot_fail_exactly_so() {
    let cases = trybuild::TestCases::new();
    for listing in all_listings().iter().filter(|l| l.must_fail()) {
        cases.compile_fail(listing.main_rs());
    }
    // Dropping `cases` runs them, and panics with a diff on any mismatch.
    // To accept new output after a toolchain change:
    // TRYBUILD=overwrite cargo test --test listings
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
