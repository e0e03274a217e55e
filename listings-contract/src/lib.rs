//! The book's listings as the checks see them: one crate per folder under
//! `listings/`, in reading order, each either meant to build or meant to
//! fail with the diagnostics in its `src/main.stderr` (DESIGN.md, "The
//! listing contract"). The root package's test suite builds and runs them;
//! this package's own test runs trybuild over the failing ones.

use std::{
    fs,
    path::{Path, PathBuf},
};

/// The folder that holds every listing.
pub fn listings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../listings")
        .canonicalize()
        .expect("the listings/ folder beside listings-contract/")
}

/// One crate under `listings/`.
#[derive(Debug, Clone)]
pub struct Listing {
    pub name: String,
    pub dir: PathBuf,
}

impl Listing {
    /// Looks a listing up by folder name, with a clear failure if it is missing.
    pub fn named(name: &str) -> Listing {
        let dir = listings_dir().join(name);
        assert!(
            dir.is_dir(),
            "no listing named {name}: expected a crate at {}; `ls listings` shows the ones that exist",
            dir.display()
        );
        Listing {
            name: name.to_string(),
            dir,
        }
    }

    /// The crate root, which trybuild compiles as one case.
    pub fn main_rs(&self) -> PathBuf {
        self.dir.join("src/main.rs")
    }

    /// The snapshot of the diagnostics the listing must produce.
    pub fn snapshot(&self) -> PathBuf {
        self.dir.join("src/main.stderr")
    }

    /// A listing with a snapshot must fail to compile; one without must build.
    pub fn must_fail(&self) -> bool {
        self.snapshot().is_file()
    }
}

/// Every listing, in reading order (the order `ls` shows).
pub fn all_listings() -> Vec<Listing> {
    let dir = listings_dir();
    let entries =
        fs::read_dir(&dir).unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()));
    let mut names: Vec<String> = entries
        .map(|entry| entry.expect("a readable directory entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.iter().map(|name| Listing::named(name)).collect()
}
