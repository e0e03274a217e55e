//! mdBook's interface in the page's language: the words its page template
//! writes into every page (buttons, their tooltips and their labels for
//! screen readers, the search box) and those its scripts write while a
//! reader uses the page (the search results line, the copy button). mdBook
//! 0.5 has them in English only; the one table of languages has each
//! language's (`book_languages::Interface`), and the default language's
//! entry is mdBook's own English, which is what is found and replaced.
//!
//! A script whose words change is renamed: mdBook names its scripts after
//! their content (`searcher-09f2665d.js`), so that a browser may keep them
//! for as long as it likes, and an edited script under its old name could
//! be served stale from a reader's cache.

use crate::decorate::html_pages;
use book_languages::{DEFAULT, HELP_KEYS, Interface, Language, TABLE_FILE};
use std::fs;
use std::path::{Path, PathBuf};

/// Puts `here`'s interface words into the book mdBook built in `dir`.
/// Nothing to put for the default language, whose words are mdBook's; its
/// words are checked all the same (the site's own, `download_pdf`, go into
/// its pages too).
pub fn translate_interface(dir: &Path, here: &Language) -> Result<(), String> {
    check_words(here)?;
    if here.code == DEFAULT.code {
        return Ok(());
    }
    let (english, words) = (&DEFAULT.interface, &here.interface);
    let mut renamed = Vec::new();
    for (stem, replacements) in [
        ("searcher", searcher_words(english, words)),
        ("book", book_words(english, words)),
    ] {
        let script = script_named(dir, stem)?;
        let old = fs::read_to_string(&script)
            .map_err(|err| format!("cannot read {}: {err}", script.display()))?;
        let new = replace_all(&old, &replacements).map_err(|word| {
            format!(
                "{}: mdBook's script no longer says {word:?}; update `Interface` in {TABLE_FILE} \
                 to what this mdBook says",
                script.display()
            )
        })?;
        let new_name = fingerprinted(stem, &new);
        fs::write(dir.join(&new_name), &new)
            .map_err(|err| format!("cannot write {new_name}: {err}"))?;
        fs::remove_file(&script)
            .map_err(|err| format!("cannot remove {}: {err}", script.display()))?;
        let old_name = script.file_name().unwrap().to_string_lossy().into_owned();
        renamed.push((old_name, new_name));
    }
    let page_words = page_words(english, words);
    for page in html_pages(dir)? {
        let path = dir.join(&page);
        let html = fs::read_to_string(&path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let mut translated = html.clone();
        for (from, to) in page_words.iter().chain(&renamed) {
            translated = translated.replace(from.as_str(), to);
        }
        if translated != html {
            fs::write(&path, translated)
                .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
        }
    }
    Ok(())
}

/// The words as the page template writes them: attribute values (a
/// tooltip, a label, a placeholder), and the theme menu's buttons. A page
/// without mdBook's menu (its table of contents for readers without
/// JavaScript) has none of them, and needs none.
fn page_words(english: &Interface, words: &Interface) -> Vec<(String, String)> {
    let attributes = [
        (english.table_of_contents, words.table_of_contents),
        (
            english.toggle_table_of_contents,
            words.toggle_table_of_contents,
        ),
        (english.change_theme, words.change_theme),
        (english.themes, words.themes),
        (english.search, words.search),
        (english.toggle_search, words.toggle_search),
        (english.search_placeholder, words.search_placeholder),
        (english.print, words.print),
        (english.previous_chapter, words.previous_chapter),
        (english.next_chapter, words.next_chapter),
        (english.page_navigation, words.page_navigation),
    ];
    let themes = [
        (english.theme_auto, words.theme_auto),
        (english.theme_light, words.theme_light),
        (english.theme_coal, words.theme_coal),
        (english.theme_navy, words.theme_navy),
    ];
    let help_title = (
        format!(">{}</h2>", english.help_title),
        format!(">{}</h2>", words.help_title),
    );
    let help_lines = english
        .help_lines
        .iter()
        .zip(words.help_lines)
        .zip(HELP_KEYS)
        .map(|((from, to), keys)| {
            let line = |words: &str| format!("<p>{}</p>", help_line(words, keys));
            (line(from), line(to))
        });
    attributes
        .iter()
        .map(|(from, to)| (format!("=\"{from}\""), format!("=\"{to}\"")))
        .chain(
            themes
                .iter()
                .map(|(from, to)| (format!(">{from}</button>"), format!(">{to}</button>"))),
        )
        .chain(std::iter::once(help_title))
        .chain(help_lines)
        .collect()
}

/// A line of the keyboard help as mdBook writes it: `words` with each `{}`
/// replaced by the next of `keys`, in a `<kbd>`.
pub fn help_line(words: &str, keys: &[&str]) -> String {
    let mut parts = words.split("{}");
    let mut line = parts.next().unwrap_or_default().to_string();
    for (part, key) in parts.zip(keys) {
        line.push_str(&format!("<kbd>{key}</kbd>{part}"));
    }
    line
}

/// The search script's words. The line with no result first: it holds
/// the words of the line with many ("No search results for ").
fn searcher_words(english: &Interface, words: &Interface) -> Vec<(String, String)> {
    owned(&[
        (english.results_none, words.results_none),
        (english.results_many, words.results_many),
        (english.results_one, words.results_one),
        (english.result_teaser, words.result_teaser),
    ])
}

/// The page script's words: the copy button and its tooltips, and the
/// hidden lines' button (whose script compares its title with the words:
/// every occurrence is replaced, so the comparison still holds).
fn book_words(english: &Interface, words: &Interface) -> Vec<(String, String)> {
    owned(&[
        (english.copy, words.copy),
        (english.copied, words.copied),
        (english.copy_failed, words.copy_failed),
        (english.show_hidden_lines, words.show_hidden_lines),
        (english.hide_lines, words.hide_lines),
    ])
}

/// Replacements a script's text takes as they are: its words are found
/// wherever they stand.
fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect()
}

/// `text` with every occurrence of each `from` replaced, in order; the
/// first `from` that does not occur at all is the error.
fn replace_all(text: &str, replacements: &[(String, String)]) -> Result<String, String> {
    let mut text = text.to_string();
    for (from, to) in replacements {
        if !text.contains(from.as_str()) {
            return Err(from.clone());
        }
        text = text.replace(from.as_str(), to);
    }
    Ok(text)
}

/// The one script of mdBook's called `STEM-HASH.js` (or `STEM.js`) in `dir`.
fn script_named(dir: &Path, stem: &str) -> Result<PathBuf, String> {
    let entries =
        fs::read_dir(dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.strip_suffix(".js").is_some_and(|base| {
                base == stem
                    || base.strip_prefix(stem).is_some_and(|rest| {
                        rest.strip_prefix('-')
                            .is_some_and(|hash| hash.chars().all(|c| c.is_ascii_hexdigit()))
                    })
            })
        })
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        n => Err(format!(
            "{}: expected one of mdBook's `{stem}` scripts, found {n}",
            dir.display()
        )),
    }
}

/// `STEM-HASH.js`, HASH from the content, as mdBook names its files (its
/// own hash function is not public: this one is FNV-1a, 64 bits, shown as
/// its first 8 hexadecimal digits, which is as much as a cache needs).
fn fingerprinted(stem: &str, content: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in content.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{stem}-{:08x}.js", hash >> 32)
}

/// Interface words go into HTML attributes and JavaScript strings as they
/// are: they may not hold a character either would need escaped.
fn check_words(here: &Language) -> Result<(), String> {
    let words = here.interface;
    let all = [
        words.table_of_contents,
        words.toggle_table_of_contents,
        words.change_theme,
        words.themes,
        words.theme_auto,
        words.theme_light,
        words.theme_coal,
        words.theme_navy,
        words.search,
        words.toggle_search,
        words.search_placeholder,
        words.results_many,
        words.results_one,
        words.results_none,
        words.result_teaser,
        words.print,
        words.previous_chapter,
        words.next_chapter,
        words.page_navigation,
        words.copy,
        words.copied,
        words.copy_failed,
        words.show_hidden_lines,
        words.hide_lines,
        words.help_title,
        // The site's own word, beside mdBook's print button (`pdf.rs`).
        words.download_pdf,
    ];
    let help_lines = words.help_lines.iter().zip(HELP_KEYS);
    if let Some((line, keys)) = help_lines
        .clone()
        .find(|(line, keys)| line.matches("{}").count() != keys.len())
    {
        return Err(format!(
            "{}'s keyboard help line {line:?} in {TABLE_FILE} has {} `{{}}` for {} keys ({}); \
             give it one for each key, in that order",
            here.code,
            line.matches("{}").count(),
            keys.len(),
            keys.join(" ")
        ));
    }
    match all
        .iter()
        .chain(help_lines.map(|(line, _)| line))
        .find(|word| word.is_empty() || word.contains(['\'', '"', '\\', '<', '>', '&']))
    {
        Some(word) => Err(format!(
            "{}'s interface word {word:?} in {TABLE_FILE} is empty or holds a quote, a \
             backslash, `<`, `>` or `&`; say it without",
            here.code
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(code: &str) -> &'static Language {
        book_languages::find(code).expect("a language of the table")
    }

    #[test]
    fn every_language_s_words_can_go_into_pages_and_scripts() {
        for language in book_languages::LANGUAGES {
            check_words(language).unwrap();
        }
    }

    #[test]
    fn the_line_with_no_result_is_replaced_before_the_line_with_many() {
        let words = searcher_words(&DEFAULT.interface, &language("pt-BR").interface);
        let script =
            "return 'No search results for \\'' + t; return n + ' search results for \\'';";
        assert_eq!(
            replace_all(script, &words[..2]).unwrap(),
            "return 'Nenhum resultado para \\'' + t; return n + ' resultados para \\'';"
        );
    }

    #[test]
    fn a_word_the_script_no_longer_has_is_named() {
        let words = book_words(&DEFAULT.interface, &language("es").interface);
        assert_eq!(
            replace_all("showTooltip(e.trigger, 'Copied!');", &words).unwrap_err(),
            "Copy to clipboard"
        );
    }

    #[test]
    fn a_script_s_new_name_follows_its_content() {
        assert_eq!(fingerprinted("book", "a"), fingerprinted("book", "a"));
        assert_ne!(fingerprinted("book", "a"), fingerprinted("book", "b"));
        let name = fingerprinted("searcher", "x");
        let hash = name
            .strip_prefix("searcher-")
            .and_then(|rest| rest.strip_suffix(".js"))
            .unwrap();
        assert_eq!(hash.len(), 8, "{name}");
    }

    #[test]
    fn only_mdbook_s_script_of_that_name_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["searcher-0a1b2c3d.js", "searcher-extra.js", "book.js"] {
            fs::write(dir.path().join(name), "").unwrap();
        }
        let found = script_named(dir.path(), "searcher").unwrap();
        assert_eq!(found.file_name().unwrap(), "searcher-0a1b2c3d.js");
        assert!(script_named(dir.path(), "book").is_ok());
        let err = script_named(dir.path(), "toc").unwrap_err();
        assert!(err.contains("found 0"), "{err}");
    }

    #[test]
    fn a_quote_in_a_word_is_refused_by_name() {
        let mut spanish = *language("es");
        spanish.interface.copied = "¡Copiado 'ya'!";
        let err = check_words(&spanish).unwrap_err();
        assert!(err.contains("es's") && err.contains("Copiado"), "{err}");
    }

    #[test]
    fn a_help_line_puts_its_keys_where_its_words_say() {
        assert_eq!(
            help_line(DEFAULT.interface.help_lines[0], HELP_KEYS[0]),
            "Press <kbd>←</kbd> or <kbd>→</kbd> to navigate between chapters"
        );
        assert_eq!(
            help_line("Pulsa {} para ocultar esta ayuda", &["Esc"]),
            "Pulsa <kbd>Esc</kbd> para ocultar esta ayuda"
        );
    }

    #[test]
    fn a_help_line_without_a_place_for_each_key_is_refused_by_name() {
        let mut portuguese = *language("pt-BR");
        portuguese.interface.help_lines[1] = "Pressione {} para buscar";
        let err = check_words(&portuguese).unwrap_err();
        assert!(
            err.contains("pt-BR's keyboard help line \"Pressione {} para buscar\"")
                && err.contains("has 1 `{}` for 2 keys (S /)"),
            "{err}"
        );
    }
}
