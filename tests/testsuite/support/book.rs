//! Building the book in each language, in-process (with the site crate,
//! `site/`), and checking what comes out: links and anchors of the HTML,
//! and the Markdown sources themselves.

use super::html::{Node, nodes, tags};
use super::listings::repo_root;
use super::outline::outline;
use super::scratch::{files_under, files_with_extension};
use super::summary::chapter_files;
use mdbook_listings::{Directive, scan};
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

// ---------------------------------------------------------------------------
// Practice: Your turn, predict prompts, folded answers

/// What ends the id of every chapter's Your-turn heading, in every language.
pub const YOUR_TURN: &str = "-your-turn";

/// The lines (1-based, first and last) of the section under the heading
/// whose id ends in `-your-turn`, and its heading's line; `None` if the
/// chapter has no such heading. The section runs to the next heading of
/// the same level or higher.
pub fn your_turn_section(markdown: &str) -> Option<(usize, usize)> {
    let headings = outline(markdown).headings;
    let at = headings
        .iter()
        .position(|h| h.id.as_deref().is_some_and(|id| id.ends_with(YOUR_TURN)))?;
    let heading = &headings[at];
    let end = headings[at + 1..]
        .iter()
        .find(|h| h.level <= heading.level)
        .map_or(markdown.lines().count(), |next| next.line - 1);
    Some((heading.line, end))
}

/// The `<details>` blocks written in `lines` first..=last of `markdown`
/// (the outermost ones: a diff the preprocessor folds comes later), as
/// (first line, last line).
fn details_blocks(markdown: &str, first: usize, last: usize) -> Vec<(usize, usize)> {
    let mut blocks = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (index, line) in markdown.lines().enumerate() {
        let number = index + 1;
        if number < first || number > last {
            continue;
        }
        let opens = line.matches("<details").count();
        let closes = line.matches("</details>").count();
        if depth == 0 && opens > 0 {
            start = number;
        }
        depth += opens;
        depth = depth.saturating_sub(closes);
        if depth == 0 && (opens > 0 || closes > 0) && start > 0 {
            blocks.push((start, number));
            start = 0;
        }
    }
    blocks
}

/// What is missing from a chapter's Your-turn section (`shown` names the
/// file): the heading itself, or a folded answer, a `<details>` block that
/// holds at least one `{{#listing …}}`.
pub fn your_turn_problems(shown: &str, markdown: &str) -> Vec<String> {
    let Some((heading, end)) = your_turn_section(markdown) else {
        return vec![format!(
            "{shown}: no Your-turn section: add, near the chapter's end, a heading whose id \
             ends in `{YOUR_TURN}` (`## Your turn {{#chNN-your-turn}}`; pt-BR `## Sua vez`, es \
             `## Tu turno`, same id) with one to three tasks, each answer a listing folded in \
             <details>"
        )];
    };
    let listings: Vec<usize> = scan(markdown)
        .into_iter()
        .filter(|found| matches!(found.directive, Ok(Directive::Listing { .. })))
        .map(|found| found.line)
        .collect();
    let answered = details_blocks(markdown, heading, end)
        .iter()
        .any(|&(from, to)| listings.iter().any(|&line| from < line && line < to));
    if answered {
        Vec::new()
    } else {
        vec![format!(
            "{shown}:{heading}: the Your-turn section (lines {heading}-{end}) has no folded, \
             checked answer: put each answer's listing inside it as\n    <details>\n    \
             <summary>Answer</summary>\n\n    {{{{#listing chNN-9N-what-it-shows}}}}\n\n    \
             …\n\n    </details>\n(pt-BR `Resposta`, es `Respuesta`; blank lines around the \
             directives)"
        )]
    }
}

/// Every `{{#compiler-output X}}` of a chapter from Part 2 on that the
/// reader meets without a predict prompt before it.
///
/// The rule: the prompt, a line that starts with `> **WORD:**` (`WORD` is
/// the language's `predict`, "Predict"), must come after the last
/// directive, before listing X first appears on the page, that shows
/// another listing (or its output), and before the compiler output: so
/// either just before `{{#listing X}}` or between it and the output. A
/// compiler output inside the Your-turn section's folded answers needs
/// none: the task itself asked the question.
pub fn predict_problems(shown: &str, markdown: &str, word: &str) -> Vec<String> {
    let prompt = format!("> **{word}:**");
    let prompts: Vec<usize> = markdown
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with(&prompt))
        .map(|(index, _)| index + 1)
        .collect();
    let answers: Vec<(usize, usize)> = your_turn_section(markdown)
        .map(|(first, last)| details_blocks(markdown, first, last))
        .unwrap_or_default();
    let directives: Vec<(usize, String, bool, String)> = scan(markdown)
        .into_iter()
        .filter_map(|found| {
            let directive = found.directive.ok()?;
            let output = matches!(directive, Directive::CompilerOutput { .. });
            // A chart builds nothing: it neither needs nor ends a prediction.
            Some((
                found.line,
                directive.listing_name()?.to_string(),
                output,
                found.text,
            ))
        })
        .collect();
    let mut problems = Vec::new();
    for (line, name, output, text) in &directives {
        if !output || answers.iter().any(|&(from, to)| from < *line && *line < to) {
            continue;
        }
        let listing = directives
            .iter()
            .find(|(_, n, is_output, _)| n == name && !is_output)
            .filter(|(first, ..)| first < line);
        let shown_at = listing.map_or(*line, |(first, ..)| *first);
        let previous = directives
            .iter()
            .rfind(|(at, n, ..)| *at < shown_at && n != name);
        let after = previous.map_or(0, |(at, ..)| *at);
        if prompts.iter().any(|&p| after < p && p < *line) {
            continue;
        }
        let before = match listing {
            Some((first, _, _, listing_text)) => {
                format!("just before `{listing_text}` (line {first}) or between it and this output")
            }
            None => "before this output".to_string(),
        };
        let since = match previous {
            Some((at, _, _, text)) => format!("after `{text}` (line {at})"),
            None => "in the chapter".to_string(),
        };
        problems.push(format!(
            "{shown}:{line}: {text}: the reader builds listing `{name}` with no prediction \
             asked: add a line starting `{prompt}` (one or two sentences: what will the \
             compiler say, and where will it point?) {since}, {before}"
        ));
    }
    problems
}

/// What is wrong with the folded answers of a built chapter page
/// (`shown` names it): the Your-turn section must have a `<details>` with
/// a rendered listing in it, every listing and compiler output in an
/// answer must have its code block, and an answer's prose must have been
/// read as Markdown (no ``` ` ```, `**` or `{{#` left in its text, which
/// is what a missing blank line inside an HTML block leaves).
pub fn folded_answer_problems(shown: &str, html: &str) -> Vec<String> {
    let nodes = nodes(html);
    let heading_level = |name: &str| match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    };
    let Some((start, level)) = nodes.iter().enumerate().find_map(|(at, node)| match node {
        Node::Open(tag)
            if tag
                .attribute("id")
                .is_some_and(|id| id.ends_with(YOUR_TURN)) =>
        {
            heading_level(&tag.name).map(|level| (at, level))
        }
        _ => None,
    }) else {
        return vec![format!(
            "{shown}: no heading whose id ends in `{YOUR_TURN}`"
        )];
    };

    #[derive(Default)]
    struct Answer {
        listings: usize,
        outputs: usize,
        blocks: usize,
        prose: String,
    }
    let mut answers: Vec<Answer> = Vec::new();
    let mut details: usize = 0; // depth of <details> inside the current answer
    let mut in_code: usize = 0; // depth of <pre> and <code>
    for node in &nodes[start + 1..] {
        match node {
            Node::Open(tag) if heading_level(&tag.name).is_some_and(|l| l <= level) => break,
            Node::Open(tag) if tag.name == "details" => {
                if details == 0 {
                    answers.push(Answer::default());
                }
                details += 1;
            }
            Node::Close(name) if name == "details" && details > 0 => details -= 1,
            _ if details == 0 => {}
            Node::Open(tag) => {
                let answer = answers.last_mut().expect("inside an answer");
                let class = tag.attribute("class").unwrap_or_default();
                match tag.name.as_str() {
                    "div" if class.split(' ').any(|c| c == "listing") => answer.listings += 1,
                    "div" if class.split(' ').any(|c| c == "compiler-output") => {
                        answer.outputs += 1
                    }
                    "pre" => answer.blocks += 1,
                    _ => {}
                }
                if matches!(tag.name.as_str(), "pre" | "code") {
                    in_code += 1;
                }
            }
            Node::Close(name) if matches!(name.as_str(), "pre" | "code") => {
                in_code = in_code.saturating_sub(1)
            }
            Node::Text(text) if in_code == 0 => {
                let answer = answers.last_mut().expect("inside an answer");
                answer.prose.push_str(text);
            }
            _ => {}
        }
    }
    let mut problems = Vec::new();
    if !answers.iter().any(|a| a.listings > 0) {
        problems.push(format!(
            "{shown}: the Your-turn section has no <details> with a listing in it: the \
             answers are not folded (or not listings)"
        ));
    }
    for (number, answer) in answers.iter().enumerate() {
        let number = number + 1;
        // Each listing has its code block, and may have a folded diff (a
        // second one); each compiler output has its terminal.
        if answer.blocks < answer.listings + answer.outputs {
            problems.push(format!(
                "{shown}: answer {number} of the Your-turn section shows {} listing(s) and {} \
                 compiler output(s) but only {} code block(s): a directive inside <details> \
                 was not rendered",
                answer.listings, answer.outputs, answer.blocks
            ));
        }
        for left in ["```", "**", "{{#", "`"] {
            if answer.prose.contains(left) {
                let at = answer.prose.find(left).unwrap_or(0);
                let context: String = answer.prose[at.saturating_sub(40)..]
                    .chars()
                    .take(80)
                    .collect();
                problems.push(format!(
                    "{shown}: answer {number} of the Your-turn section has `{left}` in its text \
                     (…{}…): Markdown inside <details> was not read as Markdown; put a blank \
                     line after <summary>…</summary>, around each directive and before \
                     </details>",
                    context.replace('\n', " ")
                ));
                break;
            }
        }
    }
    problems
}
