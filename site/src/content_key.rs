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

use std::path::{Path, PathBuf};

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
