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

use crate::support::book::{
    broken_links, chapters, compiler_like_lines, folded_answer_problems, predict_problems,
    program_messages, shown, your_turn_problems,
};
use crate::support::built_site::{built_site, site_dir};
use crate::support::html::text_of;
use crate::support::listings::{all_listings, repo_root};
use crate::support::summary::parts;
use book_site::{build_language, languages};
use mdbook_listings::{Directive, scan};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

pub(crate) mod charts;
mod interface;
mod pdf;

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
        .filter_map(|(_, _, d)| d.listing_name().map(str::to_string))
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
        .filter_map(|(_, _, d)| d.listing_name().map(str::to_string))
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
                // A chart names no listing (book::charts checks charts).
                Ok(d) if d.listing_name().is_none_or(|name| names.contains(name)) => {}
                Ok(d) => wrong.push(format!(
                    "{place}\n    no listing `{}`; `ls listings/` shows the names",
                    d.listing_name().unwrap_or_default()
                )),
                Err(why) => wrong.push(format!("{place}\n    {why}")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------
// Practice (issue 8): every chapter of every part ends with a Your-turn
// section whose answers are folded, checked listings; every build from
// Part 2 on is preceded by a predict prompt.

/// The chapter files of a language's book (the part titles of its
/// SUMMARY.md, in order), from part `skip` on (0 is Part 1).
fn chapters_of_parts(language: &str, skip: usize) -> Vec<String> {
    let dir = repo_root().join("src").join(language);
    let parts = parts(&dir).unwrap_or_else(|err| panic!("{err}"));
    assert!(
        parts.len() > skip,
        "src/{language}/SUMMARY.md has {} part titles; the practice checks need at least {}",
        parts.len(),
        skip + 1
    );
    parts[skip..]
        .iter()
        .flat_map(|(_, files)| files.clone())
        .collect()
}

/// Each language's code, directory and chapter text, for the chapters of
/// the parts from `skip` on.
fn part_chapters(skip: usize) -> Vec<(&'static str, String, String)> {
    let mut all = Vec::new();
    for code in languages(&repo_root().join("src")).expect("the book's languages") {
        let language = book_languages::language(&code).unwrap_or_else(|err| panic!("{err}"));
        for file in chapters_of_parts(language.code, skip) {
            let path = repo_root().join("src").join(language.code).join(&file);
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", shown(&path)));
            all.push((language.code, shown(&path), text));
        }
    }
    all
}

#[test]
fn every_chapter_has_a_your_turn_with_folded_answers() {
    let problems: Vec<String> = part_chapters(0)
        .iter()
        .flat_map(|(_, shown, text)| your_turn_problems(shown, text))
        .collect();
    assert!(
        problems.is_empty(),
        "{} chapters lack a Your-turn section or its folded answer:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_build_from_part_2_on_is_preceded_by_a_predict_prompt() {
    let problems: Vec<String> = part_chapters(1)
        .iter()
        .flat_map(|(code, shown, text)| {
            let word = book_languages::language(code).unwrap().predict;
            predict_problems(shown, text, word)
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} compiler outputs from Part 2 on come without a predict prompt:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_your_turn_answers_are_folded_and_rendered_in_the_built_book() {
    let site = site_dir();
    let mut problems = Vec::new();
    for (code, shown_md, _) in part_chapters(0) {
        let file = shown_md.rsplit('/').next().unwrap().replace(".md", ".html");
        let page = site.join(code).join(&file);
        let html = fs::read_to_string(&page)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", page.display()));
        problems.extend(folded_answer_problems(&format!("{code}/{file}"), &html));
    }
    assert!(
        problems.is_empty(),
        "the Your-turn answers of the built book ({}):\n{}",
        site.display(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Compiler output: rustc's colours, readable in every theme.

/// The colours of theme/listings.css's compiler output, by theme: its
/// `--terminal-*` and `--rustc-*` variables, the ones of `:root` (the
/// light theme) overridden by each theme's own block.
fn terminal_palettes(css: &str) -> Vec<(String, BTreeMap<String, String>)> {
    palettes(css, &["--terminal-", "--rustc-"])
}

/// The custom properties of `css` whose names start with one of
/// `prefixes`, by theme: those of `:root` (the light theme) overridden by
/// each theme's own block (`.coal`, …).
fn palettes(css: &str, prefixes: &[&str]) -> Vec<(String, BTreeMap<String, String>)> {
    // Comments out first: they may hold `:`, `;` or braces.
    let mut uncommented = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        uncommented.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    uncommented.push_str(rest);
    let mut blocks: Vec<(Vec<String>, BTreeMap<String, String>)> = Vec::new();
    let mut rest = uncommented.as_str();
    while let Some(open) = rest.find('{') {
        let selector = rest[..open]
            .rsplit(['}', '/'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let body = &rest[open + 1..open + close];
        let vars: BTreeMap<String, String> = body
            .split(';')
            .filter_map(|decl| decl.trim().split_once(':'))
            .filter(|(name, _)| prefixes.iter().any(|p| name.starts_with(p)))
            .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
            .collect();
        if !vars.is_empty() && !selector.starts_with('@') && !selector.contains("code") {
            let selectors = selector.split(',').map(|s| s.trim().to_string()).collect();
            blocks.push((selectors, vars));
        }
        rest = &rest[open + close + 1..];
    }
    let root: BTreeMap<String, String> = blocks
        .iter()
        .filter(|(selectors, _)| selectors.iter().any(|s| s == ":root"))
        .flat_map(|(_, vars)| vars.clone())
        .collect();
    ["light", "rust", "coal", "navy", "ayu"]
        .iter()
        .map(|theme| {
            let mut vars = root.clone();
            for (selectors, own) in &blocks {
                if selectors.iter().any(|s| s == &format!(".{theme}")) {
                    vars.extend(own.clone());
                }
            }
            (theme.to_string(), vars)
        })
        .collect()
}

/// WCAG's contrast ratio of two `#rrggbb` colours.
pub(crate) fn contrast(a: &str, b: &str) -> Option<f64> {
    let luminance = |hex: &str| -> Option<f64> {
        let hex = hex.strip_prefix('#').filter(|h| h.len() == 6)?;
        let channel = |at: usize| -> Option<f64> {
            let c = f64::from(u8::from_str_radix(&hex[at..at + 2], 16).ok()?) / 255.0;
            Some(if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            })
        };
        Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
    };
    let (a, b) = (luminance(a)?, luminance(b)?);
    Some((a.max(b) + 0.05) / (a.min(b) + 0.05))
}

/// Every colour of the terminal below 4.5:1 against its background, or
/// missing, in any theme.
fn terminal_contrast_problems(css: &str) -> Vec<String> {
    let names = [
        "--terminal-fg",
        "--rustc-error",
        "--rustc-warning",
        "--rustc-note",
        "--rustc-help",
        "--rustc-line",
        "--rustc-added",
        "--rustc-removed",
    ];
    let mut problems = Vec::new();
    for (theme, vars) in terminal_palettes(css) {
        let Some(bg) = vars.get("--terminal-bg") else {
            problems.push(format!("{theme}: no --terminal-bg"));
            continue;
        };
        for name in names {
            match vars
                .get(name)
                .and_then(|fg| contrast(fg, bg).map(|r| (fg, r)))
            {
                Some((_, ratio)) if ratio >= 4.5 => {}
                Some((fg, ratio)) => problems.push(format!(
                    "{theme}: {name} {fg} on {bg} has a contrast of {ratio:.2}:1, under 4.5:1"
                )),
                None => problems.push(format!("{theme}: no {name} as #rrggbb")),
            }
        }
    }
    problems
}

#[test]
fn the_compiler_output_colours_are_readable_in_every_theme() {
    let css = fs::read_to_string(repo_root().join("theme/listings.css")).unwrap();
    let problems = terminal_contrast_problems(&css);
    assert!(
        problems.is_empty(),
        "theme/listings.css, the compiler output's colours:\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------
// The checks above can fail: each one on a small broken input.

/// A throwaway book: the real book.toml and theme, the real listings, and
/// the given English chapters. Its folder goes when it is dropped.
pub(crate) struct ScratchBook {
    pub(crate) dir: TempDir,
    language: &'static str,
}

impl ScratchBook {
    fn new(tag: &str, chapters: &[(&str, &str)]) -> ScratchBook {
        ScratchBook::in_language("en", tag, chapters)
    }

    /// A scratch book of one language: its chapters in `src/LANGUAGE`.
    pub(crate) fn in_language(
        language: &'static str,
        tag: &str,
        chapters: &[(&str, &str)],
    ) -> ScratchBook {
        let dir = scratch_dir(&format!("scratch-book-{tag}"));
        let root = dir.path();
        let src = root.join("src").join(language);
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
        ScratchBook { dir, language }
    }

    /// Builds the book into `out/LANGUAGE` under its folder; returns `out`.
    pub(crate) fn build(&self) -> Result<PathBuf, String> {
        let root = self.dir.path();
        let out = root.join("out");
        build_language(root, self.language, &out.join(self.language)).map(|()| out)
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
            // Its own title, from the table of languages, in every <title>.
            let title = book_languages::language(&language)
                .map(|entry| entry.title)
                .unwrap_or_else(|err| panic!("{err}"));
            // (mdBook's toc.html, the sidebar's frame without JavaScript, has none.)
            let head_title = html
                .split_once("<title>")
                .and_then(|(_, rest)| rest.split_once("</title>"))
                .map(|(inside, _)| text_of(inside));
            if let Some(head_title) = head_title
                && !head_title.contains(title)
            {
                problems.push(format!(
                    "{}: its <title> is {head_title:?}, without the {language} book's title \
                     {title:?} (languages/src/table.rs)",
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

#[test]
fn check_low_contrast_in_a_theme_is_found() {
    assert!((contrast("#000000", "#ffffff").unwrap() - 21.0).abs() < 0.01);
    let css = ":root {\n    --terminal-bg: #1d1f21;\n    --terminal-fg: #e0e0e0;\n    \
               --rustc-error: #ff6b68;\n    --rustc-warning: #f0c674;\n    --rustc-note: #8ae234;\n    \
               --rustc-help: #34e2e2;\n    --rustc-line: #7cb7ff;\n    --rustc-added: #8ae234;\n    \
               --rustc-removed: #ff6b68;\n}\n\n.ayu {\n    --rustc-line: #203040;\n}\n";
    assert_eq!(
        terminal_contrast_problems(css),
        ["ayu: --rustc-line #203040 on #1d1f21 has a contrast of 1.23:1, under 4.5:1"]
    );
}

/// A chapter with a Your-turn section and a folded answer, in the shape
/// the book's chapters have; `{listing}` is where the answer's listing goes.
const PRACTISED: &str = "\
# Five {#ch05}

> **Predict:** which bound will the compiler ask for first?

{{#listing ch05-02-no-new}}

{{#compiler-output ch05-02-no-new}}

## Your turn {#ch05-your-turn}

Remove the bound and build.

<details>
<summary>Answer</summary>

{listing}

{{#compiler-output ch05-03-no-execute}}

It names `execute`.

</details>
";

#[test]
fn check_a_chapter_without_a_your_turn_or_a_folded_answer_is_named() {
    let good = PRACTISED.replace("{listing}", "{{#listing ch05-03-no-execute}}");
    assert_eq!(
        your_turn_problems("src/en/five.md", &good),
        Vec::<String>::new()
    );

    let no_section = good.replace("## Your turn {#ch05-your-turn}", "## Try it {#ch05-try}");
    let problems = your_turn_problems("src/en/five.md", &no_section);
    assert!(
        problems.len() == 1 && problems[0].starts_with("src/en/five.md: no Your-turn section"),
        "{problems:#?}"
    );

    // The answer's listing outside the <details>: not folded.
    let unfolded = good
        .replace("{{#listing ch05-03-no-execute}}\n", "")
        .replace(
            "Remove the bound and build.",
            "{{#listing ch05-03-no-execute}}",
        );
    let problems = your_turn_problems("src/en/five.md", &unfolded);
    assert!(
        problems.len() == 1
            && problems[0].starts_with("src/en/five.md:9: the Your-turn section (lines 9-21)")
            && problems[0].contains("no folded, checked answer"),
        "{problems:#?}"
    );
}

#[test]
fn check_a_build_without_a_predict_prompt_is_named() {
    let good = PRACTISED.replace("{listing}", "{{#listing ch05-03-no-execute}}");
    assert_eq!(
        predict_problems("src/en/five.md", &good, "Predict"),
        Vec::<String>::new(),
        "a prompt before the listing; the answer's output needs none"
    );
    // Between the listing and its output is as good.
    let between = good
        .replace(
            "> **Predict:** which bound will the compiler ask for first?\n\n",
            "",
        )
        .replace(
            "{{#listing ch05-02-no-new}}\n",
            "{{#listing ch05-02-no-new}}\n\n> **Predict:** what now?\n",
        );
    assert_eq!(
        predict_problems("src/en/five.md", &between, "Predict"),
        Vec::<String>::new()
    );

    let missing = good.replace("> **Predict:** which bound", "Guess which bound");
    assert_eq!(
        predict_problems("src/en/five.md", &missing, "Predict"),
        [
            "src/en/five.md:7: {{#compiler-output ch05-02-no-new}}: the reader builds listing \
          `ch05-02-no-new` with no prediction asked: add a line starting `> **Predict:**` (one \
          or two sentences: what will the compiler say, and where will it point?) in the \
          chapter, just before `{{#listing ch05-02-no-new}}` (line 5) or between it and this \
          output"
        ]
    );
    // Each language has its own word: an English prompt is not a Portuguese one.
    let problems = predict_problems("src/pt-BR/five.md", &good, "Preveja");
    assert!(
        problems.len() == 1 && problems[0].contains("`> **Preveja:**`"),
        "{problems:#?}"
    );
    // A prompt before an earlier step does not count for a later one.
    let earlier = format!(
        "> **Predict:** what?\n\n{{{{#listing ch05-01-unknown-thread-pool}}}}\n\n{}",
        missing
    );
    let problems = predict_problems("src/en/five.md", &earlier, "Predict");
    assert!(
        problems.len() == 1
            && problems[0].contains("after `{{#listing ch05-01-unknown-thread-pool}}` (line 3)"),
        "{problems:#?}"
    );
}

#[test]
fn check_an_answer_that_is_not_folded_or_not_rendered_is_named() {
    let good = PRACTISED.replace("{listing}", "{{#listing ch05-03-no-execute}}");
    // Prose right under <summary>, with no blank line: it stays raw text
    // inside the <details> HTML block. (A directive needs no blank line of
    // its own: the preprocessor writes its block between blank lines.)
    let squeezed = good.replace(
        "<summary>Answer</summary>\n",
        "<summary>Answer</summary>\nThe compiler names `execute`:\n",
    );
    let unfolded = good
        .replace("<details>\n<summary>Answer</summary>\n", "")
        .replace("</details>\n", "");
    let book = ScratchBook::new(
        "answers",
        &[
            ("good.md", &good),
            ("squeezed.md", &squeezed),
            ("unfolded.md", &unfolded),
        ],
    );
    let site = book.build().unwrap_or_else(|err| panic!("{err}"));
    let read = |page: &str| fs::read_to_string(site.join("en").join(page)).unwrap();
    assert_eq!(
        folded_answer_problems("en/good.html", &read("good.html")),
        Vec::<String>::new()
    );
    let problems = folded_answer_problems("en/squeezed.html", &read("squeezed.html"));
    assert!(
        problems.len() == 1
            && problems[0].starts_with("en/squeezed.html: answer 1 of the Your-turn section has `")
            && problems[0].contains("was not read as Markdown"),
        "{problems:#?}"
    );
    let problems = folded_answer_problems("en/unfolded.html", &read("unfolded.html"));
    assert_eq!(
        problems,
        [
            "en/unfolded.html: the Your-turn section has no <details> with a listing in it: the \
          answers are not folded (or not listings)"
        ]
    );
}
