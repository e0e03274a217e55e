//! Each language's book as one PDF, for a reader on a train without
//! network: the book's print page (every chapter on one page, mdBook's and
//! our print styles applied) printed by headless Chromium, then linked from
//! the menu bar of every page of that language, beside mdBook's print
//! button.
//!
//! Chromium prints what a reader's Ctrl-P would: the listings with their
//! captions and marks, the compiler's errors in print colours
//! (`theme/listings.css`), the answers unfolded (`theme/print.js`), a
//! caption kept on the page of its code. Printing takes seconds per book,
//! so a build may keep the PDFs in a cache, by what decides them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use crate::content_key::Digest;
use crate::decorate::html_pages;
use book_languages::Language;
use listings_contract::running::run_to_end;

/// How a build makes the PDFs.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// A folder where PDFs are kept by what decides them (the print page,
    /// the book's other files, Chromium's version), so that a build with
    /// none of it changed copies them instead of printing again.
    pub cache: Option<PathBuf>,
}

/// The PDF's name in its language's folder: `thread-pool-en.pdf`.
pub fn pdf_name(language: &Language) -> String {
    format!("thread-pool-{}.pdf", language.code)
}

/// The Chromium to print with (and the test suite's browser): the one
/// `CHROMIUM` names, or Debian's `chromium` (`chromium-browser` elsewhere)
/// on the `PATH`.
pub fn chromium() -> Result<PathBuf, String> {
    chromium_from(std::env::var_os("CHROMIUM"), std::env::var_os("PATH"))
}

/// The Chromium that `CHROMIUM` names (`chosen`), or the first `chromium`
/// on `path`, or what to do without one.
fn chromium_from(
    chosen: Option<std::ffi::OsString>,
    path: Option<std::ffi::OsString>,
) -> Result<PathBuf, String> {
    if let Some(chosen) = chosen {
        let chosen = PathBuf::from(chosen);
        if chosen.is_file() {
            return Ok(chosen);
        }
        return Err(format!(
            "CHROMIUM names {}, which is not a file: name Chromium's program, or build \
             without the PDFs: `book-site build --no-pdf`",
            chosen.display()
        ));
    }
    let path = path.unwrap_or_default();
    for name in ["chromium", "chromium-browser"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(
        "no Chromium to print the PDFs with: install Debian's `chromium` (or name another \
         with CHROMIUM=path), or build without them: `book-site build --no-pdf`"
            .to_string(),
    )
}

/// Prints each language's print page in `site` to its PDF, every language
/// at once, then links it from the language's pages.
pub fn make_pdfs(site: &Path, languages: &[&Language], options: &PdfOptions) -> Result<(), String> {
    let chromium = chromium()?;
    let version = chromium_version(&chromium)?;
    let printed: Vec<Result<(), String>> = thread::scope(|scope| {
        let jobs: Vec<_> = languages
            .iter()
            .map(|language| {
                let (chromium, version) = (&chromium, &version);
                scope.spawn(move || {
                    let dir = site.join(language.code);
                    print_book(chromium, version, &dir, language, options)
                })
            })
            .collect();
        jobs.into_iter()
            .map(|job| {
                job.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let problems: Vec<String> = printed.into_iter().filter_map(Result::err).collect();
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    for language in languages {
        link_pdf(&site.join(language.code), language)?;
    }
    Ok(())
}

fn chromium_version(chromium: &Path) -> Result<String, String> {
    let output = Command::new(chromium)
        .arg("--version")
        .output()
        .map_err(|err| format!("cannot run {}: {err}", chromium.display()))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Prints `dir/print.html` to `dir/NAME.pdf`, or copies it from the cache.
fn print_book(
    chromium: &Path,
    version: &str,
    dir: &Path,
    language: &Language,
    options: &PdfOptions,
) -> Result<(), String> {
    let pdf = dir.join(pdf_name(language));
    let cached = match &options.cache {
        Some(cache) => Some(cache.join(format!("{}.pdf", book_key(dir, version)?))),
        None => None,
    };
    if let Some(cached) = cached.as_ref().filter(|cached| cached.is_file()) {
        return fs::copy(cached, &pdf).map(drop).map_err(|err| {
            format!(
                "cannot copy {} to {}: {err}",
                cached.display(),
                pdf.display()
            )
        });
    }
    let print_page = dir.join("print.html");
    let print_page =
        fs::canonicalize(&print_page).map_err(|err| format!("{}: {err}", print_page.display()))?;
    // A profile of its own: two Chromiums on one profile would hand their
    // work to each other.
    let profile = std::env::temp_dir().join(format!(
        "book-site-pdf-{}-{}",
        std::process::id(),
        language.code
    ));
    let what = format!("Chromium printing the {} book", language.code);
    let printed = run_to_end(
        &what,
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-pdf-header-footer",
                // Bookmarks from the headings: a reader finds a chapter in a
                // file of five hundred pages.
                "--generate-pdf-document-outline",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", print_page.display())),
        PRINT_LIMIT,
    );
    let _ = fs::remove_dir_all(&profile);
    let printed = printed?;
    if !printed.status.success() || !pdf.is_file() {
        return Err(format!(
            "{}: Chromium did not print {} ({}): {}",
            language.code,
            pdf.display(),
            printed.status,
            printed.stderr.trim()
        ));
    }
    if let Some(cached) = cached {
        // A cache that cannot be written only costs the next build time.
        if fs::create_dir_all(cached.parent().expect("in the cache")).is_ok() {
            let _ = fs::copy(&pdf, cached);
        }
    }
    Ok(())
}

/// The longest a book may take to print: a few seconds on a 2-core
/// machine, thirty with the three at once on a busy one. A Chromium that
/// takes longer is stuck: it is stopped, and the build says so instead of
/// hanging.
const PRINT_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// What decides a book's PDF: its print page, the book's other files but
/// the search index (which printing never loads), Chromium's version, and
/// how this module prints.
fn book_key(dir: &Path, version: &str) -> Result<String, String> {
    let mut digest = Digest::default();
    digest.add(version.as_bytes());
    digest.add(include_str!("pdf.rs").as_bytes());
    digest.add_files(dir, |name| {
        name == "print.html" || !(name.ends_with(".html") || name.ends_with(".pdf"))
    })?;
    Ok(digest.hex())
}

/// Puts the PDF's link before mdBook's print button, on every page of the
/// book in `dir` that has one.
fn link_pdf(dir: &Path, language: &Language) -> Result<(), String> {
    let label = language.interface.download_pdf;
    let print_button = format!(
        "<a href=\"print.html\" title=\"{}\"",
        language.interface.print
    );
    let link = format!(
        "<a class=\"book-pdf\" href=\"{}\" type=\"application/pdf\" title=\"{label}\" \
         aria-label=\"{label}\">PDF</a>\n                        ",
        pdf_name(language)
    );
    for page in html_pages(dir)? {
        let path = dir.join(&page);
        let html = fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
        if let Some(at) = html.find(&print_button) {
            let linked = format!("{}{link}{}", &html[..at], &html[at..]);
            fs::write(&path, linked).map_err(|err| format!("{}: {err}", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_chromium_the_build_says_what_to_do() {
        let scratch = tempfile::tempdir().unwrap();
        let empty_path = Some(scratch.path().as_os_str().to_owned());
        let none = chromium_from(None, empty_path.clone()).unwrap_err();
        assert!(
            none.contains("install Debian's `chromium`") && none.contains("--no-pdf"),
            "{none}"
        );
        let missing = scratch.path().join("no-chromium-here");
        let wrong = chromium_from(Some(missing.clone().into_os_string()), empty_path).unwrap_err();
        assert!(
            wrong.contains(&format!("CHROMIUM names {}", missing.display()))
                && wrong.contains("--no-pdf"),
            "{wrong}"
        );
        let program = scratch.path().join("chromium");
        std::fs::write(&program, "").unwrap();
        let on_path = Some(scratch.path().as_os_str().to_owned());
        assert_eq!(chromium_from(None, on_path), Ok(program));
    }

    #[test]
    fn a_pdf_link_goes_before_the_print_button() {
        let scratch = tempfile::tempdir().unwrap();
        let english = book_languages::DEFAULT;
        let page = format!(
            "<div class=\"right-buttons\"><a href=\"print.html\" title=\"{}\">",
            english.interface.print
        );
        std::fs::write(scratch.path().join("ch01.html"), &page).unwrap();
        std::fs::write(scratch.path().join("toc.html"), "<ol></ol>").unwrap();
        link_pdf(scratch.path(), english).unwrap();
        let linked = std::fs::read_to_string(scratch.path().join("ch01.html")).unwrap();
        assert!(
            linked.starts_with(
                "<div class=\"right-buttons\"><a class=\"book-pdf\" href=\"thread-pool-en.pdf\""
            ),
            "{linked}"
        );
        assert!(linked.contains("aria-label=\"Download this book as one PDF\""));
        let untouched = std::fs::read_to_string(scratch.path().join("toc.html")).unwrap();
        assert_eq!(untouched, "<ol></ol>", "a page without the print button");
    }
}
