//! The preprocessor's settings: `[preprocessor.listings]` in `book.toml`,
//! read as one typed table, and the book's language.

use book_languages::Captions;
use mdbook_preprocessor::PreprocessorContext;
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::path::PathBuf;

/// What every message about `[preprocessor.listings]` ends with: which of
/// its keys are ours, so a misspelt or mistyped one is easy to put right.
const OURS: &str = "this preprocessor reads `listings-dir` (a folder, relative to the book's \
                    root) and `source-url` (a URL); the other keys are mdBook's";

/// How the preprocessor is configured for one book.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The directory that holds one crate per listing.
    pub listings_dir: PathBuf,
    /// How messages and captions name that directory (`listings`).
    pub listings_shown: String,
    /// Where a listing's directory can be browsed, if anywhere.
    pub source_url: Option<String>,
    /// The caption words for the book's language (`book.language`; a
    /// language the table lacks gets the default language's words).
    pub captions: &'static Captions,
    /// The book's root (where `book.toml` is): charts read their data
    /// files from there.
    pub book_root: PathBuf,
    /// `book.language` as configured: charts take their words from its
    /// entry, and fail where the table has none.
    pub language: Option<String>,
}

/// `[preprocessor.listings]` as written in `book.toml`. Unknown keys are
/// refused rather than ignored, so a misspelt `listing-dir` fails the build
/// instead of silently leaving the default in place.
#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    expecting = "a table of settings"
)]
struct Table {
    listings_dir: Option<String>,
    source_url: Option<String>,
    // mdBook's own keys for any preprocessor: mdBook reads them; here they
    // are only allowed, whatever their value.
    #[serde(rename = "command")]
    _command: Option<IgnoredAny>,
    #[serde(rename = "before")]
    _before: Option<IgnoredAny>,
    #[serde(rename = "after")]
    _after: Option<IgnoredAny>,
    #[serde(rename = "renderers")]
    _renderers: Option<IgnoredAny>,
    #[serde(rename = "optional")]
    _optional: Option<IgnoredAny>,
}

impl Settings {
    /// Reads `[preprocessor.listings]` and `book.language`.
    pub fn from_context(ctx: &PreprocessorContext) -> Result<Settings, String> {
        let table: Table = ctx
            .config
            .get("preprocessor.listings")
            .map_err(|err| {
                // The last cause holds serde's own words, which name the key
                // ("unknown field `listing-dir`, expected one of …", "invalid
                // type: …\nin `listings-dir`"); the causes above it only say
                // where mdBook looked, which the message starts with anyway.
                let cause = err.root_cause().to_string();
                format!(
                    "[preprocessor.listings] in book.toml: {}; {OURS}",
                    cause.trim_end().replace('\n', " ")
                )
            })?
            .unwrap_or_default();
        let listings_shown = table.listings_dir.unwrap_or_else(|| "listings".to_string());
        Ok(Settings {
            listings_dir: ctx.root.join(&listings_shown),
            listings_shown: listings_shown.trim_end_matches('/').to_string(),
            source_url: table
                .source_url
                .map(|url| url.trim_end_matches('/').to_string()),
            captions: &book_languages::for_tag(ctx.config.book.language.as_deref()).captions,
            book_root: ctx.root.clone(),
            language: ctx.config.book.language.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_preprocessor::config::Config;
    use std::path::Path;

    fn read(book_toml: &str) -> Result<Settings, String> {
        let config: Config = book_toml.parse().expect("a valid book.toml");
        let ctx = PreprocessorContext::new(PathBuf::from("/book"), config, "html".to_string());
        Settings::from_context(&ctx)
    }

    #[test]
    fn without_a_table_the_defaults_apply() {
        let settings = read("").unwrap();
        assert_eq!(settings.listings_dir, Path::new("/book/listings"));
        assert_eq!(settings.listings_shown, "listings");
        assert_eq!(settings.source_url, None);
        assert_eq!(settings.captions, &book_languages::DEFAULT.captions);
        assert_eq!(settings.book_root, Path::new("/book"));
    }

    #[test]
    fn our_keys_are_read_and_mdbooks_own_are_allowed() {
        let settings = read(
            "[book]\nlanguage = \"es\"\n\n[preprocessor.listings]\ncommand = \"cargo run\"\n\
             before = [\"links\"]\nafter = []\nrenderers = [\"html\"]\noptional = true\n\
             listings-dir = \"code/\"\nsource-url = \"https://example.org/code/\"\n",
        )
        .unwrap();
        assert_eq!(settings.listings_dir, Path::new("/book/code/"));
        assert_eq!(settings.listings_shown, "code");
        assert_eq!(
            settings.source_url.as_deref(),
            Some("https://example.org/code")
        );
        assert_eq!(
            settings.captions,
            &book_languages::for_tag(Some("es")).captions
        );
        assert_eq!(settings.language.as_deref(), Some("es"));
    }

    #[test]
    fn an_unknown_key_is_named_with_the_keys_we_read() {
        let err = read("[preprocessor.listings]\nlisting-dir = \"x\"\n").unwrap_err();
        assert!(
            err.starts_with("[preprocessor.listings] in book.toml: unknown field `listing-dir`"),
            "{err}"
        );
        assert!(err.ends_with(OURS), "{err}");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named_with_its_key() {
        for (book_toml, says) in [
            (
                "[preprocessor.listings]\nlistings-dir = 3\n",
                "invalid type: integer `3`, expected a string in `listings-dir`",
            ),
            (
                "[preprocessor.listings]\nsource-url = [\"a\"]\n",
                "expected a string in `source-url`",
            ),
            (
                "[preprocessor]\nlistings = 3\n",
                "expected a table of settings",
            ),
        ] {
            let err = read(book_toml).unwrap_err();
            assert!(err.contains(says), "{book_toml}: {err}");
            assert!(!err.contains('\n'), "one line: {err}");
            assert!(err.ends_with(OURS), "{err}");
        }
    }
}
