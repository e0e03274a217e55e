//! Building the book in each language, in-process (with the site crate,
//! `site/`), and checking what comes out: links and anchors of the HTML,
//! and the Markdown sources themselves.

use super::listings::repo_root;
use super::outline::{SummaryItem, summary_structure};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

// Building is the site crate's (site/): the tests build exactly what
// `cargo run -p book-site -- build` publishes.

/// The chapter files a language's SUMMARY.md links to, in order, each once.
pub fn chapters(language_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let summary_path = language_dir.join("SUMMARY.md");
    let summary = fs::read_to_string(&summary_path)
        .map_err(|err| format!("cannot read {}: {err}", summary_path.display()))?;
    let mut chapters = Vec::new();
    for (_, item) in summary_structure(&summary) {
        let SummaryItem::Chapter(_, target) = item else {
            continue;
        };
        let file = target.split('#').next().unwrap_or_default();
        let path = language_dir.join(file);
        if file.ends_with(".md") && !chapters.contains(&path) {
            chapters.push(path);
        }
    }
    Ok(chapters)
}

/// Every `.md` file under `dir`, sorted.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
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
    let mut stack = vec![listings.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != "target" {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
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
    let mut stack = vec![site.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(site).unwrap().to_path_buf();
            if path.extension().is_some_and(|e| e == "html") {
                let html = fs::read_to_string(&path).unwrap_or_default();
                pages.insert(relative.clone(), scan_html(&html));
            }
            files.insert(relative);
        }
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

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A small HTML scanner: tags and their attributes, skipping comments and
/// the contents of `<script>` and `<style>`.
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

/// An opening tag: its lowercase name and its attributes, entities decoded.
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

impl Tag {
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value.as_str())
    }
}

/// The opening tags of an HTML document, in order, skipping comments and
/// the contents of scripts and styles.
pub fn tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // An end tag, a doctype, or a stray `<`.
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let (attributes, after) = attributes(rest);
        rest = after;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |end| &rest[end..]);
        }
        tags.push(Tag { name, attributes });
    }
    tags
}

/// Reads attributes up to the end of a tag; returns them and the text after the tag.
fn attributes(mut rest: &str) -> (Vec<(String, String)>, &str) {
    let mut found = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return (found, rest);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (found, after);
        }
        let key_end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, next) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(quote).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode_entities(raw);
            rest = next;
        }
        if key.is_empty() {
            // Not an attribute: skip one character and go on.
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
            continue;
        }
        found.push((key, value));
    }
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let named: HashMap<&str, char> = [
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
    ]
    .into();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').and_then(|end| {
            let entity = &rest[1..end];
            let c = if let Some(hex) = entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
            {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = entity.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                named.get(entity).copied()
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
