//! Reading listings: the catalog of listing directories, their files, and
//! the `ANCHOR` regions inside those files.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The listings of the book: one directory each, numbered in `ls` order.
#[derive(Debug, Clone)]
pub struct Catalog {
    dir: PathBuf,
    /// How messages name the directory (`listings` for the usual layout).
    shown: String,
    names: Vec<String>,
}

impl Catalog {
    /// Reads the listing directory names under `dir`; `shown` is how error
    /// messages should name `dir` (usually relative to the book's root).
    pub fn open(dir: &Path, shown: &str) -> Result<Catalog, String> {
        let entries = fs::read_dir(dir).map_err(|err| {
            format!(
                "cannot read the listings directory {shown} ({}): {err}; it is found from the \
                 book's root, or set `listings-dir` under `[preprocessor.listings]` in book.toml",
                dir.display()
            )
        })?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|err| format!("cannot read {shown}: {err}"))?;
            if entry.path().is_dir() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(Catalog {
            dir: dir.to_path_buf(),
            shown: shown.trim_end_matches('/').to_string(),
            names,
        })
    }

    /// Every listing name, in reading order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The listing's number: its 1-based position in `ls` order.
    pub fn number(&self, name: &str) -> Option<usize> {
        self.names
            .binary_search_by(|n| n.as_str().cmp(name))
            .ok()
            .map(|i| i + 1)
    }

    /// Whether the listing has a `src/main.stderr` snapshot, i.e. must fail.
    pub fn must_fail(&self, name: &str) -> bool {
        self.dir.join(name).join("src/main.stderr").is_file()
    }

    /// The listing a reader's project holds just before `name`: the nearest
    /// earlier listing in reading order that is a step the reader keeps.
    /// Side trips are skipped: the answer to a *Your turn* task, and a
    /// detour, a step the book has the reader undo right after (its folder
    /// holds a file named `detour`). So the next step, and each answer,
    /// start from the last step kept. And the project must be the same: the
    /// load generator (package `loadgen`) is a second project beside the
    /// server, so its first step starts from nothing, and the server's next
    /// step starts from the server's last one.
    ///
    /// A step that starts elsewhere says so in a file named `starts-from`:
    /// the folder name of the listing the reader copies (Part 6's servers
    /// each start again from Part 5's last one, not from the chapter before),
    /// or nothing, for a new project. A name that is not an earlier listing
    /// is an error that names the file.
    pub fn previous(&self, name: &str) -> Result<Option<&str>, String> {
        let Some(index) = self.number(name).map(|number| number - 1) else {
            return Ok(None);
        };
        let starts_from = self.dir.join(name).join(STARTS_FROM_FILE);
        if starts_from.exists() {
            let shown = self.shown_path(name, STARTS_FROM_FILE);
            let text = fs::read_to_string(&starts_from)
                .map_err(|err| format!("cannot read {shown}: {err}"))?;
            let base = text.trim();
            if base.is_empty() {
                return Ok(None);
            }
            return self.names[..index]
                .iter()
                .map(String::as_str)
                .find(|before| *before == base)
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "{shown} says `{}`, which is not a listing before {name}: \
                         write the folder name of the listing this step starts from, \
                         or leave the file empty for a new project",
                        base.escape_debug()
                    )
                });
        }
        let project = self.package(name);
        Ok(self.names[..index]
            .iter()
            .rev()
            .map(String::as_str)
            .filter(|before| self.package(before) == project)
            .find(|before| !is_answer(before) && !self.is_detour(before)))
    }

    /// The package name in a listing's `Cargo.toml`, if it has one (the
    /// listing contract's reading of it).
    fn package(&self, name: &str) -> Option<String> {
        listings_contract::package_name(&self.dir.join(name)).ok()
    }

    /// Whether the book has the reader undo this step right after.
    pub fn is_detour(&self, name: &str) -> bool {
        self.dir.join(name).join(DETOUR_FILE).is_file()
    }

    /// What the listing's `mark` file says about running it, if it has one.
    /// A mark other than the known words, or a mark on a listing that must
    /// fail to compile (and so never runs), is an error naming the file.
    pub fn mark(&self, name: &str) -> Result<Option<Mark>, String> {
        let path = self.dir.join(name).join(MARK_FILE);
        if !path.exists() {
            return Ok(None);
        }
        let shown = self.shown_path(name, MARK_FILE);
        let text =
            fs::read_to_string(&path).map_err(|err| format!("cannot read {shown}: {err}"))?;
        let word = text.trim();
        let mark = Mark::ALL
            .into_iter()
            .find(|mark| mark.word() == word)
            .ok_or_else(|| {
                format!(
                    "{shown} says `{}`; a mark file holds one word: {}",
                    word.escape_debug(),
                    Mark::ALL.map(|m| format!("`{}`", m.word())).join(" or ")
                )
            })?;
        if self.must_fail(name) {
            return Err(format!(
                "{shown} says `{word}`, but the listing has a src/main.stderr: it does not \
                 compile, so it cannot run; remove one of the two files"
            ));
        }
        Ok(Some(mark))
    }

    /// The text of one of a listing's files, or `None` if it has no such file.
    pub fn read_if_present(&self, name: &str, file: &str) -> Result<Option<String>, String> {
        if self.dir.join(name).join(file).is_file() {
            self.read(name, file).map(Some)
        } else {
            Ok(None)
        }
    }

    /// How messages name a path inside the catalog: `listings/NAME/FILE`.
    pub fn shown_path(&self, name: &str, file: &str) -> String {
        if file.is_empty() {
            format!("{}/{name}", self.shown)
        } else {
            format!("{}/{name}/{file}", self.shown)
        }
    }

    /// Checks that `name` is a listing, with advice if it is not.
    pub fn check(&self, name: &str) -> Result<usize, String> {
        self.number(name).ok_or_else(|| {
            let hint = match self.closest(name) {
                Some(close) => format!(" Did you mean `{close}`?"),
                None => String::new(),
            };
            format!(
                "there is no listing `{name}` (no directory {}).{hint} \
                 `ls {}/` shows the names.",
                self.shown_path(name, ""),
                self.shown
            )
        })
    }

    /// The text of one of a listing's files, with advice if it is missing.
    pub fn read(&self, name: &str, file: &str) -> Result<String, String> {
        let path = self.dir.join(name).join(file);
        if !path.is_file() {
            let files = self.files_of(name);
            return Err(format!(
                "listing `{name}` has no file `{file}`; its files are: {}",
                files.join(", ")
            ));
        }
        fs::read_to_string(&path)
            .map_err(|err| format!("cannot read {}: {err}", self.shown_path(name, file)))
    }

    /// The files of a listing, relative to its directory, skipping build output.
    fn files_of(&self, name: &str) -> Vec<String> {
        fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
            let Ok(entries) = fs::read_dir(dir) else {
                return;
            };
            let mut entries: Vec<_> = entries.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let file = entry.file_name().to_string_lossy().into_owned();
                if file == "target" || file.starts_with('.') {
                    continue;
                }
                let shown = format!("{prefix}{file}");
                if entry.path().is_dir() {
                    walk(&entry.path(), &format!("{shown}/"), out);
                } else {
                    out.push(shown);
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.dir.join(name), "", &mut files);
        files
    }

    /// The listing name nearest to a mistyped one, if any is near enough.
    fn closest(&self, name: &str) -> Option<&str> {
        self.names
            .iter()
            .map(|n| (edit_distance(n, name), n))
            .filter(|&(d, n)| d <= 3.max(n.len() / 4))
            .min()
            .map(|(_, n)| n.as_str())
    }
}

/// The file that marks a listing that builds but does not do what we want.
pub const MARK_FILE: &str = "mark";

/// The file that makes a listing a detour (see `Catalog::previous`). What it
/// says is for maintainers: why the reader undoes the step.
pub const DETOUR_FILE: &str = "detour";

/// The file that names the listing a step starts from, when it is not the
/// step before it (see `Catalog::previous`).
pub const STARTS_FROM_FILE: &str = "starts-from";

/// What a listing's `mark` file says: it builds, but running it goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `panics`: running it panics.
    Panics,
    /// `misbehaves`: it runs, but does not do what we want yet (it hangs,
    /// never answers, or does one thing at a time).
    Misbehaves,
}

impl Mark {
    /// Every mark, in the order error messages list them.
    pub const ALL: [Mark; 2] = [Mark::Panics, Mark::Misbehaves];

    /// The word in the `mark` file.
    pub fn word(self) -> &'static str {
        match self {
            Mark::Panics => "panics",
            Mark::Misbehaves => "misbehaves",
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// An anchor marker line: `// ANCHOR: name` or `// ANCHOR_END: name`
/// (also after `#`, `/*` or `<!--`, for other kinds of files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker<'a> {
    Start(&'a str),
    End(&'a str),
}

/// Reads a line as a marker. `Some(Err)` for a marker without a usable name.
fn marker(line: &str) -> Option<Result<Marker<'_>, String>> {
    let text = line.trim_start();
    let text = ["<!--", "//", "/*", "#"]
        .iter()
        .find_map(|open| text.strip_prefix(open))?
        .trim_start();
    let (is_start, rest) = if let Some(rest) = text.strip_prefix("ANCHOR:") {
        (true, rest)
    } else if let Some(rest) = text.strip_prefix("ANCHOR_END:") {
        (false, rest)
    } else {
        return None;
    };
    let name = rest
        .trim()
        .trim_end_matches("-->")
        .trim_end_matches("*/")
        .trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Some(Err(format!(
            "`{}` is not a usable anchor marker: write `// ANCHOR: name` (letters, digits, `_`, `-`)",
            line.trim()
        )));
    }
    Some(Ok(if is_start {
        Marker::Start(name)
    } else {
        Marker::End(name)
    }))
}

/// One `ANCHOR` … `ANCHOR_END` region: 0-based line indexes of its markers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Region {
    name: String,
    start: usize,
    end: usize,
}

/// A file split into lines, with its anchor regions checked.
#[derive(Debug)]
pub struct Anchored<'a> {
    lines: Vec<&'a str>,
    markers: BTreeSet<usize>,
    regions: Vec<Region>,
}

impl<'a> Anchored<'a> {
    /// Parses the markers of `text`; `shown` names the file in messages.
    /// Every problem with the markers is an error: an anchor opened twice,
    /// one never closed, an end without a start, a marker without a name.
    pub fn parse(text: &'a str, shown: &str) -> Result<Anchored<'a>, Vec<String>> {
        let lines: Vec<&str> = text.lines().collect();
        let mut markers = BTreeSet::new();
        let mut open: Vec<(&str, usize)> = Vec::new();
        let mut regions = Vec::new();
        let mut problems = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            let Some(found) = marker(line) else { continue };
            markers.insert(index);
            match found {
                Err(message) => problems.push(format!("{shown}:{}: {message}", index + 1)),
                Ok(Marker::Start(name)) => {
                    if let Some(&(_, first)) = open.iter().find(|(n, _)| *n == name) {
                        problems.push(format!(
                            "{shown}:{}: `ANCHOR: {name}` opens again before the one at line {} \
                             is closed; add `ANCHOR_END: {name}` in between",
                            index + 1,
                            first + 1
                        ));
                    } else {
                        open.push((name, index));
                    }
                }
                Ok(Marker::End(name)) => match open.iter().position(|(n, _)| *n == name) {
                    Some(at) => {
                        let (_, start) = open.remove(at);
                        regions.push(Region {
                            name: name.to_string(),
                            start,
                            end: index,
                        });
                    }
                    None => problems.push(format!(
                        "{shown}:{}: `ANCHOR_END: {name}` has no `ANCHOR: {name}` before it",
                        index + 1
                    )),
                },
            }
        }
        for (name, start) in open {
            problems.push(format!(
                "{shown}:{}: `ANCHOR: {name}` is never closed; add a `// ANCHOR_END: {name}` \
                 line after the last line to show",
                start + 1
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        regions.sort_by_key(|r| r.start);
        Ok(Anchored {
            lines,
            markers,
            regions,
        })
    }

    /// The whole file without its marker lines.
    pub fn whole(&self) -> String {
        let kept: Vec<&str> = self
            .lines
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.markers.contains(i))
            .map(|(_, line)| *line)
            .collect();
        join_lines(trim_blank_ends(&kept))
    }

    /// The regions named `anchor`, in file order, each without marker lines
    /// and blank edges, joined by `separator` and dedented together.
    pub fn region(&self, anchor: &str, separator: &str) -> Result<String, String> {
        let parts: Vec<Vec<&str>> = self
            .regions
            .iter()
            .filter(|r| r.name == anchor)
            .map(|r| {
                let inner: Vec<&str> = (r.start + 1..r.end)
                    .filter(|i| !self.markers.contains(i))
                    .map(|i| self.lines[i])
                    .collect();
                trim_blank_ends(&inner).to_vec()
            })
            .collect();
        if parts.is_empty() {
            let names: BTreeSet<&str> = self.regions.iter().map(|r| r.name.as_str()).collect();
            return Err(if names.is_empty() {
                format!(
                    "it has no anchors; put `// ANCHOR: {anchor}` and `// ANCHOR_END: {anchor}` \
                     lines around the part to show"
                )
            } else {
                format!(
                    "it has no anchor `{anchor}`; its anchors are: {}",
                    names.into_iter().collect::<Vec<_>>().join(", ")
                )
            });
        }
        if parts.iter().all(Vec::is_empty) {
            return Err(format!("the anchor `{anchor}` encloses no code"));
        }
        let width = parts.iter().flatten().filter_map(|l| indentation(l)).min();
        let width = width.unwrap_or(0);
        let mut out: Vec<String> = Vec::new();
        for part in parts.iter().filter(|p| !p.is_empty()) {
            let part = dedent(part, width);
            if !out.is_empty() {
                let lead = part
                    .iter()
                    .find_map(|l| indentation(l).map(|n| &l[..n]))
                    .unwrap_or("");
                out.push(format!("{lead}{separator}"));
            }
            out.extend(part);
        }
        Ok(out.join("\n") + "\n")
    }
}

/// How many leading spaces and tabs a non-blank line has.
fn indentation(line: &str) -> Option<usize> {
    (!line.trim().is_empty()).then(|| line.len() - line.trim_start_matches([' ', '\t']).len())
}

/// Removes `width` bytes of indentation from every line; blank lines become empty.
fn dedent(lines: &[&str], width: usize) -> Vec<String> {
    lines
        .iter()
        .map(|line| match indentation(line) {
            Some(_) => line[width..].trim_end().to_string(),
            None => String::new(),
        })
        .collect()
}

fn trim_blank_ends<'l, 'a>(lines: &'l [&'a str]) -> &'l [&'a str] {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(start), Some(end)) => &lines[start..=end],
        _ => &[],
    }
}

fn join_lines(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The text without its anchor marker lines, as the diff between two
/// listings compares them. Unlike [`Anchored::parse`] it never fails: a
/// line that reads as a marker, usable or not, is dropped.
pub fn without_markers(text: &str) -> String {
    text.lines()
        .filter(|line| marker(line).is_none())
        .flat_map(|line| [line, "\n"])
        .collect()
}

/// What joins two regions of the same anchor, as a comment of the file's language.
pub fn gap_marker(file: &str) -> &'static str {
    match extension(file) {
        "rs" => "// ...",
        "html" | "htm" | "xml" | "md" => "<!-- ... -->",
        "toml" | "sh" | "py" => "# ...",
        _ => "...",
    }
}

/// The extension of a file name, or "".
pub fn extension(file: &str) -> &str {
    Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
}

/// Whether a listing answers a *Your turn* task: by the naming rule, its
/// step number starts with 9 (`ch05-90-fn-bound`), so answers sort after
/// the chapter's steps.
pub fn is_answer(name: &str) -> bool {
    name.split('-')
        .nth(1)
        .is_some_and(|step| step.starts_with('9'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POOL: &str = "\
use std::thread;

// ANCHOR: pool
pub struct ThreadPool;

impl ThreadPool {
    // ANCHOR_END: pool
    // ANCHOR: execute
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        thread::spawn(job);
    }
    // ANCHOR_END: execute
}
";

    fn parsed(text: &str) -> Anchored<'_> {
        Anchored::parse(text, "pool.rs").expect("valid markers")
    }

    #[test]
    fn the_whole_file_loses_only_its_marker_lines() {
        let whole = parsed(POOL).whole();
        assert!(!whole.contains("ANCHOR"));
        assert!(whole.starts_with("use std::thread;\n\npub struct ThreadPool;\n"));
        assert!(whole.ends_with("    }\n}\n"));
        assert_eq!(whole.lines().count(), POOL.lines().count() - 4);
    }

    #[test]
    fn a_region_is_dedented_to_its_least_indented_line() {
        let execute = parsed(POOL).region("execute", "// ...").unwrap();
        assert_eq!(
            execute,
            "pub fn execute<F>(&self, job: F)\nwhere\n    F: FnOnce() + Send + 'static,\n{\n    \
             thread::spawn(job);\n}\n"
        );
    }

    #[test]
    fn a_region_at_column_zero_keeps_its_indentation() {
        let pool = parsed(POOL).region("pool", "// ...").unwrap();
        assert_eq!(pool, "pub struct ThreadPool;\n\nimpl ThreadPool {\n");
    }

    #[test]
    fn regions_of_one_name_are_joined_by_the_gap_marker() {
        let text = "fn a() {\n    // ANCHOR: part\n    one();\n    // ANCHOR_END: part\n    \
                    skipped();\n    // ANCHOR: part\n    two();\n    // ANCHOR_END: part\n}\n";
        let part = parsed(text).region("part", gap_marker("x.rs")).unwrap();
        assert_eq!(part, "one();\n// ...\ntwo();\n");
    }

    #[test]
    fn joined_regions_are_dedented_together() {
        let text = "// ANCHOR: a\nfn f() {\n// ANCHOR_END: a\n    x();\n    // ANCHOR: a\n    \
                    y();\n    // ANCHOR_END: a\n";
        assert_eq!(
            parsed(text).region("a", "// ...").unwrap(),
            "fn f() {\n    // ...\n    y();\n"
        );
    }

    #[test]
    fn nested_anchors_hide_each_others_markers() {
        let text = "// ANCHOR: outer\na\n// ANCHOR: inner\nb\n// ANCHOR_END: inner\n\
                    // ANCHOR_END: outer\n";
        let anchored = parsed(text);
        assert_eq!(anchored.region("outer", "// ...").unwrap(), "a\nb\n");
        assert_eq!(anchored.region("inner", "// ...").unwrap(), "b\n");
    }

    #[test]
    fn html_markers_work_too() {
        let text =
            "<html>\n<!-- ANCHOR: body -->\n  <p>Hi</p>\n<!-- ANCHOR_END: body -->\n</html>\n";
        assert_eq!(
            parsed(text).region("body", "<!-- ... -->").unwrap(),
            "<p>Hi</p>\n"
        );
    }

    #[test]
    fn blank_lines_inside_a_region_are_kept_but_emptied() {
        let text = "// ANCHOR: a\n    x();\n    \n    y();\n// ANCHOR_END: a\n";
        assert_eq!(
            parsed(text).region("a", "// ...").unwrap(),
            "x();\n\ny();\n"
        );
    }

    #[test]
    fn an_unknown_anchor_names_the_ones_that_exist() {
        let err = parsed(POOL).region("exec", "// ...").unwrap_err();
        assert_eq!(
            err,
            "it has no anchor `exec`; its anchors are: execute, pool"
        );
        let err = parsed("fn main() {}\n")
            .region("main", "// ...")
            .unwrap_err();
        assert!(err.contains("it has no anchors"), "{err}");
    }

    #[test]
    fn an_unterminated_anchor_is_an_error() {
        let err = Anchored::parse("// ANCHOR: a\nx\n", "f.rs").unwrap_err();
        assert_eq!(
            err,
            vec![
                "f.rs:1: `ANCHOR: a` is never closed; add a `// ANCHOR_END: a` line after the \
                  last line to show"
            ]
        );
    }

    #[test]
    fn an_end_without_a_start_is_an_error() {
        let err = Anchored::parse("x\n// ANCHOR_END: a\n", "f.rs").unwrap_err();
        assert_eq!(
            err,
            vec!["f.rs:2: `ANCHOR_END: a` has no `ANCHOR: a` before it"]
        );
    }

    #[test]
    fn an_anchor_opened_twice_is_an_error() {
        let err =
            Anchored::parse("// ANCHOR: a\n// ANCHOR: a\n// ANCHOR_END: a\n", "f.rs").unwrap_err();
        assert!(
            err[0].starts_with("f.rs:2: `ANCHOR: a` opens again"),
            "{err:?}"
        );
        assert_eq!(err.len(), 1, "the end closes the first one: {err:?}");
    }

    #[test]
    fn a_marker_without_a_name_is_an_error() {
        let err = Anchored::parse("// ANCHOR:\n", "f.rs").unwrap_err();
        assert!(err[0].contains("not a usable anchor marker"), "{err:?}");
    }

    #[test]
    fn an_empty_region_is_an_error() {
        let err = parsed("// ANCHOR: a\n\n// ANCHOR_END: a\n")
            .region("a", "")
            .unwrap_err();
        assert!(err.contains("encloses no code"));
    }

    #[test]
    fn comments_that_mention_anchors_are_not_markers() {
        assert_eq!(marker("// see ANCHOR: x"), None);
        assert_eq!(marker("let s = \"// ANCHOR: x\";"), None);
        assert_eq!(marker("    // ANCHOR: x"), Some(Ok(Marker::Start("x"))));
        assert_eq!(marker("# ANCHOR_END: deps"), Some(Ok(Marker::End("deps"))));
    }

    #[test]
    fn without_markers_drops_every_marker_line_even_broken_ones() {
        assert_eq!(
            without_markers(POOL).lines().count(),
            POOL.lines().count() - 4
        );
        assert_eq!(
            without_markers("a\n// ANCHOR: x\n\n// ANCHOR:\nb"),
            "a\n\nb\n"
        );
    }

    #[test]
    fn the_previous_listing_is_the_one_before_in_ls_order() {
        let catalog = Catalog {
            dir: PathBuf::from("/nowhere"),
            shown: "listings".into(),
            names: vec!["ch01-01-a".into(), "ch01-02-b".into(), "ch01-02a-c".into()],
        };
        assert_eq!(catalog.previous("ch01-01-a"), Ok(None));
        assert_eq!(catalog.previous("ch01-02-b"), Ok(Some("ch01-01-a")));
        assert_eq!(catalog.previous("ch01-02a-c"), Ok(Some("ch01-02-b")));
        assert_eq!(catalog.previous("nope"), Ok(None));
    }

    #[test]
    fn answers_are_side_trips_for_the_diff() {
        let catalog = Catalog {
            dir: PathBuf::from("/nowhere"),
            shown: "listings".into(),
            names: vec![
                "ch04-01-a".into(),
                "ch04-90-answer".into(),
                "ch04-91-answer".into(),
                "ch05-01-b".into(),
            ],
        };
        // The next chapter's first step, and each answer, start from the last step.
        assert_eq!(catalog.previous("ch05-01-b"), Ok(Some("ch04-01-a")));
        assert_eq!(catalog.previous("ch04-90-answer"), Ok(Some("ch04-01-a")));
        assert_eq!(catalog.previous("ch04-91-answer"), Ok(Some("ch04-01-a")));
        assert!(is_answer("ch04-90-answer") && !is_answer("ch04-09-step"));
    }

    #[test]
    fn a_second_project_starts_from_nothing_and_the_first_from_its_own_last_step() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let names = ["ch08-01-a", "ch09-01-b", "ch09-02-c", "ch10-01-d"];
        for (name, package) in names.iter().zip(["server", "loadgen", "loadgen", "server"]) {
            fs::create_dir_all(dir.path().join(name)).unwrap();
            let manifest = format!("[package]\nname = \"{package}\"\nversion = \"0.1.0\"\n");
            fs::write(dir.path().join(name).join("Cargo.toml"), manifest).unwrap();
        }
        let catalog = Catalog::open(dir.path(), "listings").unwrap();
        assert_eq!(catalog.previous("ch09-01-b"), Ok(None));
        assert_eq!(catalog.previous("ch09-02-c"), Ok(Some("ch09-01-b")));
        assert_eq!(catalog.previous("ch10-01-d"), Ok(Some("ch08-01-a")));
    }

    #[test]
    fn near_misses_get_a_suggestion() {
        assert_eq!(edit_distance("ch05-02-no-new", "ch05-02-no-nw"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        let catalog = Catalog {
            dir: PathBuf::from("/nowhere"),
            shown: "listings".into(),
            names: vec!["ch01-01-listen".into(), "ch05-02-no-new".into()],
        };
        assert_eq!(catalog.closest("ch05-02-no-nw"), Some("ch05-02-no-new"));
        assert_eq!(catalog.closest("something-else-entirely"), None);
        let err = catalog.check("ch05-02-no-nw").unwrap_err();
        assert_eq!(
            err,
            "there is no listing `ch05-02-no-nw` (no directory listings/ch05-02-no-nw). Did you \
             mean `ch05-02-no-new`? `ls listings/` shows the names."
        );
        assert_eq!(catalog.number("ch05-02-no-new"), Some(2));
    }
}
