//! Every listing with a `src/main.stderr` fails to compile, with exactly
//! that output (trybuild). The book renders those very files, so no error
//! in it is typed by hand.
//!
//! trybuild compiles each listing *as the reader types it*: a copy with the
//! `// ANCHOR` lines removed (see `listings_contract::as_typed`). Those lines
//! only tell the book which part of a file to show; left in, they would push
//! every line number in the errors one or two lines past the reader's file.
//!
//! To accept new output after a toolchain change:
//! `TRYBUILD=overwrite cargo test -p listings-contract`, then review
//! `git diff listings/`: the new snapshots are copied back beside the
//! listings.

use std::{fs, path::Path};

use listings_contract::{all_listings, as_typed};

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
    // Inside the workspace and outside target/: trybuild writes such paths as
    // `$WORKSPACE/…`, the same on every machine.
    let copies_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("as-typed");
    let copies: Vec<_> = failing
        .iter()
        .map(|listing| as_typed(listing, &copies_dir))
        .collect();
    {
        let cases = trybuild::TestCases::new();
        for copy in &copies {
            cases.compile_fail(copy.main_rs());
        }
        // Dropping `cases` runs them, and panics with a diff on any mismatch.
    }
    if std::env::var_os("TRYBUILD").is_some_and(|mode| mode == "overwrite") {
        for (listing, copy) in failing.iter().zip(&copies) {
            let written = fs::read(copy.snapshot()).expect("trybuild wrote a snapshot");
            if fs::read(listing.snapshot()).ok().as_ref() != Some(&written) {
                fs::write(listing.snapshot(), written).expect("a writable listing snapshot");
                eprintln!("updated {}", listing.snapshot().display());
            }
        }
    }
}
