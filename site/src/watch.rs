//! Noticing that the book's sources changed, by looking at their
//! modification times: the same on every system, no watcher service.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use walkdir::WalkDir;

/// What the site is built from, under the book's root: the chapters, the
/// listings, the theme, the configuration, and the benchmark's data that
/// the chapters' charts are drawn from.
const WATCHED: &[&str] = &["src", "listings", "theme", "book.toml", "bench/data"];

/// One file as last seen: its path, modification time and length.
pub type Seen = (PathBuf, Option<SystemTime>, u64);

/// Every watched file, sorted. Build output (`target/`, `Cargo.lock`),
/// hidden files and editors' backup files are left out: they change
/// without the book changing.
pub fn fingerprint(root: &Path) -> Vec<Seen> {
    let mut seen = Vec::new();
    for watched in WATCHED {
        let walk = WalkDir::new(root.join(watched))
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0 || !skipped(&entry.file_name().to_string_lossy())
            });
        // A file that vanishes while we look is simply not seen.
        for entry in walk.flatten().filter(|entry| !entry.file_type().is_dir()) {
            if let Ok(metadata) = entry.metadata() {
                seen.push((entry.into_path(), metadata.modified().ok(), metadata.len()));
            }
        }
    }
    seen.sort();
    seen
}

/// Names that change without the book changing: build output, hidden
/// files and editors' backups.
fn skipped(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name == "target"
        || name == "Cargo.lock"
}

/// A file that is new, changed or gone between `before` and `after`.
pub fn first_change(before: &[Seen], after: &[Seen]) -> Option<PathBuf> {
    let changed = after.iter().find(|file| !before.contains(file));
    let gone = || {
        before
            .iter()
            .find(|file| !after.iter().any(|a| a.0 == file.0))
    };
    changed.or_else(gone).map(|file| file.0.clone())
}

/// `path` relative to the book's root, for messages.
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    #[test]
    fn a_change_to_the_sources_is_seen_and_build_output_is_not() {
        let root = TestDir::new("watch");
        root.write("book.toml", "[book]\n");
        root.write("src/en/one.md", "# One\n");
        root.write("listings/ch01/src/main.rs", "fn main() {}\n");
        root.write("theme/site.css", "a {}\n");
        root.write("bench/data/servers.csv", "server\n");
        let before = fingerprint(root.path());
        assert_eq!(before.len(), 5, "{before:?}");

        // Output and editor files do not count; neither does what lies outside.
        root.write("listings/ch01/target/debug/server", "binary");
        root.write("listings/ch01/Cargo.lock", "lock");
        root.write("src/en/.one.md.swp", "swap");
        root.write("src/en/one.md~", "backup");
        root.write("book/site/index.html", "built");
        root.write("bench/src/main.rs", "fn main() {}\n");
        assert_eq!(fingerprint(root.path()), before);

        // A longer file is a change even within the clock's resolution.
        root.write("src/en/one.md", "# One, edited\n");
        let after = fingerprint(root.path());
        assert_ne!(after, before);
        assert_eq!(
            first_change(&before, &after).map(|p| shown(root.path(), &p)),
            Some(Path::new("src/en/one.md").display().to_string())
        );

        std::fs::remove_file(root.path().join("theme/site.css")).unwrap();
        let gone = fingerprint(root.path());
        assert_eq!(
            first_change(&after, &gone).map(|p| shown(root.path(), &p)),
            Some(Path::new("theme/site.css").display().to_string())
        );
        root.write("listings/ch02/src/main.rs", "fn main() {}\n");
        assert_eq!(fingerprint(root.path()).len(), 5);

        // New data (book-bench run again) redraws the charts.
        let before = fingerprint(root.path());
        root.write("bench/data/servers.csv", "server,threads\n");
        assert_eq!(
            first_change(&before, &fingerprint(root.path())).map(|p| shown(root.path(), &p)),
            Some(Path::new("bench/data/servers.csv").display().to_string())
        );
    }
}
