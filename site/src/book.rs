//! One language of the book, built in-process with mdBook's library, and
//! every language of it.

use crate::SiteOptions;
use crate::url::encode_path;
use book_languages::DEFAULT_LANGUAGE;
use mdbook_driver::MDBook;
use mdbook_driver::config::Config;
use mdbook_listings::Listings;
use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The book's languages: every directory under `src/`, the default
/// language (English) first, the others by name.
/// Each must hold a `SUMMARY.md`; one that does not is an error, not a
/// language to skip.
pub fn languages(src: &Path) -> Result<Vec<String>, String> {
    let entries =
        fs::read_dir(src).map_err(|err| format!("cannot read {}: {err}", src.display()))?;
    let mut languages = Vec::new();
    for entry in entries.flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        let language = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().join("SUMMARY.md").is_file() {
            return Err(format!(
                "src/{language} has no SUMMARY.md: each directory under src/ is one language \
                 of the book, with the same files as src/en"
            ));
        }
        languages.push(language);
    }
    languages.sort_by_key(|l| (l != DEFAULT_LANGUAGE, l.clone()));
    Ok(languages)
}

/// Builds one language of the book at `root` into `out`, as
/// `MDBOOK_BOOK__SRC=src/LANG MDBOOK_BOOK__LANGUAGE=LANG
/// MDBOOK_BOOK__TITLE=… MDBOOK_BOOK__DESCRIPTION=… mdbook build -d OUT`
/// would, with the listings preprocessor running in-process: the title and
/// description are the language's, from the book's table of languages.
///
/// Fails with mdBook's whole error chain, and also on any warning mdBook
/// logs (unbalanced HTML in a chapter, an `{{#include}}` it cannot read…):
/// the command-line tool would print those and carry on.
pub fn build_language(root: &Path, language: &str, out: &Path) -> Result<(), String> {
    build_language_with(root, language, out, &SiteOptions::default())
}

/// [`build_language`], for a site built with `options`: with a base, the
/// book's `output.html.site-url` is its folder under the base's path
/// (`/repo/LANG/`), where mdBook's 404 page finds the book's files from
/// any depth.
pub fn build_language_with(
    root: &Path,
    language: &str,
    out: &Path,
    options: &SiteOptions,
) -> Result<(), String> {
    let _ = fs::remove_dir_all(out);
    let mut config = book_config(root)?;
    let entry = book_languages::language(language)?;
    let settings = [
        ("book.src", format!("src/{language}")),
        ("book.language", language.to_string()),
        // The title and description in the book's own language.
        ("book.title", entry.title.to_string()),
        ("book.description", entry.description.to_string()),
        ("build.build-dir", out.display().to_string()),
    ];
    for (key, value) in settings {
        config.set(key, value).map_err(|err| chain(&err))?;
    }
    if let Some(base) = &options.base {
        let site_url = format!("{}{}/", base.path(), encode_path(language));
        config
            .set("output.html.site-url", site_url)
            .map_err(|err| chain(&err))?;
    }
    // A chapter missing from src/LANG is an error here, not a file to create.
    config
        .set("build.create-missing", false)
        .map_err(|err| chain(&err))?;

    let log = WarningLog::default();
    let result = tracing::subscriber::with_default(log.clone(), || {
        let mut book = MDBook::load_with_config(root, config)?;
        book.with_preprocessor(Listings::new());
        book.build()
    });
    let mut problems = Vec::new();
    if let Err(err) = result {
        problems.push(chain(&err));
    }
    problems.extend(
        log.take()
            .into_iter()
            .map(|w| format!("mdBook warned: {w}")),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the {language} book (src/{language}) does not build cleanly:\n{}",
            problems.join("\n")
        ))
    }
}

/// The book's `book.toml`.
pub(crate) fn book_config(root: &Path) -> Result<Config, String> {
    Config::from_disk(root.join("book.toml")).map_err(|err| format!("book.toml: {}", chain(&err)))
}

/// An error and every cause under it, one per line.
fn chain(err: &mdbook_driver::errors::Error) -> String {
    err.chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n  caused by: ")
}

/// A `tracing` subscriber that keeps mdBook's warnings and errors.
#[derive(Clone, Default)]
struct WarningLog(Arc<Mutex<Vec<String>>>);

impl WarningLog {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl tracing::Subscriber for WarningLog {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        // Other threads may run with other subscribers: ask every time.
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() <= tracing::Level::WARN
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if !self.0.is_empty() {
                    self.0.push(' ');
                }
                if field.name() == "message" {
                    self.0.push_str(&format!("{value:?}"));
                } else {
                    self.0.push_str(&format!("{}={value:?}", field.name()));
                }
            }
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        let line = format!("{} {}", event.metadata().level(), message.0);
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(line);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}
