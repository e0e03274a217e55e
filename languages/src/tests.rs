use super::*;
use std::collections::HashSet;
use std::path::Path;

#[test]
fn the_table_file_is_where_the_messages_say() {
    let book_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let table = std::fs::read_to_string(book_root.join(TABLE_FILE)).unwrap();
    assert!(table.contains("pub const LANGUAGES"), "{TABLE_FILE}");
    let err = language("fr").unwrap_err();
    assert!(err.contains("src/fr") && err.contains(TABLE_FILE), "{err}");
}

#[test]
fn every_entry_is_complete_and_its_code_unique() {
    let mut codes = HashSet::new();
    for language in LANGUAGES {
        assert!(codes.insert(language.code), "{} twice", language.code);
        let c = &language.captions;
        let words = [
            language.code,
            language.name,
            language.short,
            language.title,
            language.description,
            language.predict,
            language.picker_label,
            language.page_not_found,
            language.to_first_page,
            c.listing,
            c.listing_in_text,
            c.does_not_compile,
            c.panics,
            c.misbehaves,
            c.changed_since,
            c.new_file,
            c.output_of,
            c.output_for,
            c.crate_title,
        ];
        for word in words {
            assert!(!word.trim().is_empty(), "{}: an empty word", language.code);
            // Written into HTML and JavaScript as they are.
            assert!(!word.contains(['<', '>', '&', '"', '\\']), "{word}");
        }
        // A directory name and a tag: letters, digits and `-`.
        assert!(
            language
                .code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{}",
            language.code
        );
    }
}

/// Every chart word of every language, with the placeholders its template
/// must hold.
fn chart_templates(c: &Charts) -> Vec<(&'static str, &'static str, &'static [&'static str])> {
    let mut all: Vec<(&str, &str, &[&str])> = vec![
        ("with_unit", c.with_unit, &["{label}", "{unit}"]),
        ("title_lines", c.title_lines, &["{y}", "{x}"]),
        ("title_bars", c.title_bars, &["{y}"]),
        (
            "desc_lines",
            c.desc_lines,
            &["{y}", "{x}", "{y-scale}", "{x-scale}"],
        ),
        ("desc_bars", c.desc_bars, &["{y}", "{y-scale}"]),
        ("log_scale", c.log_scale, &[]),
        (
            "desc_series",
            c.desc_series,
            &["{series}", "{first}", "{last}"],
        ),
        ("desc_highest", c.desc_highest, &["{value}"]),
        ("desc_lowest", c.desc_lowest, &["{value}"]),
        ("desc_point", c.desc_point, &["{y}", "{x}", "{x-label}"]),
        ("measured_on", c.measured_on, &[]),
        ("cores", c.cores, &[]),
        ("data", c.data, &[]),
        ("figures", c.figures, &[]),
        ("server", c.server, &[]),
    ];
    all.extend(c.units.iter().map(|unit| ("units", *unit, &[][..])));
    all.extend(
        c.series
            .iter()
            .map(|(_, label)| ("series", *label, &[][..])),
    );
    all.extend(
        c.columns
            .iter()
            .map(|(_, label)| ("columns", *label, &[][..])),
    );
    all
}

#[test]
fn every_language_has_the_chart_words_of_the_others() {
    let keys = |pairs: &[(&'static str, &'static str)]| -> Vec<&'static str> {
        let mut keys: Vec<_> = pairs.iter().map(|(key, _)| *key).collect();
        keys.sort_unstable();
        keys
    };
    for language in LANGUAGES {
        let c = &language.charts;
        for (field, word, placeholders) in chart_templates(c) {
            assert!(!word.trim().is_empty(), "{}: empty {field}", language.code);
            assert!(!word.contains(['<', '>', '&', '"', '\\']), "{word}");
            for placeholder in placeholders {
                assert!(
                    word.contains(placeholder),
                    "{}: charts.{field} {word:?} lacks {placeholder}",
                    language.code
                );
            }
        }
        // The same series kinds and columns in every language, so that a
        // chart that builds in one builds in all.
        assert_eq!(
            keys(c.series),
            keys(DEFAULT.charts.series),
            "{}",
            language.code
        );
        assert_eq!(
            keys(c.columns),
            keys(DEFAULT.charts.columns),
            "{}",
            language.code
        );
        let mut unique = keys(c.columns);
        unique.dedup();
        assert_eq!(unique, keys(c.columns), "{}: a column twice", language.code);
        assert_eq!(c.series("pool").map(|t| t.contains("{n}")), Some(true));
        assert_ne!(c.decimal_point, c.thousands_separator);
        assert!(c.grouped_from >= 4, "{}", language.code);
    }
    assert_eq!(find("es").unwrap().charts.series("one"), Some("un hilo"));
    assert_eq!(
        find("pt-BR").unwrap().charts.column("connections"),
        Some("conexões")
    );
    assert_eq!(DEFAULT.charts.column("no_such_column"), None);
}

#[test]
fn a_tag_without_an_entry_matches_nothing() {
    assert_eq!(matching_tag("fr"), None);
    assert_eq!(matching_tag("pt").map(|l| l.code), Some("pt-BR"));
    assert_eq!(matching_tag("en-GB").map(|l| l.code), Some("en"));
}

#[test]
fn the_default_is_english_and_first() {
    assert_eq!(DEFAULT_LANGUAGE, "en");
    assert_eq!(DEFAULT.code, LANGUAGES[0].code);
    assert_eq!(find("en"), Some(DEFAULT));
    assert_eq!(find("pt-BR").map(|l| l.name), Some("Português (Brasil)"));
    assert_eq!(find("pt-br"), None, "codes are directory names: exact");
}

#[test]
fn the_site_presents_the_languages_in_the_order_of_the_table() {
    let codes: Vec<&str> = languages_of(&["es", "en", "pt-BR"])
        .unwrap()
        .iter()
        .map(|l| l.code)
        .collect();
    assert_eq!(codes, ["en", "pt-BR", "es"]);
    let owned = ["es".to_string()];
    assert_eq!(languages_of(&owned).unwrap()[0].short, "ES");
    let err = languages_of(&["en", "fr"]).unwrap_err();
    assert!(err.contains("src/fr"), "{err}");
}

#[test]
fn each_book_language_gets_its_caption_words() {
    let captions = |tag| for_tag(tag).captions;
    assert_eq!(captions(Some("en")).listing, "Listing");
    assert_eq!(captions(Some("pt-BR")).listing, "Listagem");
    assert_eq!(captions(Some("pt-BR")).does_not_compile, "não compila");
    assert_eq!(captions(Some("es")).listing, "Listado");
    assert_eq!(captions(Some("es")).output_of, "Salida de");
    assert_eq!(captions(Some("pt-BR")).panics, "entra em pânico");
    assert_eq!(
        captions(Some("es")).misbehaves,
        "todavía no hace lo que queremos"
    );
    assert_eq!(captions(None).changed_since, "What changed since");
}

#[test]
fn variants_of_a_tag_share_the_entry() {
    for (tag, code) in [
        ("pt_BR", "pt-BR"),
        ("PT-br", "pt-BR"),
        ("pt", "pt-BR"),
        ("pt-PT", "pt-BR"),
        ("es-419", "es"),
        ("en-GB", "en"),
    ] {
        assert_eq!(for_tag(Some(tag)).code, code, "{tag}");
    }
}

#[test]
fn an_unknown_or_missing_tag_gets_the_default() {
    for tag in [None, Some("fr"), Some(""), Some("-"), Some("x-klingon")] {
        assert_eq!(for_tag(tag).code, "en", "{tag:?}");
    }
}

#[test]
fn each_language_has_its_own_title_and_the_english_one_is_book_tomls() {
    let titles: HashSet<&str> = LANGUAGES.iter().map(|l| l.title).collect();
    assert_eq!(titles.len(), LANGUAGES.len(), "one title per language");
    // `mdbook serve` builds the English book from book.toml alone: its
    // title and description must be the table's. (Read as text: this
    // crate has no TOML parser, and these two lines are plain strings.)
    let book_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let book_toml = std::fs::read_to_string(book_root.join("book.toml")).unwrap();
    for (key, value) in [
        ("title", DEFAULT.title),
        ("description", DEFAULT.description),
    ] {
        let line = format!("{key} = \"{value}\"");
        assert!(
            book_toml.lines().any(|l| l.trim() == line),
            "book.toml's [book] should say `{line}`, as the table's {} entry does: change \
             both together ({TABLE_FILE})",
            DEFAULT.code
        );
    }
}
