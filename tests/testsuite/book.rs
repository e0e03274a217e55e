//! The book itself (DESIGN.md, "Verification", 6): it builds in every
//! language with no broken link or anchor; it shows every listing and every
//! expected error; and it never contains compiler output typed by hand.
//!
//! The site is built in-process, as `cargo run -p book-site -- build` does,
//! into `target/tmp/site` (shared with the browser checks): each language with mdBook's library into
//! `LANG/`, with the listings preprocessor registered directly (`book.toml`
//! runs the same code through `cargo run`), plus the language picker on
//! every page and the root `index.html`. The link check covers all of it.
//!
//! The last tests run each check on a small broken input, to show that the
//! check can fail and what its message looks like.

use crate::support::scratch::{copy_dir, files_with_extension, scratch_dir};
use tempfile::TempDir;

use crate::support::book::{broken_links, chapters, compiler_like_lines, program_messages, shown};
use crate::support::built_site::{built_site, site_dir};
use crate::support::listings::{all_listings, repo_root};
use book_site::{build_language, languages};
use mdbook_listings::{Directive, scan};
use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

#[test]
fn the_book_builds_in_every_language() {
    if let Err(failures) = built_site() {
        panic!("{failures}");
    }
}

#[test]
fn the_built_book_has_no_broken_links() {
    let site = site_dir();
    let broken = broken_links(site);
    assert!(
        broken.is_empty(),
        "{} broken links or anchors in the built book ({}):\n{}",
        broken.len(),
        site.display(),
        broken.join("\n")
    );
}

#[test]
fn chapters_contain_no_hand_typed_compiler_output() {
    let allowed = program_messages(&repo_root().join("listings"));
    let mut typed = Vec::new();
    for file in files_with_extension(&repo_root().join("src"), "md") {
        let text = fs::read_to_string(&file).expect("a readable chapter");
        for (line, text) in compiler_like_lines(&text, &allowed) {
            typed.push(format!("{}:{line}: {text}", shown(&file)));
        }
    }
    assert!(
        typed.is_empty(),
        "these lines look like compiler output typed into the book; show the listing's real \
         output with {{{{#compiler-output NAME}}}} (it is the snapshot trybuild checks), and \
         in prose name the code (E0382) or quote a short phrase in backticks:\n{}",
        typed.join("\n")
    );
}

/// The directives of a language's chapters (those its SUMMARY.md links to).
fn directives_of(language: &str) -> Vec<(String, usize, Directive)> {
    let dir = repo_root().join("src").join(language);
    let mut all = Vec::new();
    for chapter in chapters(&dir).unwrap_or_else(|err| panic!("{err}")) {
        let Ok(text) = fs::read_to_string(&chapter) else {
            continue; // the build test names a missing chapter
        };
        for found in scan(&text) {
            if let Ok(directive) = found.directive {
                all.push((shown(&chapter), found.line, directive));
            }
        }
    }
    all
}

#[test]
fn every_listing_is_shown_in_the_english_book() {
    let shown: BTreeSet<String> = directives_of("en")
        .into_iter()
        .filter(|(_, _, d)| matches!(d, Directive::Listing { .. }))
        .map(|(_, _, d)| d.listing_name().to_string())
        .collect();
    let missing: Vec<String> = all_listings()
        .into_iter()
        .map(|l| l.name)
        .filter(|name| !shown.contains(name))
        .collect();
    assert!(
        missing.is_empty(),
        "listings that no chapter of src/en shows; add {{{{#listing NAME}}}} where the book \
         reaches that step:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_failing_listing_shows_its_compiler_output_in_the_english_book() {
    let shown: BTreeSet<String> = directives_of("en")
        .into_iter()
        .filter(|(_, _, d)| matches!(d, Directive::CompilerOutput { .. }))
        .map(|(_, _, d)| d.listing_name().to_string())
        .collect();
    let missing: Vec<String> = all_listings()
        .into_iter()
        .filter(|l| l.must_fail() && !shown.contains(&l.name))
        .map(|l| l.name)
        .collect();
    assert!(
        missing.is_empty(),
        "listings meant to fail whose errors no chapter of src/en shows; add \
         {{{{#compiler-output NAME}}}} after the listing:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_directive_names_an_existing_listing() {
    let names: BTreeSet<String> = all_listings().into_iter().map(|l| l.name).collect();
    let mut wrong = Vec::new();
    for file in files_with_extension(&repo_root().join("src"), "md") {
        let text = fs::read_to_string(&file).expect("a readable chapter");
        for found in scan(&text) {
            let place = format!("{}:{}: {}", shown(&file), found.line, found.text);
            match found.directive {
                Ok(d) if names.contains(d.listing_name()) => {}
                Ok(d) => wrong.push(format!(
                    "{place}\n    no listing `{}`; `ls listings/` shows the names",
                    d.listing_name()
                )),
                Err(why) => wrong.push(format!("{place}\n    {why}")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------
// The checks above can fail: each one on a small broken input.

/// A throwaway book: the real book.toml and theme, the real listings, and
/// the given English chapters. Its folder goes when it is dropped.
struct ScratchBook {
    dir: TempDir,
}

impl ScratchBook {
    fn new(tag: &str, chapters: &[(&str, &str)]) -> ScratchBook {
        let dir = scratch_dir(&format!("scratch-book-{tag}"));
        let root = dir.path();
        let src = root.join("src/en");
        fs::create_dir_all(&src).unwrap();
        // The real configuration, with the listings found where they are.
        let mut config: toml::Table = fs::read_to_string(repo_root().join("book.toml"))
            .unwrap()
            .parse()
            .expect("book.toml is TOML");
        let listings_dir = repo_root().join("listings").display().to_string();
        config["preprocessor"]["listings"]
            .as_table_mut()
            .expect("book.toml has [preprocessor.listings]")
            .insert("listings-dir".into(), listings_dir.into());
        fs::write(root.join("book.toml"), config.to_string()).unwrap();
        copy_dir(&repo_root().join("theme"), &root.join("theme"));
        let mut summary = String::from("# Summary\n\n");
        for (file, text) in chapters {
            summary.push_str(&format!("- [{file}]({file})\n"));
            fs::write(src.join(file), text).unwrap();
        }
        fs::write(src.join("SUMMARY.md"), summary).unwrap();
        ScratchBook { dir }
    }

    fn build(&self) -> Result<PathBuf, String> {
        let root = self.dir.path();
        let out = root.join("out");
        build_language(root, "en", &out.join("en")).map(|()| out)
    }
}

#[test]
fn check_a_mistyped_listing_fails_the_build_naming_chapter_and_line() {
    let book = ScratchBook::new(
        "mistyped",
        &[(
            "one.md",
            "# One {#one}\n\nText.\n\n{{#listing ch05-02-no-nw}}\n",
        )],
    );
    let err = book.build().unwrap_err();
    assert!(
        err.contains("src/en/one.md:5: {{#listing ch05-02-no-nw}}")
            && err.contains("there is no listing `ch05-02-no-nw`")
            && err.contains("Did you mean `ch05-02-no-new`?"),
        "{err}"
    );
}

#[test]
fn check_a_broken_link_or_anchor_is_reported() {
    let book = ScratchBook::new(
        "links",
        &[
            (
                "one.md",
                "# One {#one}\n\n[ok](two.md#two) [gone](three.md) [bad anchor](two.md#nowhere) \
                 [here](#one) [missing here](#not-here) [web](https://example.org/x)\n\n\
                 {{#listing ch05-02-no-new}}\n\n{{#compiler-output ch05-02-no-new}}\n",
            ),
            ("two.md", "# Two {#two}\n"),
        ],
    );
    let site = book.build().unwrap_or_else(|err| panic!("{err}"));
    let broken = broken_links(&site);
    let on_page_one: Vec<&String> = broken
        .iter()
        .filter(|b| b.starts_with("en/one.html:"))
        .collect();
    assert_eq!(
        on_page_one,
        [
            "en/one.html: href=\"three.html\" (no file en/three.html)",
            "en/one.html: href=\"two.html#nowhere\" (no id \"nowhere\" in en/two.html)",
            "en/one.html: href=\"#not-here\" (no id \"not-here\" in en/one.html)",
        ],
        "all: {broken:#?}"
    );
    // index.html is a copy of the first chapter and print.html repeats every
    // chapter: the same three links are broken there, and nothing else is.
    let elsewhere = |b: &&String| !b.starts_with("en/one.html:");
    assert!(
        broken
            .iter()
            .filter(elsewhere)
            .all(|b| b.starts_with("en/index.html:") || b.starts_with("en/print.html:")),
        "{broken:#?}"
    );
    assert_eq!(broken.len(), 9, "{broken:#?}");

    // Assets count too: without the listings stylesheet, every page breaks.
    let theme = site.join("en/theme");
    for css in fs::read_dir(&theme).unwrap().flatten() {
        fs::remove_file(css.path()).unwrap();
    }
    let broken = broken_links(&site);
    assert!(
        broken
            .iter()
            .any(|b| b.starts_with("en/two.html: href=\"theme/listings-")
                && b.contains("(no file en/theme/listings-")),
        "{broken:#?}"
    );
}

#[test]
fn check_mdbook_warnings_fail_the_build() {
    let book = ScratchBook::new(
        "warnings",
        &[(
            "one.md",
            "# One {#one}\n\n<div class=\"note\">\n\nNever closed.\n",
        )],
    );
    let err = book.build().unwrap_err();
    assert!(
        err.contains("mdBook warned: WARN unclosed HTML tag `<div>`"),
        "{err}"
    );
}

#[test]
fn check_hand_typed_compiler_output_is_found() {
    let allowed = vec!["error: cannot listen on ".to_string()];
    let chapter = "\
Prose that names E0382 and quotes `use of moved value` is fine.
```console
$ cargo run
error: cannot listen on 127.0.0.1:7070: Address already in use (os error 98)
```

```text
error[E0382]: use of moved value: `receiver`
 --> src/pool.rs:31:42
warning: unused variable: `size`
error: could not compile `server` (bin \"server\") due to 1 previous error
```
Quoting `error[E0382]` in prose is typed output too.
<!--
a comment -->
  --> also a location
";
    let found = compiler_like_lines(chapter, &allowed);
    let lines: Vec<usize> = found.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [8, 9, 10, 11, 13, 16], "{found:#?}");
}

#[test]
fn check_program_messages_come_from_the_listings() {
    let messages = program_messages(&repo_root().join("listings"));
    assert!(
        messages.contains(&"error: cannot listen on ".to_string()),
        "{messages:?}"
    );
}

/// A word each language's search must find: its own word for "request".
const SEARCH_WORDS: &[(&str, &str)] = &[
    ("en", "request"),
    ("pt-BR", "requisição"),
    ("es", "solicitud"),
];

#[test]
fn each_language_is_a_book_of_its_own() {
    let site = site_dir();
    let mut problems = Vec::new();
    for language in languages(&repo_root().join("src")).expect("the book's languages") {
        let book = site.join(&language);
        let pages = fs::read_dir(&book).expect("a built book").flatten();
        for page in pages.filter(|p| p.path().extension().is_some_and(|e| e == "html")) {
            let html = fs::read_to_string(page.path()).expect("a readable page");
            if !html.contains(&format!("<html lang=\"{language}\"")) {
                problems.push(format!(
                    "{}: no <html lang=\"{language}\">",
                    shown(&page.path())
                ));
            }
        }
        let index = fs::read_dir(&book)
            .expect("a built book")
            .flatten()
            .find(|entry| {
                entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with("searchindex")
            });
        let Some(index) = index else {
            problems.push(format!("{language}: no search index in {}", shown(&book)));
            continue;
        };
        let text = fs::read_to_string(index.path()).expect("a readable search index");
        let word = SEARCH_WORDS
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, w)| *w);
        match word {
            Some(word) if text.contains(word) => {}
            Some(word) => problems.push(format!("{language}: its search index lacks \"{word}\"")),
            None => problems.push(format!(
                "{language}: add a word of this language to SEARCH_WORDS in tests/book.rs"
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
