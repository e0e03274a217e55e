//! The book's listings as the checks see them: one crate per folder under
//! `listings/`, in reading order, each either meant to build or meant to
//! fail with the diagnostics in its `src/main.stderr` (DESIGN.md, "The
//! listing contract"). The root package's test suite builds and runs them,
//! and so does the benchmark (`bench/`), both through `running`; this
//! package's own test runs trybuild over the failing ones.

pub mod attack;
pub mod proc;
pub mod running;

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
    /// Looks a listing up by folder name, or says which one is missing.
    pub fn find(name: &str) -> Result<Listing, String> {
        let dir = listings_dir().join(name);
        if !dir.join("Cargo.toml").is_file() {
            return Err(format!(
                "no listing named {name}: expected a crate at {}; `ls listings` shows the ones that exist",
                dir.display()
            ));
        }
        Ok(Listing {
            name: name.to_string(),
            dir,
        })
    }

    /// Looks a listing up by folder name, with a clear failure if it is missing.
    pub fn named(name: &str) -> Listing {
        Listing::find(name).unwrap_or_else(|err| panic!("{err}"))
    }

    /// The listing's package name (`server`, or `loadgen` for the load
    /// generator): the name of the program it builds.
    pub fn package(&self) -> Result<String, String> {
        package_name(&self.dir)
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

/// The `name` of the `[package]` in the `Cargo.toml` of the crate in `dir`.
/// The listings' manifests are fixed texts (the contract), so reading the
/// line `name = "…"` is enough; anything else is reported, naming the file.
pub fn package_name(dir: &Path) -> Result<String, String> {
    let path = dir.join("Cargo.toml");
    let manifest = fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    manifest
        .lines()
        .find_map(|line| {
            let value = line.trim().strip_prefix("name")?.trim_start();
            let value = value.strip_prefix('=')?.trim();
            Some(value.trim_matches('"').to_string())
        })
        .filter(|name| !name.is_empty())
        .ok_or_else(|| format!("{} has no `name = \"…\"` line", path.display()))
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

/// Whether a line only marks a region for the book (`// ANCHOR: name`,
/// `// ANCHOR_END: name`, as mdBook spells them). The book never shows
/// these lines, so the reader's file does not have them.
pub fn is_anchor_line(line: &str) -> bool {
    let code = line.trim_start();
    code.starts_with("// ANCHOR:") || code.starts_with("// ANCHOR_END:")
}

/// Copies a listing's `src/` into `copies_dir/NAME/src/` as the reader
/// types it: every anchor line removed from the Rust files, everything else
/// (the snapshot included) as it is. The copy keeps the listing's name, so
/// the paths in its diagnostics still end in `NAME/src/…`, which the book
/// shows as the reader's `src/…`.
pub fn as_typed(listing: &Listing, copies_dir: &Path) -> Listing {
    let copy = Listing {
        name: listing.name.clone(),
        dir: copies_dir.join(&listing.name),
    };
    let src = copy.dir.join("src");
    // A stale file from an older copy (a module since removed) must not linger.
    if copy.dir.exists() {
        fs::remove_dir_all(&copy.dir)
            .unwrap_or_else(|err| panic!("cannot clear {}: {err}", copy.dir.display()));
    }
    fs::create_dir_all(&src).unwrap_or_else(|err| panic!("cannot create {}: {err}", src.display()));
    let from = listing.dir.join("src");
    let entries =
        fs::read_dir(&from).unwrap_or_else(|err| panic!("cannot read {}: {err}", from.display()));
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        let target = src.join(path.file_name().expect("a file name"));
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        let typed = if path.extension().is_some_and(|ext| ext == "rs") {
            without_anchor_lines(&text)
        } else {
            text
        };
        fs::write(&target, typed)
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", target.display()));
    }
    copy
}

/// The text with its anchor lines left out, line endings kept.
pub fn without_anchor_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|line| !is_anchor_line(line))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_name_comes_from_the_manifest() {
        assert_eq!(
            Listing::named("ch01-01-listen").package().unwrap(),
            "server"
        );
        assert_eq!(
            Listing::named("ch09-01-one-request").package().unwrap(),
            "loadgen"
        );
        let err = package_name(Path::new("/nowhere")).unwrap_err();
        assert!(err.contains("/nowhere/Cargo.toml"), "{err}");
        assert!(Listing::find("ch99-nothing").is_err());
    }

    #[test]
    fn anchor_lines_go_and_the_rest_stays() {
        let text = "fn main() {\n    // ANCHOR: body\n    run();\n    // ANCHOR_END: body\n}\n";
        assert_eq!(without_anchor_lines(text), "fn main() {\n    run();\n}\n");
    }

    #[test]
    fn a_comment_that_mentions_anchors_is_code() {
        let text = "// The ANCHOR: lines are for the book.\n";
        assert_eq!(without_anchor_lines(text), text);
    }
}
