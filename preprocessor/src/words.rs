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

const ENGLISH: Words = Words {
    language: "en",
    listing: "Listing",
    listing_in_text: "listing",
    does_not_compile: "does not compile",
    panics: "panics",
    misbehaves: "not what we want yet",
    changed_since: "What changed since",
    new_file: "New file in this step",
    output_of: "Output of",
    output_for: "for",
    crate_title: "This listing's crate, in the book's repository",
};

const PORTUGUESE: Words = Words {
    language: "pt-BR",
    listing: "Listagem",
    listing_in_text: "listagem",
    does_not_compile: "não compila",
    panics: "entra em pânico",
    misbehaves: "ainda não faz o que queremos",
    changed_since: "O que mudou desde a",
    new_file: "Arquivo novo neste passo",
    output_of: "Saída de",
    output_for: "para a",
    crate_title: "O crate desta listagem, no repositório do livro",
};

const SPANISH: Words = Words {
    language: "es",
    listing: "Listado",
    listing_in_text: "listado",
    does_not_compile: "no compila",
    panics: "entra en pánico",
    misbehaves: "todavía no hace lo que queremos",
    changed_since: "Qué cambió desde el",
    new_file: "Archivo nuevo en este paso",
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
        assert_eq!(words_for(Some("pt-BR")).panics, "entra em pânico");
        assert_eq!(
            words_for(Some("es")).misbehaves,
            "todavía no hace lo que queremos"
        );
        assert_eq!(words_for(None).changed_since, "What changed since");
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
