//! The pages that came out of the every-page load clean (no console
//! message, no failed request, no axe finding), remembered by what decided
//! it, so that a run where nothing of that changed does not load them
//! again: 84 pages, each loaded and checked by axe, took most of a warm
//! run's two cores (half a minute), for the same answer as last time.
//!
//! What decides a page's outcome, all of it in its key: the page's own
//! HTML; every other file of the site (stylesheets, scripts, fonts,
//! images; not the books' PDFs, which pages link and never load); axe's script; Chromium's version; how the page is checked
//! (which axe rules, which themes); and the source of the checks and of the
//! server that serves the site. One asset is left out, the search index
//! (and its name where it appears: `book_site::content_key` says why);
//! `search_finds_words_of_each_language` opens the search every run.
//!
//! Verdicts are written only after a load with nothing found; a red run
//! leaves the file as it was. `RECHECK_EVERY_PAGE=1` (as `.ci/run` and the
//! workflow set it) loads every page whatever the file says.

use std::{
    fs,
    path::{Path, PathBuf},
};

use book_site::content_key::{Digest, without_search_index};

use crate::support::listings::repo_root;

/// Where the keys of the clean pages are kept, one a line.
fn verdicts_file() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("every-page-clean.txt")
}

/// The folders whose source decides how a page is loaded and checked: the
/// browser checks, their browser driver, and the site's server.
const CHECK_SOURCES: [&str; 3] = [
    "tests/testsuite/browser",
    "tests/testsuite/support/browser",
    "site/src",
];

/// What every page's key shares: the site's files other than its pages,
/// the checks' source, and what the caller adds (axe, Chromium's version).
pub struct Keys {
    shared: String,
    site: PathBuf,
    remembered: Vec<String>,
}

impl Keys {
    /// The keys for the pages of `site`; `also` is what else decides every
    /// page's outcome (axe's script, the browser's version).
    pub fn new(site: &Path, also: &[&[u8]]) -> Keys {
        let mut digest = Digest::default();
        for part in also {
            digest.add(part);
        }
        // The books' PDFs are linked, never loaded by a page; and a PDF
        // printed again differs in its dates alone.
        digest
            .add_files(site, |name| {
                !(name.ends_with(".html") || name.ends_with(".pdf"))
            })
            .unwrap_or_else(|err| panic!("{err}"));
        let root = repo_root();
        for folder in CHECK_SOURCES {
            digest
                .add_files(&root.join(folder), |_| true)
                .unwrap_or_else(|err| panic!("{err}"));
        }
        let recheck = std::env::var_os("RECHECK_EVERY_PAGE").is_some_and(|value| value == "1");
        let remembered = match fs::read_to_string(verdicts_file()) {
            Ok(text) if !recheck => text.lines().map(str::to_string).collect(),
            _ => Vec::new(),
        };
        Keys {
            shared: digest.hex(),
            site: site.to_path_buf(),
            remembered,
        }
    }

    /// The key of `page` (its address in the site), checked as `how` says.
    pub fn of(&self, page: &str, how: &str) -> String {
        let file = page.split('#').next().unwrap_or_default();
        let html = fs::read(self.site.join(file)).unwrap_or_else(|err| panic!("{file}: {err}"));
        let mut digest = Digest::default();
        for part in [self.shared.as_bytes(), page.as_bytes(), how.as_bytes()] {
            digest.add(part);
        }
        digest.add(without_search_index(&html).as_bytes());
        digest.hex()
    }

    /// Whether a page with this key came out clean before.
    pub fn was_clean(&self, key: &str) -> bool {
        self.remembered.iter().any(|known| known == key)
    }

    /// Remembers `keys`, the site's pages now, as clean: the keys of pages
    /// as they were before would only ever be found again by undoing a
    /// change, and the file would grow with every run.
    pub fn remember(keys: &[String]) {
        let _ = fs::write(verdicts_file(), keys.join("\n") + "\n");
    }
}

#[test]
fn a_page_is_new_when_it_or_any_asset_changes_but_not_for_the_search_index() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let site = scratch.path();
    let write = |file: &str, text: &str| fs::write(site.join(file), text).unwrap();
    write(
        "a.html",
        "<script src=\"searcher-0a1b2c3d.js\"></script><p>A</p>",
    );
    write(
        "b.html",
        "<script src=\"searcher-0a1b2c3d.js\"></script><p>B</p>",
    );
    write("chrome-1111aaaa.css", "a { color: black }");
    write("searcher-0a1b2c3d.js", "load('searchindex-99990000.js')");
    write("searchindex-99990000.js", "window.search = {}");
    let keys = |also: &[u8]| {
        let keys = Keys::new(site, &[also]);
        [
            keys.of("a.html", "all rules"),
            keys.of("b.html#part", "all rules"),
        ]
    };
    let before = keys(b"Chromium 1");
    assert_ne!(before[0], before[1], "each page has a key of its own");

    // A word in the search index: the index, the searcher and every page
    // get new hashes in their names, and no page is new.
    fs::remove_file(site.join("searchindex-99990000.js")).unwrap();
    fs::remove_file(site.join("searcher-0a1b2c3d.js")).unwrap();
    write("searchindex-12345678.js", "window.search = { word: 1 }");
    write("searcher-feedbeef.js", "load('searchindex-12345678.js')");
    for page in ["a.html", "b.html"] {
        let html = fs::read_to_string(site.join(page)).unwrap();
        write(
            page,
            &html.replace("searcher-0a1b2c3d.js", "searcher-feedbeef.js"),
        );
    }
    assert_eq!(keys(b"Chromium 1"), before);

    // One page changed: that page only.
    write(
        "b.html",
        "<script src=\"searcher-feedbeef.js\"></script><p>B!</p>",
    );
    let one_changed = keys(b"Chromium 1");
    assert_eq!(one_changed[0], before[0]);
    assert_ne!(one_changed[1], before[1]);

    // A book's PDF, printed again: no page.
    write("thread-pool-en.pdf", "%PDF-1.4 printed at 10:00");
    let with_pdf = keys(b"Chromium 1");
    write("thread-pool-en.pdf", "%PDF-1.4 printed at 11:00");
    assert_eq!(keys(b"Chromium 1"), with_pdf);

    // A stylesheet, another browser, another way of checking: every page.
    assert!(
        keys(b"Chromium 2")
            .iter()
            .zip(&one_changed)
            .all(|(a, b)| a != b)
    );
    let how = Keys::new(site, &[b"Chromium 1"]);
    assert_ne!(how.of("a.html", "all rules, every theme"), one_changed[0]);
    write("chrome-1111aaaa.css", "a { color: #eee }");
    assert!(
        keys(b"Chromium 1")
            .iter()
            .zip(&one_changed)
            .all(|(a, b)| a != b)
    );
}
