//! Building the book in each language, in-process (with the site crate,
//! `site/`), and checking what comes out: links and anchors of the HTML,
//! and the Markdown sources themselves.

use super::html::tags;
use super::listings::repo_root;
use super::scratch::{files_under, files_with_extension};
use super::summary::chapter_files;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

// Building is the site crate's (site/): the tests build exactly what
// `cargo run -p book-site -- build` publishes.

/// The chapter files a language's SUMMARY.md links to, in order, each once.
pub fn chapters(language_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let files = chapter_files(language_dir)?;
    Ok(files.iter().map(|file| language_dir.join(file)).collect())
}

/// A path relative to the repository, for messages.
pub fn shown(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

// ---------------------------------------------------------------------------
// Hand-typed compiler output

/// The lines of `markdown` that look like rustc's output, with their
/// 1-based numbers: an `error[E0382]` code, a line that starts with
/// `error:` or `warning:`, or a `--> path` location line. `allowed` are
/// line starts that the listings' programs print themselves (`error:
/// cannot listen on `), which a chapter may show from a terminal.
pub fn compiler_like_lines(markdown: &str, allowed: &[String]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut in_comment = false;
    for (index, line) in markdown.lines().enumerate() {
        let closes_comment = in_comment && line.contains("-->");
        let body = line.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
        let has_code = has_error_code(line);
        let headline = (body.starts_with("error:") || body.starts_with("warning:"))
            && !allowed.iter().any(|a| body.starts_with(a.as_str()));
        let location = body
            .strip_prefix("--> ")
            .is_some_and(|path| !path.trim().is_empty())
            && !closes_comment;
        if has_code || headline || location {
            found.push((index + 1, line.trim().to_string()));
        }
        // Track multi-line HTML comments, whose `-->` ends them.
        if let Some(open) = line.rfind("<!--") {
            in_comment = !line[open..].contains("-->");
        } else if closes_comment {
            in_comment = false;
        }
    }
    found
}

/// Whether a line holds an `error[E0123]` code as rustc prints it.
fn has_error_code(line: &str) -> bool {
    line.match_indices("error[E").any(|(at, m)| {
        let rest = &line.as_bytes()[at + m.len()..];
        rest.len() >= 5 && rest[..4].iter().all(u8::is_ascii_digit) && rest[4] == b']'
    })
}

/// What the listings print that starts like a diagnostic: the text of
/// `println!`/`eprintln!` strings beginning with `error:` or `warning:`, up
/// to their first `{` placeholder.
pub fn program_messages(listings: &Path) -> Vec<String> {
    let mut messages = HashSet::new();
    for path in files_with_extension(listings, "rs") {
        let Ok(source) = fs::read_to_string(&path) else {
            continue;
        };
        for (at, _) in source.match_indices("println!(\"") {
            let text = &source[at + "println!(\"".len()..];
            let text = &text[..text.find(['{', '"']).unwrap_or(text.len())];
            if text.starts_with("error:") || text.starts_with("warning:") {
                messages.insert(text.to_string());
            }
        }
    }
    let mut messages: Vec<String> = messages.into_iter().collect();
    messages.sort();
    messages
}

// ---------------------------------------------------------------------------
// Links and anchors of the built HTML

/// What one HTML page links to and which ids it has.
#[derive(Debug, Default)]
struct Page {
    /// `(attribute, value)` for every `href` and `src`, entities decoded.
    links: Vec<(String, String)>,
    ids: Vec<String>,
    /// Whether the page has a `<base href>`, so that its relative links
    /// start from the book's root (mdBook's 404 page does this).
    has_base: bool,
}

/// Every broken link in the HTML files under `site`, one line each, as
/// `page.html: href="…" (what is missing)`. Relative links and assets must
/// resolve to a file under `site`; a `#fragment` must be an id in the
/// target page. External links (`http:`, `https:`, `mailto:`…) are skipped.
/// Each id must also be unique on its page. `site` holds one directory per
/// language (`site/en`…): links between languages are checked too.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut pages: BTreeMap<PathBuf, Page> = BTreeMap::new();
    let mut files = HashSet::new();
    for path in files_under(site, &[]) {
        let relative = path.strip_prefix(site).unwrap().to_path_buf();
        if path.extension().is_some_and(|e| e == "html") {
            let html = fs::read_to_string(&path).unwrap_or_default();
            pages.insert(relative.clone(), scan_html(&html));
        }
        files.insert(relative);
    }

    let mut broken = Vec::new();
    for (page_path, page) in &pages {
        let shown_page = page_path.display();
        let mut seen = HashSet::new();
        for id in &page.ids {
            if !seen.insert(id) {
                broken.push(format!(
                    "{shown_page}: id=\"{id}\" (appears more than once on the page)"
                ));
            }
        }
        let base = if page.has_base {
            // The book this page belongs to: its first path component.
            page_path
                .components()
                .next()
                .map(|c| PathBuf::from(c.as_os_str()))
                .unwrap_or_default()
        } else {
            page_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        };
        for (attribute, value) in &page.links {
            if let Some(problem) = check_link(value, page_path, &base, &files, &pages) {
                broken.push(format!("{shown_page}: {attribute}=\"{value}\" ({problem})"));
            }
        }
    }
    broken
}

/// What is wrong with one link, or `None` if it resolves.
fn check_link(
    value: &str,
    page: &Path,
    base: &Path,
    files: &HashSet<PathBuf>,
    pages: &BTreeMap<PathBuf, Page>,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return Some("empty link".to_string());
    }
    if value.starts_with("//") || has_scheme(value) {
        return None;
    }
    let (rest, fragment) = match value.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (value, None),
    };
    let path_part = rest.split('?').next().unwrap_or("");
    let target = if path_part.is_empty() {
        page.to_path_buf()
    } else if path_part.starts_with('/') {
        return Some(
            "a path from the server's root breaks when the book is served from a \
                     sub-directory; use a relative link"
                .to_string(),
        );
    } else {
        let joined = base.join(percent_decode(path_part));
        let Some(mut normal) = normalize(&joined) else {
            return Some("it leaves the built site".to_string());
        };
        if path_part.ends_with('/')
            || !files.contains(&normal) && files.contains(&normal.join("index.html"))
        {
            normal = normal.join("index.html");
        }
        if !files.contains(&normal) {
            return Some(format!("no file {}", normal.display()));
        }
        normal
    };
    let fragment = fragment.map(percent_decode).filter(|f| !f.is_empty())?;
    let page = pages.get(&target)?;
    if page.ids.contains(&fragment) {
        None
    } else {
        Some(format!("no id \"{fragment}\" in {}", target.display()))
    }
}

/// `mailto:`, `https:`, `javascript:`… : a scheme before any `/`, `?` or `#`.
fn has_scheme(value: &str) -> bool {
    match value.find(':') {
        Some(colon) => {
            let scheme = &value[..colon];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Resolves `.` and `..`; `None` if the path climbs above its start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(part) => out.push(part),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// A link's path or fragment as text: `%C3%A9` is `é`.
fn percent_decode(text: &str) -> String {
    String::from_utf8_lossy(&book_site::url::percent_decode(text)).into_owned()
}

/// The links and ids of one page.
fn scan_html(html: &str) -> Page {
    let mut page = Page::default();
    for tag in tags(html) {
        for (key, value) in tag.attributes {
            match key.as_str() {
                "id" => page.ids.push(value),
                "name" if tag.name == "a" => page.ids.push(value),
                "href" if tag.name == "base" => page.has_base = true,
                "href" | "src" => page.links.push((key, value)),
                _ => {}
            }
        }
    }
    page
}
