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
    /// What the listings preprocessor writes into a chart (`{{#chart}}`).
    pub charts: Charts,
    /// mdBook's own interface words (buttons, labels, the search box and
    /// its results line), which the site builder puts into this language.
    pub interface: Interface,
}

/// mdBook's interface words in one language: what its page template and
/// its scripts show a reader, or say to a screen reader. The default
/// language's entry holds mdBook's own English, exactly as mdBook 0.5
/// writes it: that is what the site builder finds and replaces with
/// another language's words, and a word it cannot find (a new mdBook)
/// stops the build, naming it. The themes "Rust" and "Ayu" keep their
/// names in every language: they are names, not words. The playground's
/// words ("Run this code") are not here: the book has no run button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interface {
    /// The sidebar's label ("Table of contents").
    pub table_of_contents: &'static str,
    /// The button that shows or hides the sidebar.
    pub toggle_table_of_contents: &'static str,
    /// The theme button.
    pub change_theme: &'static str,
    /// The theme menu's label.
    pub themes: &'static str,
    /// The themes that have a name in this language: Auto, Light, Coal, Navy.
    pub theme_auto: &'static str,
    pub theme_light: &'static str,
    pub theme_coal: &'static str,
    pub theme_navy: &'static str,
    /// The search button's tooltip, with its key: "Search (`/`)".
    pub search: &'static str,
    /// The search button's label for screen readers.
    pub toggle_search: &'static str,
    /// The search box's placeholder.
    pub search_placeholder: &'static str,
    /// The results line: the count, then this, then the quoted words and a
    /// colon ("3 search results for 'pool':"); one result, and none (this,
    /// then the quoted words and a full stop).
    pub results_many: &'static str,
    pub results_one: &'static str,
    pub results_none: &'static str,
    /// Each result's excerpt, for screen readers.
    pub result_teaser: &'static str,
    /// The print button.
    pub print: &'static str,
    /// The previous and next page links, and their group's label.
    pub previous_chapter: &'static str,
    pub next_chapter: &'static str,
    pub page_navigation: &'static str,
    /// A code block's copy button, and what it says after a copy, or when
    /// the copy failed.
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    /// The button that shows a Rust block's hidden lines, and hides them.
    pub show_hidden_lines: &'static str,
    pub hide_lines: &'static str,
    /// The link to the book as one PDF, beside the print button: its
    /// tooltip and its label for screen readers. The site's own word, not
    /// mdBook's.
    pub download_pdf: &'static str,
    /// The keyboard help (the `?` key): its title, then each of its lines,
    /// `{}` where a key goes, in the order of `HELP_KEYS`.
    pub help_title: &'static str,
    pub help_lines: [&'static str; 4],
}

/// The keys the keyboard help's lines name, line by line, as mdBook writes
/// them: ← or → for the chapters, S or / for the search, ? and Esc for the
/// help itself.
pub const HELP_KEYS: [&[&str]; 4] = [&["←", "→"], &["S", "/"], &["?"], &["Esc"]];

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

/// The words of the charts that the listings preprocessor draws from the
/// benchmark's data (`{{#chart …}}`), in one language. The templates hold
/// placeholders in braces, filled in by the preprocessor: `{y}` and `{x}`
/// are axis labels (from `columns`), `{n}` a pool's size, and so on; each
/// field says which it takes. A chart that needs a word this table lacks
/// (a series kind, a column) fails the build, naming the word and this file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charts {
    /// What a line of a `lines` chart is called, by the value of its rows'
    /// `threads` column: a template where `{n}` is the rows' `workers`
    /// (`("pool", "pool of {n}")`).
    pub series: &'static [(&'static str, &'static str)],
    /// What a column of the data is, as an axis label and a table heading,
    /// by the column's name (`("connections", "connections")`); without a
    /// unit: the chart adds it to columns that have one (`p99_us`, in µs).
    pub columns: &'static [(&'static str, &'static str)],
    /// An axis label with its unit: `{label}` and `{unit}`, "p99 (ms)".
    pub with_unit: &'static str,
    /// The title of a `lines` chart: `{y}` against `{x}`.
    pub title_lines: &'static str,
    /// The title of a `bars` chart: `{y}`, one bar per server.
    pub title_bars: &'static str,
    /// The alt text's first sentence for a `lines` chart: `{y}`, `{x}`.
    pub desc_lines: &'static str,
    /// The alt text's first sentence for a `bars` chart: `{y}`.
    pub desc_bars: &'static str,
    /// After an axis's label in the alt text, when its scale is logarithmic.
    pub log_scale: &'static str,
    /// One line of a `lines` chart in the alt text: `{series}`, its values
    /// at the smallest and the largest x, `{first}` and `{last}`.
    pub desc_series: &'static str,
    /// Added to `desc_series` when a line peaks in between: `{value}`.
    pub desc_highest: &'static str,
    /// Added to `desc_series` when a line dips in between: `{value}`.
    pub desc_lowest: &'static str,
    /// One point in the alt text: the value `{y}` at `{x}` of the
    /// horizontal axis, whose label is `{x-label}`.
    pub desc_point: &'static str,
    /// Opens the caption's account of the machine (the data file's
    /// `# machine:` comment): "Measured on".
    pub measured_on: &'static str,
    /// The one word of the data's `# machine:` line that is not a name or
    /// a number: book-bench writes it in English ("2 cores (…), Linux …").
    pub cores: &'static str,
    /// Names the data file in the caption: "Data".
    pub data: &'static str,
    /// The summary of the folded table of the figures under a chart.
    pub figures: &'static str,
    /// The heading of a `bars` chart's labels in that table.
    pub server: &'static str,
    /// The symbols of the units a column in microseconds (`_us`) is shown
    /// in, whichever reads best: microseconds, milliseconds, seconds.
    pub units: [&'static str; 3],
    /// Between a number's whole part and its decimals: "." or ",".
    pub decimal_point: &'static str,
    /// Between groups of three digits of a large number.
    pub thousands_separator: &'static str,
    /// The fewest digits a whole part must have to be grouped (Spanish
    /// leaves four-digit numbers whole: 7049, but 15 077).
    pub grouped_from: usize,
}

impl Charts {
    /// The label template of a series kind (a `threads` value), if any.
    pub fn series(&self, kind: &str) -> Option<&'static str> {
        lookup(self.series, kind)
    }

    /// The label of a column, if any.
    pub fn column(&self, name: &str) -> Option<&'static str> {
        lookup(self.columns, name)
    }
}

fn lookup(pairs: &[(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    pairs.iter().find(|(k, _)| *k == key).map(|(_, word)| *word)
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
    match tag {
        None => DEFAULT,
        Some(tag) => matching_tag(tag).unwrap_or(DEFAULT),
    }
}

/// The entry [`for_tag`] picks for `tag`, or `None` where it would fall
/// back to the default language because no entry matches.
pub fn matching_tag(tag: &str) -> Option<&'static Language> {
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
