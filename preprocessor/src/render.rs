//! What a directive becomes in the chapter: an HTML wrapper with a caption,
//! around a fenced code block that mdBook highlights as usual.
//!
//! ````text
//! <div class="listing" id="listing-NAME">
//! <div class="listing-caption">…</div>
//!
//! ```rust,noplayground
//! …
//! ```
//!
//! <details class="listing-diff">
//! <summary>What changed since listing 11</summary>
//!
//! <p class="listing-diff-from"><a href="#listing-PREVIOUS">Listing 11</a></p>
//!
//! ```diff
//! @@ -3,7 +3,8 @@
//! …
//! ```
//!
//! </details>
//!
//! </div>
//! ````
//!
//! A compiler output is a `<pre>` block of its own instead of a fenced one:
//! its lines carry rustc's colours as `<span>`s (`terminal.rs`).
//!
//! The blank lines matter: Markdown inside an HTML block is only read as
//! Markdown after a blank line. `<details>` opens and closes without
//! JavaScript, and the diff is plain text with its `+` and `-` when
//! JavaScript (and so highlight.js) is off.

use crate::html::escape;
use crate::source::Mark;
use crate::terminal;
use book_languages::Captions;
use std::collections::HashSet;

/// The ids a page already uses, so that a listing shown twice gets `-2`.
#[derive(Debug, Default)]
pub(crate) struct PageIds(HashSet<String>);

impl PageIds {
    pub(crate) fn claim(&mut self, wanted: String) -> String {
        let mut id = wanted.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
        id
    }
}

/// The id a listing directive asks for, before de-duplication:
/// `listing-NAME`, `listing-NAME-ANCHOR`, or `listing-NAME-FILE` for a file
/// other than `src/main.rs` (`listing-NAME-pool-rs`).
pub(crate) fn listing_id(name: &str, file: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(anchor) => format!("listing-{}-{}", slug(name), slug(anchor)),
        None if file == crate::scan::DEFAULT_FILE => format!("listing-{}", slug(name)),
        None => {
            let short = file.strip_prefix("src/").unwrap_or(file);
            format!("listing-{}-{}", slug(name), slug(short))
        }
    }
}

/// The id of a compiler output block, before de-duplication.
pub(crate) fn output_id(name: &str) -> String {
    format!("compiler-output-{}", slug(name))
}

pub(crate) fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Everything the caption of a listing shows.
pub(crate) struct ListingView<'a> {
    pub id: &'a str,
    pub number: usize,
    pub file: &'a str,
    pub fails: bool,
    /// What the listing's `mark` file says, for one that builds.
    pub mark: Option<Mark>,
    /// Where the listing's directory is shown: `listings/NAME`.
    pub crate_path: &'a str,
    /// A link for the directory label, if the book configures `source-url`.
    pub crate_url: Option<String>,
    pub code: &'a str,
    /// How the file differs from the previous listing's, if it is shown.
    pub since: Option<Since<'a>>,
}

/// The previous listing, and how this listing's file differs from its.
pub(crate) struct Since<'a> {
    pub number: usize,
    /// The id of the previous listing on this page, to link to, if it is here.
    pub listing_id: Option<&'a str>,
    pub change: Change,
}

/// How a file differs from the previous listing's.
pub(crate) enum Change {
    /// The previous listing has no such file.
    NewFile,
    /// A unified diff from the previous listing's file to this one.
    Diff(String),
}

pub(crate) fn listing(view: &ListingView<'_>, captions: &Captions) -> String {
    let id = escape(view.id);
    let mut caption = format!(
        "<a class=\"listing-number\" href=\"#{id}\">{}</a> · \
         <span class=\"listing-file\">{}</span>",
        listing_label(captions, view.number),
        escape(view.file)
    );
    let mark = match view.mark {
        _ if view.fails => Some(("listing-fails", captions.does_not_compile)),
        Some(Mark::Panics) => Some(("listing-panics", captions.panics)),
        Some(Mark::Misbehaves) => Some(("listing-misbehaves", captions.misbehaves)),
        None => None,
    };
    if let Some((class, word)) = mark {
        caption.push_str(&format!(
            " <span class=\"listing-mark {class}\">{}</span>",
            escape(word)
        ));
    }
    let label = escape(view.crate_path);
    let title = escape(captions.crate_title);
    caption.push_str(&match &view.crate_url {
        Some(url) => format!(
            " <a class=\"listing-crate\" href=\"{}\" title=\"{title}\">{label}</a>",
            escape(url)
        ),
        None => format!(" <span class=\"listing-crate\" title=\"{title}\">{label}</span>"),
    });
    let after = match &view.since {
        None => String::new(),
        Some(since) => changes(since, captions),
    };
    block(
        &format!("<div class=\"listing\" id=\"{id}\">"),
        &format!("<div class=\"listing-caption\">{caption}</div>"),
        language_of(view.file),
        view.code,
        &after,
    )
}

/// How a listing's caption names it, "Listing 12" (a chart's bars too).
pub(crate) fn listing_label(captions: &Captions, number: usize) -> String {
    format!("{} {number}", captions.listing)
}

/// What follows a listing's code: the diff from the previous listing,
/// folded away in a `<details>`, or a note that the file is new.
fn changes(since: &Since<'_>, captions: &Captions) -> String {
    match &since.change {
        Change::NewFile => format!(
            "<p class=\"listing-new-file\">{}</p>\n\n",
            escape(captions.new_file)
        ),
        Change::Diff(diff) => {
            let which = format!("{} {}", captions.listing_in_text, since.number);
            // The summary is what opens the diff: a link inside it would be
            // a control inside a control, which screen readers announce
            // badly and keyboards cannot reach. The link comes first inside.
            let link = match since.listing_id {
                Some(target) => format!(
                    "<p class=\"listing-diff-from\"><a href=\"#{}\">{}</a></p>\n\n",
                    escape(target),
                    listing_label(captions, since.number)
                ),
                None => String::new(),
            };
            format!(
                "<details class=\"listing-diff\">\n<summary>{} {which}</summary>\n\n{link}{}\n</details>\n\n",
                escape(captions.changed_since),
                fenced("diff", diff)
            )
        }
    }
}

/// Everything the caption of a compiler output block shows.
pub(crate) struct OutputView<'a> {
    pub id: &'a str,
    pub number: usize,
    /// The id of the listing on this page that the caption links to.
    pub listing_id: Option<&'a str>,
    pub stderr: &'a str,
}

pub(crate) fn compiler_output(view: &OutputView<'_>, captions: &Captions) -> String {
    let which = format!("{} {}", captions.listing_in_text, view.number);
    let which = match view.listing_id {
        Some(target) => format!("<a href=\"#{}\">{which}</a>", escape(target)),
        None => which,
    };
    let caption = format!(
        "{} <code>{COMMAND}</code> {} {which}",
        captions.output_of, captions.output_for
    );
    let mut terminal = format!("$ {COMMAND}\n");
    terminal.push_str(view.stderr);
    if !terminal.ends_with('\n') {
        terminal.push('\n');
    }
    // An HTML block that starts with `<pre` runs to its `</pre>`, blank
    // lines and all, and Markdown leaves it as it is. `nohighlight` keeps
    // highlight.js from redoing the colours (and loses none of the text).
    format!(
        "<div class=\"compiler-output\" id=\"{}\">\n\
         <div class=\"compiler-output-caption\">{caption}</div>\n\n\
         <pre class=\"compiler-output-terminal\"><code class=\"nohighlight\">{}</code></pre>\n\n\
         </div>\n",
        escape(view.id),
        protect(&terminal::to_html(&terminal), false)
    )
}

/// The command whose output the book shows: the edit-and-check loop's.
/// (`cargo build` prints the same diagnostics for every listing that fails.)
pub(crate) const COMMAND: &str = "cargo check";

/// What the reader's own project prints: paths relative to the crate, as
/// cargo shows them (`src/main.rs`), not relative to this repository
/// (`listings/NAME/src/main.rs`). Any path that runs through the listing's
/// directory loses everything up to it; `$RUST/...` paths stay as they are
/// (`toolchain::std_paths_as_printed` turns them into the reader's).
pub(crate) fn as_readers_project(stderr: &str, name: &str) -> String {
    let needle = format!("{name}/");
    let mut out = String::with_capacity(stderr.len());
    let mut rest = stderr;
    while let Some(at) = rest.find(&needle) {
        let before = &rest[..at];
        // A path starts after a space, or after the `@` of a closure's name
        // (`{closure@src/pool.rs:59:36: 59:43}`).
        let token_start = before
            .rfind(|c: char| c.is_ascii_whitespace() || c == '@')
            .map_or(0, |i| i + 1);
        let in_path = at == token_start || before.ends_with('/');
        if in_path {
            out.push_str(&before[..token_start]);
        } else {
            out.push_str(before);
            out.push_str(&needle);
        }
        rest = &rest[at + needle.len()..];
    }
    out.push_str(rest);
    out
}

/// The code block's language for a file: Rust without the playground
/// button (listings are whole crates the playground cannot run), HTML,
/// or plain text.
fn language_of(file: &str) -> &'static str {
    match crate::source::extension(file) {
        "rs" => "rust,noplayground",
        "html" | "htm" => "html",
        _ => "text",
    }
}

/// The wrapper: opening tag and caption, a fenced block, whatever comes
/// `after` it (HTML blocks, each followed by a blank line), closing tag.
fn block(open: &str, caption: &str, info: &str, code: &str, after: &str) -> String {
    format!(
        "{open}\n{caption}\n\n{}\n{after}</div>\n",
        fenced(info, code)
    )
}

/// A fenced code block, its fence longer than any backtick run in the code.
fn fenced(info: &str, code: &str) -> String {
    let code = protect(code, info.starts_with("rust"));
    let longest_run = code
        .lines()
        .map(|l| l.trim_start().chars().take_while(|&c| c == '`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(3.max(longest_run + 1));
    let mut out = format!("{fence}{info}\n{code}");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
    out
}

/// Keeps code as written through mdBook's later steps: a line that starts
/// with `#` and a space (or only `#`, or `##`) would be hidden or changed in
/// a Rust block, so it gets mdBook's escape, an extra `#`; and `{{#…}}`
/// text would be expanded by mdBook's `links` preprocessor (which runs
/// after this one), so it gets that preprocessor's escape, a backslash.
fn protect(code: &str, rust: bool) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let mut line = line.to_string();
        if rust && let Some(after) = body.strip_prefix('#') {
            let next = after.chars().next();
            if matches!(next, None | Some(' ' | '#' | '\n' | '\r')) {
                line = format!("{indent}#{body}");
            }
        }
        if let Some(at) = line.find("{{#")
            && line[at..].contains("}}")
            && !line[..at].ends_with('\\')
        {
            line.insert(at, '\\');
        }
        out.push_str(&line);
    }
    out
}

/// Re-indents a rendered block under a list item's indentation.
pub(crate) fn indent(block: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return block.to_string();
    }
    block
        .split_inclusive('\n')
        .map(|line| {
            if line.trim().is_empty() {
                line.to_string()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use book_languages::for_tag;

    /// The caption words for a book language.
    fn captions_for(tag: Option<&str>) -> &'static Captions {
        &for_tag(tag).captions
    }

    fn view<'a>(code: &'a str, file: &'a str, fails: bool) -> ListingView<'a> {
        ListingView {
            id: "listing-ch05-02-no-new-pool-rs",
            number: 10,
            file,
            fails,
            mark: None,
            crate_path: "listings/ch05-02-no-new",
            crate_url: None,
            code,
            since: None,
        }
    }

    #[test]
    fn a_listing_is_a_captioned_fenced_block_with_blank_lines_around_the_markdown() {
        let html = listing(
            &view("pub struct ThreadPool;\n", "src/pool.rs", true),
            captions_for(None),
        );
        assert_eq!(
            html,
            "<div class=\"listing\" id=\"listing-ch05-02-no-new-pool-rs\">\n\
             <div class=\"listing-caption\"><a class=\"listing-number\" \
             href=\"#listing-ch05-02-no-new-pool-rs\">Listing 10</a> · \
             <span class=\"listing-file\">src/pool.rs</span> \
             <span class=\"listing-mark listing-fails\">does not compile</span> \
             <span class=\"listing-crate\" title=\"This listing&#39;s crate, in the book&#39;s \
             repository\">listings/ch05-02-no-new</span></div>\n\
             \n\
             ```rust,noplayground\n\
             pub struct ThreadPool;\n\
             ```\n\
             \n\
             </div>\n"
        );
    }

    #[test]
    fn captions_follow_the_language() {
        let html = listing(
            &view("x\n", "src/main.rs", true),
            captions_for(Some("pt-BR")),
        );
        assert!(html.contains(">Listagem 10</a>"), "{html}");
        assert!(html.contains(">não compila</span>"), "{html}");
        let mut v = view("x\n", "src/main.rs", false);
        v.mark = Some(Mark::Misbehaves);
        let html = listing(&v, captions_for(Some("pt-BR")));
        assert!(
            html.contains(">ainda não faz o que queremos</span>"),
            "{html}"
        );
        v.mark = Some(Mark::Panics);
        let html = listing(&v, captions_for(Some("es")));
        assert!(html.contains(">entra en pánico</span>"), "{html}");
        let html = listing(&view("x\n", "src/main.rs", true), captions_for(Some("es")));
        assert!(
            html.contains(">Listado 10</a>") && html.contains(">no compila<"),
            "{html}"
        );
    }

    #[test]
    fn a_listing_that_builds_has_no_failure_mark() {
        let html = listing(&view("x\n", "src/main.rs", false), captions_for(None));
        assert!(!html.contains("listing-fails"));
    }

    #[test]
    fn a_listing_that_builds_can_be_marked_as_panicking_or_misbehaving() {
        let mut v = view("x\n", "src/main.rs", false);
        v.mark = Some(Mark::Panics);
        let html = listing(&v, captions_for(None));
        assert!(
            html.contains(
                "src/main.rs</span> <span class=\"listing-mark listing-panics\">panics</span> \
                 <span class=\"listing-crate\""
            ),
            "{html}"
        );
        v.mark = Some(Mark::Misbehaves);
        let html = listing(&v, captions_for(None));
        assert!(
            html.contains(
                "<span class=\"listing-mark listing-misbehaves\">not what we want yet</span>"
            ),
            "{html}"
        );
        assert!(!html.contains("listing-fails") && !html.contains("listing-panics"));
    }

    #[test]
    fn a_diff_from_the_previous_listing_follows_the_code_folded() {
        let mut v = view("b\n", "src/pool.rs", false);
        v.since = Some(Since {
            number: 9,
            listing_id: Some("listing-ch05-01a-private-pool-pool-rs"),
            change: Change::Diff("@@ -1,1 +1,1 @@\n-a\n+b\n".into()),
        });
        let html = listing(&v, captions_for(None));
        assert!(
            html.ends_with(
                "```rust,noplayground\n\
                 b\n\
                 ```\n\
                 \n\
                 <details class=\"listing-diff\">\n\
                 <summary>What changed since listing 9</summary>\n\
                 \n\
                 <p class=\"listing-diff-from\"><a \
                 href=\"#listing-ch05-01a-private-pool-pool-rs\">Listing 9</a></p>\n\
                 \n\
                 ```diff\n\
                 @@ -1,1 +1,1 @@\n\
                 -a\n\
                 +b\n\
                 ```\n\
                 \n\
                 </details>\n\
                 \n\
                 </div>\n"
            ),
            "{html}"
        );

        v.since.as_mut().unwrap().listing_id = None;
        let html = listing(&v, captions_for(Some("pt-BR")));
        assert!(
            html.contains("<summary>O que mudou desde a listagem 9</summary>"),
            "{html}"
        );
        let html = listing(&v, captions_for(Some("es")));
        assert!(
            html.contains("<summary>Qué cambió desde el listado 9</summary>"),
            "{html}"
        );
    }

    #[test]
    fn a_file_new_in_this_step_says_so_instead_of_a_diff() {
        let mut v = view("b\n", "hello.html", false);
        v.since = Some(Since {
            number: 3,
            listing_id: None,
            change: Change::NewFile,
        });
        let html = listing(&v, captions_for(None));
        assert!(
            html.ends_with(
                "```\n\n<p class=\"listing-new-file\">New file in this step</p>\n\n</div>\n"
            ),
            "{html}"
        );
        assert!(!html.contains("<details"), "{html}");
    }

    #[test]
    fn diff_lines_keep_their_text_through_mdbook() {
        let diff = "@@ -1,2 +1,2 @@\n-# old\n+let s = \"{{#include x}}\";\n ```\n";
        let out = fenced("diff", diff);
        assert!(out.starts_with("````diff\n"), "a longer fence: {out}");
        assert!(
            out.contains("\n-# old\n"),
            "no Rust escape in a diff: {out}"
        );
        assert!(out.contains("+let s = \"\\{{#include x}}\";"), "{out}");
    }

    #[test]
    fn the_crate_label_links_when_a_source_url_is_configured() {
        let mut v = view("x\n", "src/main.rs", false);
        v.crate_url = Some("https://example.org/tree/main/listings/ch05-02-no-new".into());
        let html = listing(&v, captions_for(None));
        assert!(html.contains(
            "<a class=\"listing-crate\" href=\"https://example.org/tree/main/listings/ch05-02-no-new\""
        ));
    }

    #[test]
    fn code_blocks_get_a_language_by_extension() {
        assert_eq!(language_of("src/main.rs"), "rust,noplayground");
        assert_eq!(language_of("hello.html"), "html");
        assert_eq!(language_of("Cargo.toml"), "text");
        assert_eq!(language_of("src/main.stderr"), "text");
    }

    #[test]
    fn a_fence_is_longer_than_any_backtick_run_in_the_code() {
        let html = block("<div>", "<div></div>", "text", "```\nx\n```\n", "");
        assert!(html.contains("\n````text\n```\nx\n```\n````\n"), "{html}");
    }

    #[test]
    fn code_survives_mdbooks_later_steps() {
        assert_eq!(
            protect("# not hidden\n#[derive(Debug)]\n", true),
            "## not hidden\n#[derive(Debug)]\n"
        );
        assert_eq!(protect("    #\n", true), "    ##\n");
        assert_eq!(protect("# a heading\n", false), "# a heading\n");
        assert_eq!(
            protect("let s = \"{{#include x}}\";\n", false),
            "let s = \"\\{{#include x}}\";\n"
        );
        assert_eq!(protect("let s = \"{{#\";\n", false), "let s = \"{{#\";\n");
    }

    #[test]
    fn compiler_output_reads_like_the_readers_own_build() {
        let stderr = "error[E0599]: no function\n --> listings/ch05-02-no-new/src/main.rs\n  \
                      |\n  --> $RUST/std/src/thread/functions.rs\n";
        let shown = as_readers_project(stderr, "ch05-02-no-new");
        assert_eq!(
            shown,
            "error[E0599]: no function\n --> src/main.rs\n  |\n  --> $RUST/std/src/thread/functions.rs\n"
        );
        let html = compiler_output(
            &OutputView {
                id: "compiler-output-ch05-02-no-new",
                number: 10,
                listing_id: Some("listing-ch05-02-no-new"),
                stderr: "error[E0599]: no <function>\n --> src/main.rs\n\nwarning: unused\n",
            },
            captions_for(None),
        );
        assert_eq!(
            html,
            "<div class=\"compiler-output\" id=\"compiler-output-ch05-02-no-new\">\n\
             <div class=\"compiler-output-caption\">Output of <code>cargo check</code> for \
             <a href=\"#listing-ch05-02-no-new\">listing 10</a></div>\n\
             \n\
             <pre class=\"compiler-output-terminal\"><code class=\"nohighlight\">$ cargo check\n\
             <span class=\"rustc-error\">error[E0599]</span><span class=\"rustc-bold\">: no \
             &lt;function&gt;</span>\n \
             <span class=\"rustc-line\">--&gt;</span> src/main.rs\n\
             \n\
             <span class=\"rustc-warning\">warning</span><span class=\"rustc-bold\">: unused</span>\n\
             </code></pre>\n\
             \n\
             </div>\n",
            "the blank line stays inside the <pre> block, which Markdown leaves as it is"
        );
    }

    #[test]
    fn only_paths_through_the_listing_lose_their_prefix() {
        let name = "ch07-01-moved-receiver";
        assert_eq!(
            as_readers_project(
                " --> /home/me/book/listings/ch07-01-moved-receiver/src/pool.rs\n",
                name
            ),
            " --> src/pool.rs\n"
        );
        assert_eq!(
            as_readers_project(" ::: ch07-01-moved-receiver/src/pool.rs\n", name),
            " ::: src/pool.rs\n"
        );
        // trybuild writes paths outside its package (listings-contract/)
        // from the workspace's root.
        assert_eq!(
            as_readers_project(
                " --> $WORKSPACE/listings/ch07-01-moved-receiver/src/main.rs\n",
                name
            ),
            " --> src/main.rs\n"
        );
        assert_eq!(
            as_readers_project(
                "within `{closure@$DIR/as-typed/ch07-01-moved-receiver/src/pool.rs:59:36: 59:43}`",
                name
            ),
            "within `{closure@src/pool.rs:59:36: 59:43}`"
        );
        let prose = "see not-ch07-01-moved-receiver/x and listings/other/src/main.rs\n";
        assert_eq!(as_readers_project(prose, name), prose);
    }

    #[test]
    fn compiler_output_captions_follow_the_language() {
        let view = OutputView {
            id: "o",
            number: 12,
            listing_id: None,
            stderr: "x\n",
        };
        assert!(
            compiler_output(&view, captions_for(Some("pt-BR")))
                .contains("Saída de <code>cargo check</code> para a listagem 12</div>")
        );
        assert!(
            compiler_output(&view, captions_for(Some("es")))
                .contains("Salida de <code>cargo check</code> para el listado 12</div>")
        );
    }

    #[test]
    fn ids_are_unique_on_a_page() {
        let mut ids = PageIds::default();
        assert_eq!(ids.claim("listing-a".into()), "listing-a");
        assert_eq!(ids.claim("listing-a".into()), "listing-a-2");
        assert_eq!(ids.claim("listing-a".into()), "listing-a-3");
    }

    #[test]
    fn ids_say_which_part_is_shown() {
        assert_eq!(listing_id("a", "src/main.rs", None), "listing-a");
        assert_eq!(listing_id("a", "src/pool.rs", None), "listing-a-pool-rs");
        assert_eq!(listing_id("a", "hello.html", None), "listing-a-hello-html");
        assert_eq!(listing_id("a", "src/pool.rs", Some("new")), "listing-a-new");
        assert_eq!(output_id("a"), "compiler-output-a");
    }

    #[test]
    fn indentation_is_applied_to_every_non_blank_line() {
        assert_eq!(
            indent("<div>\n\n```\nx\n```\n", "   "),
            "   <div>\n\n   ```\n   x\n   ```\n"
        );
    }
}
