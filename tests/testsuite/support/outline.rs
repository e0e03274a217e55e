//! What a chapter is made of, as far as keeping translations in step goes:
//! its headings, code blocks, directives and prose, each with its line.
//! Parsed with the same Markdown parser and options as mdBook uses.

use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub line: usize,
    pub level: usize,
    pub id: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub line: usize,
    pub info: String,
    pub content: String,
}

/// A run of prose: a paragraph, a list item's text, a table cell. Inline
/// code is replaced by `…`, since it stays in English in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prose {
    pub line: usize,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    pub prose: Vec<Prose>,
    /// Directive lines (`{{#listing …}}`, `{{#compiler-output …}}`), as written.
    pub directives: Vec<(usize, String)>,
    /// HTML comments, as written, with their line (markers, `avoid:` lists).
    pub comments: Vec<(usize, String)>,
}

pub fn outline(markdown: &str) -> Outline {
    // Where each line starts, so an offset's line is a binary search (counting
    // newlines from the start for every event made this quadratic).
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(markdown.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset);
    let mut outline = Outline {
        directives: mdbook_listings::scan(markdown)
            .into_iter()
            .map(|found| (found.line, found.text))
            .collect(),
        ..Outline::default()
    };
    let mut heading: Option<Heading> = None;
    let mut code: Option<CodeBlock> = None;
    let mut prose: Option<Prose> = None;
    let parser = new_cmark_parser(markdown, &MarkdownOptions::default());
    for (event, range) in parser.into_offset_iter() {
        let line = line_of(range.start);
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some(Heading {
                    line,
                    level: heading_level(level),
                    id: id.map(|id| id.to_string()),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(done) = heading.take() {
                    outline.headings.push(Heading {
                        text: done.text.trim().to_string(),
                        ..done
                    });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some(CodeBlock {
                    line,
                    info,
                    content: String::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => outline.code_blocks.extend(code.take()),
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell) => {
                flush(&mut prose, &mut outline.prose);
                prose = Some(Prose {
                    line,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                flush(&mut prose, &mut outline.prose);
            }
            Event::Text(text) => {
                if let Some(block) = code.as_mut() {
                    block.content.push_str(&text);
                } else if let Some(heading) = heading.as_mut() {
                    heading.text.push_str(&text);
                } else if let Some(prose) = prose.as_mut() {
                    prose.text.push_str(&text);
                }
            }
            Event::Code(text) => {
                if let Some(heading) = heading.as_mut() {
                    heading.text.push_str(&text);
                } else if let Some(prose) = prose.as_mut() {
                    prose.text.push('…');
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(prose) = prose.as_mut() {
                    prose.text.push(' ');
                }
            }
            Event::Html(html) | Event::InlineHtml(html)
                if html.trim_start().starts_with("<!--") =>
            {
                outline.comments.push((line, html.trim().to_string()));
            }
            _ => {}
        }
    }
    flush(&mut prose, &mut outline.prose);
    outline
}

/// Keeps a finished run of prose unless it is empty or a directive line.
fn flush(current: &mut Option<Prose>, done: &mut Vec<Prose>) {
    if let Some(prose) = current.take() {
        let text = prose.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() && !text.starts_with("{{#") {
            done.push(Prose { text, ..prose });
        }
    }
}

fn heading_level(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Words that are everyday English and are not words of Portuguese or
/// Spanish, so a paragraph full of them is English.
const ENGLISH_ONLY_WORDS: &[&str] = &[
    "the", "and", "is", "are", "that", "this", "with", "you", "your", "it", "its", "for", "which",
    "when", "what", "from", "have", "has", "will", "would", "there", "their", "they", "be", "was",
    "were", "into", "does", "not", "of", "to", "in", "on", "at", "by", "an", "or", "if", "but",
    "can", "each", "one", "how", "why", "then", "than", "only",
];

/// Whether a run of prose reads as English: at least eight words, and at
/// least a quarter of them common English words foreign to pt-BR and es.
pub fn reads_as_english(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < 8 {
        return false;
    }
    let english = words
        .iter()
        .filter(|word| ENGLISH_ONLY_WORDS.contains(&word.as_str()))
        .count();
    english * 4 >= words.len()
}
