//! The site of the book, built once per test run exactly as
//! `cargo run -p book-site -- build` publishes it (every language, the
//! picker, the root and 404 pages), for every check that reads or serves it;
//! and what a server of a site saw fail.

use std::{path::Path, path::PathBuf, sync::OnceLock};

use book_site::StaticServer;

use super::listings::repo_root;

/// Where the shared site is built.
fn dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("site")
}

/// The built site's folder, or why it does not build: the first test to
/// ask builds it, the others wait for that build and share it.
pub fn built_site() -> Result<&'static Path, &'static str> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            book_site::build_site_with(repo_root(), &dir(), &site_options()).map(|()| dir())
        })
        .as_ref()
        .map(PathBuf::as_path)
        .map_err(String::as_str)
}

/// How the shared site is built: as published, each language's PDF with
/// it where there is a Chromium to print them (the PDF checks say they
/// were skipped where there is none), kept in a cache by what decides
/// them, as printing the three takes half a minute.
fn site_options() -> book_site::SiteOptions {
    let pdf = book_site::chromium().ok().map(|_| book_site::PdfOptions {
        cache: Some(Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdf-cache")),
    });
    book_site::SiteOptions { base: None, pdf }
}

/// The built site, for a check that needs it: a site that does not build
/// fails the check, pointing at the test that says why.
pub fn site_dir() -> &'static Path {
    built_site().unwrap_or_else(|_| {
        panic!("the book does not build; book::the_book_builds_in_every_language says why")
    })
}

/// The requests `server` answered with an error since its `from`th request,
/// as `404 /path`: what a browser failed to load from the site.
pub fn failed_requests(server: &StaticServer, from: usize) -> Vec<String> {
    server.requests()[from..]
        .iter()
        .filter(|(_, status)| *status >= 400)
        .map(|(path, status)| format!("{status} {path}"))
        .collect()
}
