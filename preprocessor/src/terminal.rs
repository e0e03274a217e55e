//! rustc's output as a terminal shows it: the colours `cargo check` gives
//! each part of a diagnostic, read back from the plain text of a snapshot.
//!
//! The snapshot (`src/main.stderr`) is plain text, the very text trybuild
//! compares; the colours come from its shape, as rustc's own emitter
//! (`rustc_errors::emitter`, seen with `--color=always` on rustc 1.95)
//! gives them:
//!
//! | part | rustc's style | class |
//! | --- | --- | --- |
//! | `error[E0277]`, `error` | bright red, bold | `rustc-error` |
//! | `warning` | yellow, bold | `rustc-warning` |
//! | a child `note` / `help` | bright green / bright cyan, bold | `rustc-note` / `rustc-help` |
//! | the headline's message | bold | `rustc-bold` |
//! | `-->`, `:::`, `...`, line numbers, the gutter's `\|`, the `=` of `= note:` | bright blue, bold | `rustc-line` |
//! | the word after `=` (`= note:`) | bold | `rustc-bold` |
//! | primary labels (`^^^` and their text) | the (child) diagnostic's colour, bold | `rustc-error`… |
//! | secondary labels (`---` and their text) | bright blue, bold | `rustc-secondary` |
//! | a suggestion's `+++` and the text it adds | bright green | `rustc-added` |
//!
//! Everything else (the path after `-->`, a child's message, source lines)
//! is plain. The HTML keeps the text exactly: only `<span>`s are added, so
//! copying or selecting the block gives the text of the snapshot.

use crate::html::escape;
use std::collections::HashMap;

/// How one character is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Error,
    Warning,
    Note,
    Help,
    Bold,
    /// rustc's "line number" style: the gutter, `-->`, `:::`, `...`, `=`.
    Line,
    Secondary,
    Added,
    Removed,
}

impl Style {
    /// The CSS class (theme/listings.css), `None` for plain text.
    pub(crate) fn class(self) -> Option<&'static str> {
        Some(match self {
            Style::Plain => return None,
            Style::Error => "rustc-error",
            Style::Warning => "rustc-warning",
            Style::Note => "rustc-note",
            Style::Help => "rustc-help",
            Style::Bold => "rustc-bold",
            Style::Line => "rustc-line",
            Style::Secondary => "rustc-secondary",
            Style::Added => "rustc-added",
            Style::Removed => "rustc-removed",
        })
    }

    fn of_level(word: &str) -> Option<Style> {
        match word {
            "error" => Some(Style::Error),
            "warning" => Some(Style::Warning),
            "note" => Some(Style::Note),
            "help" => Some(Style::Help),
            _ => None,
        }
    }
}

/// One line of output: its characters, each with its style.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Line {
    chars: Vec<char>,
    styles: Vec<Style>,
}

impl Line {
    fn new(text: &str) -> Line {
        let chars: Vec<char> = text.chars().collect();
        let styles = vec![Style::Plain; chars.len()];
        Line { chars, styles }
    }

    fn paint(&mut self, from: usize, to: usize, style: Style) {
        for at in from..to.min(self.styles.len()) {
            self.styles[at] = style;
        }
    }

    /// The line as runs of text that share a style.
    pub(crate) fn runs(&self) -> Vec<(Style, String)> {
        let mut runs: Vec<(Style, String)> = Vec::new();
        for (&c, &style) in self.chars.iter().zip(&self.styles) {
            match runs.last_mut() {
                Some((last, text)) if *last == style => text.push(c),
                _ => runs.push((style, c.to_string())),
            }
        }
        runs
    }
}

/// What the previous line was, for the lines whose kind depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A headline, a location, an empty gutter line, a note: no code above.
    Other,
    /// A line of the user's code (or of a suggestion).
    Source,
    /// Marks under the code, their connectors and labels.
    Annotation,
}

/// Reads the lines of one output in order.
struct Reader {
    lines: Vec<Line>,
    /// The next column-0 `level:` line starts a diagnostic (not a child).
    at_start: bool,
    /// The colour of primary labels: the (child) diagnostic's level.
    level: Style,
    previous: Kind,
    /// The style of each mark or connector of the previous annotation
    /// line, by column (and whether it is a connector, `|`): what a `|`
    /// below it belongs to, and for a connector, a label below it too.
    above: HashMap<usize, (Style, bool)>,
    /// The columns of the left margin that a multi-line span draws: whose
    /// span they belong to (as far as known: its end says), and the line
    /// where it starts.
    margin: HashMap<usize, (Style, usize)>,
}

/// The styled lines of `text`, a compiler output.
pub(crate) fn colour(text: &str) -> Vec<Line> {
    let mut reader = Reader {
        lines: Vec::new(),
        at_start: true,
        level: Style::Error,
        previous: Kind::Other,
        above: HashMap::new(),
        margin: HashMap::new(),
    };
    for line in text.lines() {
        reader.read(line);
    }
    reader.lines
}

/// `text` as the inside of a `<pre><code>`: escaped, with a `<span
/// class="rustc-…">` around each run of styled text, and its own line
/// breaks.
pub(crate) fn to_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 2);
    for line in colour(text) {
        for (style, run) in line.runs() {
            match style.class() {
                Some(class) => {
                    html.push_str(&format!("<span class=\"{class}\">{}</span>", escape(&run)))
                }
                None => html.push_str(&escape(&run)),
            }
        }
        html.push('\n');
    }
    html
}

impl Reader {
    fn read(&mut self, text: &str) {
        let mut line = Line::new(text);
        let kind = if text.trim().is_empty() {
            self.at_start = true;
            self.forget_code();
            Kind::Other
        } else if let Some(kind) = self.header(&mut line) {
            kind
        } else if let Some(kind) = self.gutter(&mut line) {
            kind
        } else {
            // A message's continuation line, or anything rustc adds later.
            Kind::Other
        };
        self.previous = kind;
        self.lines.push(line);
    }

    fn forget_code(&mut self) {
        self.above.clear();
        self.margin.clear();
    }

    /// `error[E0277]: …`, `warning: …`, `note: …`, `--> path`, `::: path`,
    /// `...`, `= note: …`.
    fn header(&mut self, line: &mut Line) -> Option<Kind> {
        let text: String = line.chars.iter().collect();
        if let Some((level, head)) = level_heading(&text) {
            let message = if self.at_start {
                Style::Bold
            } else {
                Style::Plain
            };
            line.paint(0, head, level);
            line.paint(head, line.chars.len(), message);
            self.level = level;
            self.at_start = false;
            self.forget_code();
            return Some(Kind::Other);
        }
        let body = text.trim_start();
        let indent = line.chars.len() - body.chars().count();
        if body.starts_with("--> ") || body.starts_with("::: ") {
            line.paint(indent, indent + 3, Style::Line);
            self.forget_code();
            return Some(Kind::Other);
        }
        // Lines left out, `...`, and the margins of multi-line spans
        // that go on past them.
        if indent == 0
            && let Some(rest) = body.strip_prefix("...")
            && rest.chars().all(|c| c == ' ' || c == '|')
        {
            line.paint(0, 3, Style::Line);
            for (at, c) in line.chars.clone().into_iter().enumerate().skip(3) {
                if let ('|', Some(&(style, _))) = (c, self.margin.get(&at)) {
                    line.paint(at, at + 1, style);
                }
            }
            return Some(Kind::Other);
        }
        if indent > 0
            && let Some(rest) = body.strip_prefix("= ")
            && let Some((word, _)) = rest.split_once(':')
            && !word.is_empty()
            && word.chars().all(|c| c.is_ascii_lowercase())
        {
            line.paint(indent, indent + 1, Style::Line);
            line.paint(indent + 2, indent + 2 + word.len(), Style::Bold);
            return Some(Kind::Other);
        }
        None
    }

    /// A line of a code snippet: `   |` or `15 |`, then code, marks or labels.
    fn gutter(&mut self, line: &mut Line) -> Option<Kind> {
        let chars = line.chars.clone();
        let mut at = chars.iter().take_while(|&&c| c == ' ').count();
        let digits = chars[at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let number = (at, at + digits);
        at += digits;
        let spaces = chars[at..].iter().take_while(|&&c| c == ' ').count();
        at += spaces;
        let separator = *chars.get(at)?;
        let numbered = digits > 0;
        let sign = match separator {
            '|' => Style::Line,
            '+' | '~' if numbered && spaces > 0 => Style::Added,
            '-' if numbered && spaces > 0 => Style::Removed,
            _ => return None,
        };
        if numbered && spaces == 0 {
            return None;
        }
        if chars.get(at + 1).is_some_and(|&c| c != ' ') {
            return None;
        }
        line.paint(number.0, number.1, Style::Line);
        line.paint(at, at + 1, sign);
        let body = at + 1;
        // A suggestion shown as a diff: a line it adds, or one it removes.
        if numbered && matches!(separator, '+' | '-') {
            line.paint(body, line.chars.len(), sign);
            self.above.clear();
            return Some(Kind::Source);
        }
        if line.chars[body..].iter().all(|&c| c == ' ') {
            self.above.clear();
            return Some(Kind::Other);
        }
        if !numbered
            && matches!(self.previous, Kind::Source | Kind::Annotation)
            && let Some(marks) = self.annotation(line, body)
        {
            self.above = marks;
            return Some(Kind::Annotation);
        }
        self.source(line, body);
        Some(Kind::Source)
    }

    /// Paints a line of code: only the margin of a multi-line span, if it
    /// is drawn at the line's start, is not the code's own text.
    fn source(&mut self, line: &mut Line, body: usize) {
        for at in body..line.chars.len() {
            match line.chars[at] {
                ' ' => {}
                '|' => match self.margin.get(&at) {
                    Some(&(style, _)) => line.paint(at, at + 1, style),
                    None => break,
                },
                // A multi-line span that starts at the line's first
                // character: `/` in the margin, then `|` on the next lines.
                '/' if line.chars.get(at + 1) == Some(&' ') && !self.margin.contains_key(&at) => {
                    line.paint(at, at + 1, self.level);
                    self.margin.insert(at, (self.level, self.lines.len()));
                    break;
                }
                _ => break,
            }
        }
        self.above.clear();
    }

    /// Paints `line` as marks, connectors and labels under a line of code,
    /// and returns the style of its marks and connectors by column; `None`
    /// (and `line` untouched) if it is not such a line.
    fn annotation(
        &mut self,
        line: &mut Line,
        body: usize,
    ) -> Option<HashMap<usize, (Style, bool)>> {
        let chars = line.chars.clone();
        let mut styles: Vec<(usize, Style)> = Vec::new();
        let mut marks = HashMap::new();
        let mut additions = Vec::new();
        let mut last_run: Option<(usize, Style)> = None; // (end, style of its last mark)
        let mut ends_margin = Vec::new();
        let mut starts_margin = Vec::new();
        let mut at = body;
        while at < chars.len() {
            let c = chars[at];
            if c == ' ' {
                at += 1;
                continue;
            }
            if is_mark(c) {
                let end = at + chars[at..].iter().take_while(|&&c| is_mark(c)).count();
                let run = &chars[at..end];
                let underscores = run
                    .iter()
                    .rposition(|&c| c == '_')
                    .and_then(|last| run[last..].iter().find(|&&c| c == '^' || c == '-'))
                    .map_or(self.level, |&c| self.mark_style(c));
                for (i, &c) in run.iter().enumerate() {
                    let style = match c {
                        '_' => underscores,
                        _ => self.mark_style(c),
                    };
                    styles.push((at + i, style));
                    if c == '+' || c == '~' {
                        additions.push(at + i);
                    } else {
                        marks.insert(at + i, (style, false));
                    }
                }
                // A multi-line span starts: its margin is the column before.
                if run[0] == '_' && at > body && chars[at - 1] == ' ' {
                    starts_margin.push((at - 1, (underscores, self.lines.len())));
                }
                last_run = Some((end, styles.last().map_or(self.level, |s| s.1)));
                at = end;
                continue;
            }
            if c == '|' && chars.get(at + 1) != Some(&'|') {
                let style = if chars.get(at + 1) == Some(&'_') {
                    // A multi-line span ends here, `|____^`: in the colour
                    // of its mark, which its whole margin takes too.
                    let run: Vec<char> = chars[at + 1..]
                        .iter()
                        .copied()
                        .take_while(|&c| is_mark(c))
                        .collect();
                    let style = run
                        .iter()
                        .find(|&&c| c == '^' || c == '-')
                        .map_or(self.level, |&c| self.mark_style(c));
                    ends_margin.push((at, style));
                    Some(style)
                } else {
                    None
                }
                .or_else(|| self.above.get(&at).map(|&(style, _)| style))
                .or_else(|| self.margin.get(&at).map(|&(style, _)| style))
                .unwrap_or(Style::Secondary);
                styles.push((at, style));
                marks.insert(at, (style, true));
                last_run = None;
                at += 1;
                continue;
            }
            // A label: after its marks and one space, or under a connector.
            let style = match last_run {
                Some((end, style)) if end + 1 == at && style != Style::Added => style,
                _ => match self.above.get(&at) {
                    Some(&(style, true)) => style,
                    _ => return None,
                },
            };
            // It runs to the line's end, or to the marks of another label
            // on the same line (after two spaces or more).
            let end = label_end(&chars, at);
            for i in at..end {
                styles.push((i, style));
            }
            last_run = None;
            at = end;
        }
        if styles.is_empty() {
            return None;
        }
        for (at, style) in styles {
            line.paint(at, at + 1, style);
        }
        if !additions.is_empty()
            && self.previous == Kind::Source
            && let Some(code) = self.lines.last_mut()
        {
            for at in additions {
                code.paint(at, at + 1, Style::Added);
            }
        }
        for (at, style) in ends_margin {
            if let Some((_, first)) = self.margin.remove(&at) {
                let first = first.min(self.lines.len());
                for earlier in &mut self.lines[first..] {
                    if matches!(earlier.chars.get(at), Some('|' | '/')) {
                        earlier.paint(at, at + 1, style);
                    }
                }
            }
        }
        self.margin.extend(starts_margin);
        Some(marks)
    }

    fn mark_style(&self, mark: char) -> Style {
        match mark {
            '^' => self.level,
            '+' | '~' => Style::Added,
            _ => Style::Secondary,
        }
    }
}

/// Where a label that starts at `from` ends: at the line's end, or before
/// the spaces (two or more) that come before another label's marks.
fn label_end(chars: &[char], from: usize) -> usize {
    let mut at = from;
    while at < chars.len() {
        if chars[at] == ' ' {
            let spaces = chars[at..].iter().take_while(|&&c| c == ' ').count();
            let run = at + spaces;
            let marks = chars[run..]
                .iter()
                .take_while(|&&c| matches!(c, '^' | '-' | '_'))
                .count();
            if spaces >= 2 && marks > 0 && chars.get(run + marks).is_none_or(|&c| c == ' ') {
                return at;
            }
            at = run;
        } else {
            at += 1;
        }
    }
    chars.len()
}

fn is_mark(c: char) -> bool {
    matches!(c, '^' | '-' | '_' | '+' | '~')
}

/// `error[E0277]: …` or `warning: …` at the start of a line: the level's
/// style and how many characters the level (and code) take.
fn level_heading(text: &str) -> Option<(Style, usize)> {
    let word_end = text.find(|c: char| !c.is_ascii_lowercase())?;
    let style = Style::of_level(&text[..word_end])?;
    let rest = &text[word_end..];
    let code = match rest.strip_prefix('[') {
        Some(code) => {
            let close = code.find(']')?;
            if close == 0 || !code[..close].chars().all(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            close + 2
        }
        None => 0,
    };
    let after = &rest[code..];
    if after == ":" || after.starts_with(": ") {
        Some((style, word_end + code))
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
