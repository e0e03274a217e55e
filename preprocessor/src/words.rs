//! The few words the preprocessor writes into a page, in each language of
//! the book. The table is keyed by `book.language` in `book.toml` (or its
//! `MDBOOK_BOOK__LANGUAGE` override); a language it does not know gets English.

/// Caption words for one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// The language tag this table is for.
    pub language: &'static str,
    /// Starts a listing's caption: "Listing 12".
    pub listing: &'static str,
    /// The same word in running text: "… for listing 12".
    pub listing_in_text: &'static str,
    /// The mark on listings that are meant to fail.
    pub does_not_compile: &'static str,
    /// Compiler output caption, before the command: "Output of".
    pub output_of: &'static str,
    /// Compiler output caption, between the command and the listing: "for".
    pub output_for: &'static str,
    /// Tooltip on the `listings/NAME` label.
    pub crate_title: &'static str,
}

const ENGLISH: Words = Words {
    language: "en",
    listing: "Listing",
    listing_in_text: "listing",
    does_not_compile: "does not compile",
    output_of: "Output of",
    output_for: "for",
    crate_title: "This listing's crate, in the book's repository",
};

const PORTUGUESE: Words = Words {
    language: "pt-BR",
    listing: "Listagem",
    listing_in_text: "listagem",
    does_not_compile: "não compila",
    output_of: "Saída de",
    output_for: "para a",
    crate_title: "O crate desta listagem, no repositório do livro",
};

const SPANISH: Words = Words {
    language: "es",
    listing: "Listado",
    listing_in_text: "listado",
    does_not_compile: "no compila",
    output_of: "Salida de",
    output_for: "para el",
    crate_title: "El crate de este listado, en el repositorio del libro",
};

/// The words for a book language such as `en`, `pt-BR` or `es`. Only the
/// primary subtag counts (`pt`, `pt-PT` and `pt_BR` all get Portuguese);
/// no language, or one the table lacks, gets English.
pub fn words_for(language: Option<&str>) -> &'static Words {
    let primary = language
        .and_then(|tag| tag.split(['-', '_']).next())
        .unwrap_or("en")
        .to_ascii_lowercase();
    match primary.as_str() {
        "pt" => &PORTUGUESE,
        "es" => &SPANISH,
        _ => &ENGLISH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_book_language_gets_its_words() {
        assert_eq!(words_for(Some("en")).listing, "Listing");
        assert_eq!(words_for(Some("pt-BR")).listing, "Listagem");
        assert_eq!(words_for(Some("pt-BR")).does_not_compile, "não compila");
        assert_eq!(words_for(Some("es")).listing, "Listado");
        assert_eq!(words_for(Some("es")).output_of, "Salida de");
    }

    #[test]
    fn variants_of_a_tag_share_the_table() {
        assert_eq!(words_for(Some("pt_BR")).language, "pt-BR");
        assert_eq!(words_for(Some("PT-br")).language, "pt-BR");
        assert_eq!(words_for(Some("es-419")).language, "es");
        assert_eq!(words_for(Some("en-GB")).language, "en");
    }

    #[test]
    fn unknown_or_missing_language_falls_back_to_english() {
        assert_eq!(words_for(None).language, "en");
        assert_eq!(words_for(Some("fr")).language, "en");
        assert_eq!(words_for(Some("")).language, "en");
    }
}
