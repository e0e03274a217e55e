//! mdBook's interface in each language's own words: in the built site, no
//! tooltip, label, placeholder or button of a translation's page is left
//! as the English page of the same name has it, and no translation's script
//! writes mdBook's English (the search results line, the copy button).

use crate::support::built_site::site_dir;
use crate::support::html::{Node, nodes};
use book_languages::{DEFAULT, HELP_KEYS, Interface, LANGUAGES};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// Names, the same in every language: two of mdBook's themes.
const NAMES: [&str; 2] = ["Rust", "Ayu"];

/// What a page's interface says: its tooltips, labels for screen readers
/// and placeholders (`title`, `aria-label`, `placeholder`), the text of its
/// buttons, and the title and lines of its keyboard help (the `?` key),
/// each line whole, its keys in it.
fn interface_strings(html: &str) -> BTreeSet<String> {
    let mut strings = BTreeSet::new();
    let mut in_button = false;
    // Inside the keyboard help: how deep in its `div`s, and the line so far.
    let mut help_depth = 0;
    let mut line = String::new();
    for node in nodes(html) {
        match node {
            Node::Open(tag) => {
                in_button |= tag.name == "button";
                for key in ["title", "aria-label", "placeholder"] {
                    strings.extend(tag.attribute(key).map(str::to_string));
                }
                if tag.name == "div"
                    && (help_depth > 0 || tag.attribute("id") == Some("mdbook-help-popup"))
                {
                    help_depth += 1;
                }
            }
            Node::Close(name) if name == "button" => in_button = false,
            Node::Close(name) if help_depth > 0 && ["h2", "p"].contains(&name.as_str()) => {
                strings.insert(std::mem::take(&mut line).trim().to_string());
            }
            Node::Close(name) if help_depth > 0 && name == "div" => help_depth -= 1,
            Node::Text(text) if help_depth > 0 => line.push_str(&text),
            Node::Text(text) if in_button && !text.trim().is_empty() => {
                strings.insert(text.trim().to_string());
            }
            _ => {}
        }
    }
    strings
}

/// The interface strings of a translation's page that are the English
/// page's, word for word (names aside).
fn left_in_english(english: &str, translated: &str) -> Vec<String> {
    let english = interface_strings(english);
    interface_strings(translated)
        .into_iter()
        .filter(|string| english.contains(string) && !NAMES.contains(&string.as_str()))
        .collect()
}

/// The words mdBook's scripts write, in one language.
fn script_words(words: &Interface) -> [&'static str; 9] {
    [
        words.results_none,
        words.results_many,
        words.results_one,
        words.result_teaser,
        words.copy,
        words.copied,
        words.copy_failed,
        words.show_hidden_lines,
        words.hide_lines,
    ]
}

/// The scripts of one language's book, by name, with their text.
fn scripts(dir: &Path) -> Vec<(String, String)> {
    fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "js"))
        .map(|entry| {
            let text = fs::read_to_string(entry.path()).expect("a readable script");
            (entry.file_name().to_string_lossy().into_owned(), text)
        })
        .collect()
}

#[test]
fn no_page_of_a_translation_keeps_mdbook_s_english() {
    let site = site_dir();
    let english_dir = site.join(DEFAULT.code);
    let mut problems = Vec::new();
    let mut compared = 0;
    for language in LANGUAGES.iter().filter(|l| l.code != DEFAULT.code) {
        let dir = site.join(language.code);
        for entry in fs::read_dir(&dir).expect("the language's folder").flatten() {
            let name = entry.file_name();
            let english_page = english_dir.join(&name);
            if entry.path().extension().is_none_or(|ext| ext != "html") || !english_page.is_file() {
                continue;
            }
            let english = fs::read_to_string(&english_page).expect("a readable page");
            let translated = fs::read_to_string(entry.path()).expect("a readable page");
            compared += 1;
            for string in left_in_english(&english, &translated) {
                problems.push(format!(
                    "{}/{}: {string:?} is in English",
                    language.code,
                    name.to_string_lossy()
                ));
            }
        }
        let english_words = script_words(&DEFAULT.interface);
        let own_words = script_words(&language.interface);
        for (script, text) in scripts(&dir) {
            for (english, own) in english_words.iter().zip(own_words) {
                if text.contains(english) && !own.contains(english) {
                    problems.push(format!("{}/{script}: says {english:?}", language.code));
                }
            }
        }
    }
    assert!(compared > 0, "no translated page was compared");
    assert!(
        problems.is_empty(),
        "mdBook's English left in a translation; give the language its word in \
         `Interface` (languages/src/table.rs):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_english_book_keeps_mdbook_s_words() {
    // What the check above looks for is there to be found: mdBook's own
    // words, in the English book's pages and scripts.
    let dir = site_dir().join(DEFAULT.code);
    let page = fs::read_to_string(dir.join("index.html")).expect("the first page");
    let strings = interface_strings(&page);
    let help_lines = DEFAULT
        .interface
        .help_lines
        .iter()
        .zip(HELP_KEYS)
        .map(|(line, keys)| {
            keys.iter()
                .fold(line.to_string(), |line, key| line.replacen("{}", key, 1))
        });
    for word in [
        DEFAULT.interface.print,
        DEFAULT.interface.search_placeholder,
        DEFAULT.interface.theme_light,
        DEFAULT.interface.help_title,
    ]
    .map(str::to_string)
    .into_iter()
    .chain(help_lines)
    {
        assert!(strings.contains(&word), "{word:?} not in {strings:?}");
    }
    let all: String = scripts(&dir).into_iter().map(|(_, text)| text).collect();
    for word in script_words(&DEFAULT.interface) {
        assert!(
            all.contains(word),
            "no script of the English book says {word:?}"
        );
    }
}

#[test]
fn check_an_english_label_or_button_left_in_a_translation_is_caught() {
    let english = r#"<nav aria-label="Page navigation"><a title="Previous chapter">‹</a></nav>
        <input placeholder="Search this book ..."><button>Light</button><button>Rust</button>"#;
    let translated = r#"<nav aria-label="Navegação entre páginas"><a title="Previous chapter">‹</a></nav>
        <input placeholder="Buscar neste livro…"><button> Light </button><button>Rust</button>"#;
    assert_eq!(
        left_in_english(english, translated),
        ["Light", "Previous chapter"]
    );
}
