//! Each language's book as one PDF, as the site is built with it
//! (`book_site::make_pdfs`): it is there, linked from every page that has
//! mdBook's print button, its text is text (searchable, read back by
//! poppler's `pdftotext`), it has every chapter's title and bookmarks,
//! every page says its number, and no page of it ends on a listing's
//! caption whose code went to the next page.
//!
//! Without Chromium the site is built without PDFs, and without
//! `pdftotext` they cannot be read: the checks say they were skipped,
//! except where `REQUIRE_BROWSER=1` (CI installs both).

use std::{fs, path::Path, process::Command};

use book_languages::{LANGUAGES, Language};
use book_site::pdf_name;

use crate::support::{
    browser::skipped,
    built_site::site_dir,
    html::{Node, nodes},
    listings::repo_root,
    summary::chapter_files,
};

/// The text of each page of `pdf`, as `pdftotext -layout` reads it back;
/// `None` (with the reason said) where the check may be skipped.
fn pages_of(test: &str, pdf: &Path) -> Option<Vec<String>> {
    if let Err(why) = book_site::chromium() {
        return skipped(test, &why);
    }
    let output = match Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
    {
        Ok(output) => output,
        Err(err) => {
            return skipped(
                test,
                &format!("no pdftotext to read the PDFs ({err}): `apt-get install poppler-utils`"),
            );
        }
    };
    assert!(
        output.status.success(),
        "pdftotext {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("pdftotext writes UTF-8");
    Some(text.split('\u{c}').map(str::to_string).collect())
}

/// Words with their spaces and line ends made one space: a title may wrap.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of the first `<h1>` in a built page's `<main>` (the menu bar
/// has one of its own: the book's title).
fn title_of(html: &str) -> Option<String> {
    let mut in_main = false;
    let mut title = None::<String>;
    for node in nodes(html) {
        match (node, &mut title) {
            (Node::Open(tag), _) if tag.name == "main" => in_main = true,
            (Node::Open(tag), None) if in_main && tag.name == "h1" => title = Some(String::new()),
            (Node::Text(text), Some(title)) => title.push_str(&text),
            (Node::Close(name), Some(title)) if name == "h1" => return Some(squeezed(title)),
            _ => {}
        }
    }
    None
}

/// Whether `line` is a listing's caption, as the preprocessor writes it
/// in `language`: its word, its number, a middle dot ("Listing 32 ·
/// src/pool.rs"); a table's row that names a listing is not.
fn is_caption(line: &str, language: &Language) -> bool {
    let Some(rest) = line.trim().strip_prefix(language.captions.listing) else {
        return false;
    };
    let rest = rest.trim_start();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && rest[digits..].trim_start().starts_with('·')
}

#[test]
fn each_language_is_one_searchable_pdf_with_every_chapter() {
    let test = "each_language_is_one_searchable_pdf_with_every_chapter";
    let site = site_dir();
    let mut problems = Vec::new();
    for language in LANGUAGES {
        let dir = site.join(language.code);
        let pdf = dir.join(pdf_name(language));
        if book_site::chromium().is_ok() && !pdf.is_file() {
            problems.push(format!("{}: no {}", language.code, pdf.display()));
            continue;
        }
        let Some(pages) = pages_of(test, &pdf) else {
            return;
        };
        // Bookmarks, from the headings: the catalog names its outline.
        let bytes = fs::read(&pdf).expect("a readable PDF");
        if !bytes
            .windows(b"/Outlines".len())
            .any(|at| at == b"/Outlines")
        {
            problems.push(format!("{}: the PDF has no bookmarks", language.code));
        }
        let text = squeezed(&pages.concat());
        let chapters = chapter_files(&repo_root().join("src").join(language.code))
            .unwrap_or_else(|err| panic!("{err}"));
        for chapter in chapters {
            let page = dir.join(Path::new(&chapter).with_extension("html"));
            let html =
                fs::read_to_string(&page).unwrap_or_else(|err| panic!("{}: {err}", page.display()));
            let title = title_of(&html).unwrap_or_else(|| panic!("{}: no <h1>", page.display()));
            if !text.contains(&title) {
                problems.push(format!(
                    "{}: the PDF has no {title:?} ({chapter}'s title) in its text",
                    language.code
                ));
            }
        }
        for (number, page) in pages.iter().enumerate() {
            // pdftotext ends every page with a form feed: nothing after the last.
            if page.trim().is_empty() {
                continue;
            }
            // A page's last line is its number (theme/site.css), the one
            // before it the last of its text.
            let mut lines = page.lines().rev().filter(|line| !line.trim().is_empty());
            let foot = lines.next().map(str::trim);
            if foot != Some((number + 1).to_string().as_str()) {
                problems.push(format!(
                    "{}: page {} of the PDF does not end with its number: {foot:?}",
                    language.code,
                    number + 1
                ));
                continue;
            }
            if let Some(caption) = lines.next().filter(|line| is_caption(line, language)) {
                problems.push(format!(
                    "{}: page {} of the PDF ends on a caption, its code on the next: {}",
                    language.code,
                    number + 1,
                    caption.trim()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_page_with_a_print_button_links_its_language_s_pdf() {
    if let Err(why) = book_site::chromium() {
        skipped::<()>(
            "every_page_with_a_print_button_links_its_language_s_pdf",
            &why,
        );
        return;
    }
    let site = site_dir();
    let mut problems = Vec::new();
    let mut linked = 0;
    for language in LANGUAGES {
        let dir = site.join(language.code);
        let link = format!("href=\"{}\"", pdf_name(language));
        for entry in fs::read_dir(&dir).expect("the language's folder").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".html") {
                continue;
            }
            let html = fs::read_to_string(entry.path()).expect("a readable page");
            if !html.contains("href=\"print.html\"") {
                continue;
            }
            if html.contains(&link) {
                linked += 1;
            } else {
                problems.push(format!("{}/{name}: no link to its PDF", language.code));
            }
        }
    }
    assert!(linked > 0, "no page links a PDF");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_caption_line_is_told_from_text() {
    let english = &LANGUAGES[0];
    assert!(is_caption("   Listing 32 · src/pool.rs", english));
    assert!(!is_caption("Listing the workers is easy", english));
    assert!(!is_caption("fn main() {", english));
    assert!(!is_caption(
        "Listing 121                  19,945.9",
        english
    ));
}
