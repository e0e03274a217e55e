//! What decides a page or a file of the built site, for the caches that
//! keep what was made of it (a book's PDF; the browser checks' verdicts on
//! a page): its bytes, but not the search index's name.
//!
//! mdBook names its assets after their contents (`searcher-09f2665d.js`),
//! so a page names the assets it loads by hash. The search index is the
//! exception that matters: a word changed in one chapter changes the index,
//! so its name, so the searcher script that names it, so the searcher's
//! name in every page of the book. No page loads the index until its
//! reader opens the search, and printing never does: its name is left out.

use std::fs;
use std::path::{Path, PathBuf};

use sha1_smol::Sha1;

/// A digest of what decides something the site made, part by part.
#[derive(Default)]
pub struct Digest(Sha1);

impl Digest {
    /// Adds `part`, its length first: `ab` then `c` is not `a` then `bc`.
    pub fn add(&mut self, part: &[u8]) {
        self.0.update(&(part.len() as u64).to_le_bytes());
        self.0.update(part);
    }

    /// Adds every file under `dir` whose name (from `dir`) `keeps`, name
    /// and bytes, the search index's name left out of both, and the search
    /// index itself not at all.
    pub fn add_files(&mut self, dir: &Path, keeps: impl Fn(&str) -> bool) -> Result<(), String> {
        for file in files_under(dir)? {
            let name = file.strip_prefix(dir).expect("under the folder");
            let name = name.to_string_lossy();
            if !keeps(&name) || is_search_index(&name) {
                continue;
            }
            let bytes = fs::read(&file).map_err(|err| format!("{}: {err}", file.display()))?;
            self.add(without_search_index(name.as_bytes()).as_bytes());
            self.add(without_search_index(&bytes).as_bytes());
        }
        Ok(())
    }

    /// The digest, in hexadecimal.
    pub fn hex(&self) -> String {
        self.0.digest().to_string()
    }
}

/// mdBook's search index, `searchindex-HASH.js` (or `.json`).
pub fn is_search_index(name: &str) -> bool {
    name.rsplit('/')
        .next()
        .is_some_and(|file| file.starts_with("searchindex"))
}

/// `bytes` as text, with the hashes in the search index's and the
/// searcher's names taken out: the searcher names the index, and every
/// page the searcher.
pub fn without_search_index(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut kept = String::with_capacity(text.len());
    let mut rest: &str = &text;
    loop {
        let next = ["searchindex-", "searcher-"]
            .iter()
            .filter_map(|name| rest.find(name).map(|at| (at, name.len())))
            .min();
        let Some((at, length)) = next else {
            kept.push_str(rest);
            return kept;
        };
        kept.push_str(&rest[..at + length]);
        rest = rest[at + length..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
}

/// The files under `dir`, sorted, so that a digest of them does not depend
/// on the order the system lists them in.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|err| format!("{}: {err}", dir.display()))?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_index_s_hash_is_left_out_and_nothing_else() {
        assert_eq!(
            without_search_index(b"<script src=\"searcher-09f2665d.js\"></script>"),
            "<script src=\"searcher-.js\"></script>"
        );
        assert_eq!(
            without_search_index(b"path_to_root + 'searchindex-0d7f401d.js',"),
            "path_to_root + 'searchindex-.js',"
        );
        assert_eq!(
            without_search_index(b"<link href=\"css/chrome-4d5f1b2a.css\">"),
            "<link href=\"css/chrome-4d5f1b2a.css\">"
        );
        assert!(is_search_index("en/searchindex-0d7f401d.js"));
        assert!(!is_search_index("en/searcher-09f2665d.js"));
    }
}
