//! What the site says about each language: its own name, for the picker.

/// One language of the book, as the site presents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// The directory under `src/` and the BCP 47 tag (`pt-BR`).
    pub code: &'static str,
    /// The language's name in itself, as the picker shows it.
    pub name: &'static str,
    /// A short form for narrow screens (`PT`).
    pub short: &'static str,
    /// The picker's accessible label, in this language.
    pub picker_label: &'static str,
}

/// Every language the site knows how to present. A new directory under
/// `src/` needs its entry here too: the site build names it if it is missing.
pub const LANGUAGES: &[Language] = &[
    Language {
        code: "en",
        name: "English",
        short: "EN",
        picker_label: "Language",
    },
    Language {
        code: "pt-BR",
        name: "Português (Brasil)",
        short: "PT",
        picker_label: "Idioma",
    },
    Language {
        code: "es",
        name: "Español",
        short: "ES",
        picker_label: "Idioma",
    },
];

/// The default language: where `x-default` points and where the root page
/// sends a reader whose browser prefers none of the book's languages.
pub const DEFAULT_LANGUAGE: &str = "en";

/// The entry for `code`, or an error that says where to add it.
pub fn language(code: &str) -> Result<&'static Language, String> {
    LANGUAGES.iter().find(|l| l.code == code).ok_or_else(|| {
        format!(
            "src/{code} is a language the site does not know: add its own name (and a short \
             form and the picker's label in it) to LANGUAGES in site/src/language.rs"
        )
    })
}

/// The entries for `codes` (the directories under `src/`), in the order
/// the site presents them: the order of [`LANGUAGES`].
pub fn languages_of(codes: &[String]) -> Result<Vec<&'static Language>, String> {
    let mut languages = codes
        .iter()
        .map(|code| language(code))
        .collect::<Result<Vec<_>, _>>()?;
    languages.sort_by_key(|l| LANGUAGES.iter().position(|known| known == *l));
    Ok(languages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_presents_the_languages_in_the_order_of_the_table() {
        let codes = ["en", "es", "pt-BR"].map(String::from);
        let order: Vec<&str> = languages_of(&codes)
            .unwrap()
            .iter()
            .map(|l| l.code)
            .collect();
        assert_eq!(order, ["en", "pt-BR", "es"]);
        assert_eq!(LANGUAGES[0].code, DEFAULT_LANGUAGE);
        let err = languages_of(&["en".to_string(), "fr".to_string()]).unwrap_err();
        assert!(err.contains("src/fr"), "{err}");
    }
}
