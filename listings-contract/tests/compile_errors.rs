//! Every listing with a `src/main.stderr` fails to compile, with exactly
//! that output (trybuild). The book renders those very files, so no error
//! in it is typed by hand.
//!
//! To accept new output after a toolchain change:
//! `TRYBUILD=overwrite cargo test -p listings-contract`, then review
//! `git diff listings/`.

use listings_contract::all_listings;

#[test]
fn listings_with_a_snapshot_fail_exactly_so() {
    let failing: Vec<_> = all_listings()
        .into_iter()
        .filter(|listing| listing.must_fail())
        .collect();
    assert!(
        !failing.is_empty(),
        "no listing has a src/main.stderr: the book's failing steps are missing"
    );
    let cases = trybuild::TestCases::new();
    for listing in &failing {
        cases.compile_fail(listing.main_rs());
    }
    // Dropping `cases` runs them, and panics with a diff on any mismatch.
}
