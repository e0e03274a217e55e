//! Finding the directives in a chapter's Markdown.
//!
//! A directive is a line of its own, `{{#listing …}}`,
//! `{{#compiler-output …}}` or `{{#chart …}}`, outside code. Code (fenced or indented blocks,
//! inline code spans) and HTML comments are left alone, so a chapter can show
//! the syntax itself. Anything that looks like one of our directives but is
//! not usable is reported, never skipped: a malformed directive, one sharing
//! its line with other text, a misspelt directive name.

use crate::chart::{self, ChartSpec};
use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, Tag};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use std::ops::Range;
use std::path::{Component, Path};

/// What a directive asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    /// `{{#listing NAME}}`, `{{#listing NAME PATH}}`, `{{#listing NAME PATH#ANCHOR}}`.
    Listing {
        /// The listing's directory under `listings/`.
        name: String,
        /// The file to show, relative to the listing's directory.
        file: String,
        /// The anchor whose regions to show, or the whole file.
        anchor: Option<String>,
    },
    /// `{{#compiler-output NAME}}`.
    CompilerOutput {
        /// The listing whose `src/main.stderr` to show.
        name: String,
    },
    /// `{{#chart KIND FILE OPTION…}}`: a chart of a data file (`chart.rs`).
    Chart(ChartSpec),
}

impl Directive {
    /// The listing the directive refers to; `None` for a chart.
    pub fn listing_name(&self) -> Option<&str> {
        match self {
            Directive::Listing { name, .. } | Directive::CompilerOutput { name } => Some(name),
            Directive::Chart(_) => None,
        }
    }
}

/// The file a `{{#listing}}` shows when it names none.
pub const DEFAULT_FILE: &str = "src/main.rs";

/// One directive of a chapter, or a line that tried to be one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// 1-based line number in the chapter.
    pub line: usize,
    /// The line as written, without surrounding whitespace.
    pub text: String,
    /// The directive, or why the line is not a usable directive.
    pub directive: Result<Directive, String>,
    /// Byte range of the line in the chapter, without its line break.
    pub(crate) span: Range<usize>,
    /// The line's leading whitespace, repeated on every line of the output
    /// so that a directive inside a list item stays inside it.
    pub(crate) indent: String,
}

/// The directives of a chapter in order, including the broken ones.
pub fn scan(markdown: &str) -> Vec<Found> {
    let quiet = QuietRanges::of(markdown);
    let mut found = Vec::new();
    let mut offset = 0;
    for (index, raw_line) in markdown.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let first_char = start + (line.len() - line.trim_start().len());
        if quiet.blocks_contain(first_char) {
            continue;
        }
        let indent = line[..line.len() - line.trim_start().len()].to_string();
        let span = start..start + line.len();
        let number = index + 1;
        if let Some(directive) = standalone(trimmed) {
            found.push(Found {
                line: number,
                text: trimmed.to_string(),
                directive,
                span,
                indent,
            });
            continue;
        }
        let misplaced = directive_starts(line)
            .map(|at| start + at)
            .find(|&at| !quiet.blocks_contain(at) && !quiet.inline_contains(at));
        if misplaced.is_some() {
            found.push(Found {
                line: number,
                text: trimmed.to_string(),
                directive: Err(
                    "a directive must be alone on its line: not in a sentence, a table, \
                     a quote (`>`) or after a list marker; move the rest of the line \
                     elsewhere (to show the syntax itself, put it in `code`)"
                        .to_string(),
                ),
                span,
                indent,
            });
        }
    }
    found.extend(
        quiet
            .unclosed_fences
            .iter()
            .map(|&(line, ref fence)| Found {
                line,
                text: fence.clone(),
                directive: Err(format!(
                    "this code block is never closed, so the rest of the chapter is code and its \
             directives would not be expanded; close it with a `{fence}` line"
                )),
                span: 0..0,
                indent: String::new(),
            }),
    );
    found.sort_by_key(|f| f.line);
    found
}

/// The parts of a chapter where directives are text, not directives.
struct QuietRanges {
    /// Code blocks and HTML comment blocks: whole lines.
    blocks: Vec<Range<usize>>,
    /// Inline code spans and inline HTML comments.
    inline: Vec<Range<usize>>,
    /// Fenced code blocks that run to the end of the chapter: (line, fence).
    unclosed_fences: Vec<(usize, String)>,
}

impl QuietRanges {
    fn of(markdown: &str) -> QuietRanges {
        let mut quiet = QuietRanges {
            blocks: Vec::new(),
            inline: Vec::new(),
            unclosed_fences: Vec::new(),
        };
        let parser = new_cmark_parser(markdown, &MarkdownOptions::default());
        for (event, range) in parser.into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    if let CodeBlockKind::Fenced(_) = kind
                        && let Some(fence) = unclosed_fence(&markdown[range.clone()])
                    {
                        let line = markdown[..range.start].matches('\n').count() + 1;
                        quiet.unclosed_fences.push((line, fence));
                    }
                    quiet.blocks.push(range);
                }
                Event::Start(Tag::HtmlBlock)
                    if markdown[range.clone()].trim_start().starts_with("<!--") =>
                {
                    quiet.blocks.push(range);
                }
                Event::Code(_) => quiet.inline.push(range),
                Event::InlineHtml(html) if html.starts_with("<!--") => quiet.inline.push(range),
                _ => {}
            }
        }
        quiet
    }

    fn blocks_contain(&self, at: usize) -> bool {
        self.blocks.iter().any(|r| r.contains(&at))
    }

    fn inline_contains(&self, at: usize) -> bool {
        self.inline.iter().any(|r| r.contains(&at))
    }
}

/// If this fenced block's text does not end with a closing fence, its fence.
fn unclosed_fence(block: &str) -> Option<String> {
    let opening = block.lines().next()?.trim_start();
    let marker = opening.chars().next()?;
    let width = opening.chars().take_while(|&c| c == marker).count();
    // Inside a block quote, every line of the block still starts with `>`.
    let closing = block
        .trim_end()
        .lines()
        .last()
        .unwrap_or("")
        .trim_start_matches(|c: char| c.is_whitespace() || c == '>')
        .trim();
    let closes = block.trim_end().lines().count() > 1
        && closing.chars().all(|c| c == marker)
        && closing.chars().count() >= width;
    (!closes).then(|| marker.to_string().repeat(width))
}

/// Byte offsets in `line` where one of our directives starts (`{{#listing`,
/// `{{ #compiler-output` …), unless escaped with a backslash for mdBook.
fn directive_starts(line: &str) -> impl Iterator<Item = usize> + '_ {
    line.match_indices("{{").filter_map(move |(at, _)| {
        if line[..at].ends_with('\\') {
            return None;
        }
        let rest = line[at + 2..].trim_start().strip_prefix('#')?;
        let word: String = rest.chars().take_while(|&c| is_word_char(c)).collect();
        matches!(word.as_str(), "listing" | "compiler-output" | "chart").then_some(at)
    })
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// mdBook's own directives, expanded later by its `links` preprocessor.
const MDBOOK_DIRECTIVES: &[&str] = &[
    "include",
    "rustdoc_include",
    "playground",
    "playpen",
    "title",
];

/// Reads a whole trimmed line as a directive: `None` if it is not one of the
/// `{{#word …}}` form or is mdBook's; `Some(Err)` if it is ours but unusable.
fn standalone(trimmed: &str) -> Option<Result<Directive, String>> {
    let inner = trimmed.strip_prefix("{{")?.strip_suffix("}}")?;
    if inner.contains("{{") || inner.contains("}}") {
        return None;
    }
    let body = inner.trim().strip_prefix('#')?;
    let word_end = body.find(char::is_whitespace).unwrap_or(body.len());
    let (word, args) = body.split_at(word_end);
    if !word.chars().all(is_word_char) {
        return None;
    }
    let args: Vec<&str> = args.split_whitespace().collect();
    Some(match word {
        "listing" => parse_listing(&args),
        "compiler-output" => parse_compiler_output(&args),
        "chart" => chart::parse(&args).map(Directive::Chart),
        w if MDBOOK_DIRECTIVES.contains(&w) => return None,
        "" => Err(format!("a directive needs a name; {USAGE}")),
        other => Err(format!(
            "`{{{{#{other}}}}}` is not a directive of this book; {USAGE}; for a chart, {}",
            chart::USAGE
        )),
    })
}

const USAGE: &str = "write `{{#listing NAME}}`, `{{#listing NAME PATH}}`, \
                     `{{#listing NAME PATH#ANCHOR}}` or `{{#compiler-output NAME}}`, \
                     where NAME is a directory of listings/ (`ls listings/` shows them)";

fn parse_listing(args: &[&str]) -> Result<Directive, String> {
    let (name, target) = match args {
        [] => {
            return Err(format!(
                "`{{{{#listing}}}}` needs the listing's name; {USAGE}"
            ));
        }
        [name] => (*name, DEFAULT_FILE),
        [name, target] => (*name, *target),
        _ => {
            return Err(format!(
                "`{{{{#listing}}}}` takes a name and at most one PATH or PATH#ANCHOR, \
                 not {} words; {USAGE}",
                args.len()
            ));
        }
    };
    check_name(name)?;
    let (file, anchor) = match target.split_once('#') {
        None => (target, None),
        Some((file, anchor)) => (file, Some(anchor)),
    };
    if file.is_empty() {
        return Err(format!(
            "the path before `#` is missing; for the main file write `src/main.rs#{}`",
            anchor.unwrap_or("ANCHOR")
        ));
    }
    check_path(file)?;
    if let Some(anchor) = anchor
        && (anchor.is_empty() || !anchor.chars().all(is_word_char))
    {
        return Err(format!(
            "`{anchor}` is not an anchor name: after `#` write the name used in the file's \
             `// ANCHOR: name` line (letters, digits, `_`, `-`)"
        ));
    }
    Ok(Directive::Listing {
        name: name.to_string(),
        file: file.to_string(),
        anchor: anchor.map(str::to_string),
    })
}

fn parse_compiler_output(args: &[&str]) -> Result<Directive, String> {
    match args {
        [name] => {
            check_name(name)?;
            Ok(Directive::CompilerOutput {
                name: name.to_string(),
            })
        }
        [] => Err(format!(
            "`{{{{#compiler-output}}}}` needs the listing's name; {USAGE}"
        )),
        _ => Err(format!(
            "`{{{{#compiler-output}}}}` takes exactly one listing name, not {} words; it always \
             shows that listing's src/main.stderr",
            args.len()
        )),
    }
}

fn check_name(name: &str) -> Result<(), String> {
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.starts_with('-');
    if plain {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a listing name: use a directory name of listings/ as it is, such as \
             `ch01-01-listen` (`ls listings/` shows them)"
        ))
    }
}

/// A relative path that stays inside the folder it starts from: no `/…`,
/// no `..`, no `.`, no backslash.
pub(crate) fn is_plain_relative(file: &str) -> bool {
    !file.contains('\\')
        && Path::new(file)
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
}

fn check_path(file: &str) -> Result<(), String> {
    if is_plain_relative(file) {
        Ok(())
    } else {
        Err(format!(
            "`{file}` must be a plain path inside the listing's directory, such as \
             `src/pool.rs` (no leading `/`, no `..`, no `./`)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(name: &str, file: &str, anchor: Option<&str>) -> Directive {
        Directive::Listing {
            name: name.into(),
            file: file.into(),
            anchor: anchor.map(Into::into),
        }
    }

    fn directives(markdown: &str) -> Vec<(usize, Result<Directive, String>)> {
        scan(markdown)
            .into_iter()
            .map(|f| (f.line, f.directive))
            .collect()
    }

    #[test]
    fn the_three_listing_forms_parse() {
        let md = "{{#listing ch01-01-listen}}\n\n\
                  {{#listing ch05-02-no-new src/pool.rs}}\n\n\
                  {{#listing ch05-02-no-new src/main.rs#main}}\n";
        assert_eq!(
            directives(md),
            vec![
                (1, Ok(listing("ch01-01-listen", "src/main.rs", None))),
                (3, Ok(listing("ch05-02-no-new", "src/pool.rs", None))),
                (
                    5,
                    Ok(listing("ch05-02-no-new", "src/main.rs", Some("main")))
                ),
            ]
        );
    }

    #[test]
    fn compiler_output_parses() {
        assert_eq!(
            directives("Text.\n\n{{#compiler-output ch05-02-no-new}}\n"),
            vec![(
                3,
                Ok(Directive::CompilerOutput {
                    name: "ch05-02-no-new".into()
                })
            )]
        );
    }

    #[test]
    fn spacing_inside_the_braces_and_around_the_line_is_allowed() {
        let found = scan("  {{ #listing  a   src/x.rs#y }}  \n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].directive, Ok(listing("a", "src/x.rs", Some("y"))));
        assert_eq!(found[0].indent, "  ");
        assert_eq!(found[0].span, 0..34);
    }

    #[test]
    fn a_directive_inside_a_paragraph_still_counts_when_alone_on_its_line() {
        let found = directives("Here is the code:\n{{#listing a}}\nAnd more text.\n");
        assert_eq!(found, vec![(2, Ok(listing("a", "src/main.rs", None)))]);
    }

    #[test]
    fn directives_in_code_are_left_alone() {
        let md = [
            "```markdown\n{{#listing a}}\n```\n",
            "~~~~\n{{#compiler-output a}}\n~~~~\n",
            "Write `{{#listing NAME}}` to show a listing.\n",
            "    {{#listing indented-code}}\n",
            "<!--\n{{#listing commented-out}}\n-->\n",
            "Text <!-- {{#listing a}} --> here.\n",
        ]
        .join("\n");
        assert_eq!(directives(&md), vec![]);
    }

    #[test]
    fn directives_inside_list_items_keep_the_items_indentation() {
        let found = scan("1. First:\n\n   {{#listing a}}\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].indent, "   ");
        assert!(found[0].directive.is_ok());
    }

    #[test]
    fn mdbook_directives_are_not_ours() {
        let md = "{{#include ../file.rs}}\n\n{{#title Hi}}\n\n{{#rustdoc_include x.rs:2}}\n";
        assert_eq!(directives(md), vec![]);
    }

    #[test]
    fn an_escaped_directive_is_text() {
        assert_eq!(directives("Type \\{{#listing NAME}} like this.\n"), vec![]);
    }

    fn error_of(markdown: &str) -> String {
        let found = scan(markdown);
        assert_eq!(
            found.len(),
            1,
            "expected one problem in {markdown:?}: {found:?}"
        );
        found[0].directive.clone().expect_err("a problem")
    }

    #[test]
    fn a_directive_without_a_name_is_an_error() {
        assert!(error_of("{{#listing}}\n").contains("needs the listing's name"));
        assert!(error_of("{{#compiler-output}}\n").contains("needs the listing's name"));
        assert!(error_of("{{#}}\n").contains("needs a name"));
    }

    #[test]
    fn too_many_words_is_an_error() {
        assert!(error_of("{{#listing a b c}}\n").contains("not 3 words"));
        assert!(error_of("{{#compiler-output a src/main.rs}}\n").contains("exactly one"));
    }

    #[test]
    fn a_bad_path_or_anchor_is_an_error() {
        assert!(error_of("{{#listing a ../b/src/main.rs}}\n").contains("inside the listing"));
        assert!(error_of("{{#listing a /etc/passwd}}\n").contains("inside the listing"));
        assert!(error_of("{{#listing a src/main.rs#}}\n").contains("not an anchor name"));
        assert!(error_of("{{#listing a #main}}\n").contains("src/main.rs#main"));
        assert!(error_of("{{#listing ../a}}\n").contains("not a listing name"));
    }

    #[test]
    fn a_chart_parses_and_its_mistakes_are_errors() {
        let found = directives("{{#chart lines bench/data/servers.csv x=connections y=p99_us}}\n");
        let [(1, Ok(Directive::Chart(spec)))] = found.as_slice() else {
            panic!("{found:?}")
        };
        assert_eq!(spec.y, "p99_us");
        assert_eq!(Directive::Chart(spec.clone()).listing_name(), None);
        assert!(error_of("{{#chart pie d.csv y=a}}\n").contains("not a kind of chart"));
        assert!(error_of("See {{#chart bars d.csv y=a}} here.\n").contains("alone on its line"));
        assert!(error_of("{{#charts bars d.csv y=a}}\n").contains("{{#chart lines FILE"));
    }

    #[test]
    fn a_misspelt_directive_is_an_error() {
        let message = error_of("{{#listings ch01-01-listen}}\n");
        assert!(
            message.contains("`{{#listings}}` is not a directive"),
            "{message}"
        );
        assert!(error_of("{{#compiler_output a}}\n").contains("not a directive"));
    }

    #[test]
    fn a_directive_sharing_its_line_is_an_error() {
        assert!(error_of("See {{#listing a}} here.\n").contains("alone on its line"));
        assert!(error_of("- {{#listing a}}\n").contains("alone on its line"));
        assert!(error_of("> {{#compiler-output a}}\n").contains("alone on its line"));
        assert!(error_of("{{#listing a}} {{#listing b}}\n").contains("alone on its line"));
    }

    #[test]
    fn an_unclosed_code_block_is_an_error() {
        let found = scan("Text.\n\n```rust\nfn main() {}\n\n{{#listing a}}\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 3);
        assert!(
            found[0]
                .directive
                .clone()
                .unwrap_err()
                .contains("never closed")
        );
    }

    #[test]
    fn closed_code_blocks_are_fine() {
        assert_eq!(
            directives("````\n```\ninner\n```\n````\n\n{{#listing a}}\n").len(),
            1
        );
        let nested = "> Quote:\n>\n> ```rust\n> let x = 1;\n> ```\n\n\
                      1. Item:\n\n   ```text\n   x\n   ```\n\n   More.\n\n\
                      - ~~~\n  y\n  ~~~\n";
        assert_eq!(directives(nested), vec![]);
        assert_eq!(unclosed_fence("```\nx\n```\n"), None);
        assert_eq!(unclosed_fence("```\nx\n"), Some("```".into()));
        assert_eq!(unclosed_fence("````\nx\n```\n"), Some("````".into()));
    }
}
