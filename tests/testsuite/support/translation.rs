//! Whether a translation is in step with its English source. Each check
//! takes a book's `src/` directory and a language, and returns its problems,
//! each naming the file and saying what to do, so that the same checks run
//! on the real book and on the broken copies that prove they bite.

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

use super::outline::{Outline, outline, reads_as_english};
use super::summary::{entries, read_summary};

/// The file that lists the terms of a language, with their wrong synonyms.
pub const GLOSSARY: &str = "glossary.md";

/// The languages other than the source: every directory under `src/` but
/// the default language's (the site's list, which also insists each has a
/// SUMMARY.md and an entry in the one table of languages).
pub fn translations(src: &Path) -> Vec<String> {
    book_site::languages(src)
        .unwrap_or_else(|err| panic!("{err}"))
        .into_iter()
        .filter(|language| language != book_languages::DEFAULT_LANGUAGE)
        .collect()
}

/// The Markdown files directly in a language directory, by name.
fn file_names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .collect()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// The chapters both languages have, as (English path, translated path).
fn pairs(src: &Path, language: &str) -> Vec<(PathBuf, PathBuf)> {
    let english = src.join("en");
    let translated = src.join(language);
    file_names(&english)
        .intersection(&file_names(&translated))
        .filter(|name| *name != "SUMMARY.md")
        .map(|name| (english.join(name), translated.join(name)))
        .collect()
}

/// `src/pt-BR/ch01-listening.md`, for messages.
fn shown(path: &Path) -> String {
    let mut parts: Vec<String> = path
        .components()
        .rev()
        .take(3)
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.reverse();
    parts.join("/")
}

// ---------------------------------------------------------------------------
// Same files, same SUMMARY structure

pub fn missing_or_extra_chapters(src: &Path, language: &str) -> Vec<String> {
    let english = file_names(&src.join("en"));
    let translated = file_names(&src.join(language));
    // A missing SUMMARY.md never gets here: `translations` refuses the language.
    let missing = english.difference(&translated).map(|name| {
        format!(
            "src/{language}/{name} is missing: translate src/en/{name} \
             (README, \"Translating\"), starting with its translation-of marker"
        )
    });
    let extra = translated.difference(&english).map(|name| {
        format!(
            "src/{language}/{name} has no English source src/en/{name}: \
             every chapter is written in English first; remove it or add the English chapter"
        )
    });
    missing.chain(extra).collect()
}

pub fn summary_differences(src: &Path, language: &str) -> Vec<String> {
    let (english, translated) = match (
        read_summary(&src.join("en")),
        read_summary(&src.join(language)),
    ) {
        (Ok(english), Ok(translated)) => (entries(&english), entries(&translated)),
        (english, translated) => {
            return english.err().into_iter().chain(translated.err()).collect();
        }
    };
    let first_difference = english
        .iter()
        .zip(&translated)
        .enumerate()
        .find(|(_, (en, item))| en != item)
        .map(|(index, (en, item))| {
            format!(
                "src/{language}/SUMMARY.md: entry {} is {item}, where src/en/SUMMARY.md has {en}: \
                 translate the titles only, keep links, nesting and parts as in English",
                index + 1
            )
        });
    let length = (english.len() != translated.len()).then(|| {
        format!(
            "src/{language}/SUMMARY.md has {} entries, src/en/SUMMARY.md {}: \
             keep the same parts, chapters and separators",
            translated.len(),
            english.len()
        )
    });
    first_difference.into_iter().chain(length).collect()
}

// ---------------------------------------------------------------------------
// Same listings, headings and code in every chapter

/// Compares two sequences and describes the first place they differ.
fn compare<T: PartialEq + std::fmt::Debug>(
    what: &str,
    english: &[(usize, T)],
    english_file: &Path,
    translated: &[(usize, T)],
    translated_file: &Path,
) -> Option<String> {
    for (index, pair) in english.iter().zip(translated).enumerate() {
        let ((en_line, en), (line, item)) = pair;
        if en != item {
            return Some(format!(
                "{}:{line}: {what} #{} is {item:?}, but {}:{en_line} has {en:?}: \
                 keep the same {what}s, in the same order, as the English chapter",
                shown(translated_file),
                index + 1,
                shown(english_file),
            ));
        }
    }
    (english.len() != translated.len()).then(|| {
        format!(
            "{} has {} {what}s, {} has {}: keep the same {what}s as the English chapter",
            shown(translated_file),
            translated.len(),
            shown(english_file),
            english.len()
        )
    })
}

pub fn structure_differences(src: &Path, language: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (english_file, translated_file) in pairs(src, language) {
        let english = outline(&read(&english_file));
        let translated = outline(&read(&translated_file));
        problems.extend(compare(
            "directive",
            &english.directives,
            &english_file,
            &translated.directives,
            &translated_file,
        ));
        let mut english_headings = heading_keys(&english);
        let mut translated_headings = heading_keys(&translated);
        if english_file.ends_with(GLOSSARY) {
            // A glossary is sorted by the translated terms: same entries, any order.
            english_headings.sort_by(|a, b| a.1.cmp(&b.1));
            translated_headings.sort_by(|a, b| a.1.cmp(&b.1));
        }
        problems.extend(compare(
            "heading (level, id)",
            &english_headings,
            &english_file,
            &translated_headings,
            &translated_file,
        ));
        problems.extend(compare(
            "code block",
            &code_keys(&english),
            &english_file,
            &code_keys(&translated),
            &translated_file,
        ));
        if !english_file.ends_with(GLOSSARY) {
            // A paragraph merged into its neighbour, or one left out, changes
            // no heading or listing: count them section by section.
            problems.extend(compare(
                "(section, paragraphs) pair",
                &paragraphs_per_section(&english),
                &english_file,
                &paragraphs_per_section(&translated),
                &translated_file,
            ));
        }
    }
    problems
}

/// How many runs of prose (paragraphs, list items, table cells) each section
/// holds, keyed by the id of the heading that opens it, at that heading's line.
fn paragraphs_per_section(outline: &Outline) -> Vec<(usize, (Option<String>, usize))> {
    let mut sections: Vec<(usize, (Option<String>, usize))> = vec![(1, (None, 0))];
    let mut headings = outline.headings.iter().peekable();
    for prose in &outline.prose {
        while let Some(heading) = headings.next_if(|heading| heading.line <= prose.line) {
            sections.push((heading.line, (heading.id.clone(), 0)));
        }
        sections.last_mut().expect("a first section").1.1 += 1;
    }
    sections.extend(headings.map(|heading| (heading.line, (heading.id.clone(), 0))));
    sections
}

fn heading_keys(outline: &Outline) -> Vec<(usize, (usize, Option<String>))> {
    outline
        .headings
        .iter()
        .map(|h| (h.line, (h.level, h.id.clone())))
        .collect()
}

fn code_keys(outline: &Outline) -> Vec<(usize, (String, String))> {
    outline
        .code_blocks
        .iter()
        .map(|block| (block.line, (block.info.clone(), block.content.clone())))
        .collect()
}

/// Every heading of every chapter of a language has an explicit `{#id}`,
/// and no id is used twice in the book: ids are how a reader switching
/// languages lands on the same section.
pub fn heading_id_problems(src: &Path, language: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let dir = src.join(language);
    for name in file_names(&dir).iter().filter(|name| *name != "SUMMARY.md") {
        let path = dir.join(name);
        for heading in outline(&read(&path)).headings {
            match heading.id {
                None => problems.push(format!(
                    "{}:{}: heading \"{}\" has no id: add one in English kebab-case, \
                     `{{#some-id}}`, the same in every language",
                    shown(&path),
                    heading.line,
                    heading.text
                )),
                Some(id) if !seen.insert(id.clone()) => problems.push(format!(
                    "{}:{}: id `{id}` is already used by another heading of the book: \
                     choose a unique one",
                    shown(&path),
                    heading.line
                )),
                Some(_) => {}
            }
        }
    }
    problems
}

// ---------------------------------------------------------------------------
// Staleness: which English version a translation translates

/// The first line of a translated chapter.
const MARKER_PREFIX: &str = "<!-- translation-of: ";

/// Git's id for a file's content (`git hash-object FILE`), computed here so
/// the check needs no git: sha1 of `blob <length>\0<bytes>`.
pub fn blob_id(content: &[u8]) -> String {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(format!("blob {}\0", content.len()).as_bytes());
    sha.update(content);
    sha.digest().to_string()
}

pub fn stale_translations(src: &Path, language: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (english_file, translated_file) in pairs(src, language) {
        let english = fs::read(&english_file).expect("a readable English chapter");
        let current = blob_id(&english);
        let name = english_file.file_name().unwrap().to_string_lossy();
        let expected_source = format!("src/en/{name}");
        let marker = read(&translated_file)
            .lines()
            .next()
            .and_then(parse_marker)
            .filter(|(source, _)| *source == expected_source);
        match marker {
            None => problems.push(format!(
                "{}: the first line must record the English version it translates: \
                 `<!-- translation-of: {expected_source} blob {current} -->` \
                 (the blob is `git hash-object {expected_source}`)",
                shown(&translated_file)
            )),
            Some((_, blob)) if blob != current => problems.push(format!(
                "{} is older than {expected_source}: see what changed in English with \
                 `git show {blob} | diff -u - {expected_source}`, carry it into the \
                 translation, then set its first line to \
                 `<!-- translation-of: {expected_source} blob {current} -->`",
                shown(&translated_file)
            )),
            Some(_) => {}
        }
    }
    problems
}

fn parse_marker(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix(MARKER_PREFIX)?.strip_suffix("-->")?;
    let (source, blob) = rest.trim().split_once(" blob ")?;
    Some((source.to_string(), blob.trim().to_string()))
}

// ---------------------------------------------------------------------------
// Prose left in English

pub fn untranslated_prose(src: &Path, language: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (english_file, translated_file) in pairs(src, language) {
        let english = outline(&read(&english_file));
        let english_texts: BTreeSet<&str> = english
            .prose
            .iter()
            .map(|prose| prose.text.as_str())
            .chain(english.headings.iter().map(|h| h.text.as_str()))
            // Four words or more; a formula such as `L = λ × W` (three
            // one-letter names and two signs) is the same in every language.
            .filter(|text| {
                text.split_whitespace()
                    .filter(|word| word.chars().any(char::is_alphabetic))
                    .count()
                    >= 4
            })
            .collect();
        let translated = outline(&read(&translated_file));
        let texts = translated
            .prose
            .iter()
            .map(|prose| (prose.line, prose.text.as_str()))
            .chain(
                translated
                    .headings
                    .iter()
                    .map(|h| (h.line, h.text.as_str())),
            );
        for (line, text) in texts {
            if english_texts.contains(text) || reads_as_english(text) {
                problems.push(format!(
                    "{}:{line}: this reads as English, not {language}: translate it (\"{}\")",
                    shown(&translated_file),
                    text.chars().take(70).collect::<String>()
                ));
            }
        }
    }
    problems
}

// ---------------------------------------------------------------------------
// One term per concept: the glossary's wrong synonyms stay out of the prose

/// `<!-- avoid: piscina de threads; fio -->` under a glossary entry.
fn avoided_terms(glossary: &Outline) -> Vec<(String, String)> {
    let mut avoided = Vec::new();
    for (line, comment) in &glossary.comments {
        let Some(list) = comment
            .strip_prefix("<!--")
            .and_then(|c| c.strip_suffix("-->"))
            .and_then(|c| c.trim().strip_prefix("avoid:"))
        else {
            continue;
        };
        // The entry is the last heading above the comment.
        let entry = glossary
            .headings
            .iter()
            .rev()
            .find(|heading| heading.line < *line)
            .map_or_else(String::new, |heading| heading.text.clone());
        for term in list.split(';').map(str::trim).filter(|t| !t.is_empty()) {
            avoided.push((term.to_lowercase(), entry.clone()));
        }
    }
    avoided
}

pub fn glossary_violations(src: &Path, language: &str) -> Vec<String> {
    let dir = src.join(language);
    let glossary_path = dir.join(GLOSSARY);
    if !glossary_path.is_file() {
        return vec![format!(
            "src/{language}/{GLOSSARY} is missing: each language keeps its terms there"
        )];
    }
    let avoided = avoided_terms(&outline(&read(&glossary_path)));
    let mut problems = Vec::new();
    for name in file_names(&dir).iter().filter(|name| *name != "SUMMARY.md") {
        let path = dir.join(name);
        let chapter = outline(&read(&path));
        let texts = chapter
            .prose
            .iter()
            .map(|prose| (prose.line, prose.text.as_str()))
            .chain(chapter.headings.iter().map(|h| (h.line, h.text.as_str())));
        for (line, text) in texts {
            let lowered = text.to_lowercase();
            for (term, entry) in &avoided {
                if name != GLOSSARY && contains_words(&lowered, term) {
                    problems.push(format!(
                        "{}:{line}: \"{term}\" is not this book's word: the glossary says \
                         \"{entry}\" (src/{language}/{GLOSSARY})",
                        shown(&path)
                    ));
                }
            }
        }
    }
    problems
}

/// Whether `text` contains `phrase` as whole words.
fn contains_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
