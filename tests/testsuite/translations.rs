//! The three languages are in step: same chapters, same structure, same
//! listings in the same order, same headings and code, no translation older
//! than its English source, no English left in a translation, and one term
//! per concept (the glossary's). See README, "Translating".

use crate::support::scratch::{copy_dir, scratch_dir};
use tempfile::TempDir;

use book_languages::{DEFAULT_LANGUAGE, LANGUAGES};
use std::{fs, path::Path, path::PathBuf};

use crate::support::{
    listings::repo_root,
    outline::reads_as_english,
    translation::{
        blob_id, glossary_violations, heading_id_problems, missing_or_extra_chapters,
        stale_translations, structure_differences, summary_differences, translations,
        untranslated_prose,
    },
};

type Check = fn(&Path, &str) -> Vec<String>;

/// Runs a check for every translation of the book whose `src/` is given.
fn problems(src: &Path, check: Check) -> Vec<String> {
    translations(src)
        .iter()
        .flat_map(|language| check(src, language))
        .collect()
}

fn assert_none(problems: Vec<String>) {
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

fn src() -> PathBuf {
    repo_root().join("src")
}

/// Every language of the one table (languages/src/table.rs) but the source
/// language has its own folder under src/, and no folder lacks an entry.
#[test]
fn the_languages_of_the_table_are_all_there() {
    let promised: Vec<&str> = LANGUAGES
        .iter()
        .map(|language| language.code)
        .filter(|code| *code != DEFAULT_LANGUAGE)
        .collect();
    let mut present = translations(&src());
    present.sort_by_key(|code| promised.iter().position(|p| p == code));
    assert_eq!(
        present, promised,
        "folders under src/ besides {DEFAULT_LANGUAGE}, against the languages of \
         languages/src/table.rs: a language needs both its entry and its chapters"
    );
}

#[test]
fn every_language_has_every_chapter() {
    assert_none(problems(&src(), missing_or_extra_chapters));
}

#[test]
fn summaries_share_one_structure() {
    assert_none(problems(&src(), summary_differences));
}

#[test]
fn chapters_show_the_same_listings_headings_and_code() {
    assert_none(problems(&src(), structure_differences));
}

#[test]
fn every_heading_has_an_id_unique_in_its_book() {
    let languages = std::iter::once("en".to_string()).chain(translations(&src()));
    assert_none(
        languages
            .flat_map(|l| heading_id_problems(&src(), &l))
            .collect(),
    );
}

#[test]
fn no_translation_is_older_than_its_english_source() {
    assert_none(problems(&src(), stale_translations));
}

#[test]
fn no_prose_is_left_in_english() {
    assert_none(problems(&src(), untranslated_prose));
}

#[test]
fn chapters_keep_to_their_glossary() {
    assert_none(problems(&src(), glossary_violations));
}

// ---------------------------------------------------------------------------
// Each check bites: break a copy of the real book and see it named.

/// A copy of the book's `src/` to break, fresh for each test and removed
/// after it; `copy.path().join("src")` is the copy.
fn copy_of_src(test: &str) -> TempDir {
    let copy = scratch_dir(&format!("translations-{test}"));
    copy_dir(&src(), &copy.path().join("src"));
    copy
}

fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(path).expect("a readable chapter");
    fs::write(path, change(text)).expect("a writable chapter");
}

fn assert_named(problems: &[String], needles: &[&str]) {
    assert!(
        problems
            .iter()
            .any(|p| needles.iter().all(|n| p.contains(n))),
        "expected a problem mentioning {needles:?}, got:\n{}",
        problems.join("\n")
    );
}

#[test]
fn check_a_dropped_chapter_is_named() {
    let copy = copy_of_src("dropped");
    let src = copy.path().join("src");
    fs::remove_file(src.join("es/ch06-workers.md")).unwrap();
    assert_named(
        &problems(&src, missing_or_extra_chapters),
        &["src/es/ch06-workers.md is missing"],
    );
    fs::write(src.join("pt-BR/extra.md"), "# Extra {#extra}\n").unwrap();
    assert_named(
        &problems(&src, missing_or_extra_chapters),
        &["src/pt-BR/extra.md has no English source"],
    );
}

#[test]
fn check_a_reshaped_summary_is_caught() {
    let copy = copy_of_src("summary");
    let src = copy.path().join("src");
    edit(&src.join("es/SUMMARY.md"), |text| {
        text.replacen("\n---\n", "\n", 1)
    });
    assert_named(&problems(&src, summary_differences), &["src/es/SUMMARY.md"]);
}

#[test]
fn check_reordered_listings_are_caught() {
    let copy = copy_of_src("reordered");
    let src = copy.path().join("src");
    let chapter = src.join("pt-BR/ch05-pool-interface.md");
    edit(&chapter, |text| {
        let first = "{{#listing ch05-02-no-new src/pool.rs}}";
        let second = "{{#listing ch05-03-no-execute src/pool.rs}}";
        assert!(
            text.contains(first) && text.contains(second),
            "the test's directives moved"
        );
        text.replace(first, "@@FIRST@@")
            .replace(second, first)
            .replace("@@FIRST@@", second)
    });
    assert_named(
        &problems(&src, structure_differences),
        &["pt-BR/ch05-pool-interface.md", "directive"],
    );
}

#[test]
fn check_a_changed_heading_id_or_code_block_is_caught() {
    let copy = copy_of_src("headings");
    let src = copy.path().join("src");
    edit(&src.join("es/ch03-slow-request.md"), |text| {
        text.replacen("{#ch03-", "{#renamed-", 1)
            .replacen("```console", "```text", 1)
    });
    let found = problems(&src, structure_differences);
    assert_named(&found, &["es/ch03-slow-request.md", "heading"]);
    assert_named(&found, &["es/ch03-slow-request.md", "code block"]);
}

#[test]
fn check_two_paragraphs_merged_into_one_are_caught() {
    let copy = copy_of_src("merged");
    let src = copy.path().join("src");
    edit(&src.join("pt-BR/ch04-thread-per-connection.md"), |text| {
        // The first blank line between two lines of prose becomes a space.
        let lines: Vec<&str> = text.lines().collect();
        let at = (1..lines.len() - 1)
            .find(|&i| {
                let prose = |line: &str| line.chars().next().is_some_and(char::is_alphabetic);
                lines[i].is_empty() && prose(lines[i - 1]) && prose(lines[i + 1])
            })
            .expect("two paragraphs in a row");
        let mut merged: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
        merged[at] = merged.remove(at + 1);
        merged.join("\n") + "\n"
    });
    assert_named(
        &problems(&src, structure_differences),
        &["pt-BR/ch04-thread-per-connection.md", "paragraphs"],
    );
}

#[test]
fn check_an_english_change_makes_both_translations_stale() {
    let copy = copy_of_src("stale");
    let src = copy.path().join("src");
    let english = src.join("en/ch02-answering.md");
    let before = blob_id(&fs::read(&english).unwrap());
    edit(&english, |text| text + "\nOne more English paragraph.\n");
    let after = blob_id(&fs::read(&english).unwrap());
    let found = problems(&src, stale_translations);
    for language in translations(&src) {
        assert_named(
            &found,
            &[
                &format!("{language}/ch02-answering.md is older"),
                &format!("git show {before} | diff -u - src/en/ch02-answering.md"),
                &format!("blob {after} -->"),
            ],
        );
    }
}

#[test]
fn check_an_english_paragraph_left_in_a_translation_is_caught() {
    let copy = copy_of_src("english-left");
    let src = copy.path().join("src");
    let english = fs::read_to_string(src.join("en/ch04-thread-per-connection.md")).unwrap();
    let paragraph = english
        .split("\n\n")
        .find(|p| {
            p.split_whitespace().count() > 20 && p.chars().next().is_some_and(char::is_alphabetic)
        })
        .expect("an English paragraph")
        .to_string();
    edit(&src.join("es/ch04-thread-per-connection.md"), |text| {
        text + "\n" + &paragraph + "\n"
    });
    assert_named(
        &problems(&src, untranslated_prose),
        &["es/ch04-thread-per-connection.md", "reads as English"],
    );
}

#[test]
fn check_a_wrong_synonym_is_caught() {
    let copy = copy_of_src("synonym");
    let src = copy.path().join("src");
    edit(&src.join("pt-BR/glossary.md"), |text| {
        text + "\n<!-- avoid: palavra proibida -->\n"
    });
    edit(&src.join("pt-BR/ch01-listening.md"), |text| {
        text + "\nEste parágrafo usa a palavra proibida de propósito.\n"
    });
    assert_named(
        &problems(&src, glossary_violations),
        &["pt-BR/ch01-listening.md", "palavra proibida"],
    );
}

#[test]
fn english_is_told_from_portuguese_and_spanish() {
    assert!(reads_as_english(
        "The worker takes the next job from the channel and runs it."
    ));
    assert!(!reads_as_english(
        "O worker pega a próxima tarefa do canal e a executa em seguida."
    ));
    assert!(!reads_as_english(
        "El worker toma la siguiente tarea del canal y la ejecuta enseguida."
    ));
}

#[test]
fn blob_ids_are_gits() {
    // `printf 'hello\n' | git hash-object --stdin`
    assert_eq!(
        blob_id(b"hello\n"),
        "ce013625030ba8dba906f756967f9e9ca394464a"
    );
}
