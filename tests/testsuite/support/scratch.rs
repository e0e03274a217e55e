//! Files and folders: walking the book's trees, and scratch copies of them
//! for the tests that break something on purpose.

use std::{
    fs,
    path::{Path, PathBuf},
};

use tempfile::TempDir;
use walkdir::WalkDir;

/// Every file under `dir` (not the folders), sorted, leaving out the
/// folders named in `skip` (such as a listing's `target`). A folder that
/// cannot be read yields nothing: the checks that need it name it.
pub fn files_under(dir: &Path, skip: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .into_iter()
        .filter_entry(|entry| {
            !(entry.file_type().is_dir() && skip.iter().any(|name| entry.file_name() == *name))
        })
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// Every file under `dir` whose name ends with `.EXTENSION`, sorted.
pub fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    files_under(dir, &["target"])
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect()
}

/// A fresh folder of its own under the tests' temporary directory, removed
/// when dropped, pass or fail. The name starts with `what`, to tell the
/// folders apart when one is kept for a look (`TempDir::keep`).
pub fn scratch_dir(what: &str) -> TempDir {
    let parent = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tempfile::Builder::new()
        .prefix(&format!("{what}-"))
        .tempdir_in(parent)
        .unwrap_or_else(|err| {
            panic!(
                "cannot create a scratch folder in {}: {err}",
                parent.display()
            )
        })
}

/// Copies the tree at `from` to `to`, creating `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in WalkDir::new(from) {
        let entry = entry.unwrap_or_else(|err| panic!("cannot read {}: {err}", from.display()));
        let relative = entry
            .path()
            .strip_prefix(from)
            .expect("walkdir stays under its root");
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)
                .unwrap_or_else(|err| panic!("cannot create {}: {err}", target.display()));
        } else {
            fs::copy(entry.path(), &target)
                .unwrap_or_else(|err| panic!("cannot copy {}: {err}", entry.path().display()));
        }
    }
}
