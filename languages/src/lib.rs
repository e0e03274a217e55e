//! The book's languages, in one table ([`LANGUAGES`], in `src/table.rs`):
//! for each, the directory of its chapters, how the site names it, and the
//! few words the preprocessor and the site write into its pages. The
//! listings preprocessor, the site builder and the tests all read this
//! table, so a language is listed in exactly one place.

mod table;

pub use table::LANGUAGES;

/// Where the table is, from the book's root: error messages that ask a
/// maintainer to add a language name this file.
pub const TABLE_FILE: &str = "languages/src/table.rs";

/// One language of the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// The directory of its chapters under `src/`, and its BCP 47 tag
    /// (`pt-BR`), as `book.language` and `<html lang>` give it.
    pub code: &'static str,
    /// Its name in itself, as the language picker shows it ("Español").
    pub name: &'static str,
    /// A short form for narrow screens ("ES").
    pub short: &'static str,
    /// The book's title in this language: every page's `<title>`, the
    /// menu bar, the root page's entry for it. The English one is also
    /// `book.title` in `book.toml` (for `mdbook serve`; a test keeps them
    /// equal).
    pub title: &'static str,
    /// The book's one-sentence description in this language (`<meta
    /// name="description">`, the root page).
    pub description: &'static str,
    /// The word that opens a predict prompt in a chapter of Parts 2–3,
    /// `> **Predict:**` (the book's checks look for it).
    pub predict: &'static str,
    /// The picker's accessible label, in this language ("Idioma").
    pub picker_label: &'static str,
    /// The heading of the site's 404 page, in this language.
    pub page_not_found: &'static str,
    /// The 404 page's link to this book's first page.
    pub to_first_page: &'static str,
    /// What the listings preprocessor writes around listings.
    pub captions: Captions,
}

/// The words the listings preprocessor writes into a page, in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Captions {
    /// Starts a listing's caption: "Listing 12".
    pub listing: &'static str,
    /// The same word in running text: "… for listing 12".
    pub listing_in_text: &'static str,
    /// The mark on listings that are meant to fail.
    pub does_not_compile: &'static str,
    /// The mark on listings that build but panic when run (`mark`: `panics`).
    pub panics: &'static str,
    /// The mark on listings that build and run but do not do what we want
    /// yet (`mark`: `misbehaves`).
    pub misbehaves: &'static str,
    /// Opens the diff against the previous listing, before "listing 11":
    /// "What changed since".
    pub changed_since: &'static str,
    /// Under a listing whose file the previous listing does not have.
    pub new_file: &'static str,
    /// Compiler output caption, before the command: "Output of".
    pub output_of: &'static str,
    /// Compiler output caption, between the command and the listing: "for".
    pub output_for: &'static str,
    /// Tooltip on the `listings/NAME` label.
    pub crate_title: &'static str,
}

/// The default language, the table's first entry.
pub const DEFAULT: &Language = &LANGUAGES[0];

/// The default language's code (`en`).
pub const DEFAULT_LANGUAGE: &str = DEFAULT.code;

/// The entry whose code is exactly `code`, if the table has one.
pub fn find(code: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|language| language.code == code)
}

/// The entry for `code` (a directory under `src/`), or an error that says
/// where to add it.
pub fn language(code: &str) -> Result<&'static Language, String> {
    find(code).ok_or_else(|| {
        format!(
            "src/{code} is a language the book's table does not have: add its entry (its own \
             name, a short form, and the words of the picker, the 404 page and the listings' \
             captions in it) to LANGUAGES in {TABLE_FILE}"
        )
    })
}

/// The entries for `codes` (the directories under `src/`), in the table's
/// order, whatever the order of `codes`; an error for a code it lacks.
pub fn languages_of<S: AsRef<str>>(codes: &[S]) -> Result<Vec<&'static Language>, String> {
    let mut languages = codes
        .iter()
        .map(|code| language(code.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    languages.sort_by_key(|language| position(language));
    Ok(languages)
}

/// The entry for a language tag as a book may configure it (`book.language`
/// in `book.toml`): the entry with that very tag, ignoring case and `_`
/// for `-`; else the first whose primary subtag is the tag's (`pt` and
/// `pt-PT` get `pt-BR`, `es-419` gets `es`); else, as for no tag at all,
/// the default language.
pub fn for_tag(tag: Option<&str>) -> &'static Language {
    let Some(tag) = tag else {
        return DEFAULT;
    };
    let tag = tag.replace('_', "-");
    let primary = |tag: &str| tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|language| language.code.eq_ignore_ascii_case(&tag))
        .or_else(|| {
            LANGUAGES
                .iter()
                .find(|language| primary(language.code) == primary(&tag))
        })
        .unwrap_or(DEFAULT)
}

/// Where `language` stands in the table.
fn position(language: &Language) -> usize {
    LANGUAGES
        .iter()
        .position(|known| known.code == language.code)
        .unwrap_or(LANGUAGES.len())
}

#[cfg(test)]
mod tests;
