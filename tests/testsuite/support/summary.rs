//! A language's SUMMARY.md, read by mdBook's own parser: the chapters it
//! lists, and its shape (what must stay the same in every translation).

use std::{fmt, fs, path::Path};

use mdbook_summary::{Summary, SummaryItem, parse_summary};

/// One entry of a SUMMARY.md with its title left out, since titles are the
/// part a translation changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// `# Part title`.
    Part,
    /// `---`.
    Separator,
    /// A chapter: where it sits, how deep it is nested, and its file (none
    /// for a draft chapter).
    Chapter {
        section: Section,
        depth: usize,
        file: Option<String>,
    },
}

/// The three places mdBook distinguishes in a SUMMARY.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Prefix,
    Numbered,
    Suffix,
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Part => write!(f, "a part title"),
            Entry::Separator => write!(f, "a separator (---)"),
            Entry::Chapter {
                section,
                depth,
                file,
            } => {
                let file = file.as_deref().unwrap_or("(a draft, no file)");
                write!(f, "the {section:?} chapter {file} at depth {depth}")
            }
        }
    }
}

/// The SUMMARY.md of the language in `language_dir`, parsed as mdBook does.
pub fn read_summary(language_dir: &Path) -> Result<Summary, String> {
    let path = language_dir.join("SUMMARY.md");
    let text = fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    parse_summary(&text)
        .map_err(|err| format!("{}: mdBook cannot parse it: {err:#}", path.display()))
}

/// Every entry of `summary`, in reading order, nested chapters after
/// their parent.
pub fn entries(summary: &Summary) -> Vec<Entry> {
    let mut out = Vec::new();
    let sections = [
        (Section::Prefix, &summary.prefix_chapters),
        (Section::Numbered, &summary.numbered_chapters),
        (Section::Suffix, &summary.suffix_chapters),
    ];
    for (section, items) in sections {
        push_entries(items, section, 0, &mut out);
    }
    out
}

fn push_entries(items: &[SummaryItem], section: Section, depth: usize, out: &mut Vec<Entry>) {
    for item in items {
        match item {
            SummaryItem::PartTitle(_) => out.push(Entry::Part),
            SummaryItem::Separator => out.push(Entry::Separator),
            SummaryItem::Link(link) => {
                let file = link
                    .location
                    .as_ref()
                    .map(|path| path.to_string_lossy().into_owned());
                out.push(Entry::Chapter {
                    section,
                    depth,
                    file,
                });
                push_entries(&link.nested_items, section, depth + 1, out);
            }
            // mdBook may add kinds of entry; a new kind is a new shape.
            other => panic!("a SUMMARY.md entry these checks do not know: {other:?}"),
        }
    }
}

/// The chapter files a language's SUMMARY.md links to, in reading order,
/// each once.
pub fn chapter_files(language_dir: &Path) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    for entry in entries(&read_summary(language_dir)?) {
        if let Entry::Chapter {
            file: Some(file), ..
        } = entry
            && !files.contains(&file)
        {
            files.push(file);
        }
    }
    Ok(files)
}

/// The parts of a language's book, in order: each part's title and the
/// chapter files listed under it (nested ones too), until the next part
/// title or separator. Chapters before the first part title (and the
/// prefix and suffix chapters) belong to no part.
pub fn parts(language_dir: &Path) -> Result<Vec<(String, Vec<String>)>, String> {
    let summary = read_summary(language_dir)?;
    let mut parts: Vec<(String, Vec<String>)> = Vec::new();
    let mut open = false;
    for item in &summary.numbered_chapters {
        match item {
            SummaryItem::PartTitle(title) => {
                parts.push((title.clone(), Vec::new()));
                open = true;
            }
            SummaryItem::Separator => open = false,
            SummaryItem::Link(link) => {
                if let (true, Some((_, files))) = (open, parts.last_mut()) {
                    push_files(link, files);
                }
            }
            other => panic!("a SUMMARY.md entry these checks do not know: {other:?}"),
        }
    }
    Ok(parts)
}

fn push_files(link: &mdbook_summary::Link, files: &mut Vec<String>) {
    if let Some(path) = &link.location {
        files.push(path.to_string_lossy().into_owned());
    }
    for item in &link.nested_items {
        if let SummaryItem::Link(nested) = item {
            push_files(nested, files);
        }
    }
}
