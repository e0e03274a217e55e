//! An mdBook preprocessor for a book whose code lives in complete crates.
//!
//! Every listing of the book is a crate under `listings/NAME/`. A chapter
//! shows one, or shows what the compiler says about it, with a directive
//! alone on its line:
//!
//! - `{{#listing NAME}}`: `listings/NAME/src/main.rs`;
//! - `{{#listing NAME PATH}}`: another file of the listing, e.g. `src/pool.rs`;
//! - `{{#listing NAME PATH#ANCHOR}}`: only the lines between
//!   `// ANCHOR: ANCHOR` and `// ANCHOR_END: ANCHOR` in that file;
//! - `{{#compiler-output NAME}}`: the listing's `src/main.stderr`, the
//!   diagnostics that trybuild checks on every test run;
//! - `{{#chart lines FILE x=COLUMN y=COLUMN}}`, `{{#chart bars FILE y=COLUMN}}`:
//!   a chart of a data file of the benchmark (`bench/data/*.csv`), drawn
//!   as SVG with its alt text and the table of its figures (`chart.rs`).
//!
//! Each becomes a numbered, captioned block: an HTML wrapper around a
//! fenced code block, styled by the book's `theme/listings.css`. A
//! compiler output is shown as `cargo check` prints it in a terminal: in
//! rustc's colours (`terminal.rs` reads them back from the snapshot's
//! text), with the standard library's paths as the reader's rustc prints
//! them (`/rustc/COMMIT/library/…`, [`toolchain::RUSTC_COMMIT_HASH`]).
//!
//! A listing's caption carries a mark when running it goes wrong: "does not
//! compile" for one with a `src/main.stderr`, and for one that builds, what
//! its one-line `listings/NAME/mark` file says: `panics`, or `misbehaves`
//! (it runs, but does not do what we want yet).
//!
//! Under a listing's code comes what changed in that file since the
//! previous listing (the one before it in `ls` order): a unified diff of the
//! whole file, anchor lines left out, folded in a `<details>`. It comes once
//! per page and file (under the file's first directive), and not at all when
//! the file is unchanged or the listing is the first. A file the previous
//! listing does not have gets a "New file in this step" note instead.
//!
//! Any problem (an unknown listing, a missing file or anchor, a malformed
//! directive, a `mark` file with an unknown word or on a listing that does
//! not compile) fails the build with the chapter, the line and what to do; all problems
//! of a build are reported together.
//!
//! Settings, under `[preprocessor.listings]` in `book.toml`:
//! - `listings-dir`: where the listings are, relative to the book's root
//!   (default `listings`);
//! - `source-url`: if set, the `listings/NAME` label of each caption links
//!   to `{source-url}/NAME` (e.g. the directory on a forge).

mod chart;
mod diff;
pub mod html;
mod render;
mod scan;
mod settings;
mod source;
mod terminal;
pub mod toolchain;

/// The caption words, from the book's one table of languages.
pub use book_languages::Captions;
pub use chart::{ChartKind, ChartSpec, SERIES_COLOURS};
pub use scan::{DEFAULT_FILE, Directive, Found, scan};
pub use settings::Settings;
pub use source::{Catalog, Mark};

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use render::{Change, ListingView, OutputView, PageIds, Since};
use source::Anchored;
use std::fmt;
use std::path::{Path, PathBuf};

/// The preprocessor. Register it with `MDBook::with_preprocessor`, or run
/// the `mdbook-listings` binary as a command preprocessor.
#[derive(Debug, Default, Clone, Copy)]
pub struct Listings;

impl Listings {
    /// The preprocessor's name, as in `[preprocessor.listings]`.
    pub const NAME: &'static str = "listings";

    /// Creates the preprocessor.
    pub fn new() -> Listings {
        Listings
    }
}

impl Preprocessor for Listings {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let settings = Settings::from_context(ctx).map_err(Error::msg)?;
        let catalog = Catalog::open(&settings.listings_dir, &settings.listings_shown);
        let mut problems = Vec::new();
        let mut catalog_reported = false;
        book.for_each_chapter_mut(|chapter| {
            let Some(source) = &chapter.source_path else {
                return;
            };
            let shown = ctx.config.book.src.join(source);
            let catalog = match &catalog {
                Ok(catalog) => catalog,
                Err(message) => {
                    // Without listings only a chapter with directives is wrong.
                    if let Some(first) = scan(&chapter.content).first()
                        && !catalog_reported
                    {
                        catalog_reported = true;
                        problems.push(Problem::at(&shown, first, message.clone()));
                    }
                    return;
                }
            };
            match expand(&chapter.content, catalog, &settings) {
                Ok(content) => chapter.content = content,
                Err(found) => problems.extend(
                    found
                        .into_iter()
                        .map(|(at, message)| Problem::at(&shown, &at, message)),
                ),
            }
        });
        if problems.is_empty() {
            Ok(book)
        } else {
            Err(Error::msg(Report(problems).to_string()))
        }
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        // The output is HTML inside Markdown; other renderers (and
        // `mdbook test`, which would compile the listings with rustdoc)
        // keep the directives as they are.
        Ok(renderer == "html")
    }
}

/// Expands every directive of one chapter. On failure, returns every
/// problem of the chapter: the directive found and what is wrong with it.
pub fn expand(
    markdown: &str,
    catalog: &Catalog,
    settings: &Settings,
) -> std::result::Result<String, Vec<(Found, String)>> {
    let found = scan(markdown);
    let mut problems = Vec::new();
    let mut ids = PageIds::default();

    // First the ids, so that a compiler output can link to its listing
    // wherever the listing is on the page.
    let planned: Vec<Option<String>> = found
        .iter()
        .map(|f| match &f.directive {
            Ok(Directive::Listing { name, file, anchor }) => {
                Some(ids.claim(render::listing_id(name, file, anchor.as_deref())))
            }
            Ok(Directive::CompilerOutput { name }) => Some(ids.claim(render::output_id(name))),
            Ok(Directive::Chart(spec)) => Some(ids.claim(chart::id(spec))),
            Err(_) => None,
        })
        .collect();

    let mut rendered = Vec::new();
    for (index, f) in found.iter().enumerate() {
        let result = match (&f.directive, &planned[index]) {
            (Err(message), _) => Err(message.clone()),
            (Ok(directive), Some(id)) => {
                let page = Page {
                    found: &found,
                    planned: &planned,
                    at: index,
                };
                render_one(directive, id, catalog, settings, &page)
            }
            (Ok(_), None) => unreachable!("every directive has an id"),
        };
        match result {
            Ok(html) => rendered.push((f.span.clone(), render::indent(&html, &f.indent))),
            Err(message) => problems.push((f.clone(), message)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut out = String::with_capacity(markdown.len() * 2);
    let mut copied = 0;
    for (span, html) in rendered {
        out.push_str(&markdown[copied..span.start]);
        // A blank line before; the directive's own line break after the
        // block's last line makes the blank line after.
        out.push('\n');
        out.push_str(&html);
        copied = span.end;
    }
    out.push_str(&markdown[copied..]);
    Ok(out)
}

/// One directive among the others of its page.
struct Page<'a> {
    found: &'a [Found],
    planned: &'a [Option<String>],
    at: usize,
}

impl<'a> Page<'a> {
    fn shows(&self, i: usize, name: &str, file: Option<&str>) -> bool {
        matches!(&self.found[i].directive,
            Ok(Directive::Listing { name: n, file: f, .. })
                if n == name && file.is_none_or(|file| f == file))
    }

    /// The id of the listing `name` this compiler output should link to:
    /// the last one shown before it on the page, else the first one after it.
    fn nearest_listing_id(&self, name: &str) -> Option<&'a str> {
        (0..self.at)
            .rev()
            .find(|&i| self.shows(i, name, None))
            .or_else(|| (self.at + 1..self.found.len()).find(|&i| self.shows(i, name, None)))
            .and_then(|i| self.planned[i].as_deref())
    }

    /// The id of the first showing of listing `name` on the page, preferably
    /// of `file`, to link a diff's "since listing N" to.
    fn listing_id(&self, name: &str, file: &str) -> Option<&'a str> {
        (0..self.found.len())
            .find(|&i| self.shows(i, name, Some(file)))
            .or_else(|| (0..self.found.len()).find(|&i| self.shows(i, name, None)))
            .and_then(|i| self.planned[i].as_deref())
    }

    /// Whether this directive is the page's first showing of its listing's
    /// `file`: only that one gets the diff from the previous listing, so a
    /// page that shows two anchors of one file shows the file's diff once.
    fn first_showing(&self, name: &str, file: &str) -> bool {
        !(0..self.at).any(|i| self.shows(i, name, Some(file)))
    }
}

fn render_one(
    directive: &Directive,
    id: &str,
    catalog: &Catalog,
    settings: &Settings,
    page: &Page<'_>,
) -> std::result::Result<String, String> {
    let name = match directive {
        Directive::Chart(spec) => return render_chart(spec, id, catalog, settings),
        Directive::Listing { name, .. } | Directive::CompilerOutput { name } => name,
    };
    let number = catalog.check(name)?;
    match directive {
        Directive::Listing { file, anchor, .. } => {
            let text = catalog.read(name, file)?;
            let shown_file = catalog.shown_path(name, file);
            let anchored = Anchored::parse(&text, &shown_file).map_err(|problems| {
                format!("its anchor markers are broken: {}", problems.join("; "))
            })?;
            let code = match anchor {
                None => anchored.whole(),
                Some(anchor) => anchored
                    .region(anchor, source::gap_marker(file))
                    .map_err(|why| format!("cannot show {shown_file}#{anchor}: {why}"))?,
            };
            let mark = catalog.mark(name)?;
            let since = match catalog.previous(name)? {
                Some(previous) if page.first_showing(name, file) => {
                    since(catalog, previous, file, &text)?.map(|change| Since {
                        // Not `number - 1`: the step before may sit behind answers.
                        number: catalog.number(previous).expect("a listing of the catalog"),
                        listing_id: page.listing_id(previous, file),
                        change,
                    })
                }
                _ => None,
            };
            Ok(render::listing(
                &ListingView {
                    id,
                    number,
                    file,
                    fails: catalog.must_fail(name),
                    mark,
                    crate_path: &catalog.shown_path(name, ""),
                    crate_url: settings
                        .source_url
                        .as_ref()
                        .map(|url| format!("{url}/{name}")),
                    code: &code,
                    since,
                },
                settings.captions,
            ))
        }
        Directive::CompilerOutput { .. } => {
            if !catalog.must_fail(name) {
                let failing: Vec<&str> = catalog
                    .names()
                    .iter()
                    .filter(|n| catalog.must_fail(n))
                    .map(String::as_str)
                    .collect();
                return Err(format!(
                    "listing `{name}` has no src/main.stderr: it compiles, so there is no \
                     compiler output to show. The listings that fail are: {}",
                    if failing.is_empty() {
                        "none".to_string()
                    } else {
                        failing.join(", ")
                    }
                ));
            }
            let stderr = catalog.read(name, "src/main.stderr")?;
            Ok(render::compiler_output(
                &OutputView {
                    id,
                    number,
                    listing_id: page.nearest_listing_id(name),
                    stderr: &toolchain::std_paths_as_printed(&render::as_readers_project(
                        &stderr, name,
                    )),
                },
                settings.captions,
            ))
        }
        Directive::Chart(_) => unreachable!("drawn above"),
    }
}

/// A chart: its data file from the book's root, its words in the book's
/// language, and a bar named after a listing labelled as its caption is.
fn render_chart(
    spec: &ChartSpec,
    id: &str,
    catalog: &Catalog,
    settings: &Settings,
) -> std::result::Result<String, String> {
    let listing_label = |name: &str| {
        catalog
            .number(name)
            .map(|number| render::listing_label(settings.captions, number))
    };
    chart::render(
        spec,
        id,
        &chart::Sources {
            book_root: &settings.book_root,
            language: settings.language.as_deref(),
            listing_label: &listing_label,
        },
    )
}

/// How `file` (whose text is `text`) changed since the `previous` listing:
/// new, or a diff of the whole file without its anchor lines; `None` if
/// it is the same.
fn since(
    catalog: &Catalog,
    previous: &str,
    file: &str,
    text: &str,
) -> std::result::Result<Option<Change>, String> {
    Ok(match catalog.read_if_present(previous, file)? {
        None => Some(Change::NewFile),
        Some(before) => diff::unified(
            &source::without_markers(&before),
            &source::without_markers(text),
            DIFF_CONTEXT,
        )
        .map(Change::Diff),
    })
}

/// Unchanged lines shown around each change of a diff, as `diff -u` does.
const DIFF_CONTEXT: usize = 3;

/// One problem: where, which directive, what to do.
#[derive(Debug, Clone)]
struct Problem {
    file: PathBuf,
    line: usize,
    directive: String,
    message: String,
}

impl Problem {
    fn at(file: &Path, found: &Found, message: String) -> Problem {
        Problem {
            file: file.to_path_buf(),
            line: found.line,
            directive: found.text.clone(),
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}\n    {}",
            self.file.display(),
            self.line,
            self.directive,
            self.message
        )
    }
}

/// Every problem of a run.
struct Report(Vec<Problem>);

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "the listings preprocessor found {n} problem{} in the book's directives:",
            if n == 1 { "" } else { "s" }
        )?;
        for problem in &self.0 {
            write!(f, "\n{problem}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
