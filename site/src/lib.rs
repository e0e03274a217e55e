//! The book's web site: every language of the book in one folder, with a
//! language picker on every page, a root page that picks the reader's
//! language and a root 404 page; and a local server for it that rebuilds
//! on every change and reloads the open pages.
//!
//! ```text
//! OUT/index.html     the root page: to the reader's language, or three links
//! OUT/404.html       any missing address: "page not found" in every language
//! OUT/en/…           the English book, as mdBook builds it, decorated
//! OUT/pt-BR/…, OUT/es/…
//! ```
//!
//! Each language is built in-process with mdBook's library and the
//! listings preprocessor (as `MDBOOK_BOOK__SRC=src/LANG
//! MDBOOK_BOOK__LANGUAGE=LANG mdbook build` would), and then every page
//! gets `hreflang` alternates and the picker: plain links to the same page
//! in the other languages. `theme/language-picker.js` carries the
//! `#section` along; `theme/site.css` styles the picker.
//!
//! Built for the address it is published at ([`SiteOptions::base`]), the
//! site also gives search engines absolute alternates and canonical links,
//! and its 404 pages work from any depth of a missing address.

mod accessible;
mod base_url;
mod book;
pub mod content_key;
mod decorate;
mod interface;
mod not_found_page;
mod pdf;
mod plain_page;
mod reader_language;
mod root_page;
mod server;
mod serving;
#[cfg(test)]
mod test_dir;
#[cfg(test)]
mod test_http;
// One HTML reader for the site's tests and the book's checks.
// (The site's tests read tags only; the book's checks read the rest.)
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../tests/testsuite/support/html.rs"]
mod html_tags;
#[cfg(test)]
mod test_links;
pub mod url;
mod watch;

pub use accessible::make_accessible;
pub use base_url::BaseUrl;
pub use book::{build_language, build_language_with, languages};
pub use decorate::{decorate_page, decorate_site};
pub use interface::translate_interface;
pub use not_found_page::not_found_page;
pub use pdf::{PdfOptions, chromium, make_pdfs, pdf_name};
pub use root_page::root_page;
pub use server::{LIVE_RELOAD_PATH, LiveReload, ServerOptions, StaticServer};
pub use serving::serve;

use std::fs;
use std::path::{Path, PathBuf};
use std::thread;

/// How the site is built.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// The address the site is published at, such as
    /// `https://owner.github.io/repo/`, if known. With it, every page's
    /// `hreflang` alternates and its `<link rel="canonical">` are absolute
    /// URLs under it, each book's mdBook 404 page and the root `404.html`
    /// find their links from its path at any depth of a missing address.
    /// Without it, every link is relative, there is no canonical link, and
    /// the root `404.html`'s links are right from the site's root only.
    pub base: Option<BaseUrl>,
    /// Whether each language is also printed to one PDF, linked from its
    /// pages (`None`: no PDF, and no link); see [`make_pdfs`].
    pub pdf: Option<PdfOptions>,
}

/// Builds the whole site of the book at `root` into `out`, with every link
/// relative: [`build_site_with`] without a base.
pub fn build_site(root: &Path, out: &Path) -> Result<(), String> {
    build_site_with(root, out, &SiteOptions::default())
}

/// Builds the whole site of the book at `root` into `out`: every language
/// into `out/LANG/`, decorated, the root page `out/index.html` and the
/// root `out/404.html`.
///
/// The site is built beside `out` (in `OUT.partial`) and moves into place
/// only once complete, so `out` always holds the last good build: a server
/// can keep serving it while a new one is built, or when one fails. Fails
/// with every language's problems, mdBook's warnings included.
pub fn build_site_with(root: &Path, out: &Path, options: &SiteOptions) -> Result<(), String> {
    let codes = languages(&root.join("src"))?;
    let site_languages = book_languages::languages_of(&codes)?;
    // A book.toml that mdBook cannot read fails here, before any build.
    book::book_config(root)?;
    let name = out
        .file_name()
        .ok_or_else(|| format!("{}: the site needs a folder of its own", out.display()))?;
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let sibling = |suffix: &str| {
        let mut name = name.to_os_string();
        name.push(suffix);
        parent.join(name)
    };
    let staging = sibling(".partial");
    let previous = sibling(".previous");
    for dir in [out, &staging, &previous] {
        check_replaceable(root, dir)?;
    }
    let _ = fs::remove_dir_all(&staging);
    let _ = fs::remove_dir_all(&previous);
    fs::create_dir_all(&staging)
        .map_err(|err| format!("cannot create {}: {err}", staging.display()))?;

    let built = build_all(root, &codes, &staging, options).and_then(|()| {
        let base = options.base.as_ref();
        for language in &site_languages {
            translate_interface(&staging.join(language.code), language)?;
            make_accessible(&staging.join(language.code), language)?;
        }
        decorate_site(&staging, &site_languages, base)?;
        let pages = [
            ("index.html", root_page(&site_languages, base)),
            (
                "404.html",
                not_found_page(book_languages::DEFAULT.title, &site_languages, base),
            ),
        ];
        for (name, html) in pages {
            let path = staging.join(name);
            fs::write(&path, html)
                .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
        }
        if let Some(pdf) = &options.pdf {
            make_pdfs(&staging, &site_languages, pdf)?;
        }
        Ok(())
    });
    if let Err(err) = built {
        let _ = fs::remove_dir_all(&staging);
        return Err(err);
    }

    if out.exists() {
        fs::rename(out, &previous)
            .map_err(|err| format!("cannot move the old site {} aside: {err}", out.display()))?;
    }
    if let Err(err) = fs::rename(&staging, out) {
        let _ = fs::rename(&previous, out);
        return Err(format!(
            "cannot move the new site into {}: {err}",
            out.display()
        ));
    }
    let _ = fs::remove_dir_all(&previous);
    Ok(())
}

/// The codes of the site's languages, in the order the site presents them
/// (`en, pt-BR, es`); empty if `src/` cannot be read.
pub fn site_languages(root: &Path) -> Vec<&'static str> {
    languages(&root.join("src"))
        .and_then(|codes| book_languages::languages_of(&codes))
        .map(|languages| languages.iter().map(|l| l.code).collect())
        .unwrap_or_default()
}

/// Every language into `out/LANG`, at the same time; the problems of all.
fn build_all(
    root: &Path,
    codes: &[String],
    out: &Path,
    options: &SiteOptions,
) -> Result<(), String> {
    let failures: Vec<String> = thread::scope(|scope| {
        let builds: Vec<_> = codes
            .iter()
            .map(|code| {
                let dir = out.join(code);
                (
                    code,
                    scope.spawn(move || build_language_with(root, code, &dir, options)),
                )
            })
            .collect();
        builds
            .into_iter()
            .filter_map(|(code, build)| match build.join() {
                Ok(result) => result.err(),
                Err(_) => Some(format!("building the {code} book panicked")),
            })
            .collect()
    });
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

/// Refuses to replace a folder that is plainly not a built site: the book
/// itself, a folder holding it, one of its source folders, or a project.
fn check_replaceable(root: &Path, dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    let refuse = |why: &str| {
        Err(format!(
            "{} {why}: it is not a site to replace; choose another output folder",
            dir.display()
        ))
    };
    if !dir.is_dir() {
        return refuse("is not a folder");
    }
    let (Ok(real), Ok(real_root)) = (fs::canonicalize(dir), fs::canonicalize(root)) else {
        return refuse("cannot be resolved");
    };
    if real_root.starts_with(&real) {
        return refuse("holds the book");
    }
    let sources = [
        "src",
        "listings",
        "theme",
        "tests",
        "preprocessor",
        "site",
        ".git",
        ".github",
    ];
    if sources
        .iter()
        .any(|source| real.starts_with(real_root.join(source)))
    {
        return refuse("is inside the book's sources");
    }
    for marker in ["book.toml", "Cargo.toml", "SUMMARY.md", ".git"] {
        if dir.join(marker).exists() {
            return refuse(&format!("has a {marker}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
