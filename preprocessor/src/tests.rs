//! Whole-chapter and whole-book behaviour, on small listings made on disk.

use super::*;
use mdbook_preprocessor::book::{BookItem, Chapter};
use mdbook_preprocessor::config::Config;
use std::fs;

/// A throwaway book root with a `listings/` directory, removed when dropped.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::Builder::new()
            .prefix("mdbook-listings-")
            .tempdir()
            .unwrap();
        let fixture = Fixture { dir };
        fixture.file(
            "listings/ch01-01-hello/src/main.rs",
            "fn main() {\n    // ANCHOR: greet\n    println!(\"hi\");\n    // ANCHOR_END: greet\n}\n",
        );
        fixture.file("listings/ch01-01-hello/hello.html", "<p>Hi</p>\n");
        fixture.file(
            "listings/ch02-01-broken/src/main.rs",
            "mod pool;\n\nfn main() {\n    pool::go(x);\n}\n",
        );
        fixture.file(
            "listings/ch02-01-broken/src/pool.rs",
            "// ANCHOR: go\npub fn go() {}\n// ANCHOR_END: go\n",
        );
        fixture.file(
            "listings/ch02-01-broken/src/bad.rs",
            "// ANCHOR: go\npub fn go() {}\n// ANCHOR_END: go\n// ANCHOR: open\n",
        );
        fixture.file(
            "listings/ch02-01-broken/src/main.stderr",
            "error[E0425]: cannot find value `x` in this scope\n --> listings/ch02-01-broken/src/main.rs\n  |\n",
        );
        fixture
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn context(&self, config: &str) -> PreprocessorContext {
        let config: Config = config.parse().expect("a valid book.toml");
        PreprocessorContext::new(self.root().to_path_buf(), config, "html".to_string())
    }

    fn settings(&self, language: &str) -> Settings {
        let ctx = self.context(&format!("[book]\nlanguage = \"{language}\"\n"));
        Settings::from_context(&ctx).unwrap()
    }

    fn catalog(&self) -> Catalog {
        Catalog::open(&self.root().join("listings"), "listings").unwrap()
    }

    fn expand(&self, markdown: &str) -> std::result::Result<String, Vec<String>> {
        expand(markdown, &self.catalog(), &self.settings("en")).map_err(|problems| {
            problems
                .into_iter()
                .map(|(found, message)| format!("{}: {}: {message}", found.line, found.text))
                .collect()
        })
    }
}

fn book(chapters: &[(&str, &str)]) -> Book {
    let mut book = Book::new();
    for (path, content) in chapters {
        book.push_item(BookItem::Chapter(Chapter::new(
            path,
            content.to_string(),
            path,
            vec![],
        )));
    }
    book
}

fn contents(book: &Book) -> Vec<String> {
    book.chapters().map(|ch| ch.content.clone()).collect()
}

#[test]
fn text_around_directives_is_kept_as_written() {
    let fixture = Fixture::new();
    let markdown = "# Title {#title}\n\nBefore.\n\n{{#listing ch01-01-hello}}\n\nAfter.\n";
    let out = fixture.expand(markdown).unwrap();
    assert!(
        out.starts_with("# Title {#title}\n\nBefore.\n\n\n<div class=\"listing\""),
        "{out}"
    );
    assert!(out.ends_with("</div>\n\n\nAfter.\n"), "{out}");
    assert_eq!(
        fixture.expand("No directives.\n").unwrap(),
        "No directives.\n"
    );
}

#[test]
fn a_whole_file_is_shown_without_its_anchor_lines() {
    let fixture = Fixture::new();
    let out = fixture.expand("{{#listing ch01-01-hello}}\n").unwrap();
    assert!(
        out.contains("```rust,noplayground\nfn main() {\n    println!(\"hi\");\n}\n```\n"),
        "{out}"
    );
    assert!(out.contains(">Listing 1</a> · <span class=\"listing-file\">src/main.rs</span>"));
    assert!(!out.contains("listing-fails"), "{out}");
}

#[test]
fn an_anchor_shows_its_region_dedented() {
    let fixture = Fixture::new();
    let out = fixture
        .expand("{{#listing ch01-01-hello src/main.rs#greet}}\n")
        .unwrap();
    assert!(out.contains("id=\"listing-ch01-01-hello-greet\""), "{out}");
    assert!(
        out.contains("```rust,noplayground\nprintln!(\"hi\");\n```\n"),
        "{out}"
    );
}

#[test]
fn other_files_get_their_language_and_path() {
    let fixture = Fixture::new();
    let out = fixture
        .expand("{{#listing ch01-01-hello hello.html}}\n")
        .unwrap();
    assert!(
        out.contains("<span class=\"listing-file\">hello.html</span>"),
        "{out}"
    );
    assert!(out.contains("```html\n<p>Hi</p>\n```"), "{out}");
    assert!(
        out.contains("id=\"listing-ch01-01-hello-hello-html\""),
        "{out}"
    );
}

#[test]
fn a_failing_listing_is_marked_and_numbered_in_ls_order() {
    let fixture = Fixture::new();
    let out = fixture.expand("{{#listing ch02-01-broken}}\n").unwrap();
    assert!(out.contains(">Listing 2</a>"), "{out}");
    assert!(
        out.contains("<span class=\"listing-mark listing-fails\">does not compile</span>"),
        "{out}"
    );
    assert!(out.contains("title=\"This listing&#39;s crate, in the book&#39;s repository\">listings/ch02-01-broken</span>"), "{out}");
}

#[test]
fn compiler_output_is_the_snapshot_as_the_reader_would_see_it() {
    let fixture = Fixture::new();
    let out = fixture
        .expand("{{#listing ch02-01-broken}}\n\n{{#compiler-output ch02-01-broken}}\n")
        .unwrap();
    assert!(
        out.contains(
            "<pre class=\"compiler-output-terminal\"><code class=\"nohighlight\">$ cargo check\n\
             <span class=\"rustc-error\">error[E0425]</span><span class=\"rustc-bold\">: cannot find \
             value `x` in this scope</span>\n <span class=\"rustc-line\">--&gt;</span> src/main.rs\n  \
             <span class=\"rustc-line\">|</span>\n</code></pre>\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("for <a href=\"#listing-ch02-01-broken\">listing 2</a></div>"),
        "{out}"
    );
    assert!(out.contains("<div class=\"compiler-output\" id=\"compiler-output-ch02-01-broken\">"));
}

#[test]
fn compiler_output_shows_std_paths_as_the_readers_rustc_prints_them() {
    let fixture = Fixture::new();
    fixture.file(
        "listings/ch02-01-broken/src/main.stderr",
        "note: required by a bound in `spawn`\n --> $RUST/std/src/thread/functions.rs\n",
    );
    let out = fixture
        .expand("{{#compiler-output ch02-01-broken}}\n")
        .unwrap();
    let path = format!(
        "</span> /rustc/{}/library/std/src/thread/functions.rs\n",
        toolchain::RUSTC_COMMIT_HASH
    );
    assert!(out.contains(&path), "{out}");
    assert!(!out.contains("$RUST"), "{out}");
}

#[test]
fn compiler_output_links_to_the_listing_even_when_shown_later() {
    let fixture = Fixture::new();
    let out = fixture
        .expand(
            "{{#compiler-output ch02-01-broken}}\n\n{{#listing ch02-01-broken src/pool.rs#go}}\n",
        )
        .unwrap();
    assert!(
        out.contains("href=\"#listing-ch02-01-broken-go\">listing 2</a>"),
        "{out}"
    );
    let alone = fixture
        .expand("{{#compiler-output ch02-01-broken}}\n")
        .unwrap();
    assert!(alone.contains(" for listing 2</div>"), "{alone}");
}

#[test]
fn a_listing_shown_twice_gets_distinct_ids() {
    let fixture = Fixture::new();
    let out = fixture
        .expand("{{#listing ch01-01-hello}}\n\n{{#listing ch01-01-hello}}\n")
        .unwrap();
    assert!(out.contains("id=\"listing-ch01-01-hello\""));
    assert!(out.contains("id=\"listing-ch01-01-hello-2\""));
    assert!(out.contains("href=\"#listing-ch01-01-hello-2\""));
}

#[test]
fn directives_in_code_blocks_are_not_expanded() {
    let fixture = Fixture::new();
    let markdown = "```markdown\n{{#listing ch01-01-hello}}\n{{#listing nope}}\n```\n";
    assert_eq!(fixture.expand(markdown).unwrap(), markdown);
}

#[test]
fn a_directive_in_a_list_item_stays_in_the_item() {
    let fixture = Fixture::new();
    let out = fixture
        .expand("1. Step:\n\n   {{#listing ch01-01-hello src/main.rs#greet}}\n\n2. Next.\n")
        .unwrap();
    assert!(
        out.contains("\n   ```rust,noplayground\n   println!(\"hi\");\n   ```\n\n   </div>\n"),
        "{out}"
    );
}

#[test]
fn each_kind_of_mistake_is_reported_with_its_line_and_remedy() {
    let fixture = Fixture::new();
    let markdown = "\
{{#listing ch01-01-helo}}

{{#listing ch01-01-hello src/pool.rs}}

{{#listing ch01-01-hello src/main.rs#gret}}

{{#listing ch02-01-broken src/bad.rs#go}}

{{#compiler-output ch01-01-hello}}

{{#listing}}

Inline {{#listing ch01-01-hello}} here.
";
    let problems = fixture.expand(markdown).unwrap_err();
    assert_eq!(problems.len(), 7, "{problems:#?}");
    let expect = [
        "1: {{#listing ch01-01-helo}}: there is no listing `ch01-01-helo` (no directory \
         listings/ch01-01-helo). Did you mean `ch01-01-hello`? `ls listings/` shows the names.",
        "3: {{#listing ch01-01-hello src/pool.rs}}: listing `ch01-01-hello` has no file \
         `src/pool.rs`; its files are: hello.html, src/main.rs",
        "5: {{#listing ch01-01-hello src/main.rs#gret}}: cannot show \
         listings/ch01-01-hello/src/main.rs#gret: it has no anchor `gret`; its anchors are: greet",
        "7: {{#listing ch02-01-broken src/bad.rs#go}}: its anchor markers are broken: \
         listings/ch02-01-broken/src/bad.rs:4: `ANCHOR: open` is never closed; add a \
         `// ANCHOR_END: open` line after the last line to show",
        "9: {{#compiler-output ch01-01-hello}}: listing `ch01-01-hello` has no src/main.stderr: \
         it compiles, so there is no compiler output to show. The listings that fail are: \
         ch02-01-broken",
    ];
    for (got, want) in problems.iter().zip(expect) {
        assert_eq!(got, want);
    }
    assert!(problems[5].starts_with("11: {{#listing}}: `{{#listing}}` needs the listing's name"));
    assert!(
        problems[6]
            .starts_with("13: Inline {{#listing ch01-01-hello}} here.: a directive must be alone")
    );
}

/// Two more listings after the fixture's: `ch03-01-step` changes the
/// broken one's pool (anchors and all) and adds a file; `ch03-02-same`
/// changes nothing.
fn with_steps(fixture: &Fixture) {
    fixture.file(
        "listings/ch03-01-step/src/main.rs",
        "mod pool;\n\nfn main() {\n    pool::go(1);\n}\n",
    );
    fixture.file(
        "listings/ch03-01-step/src/pool.rs",
        "// ANCHOR: go\npub fn go(n: u32) {\n    let _ = n;\n}\n// ANCHOR_END: go\n",
    );
    fixture.file("listings/ch03-01-step/hello.html", "<p>Hi</p>\n");
    fixture.file(
        "listings/ch03-02-same/src/main.rs",
        "mod pool;\n\nfn main() {\n    pool::go(1);\n}\n",
    );
}

#[test]
fn a_changed_file_shows_its_diff_since_the_previous_listing() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    let out = fixture
        .expand("{{#listing ch03-01-step src/pool.rs#go}}\n")
        .unwrap();
    assert!(
        out.contains(
            "</span></div>\n\n```rust,noplayground\npub fn go(n: u32) {\n    let _ = n;\n}\n```\n\n\
             <details class=\"listing-diff\">\n\
             <summary>What changed since listing 2</summary>\n\n\
             ```diff\n\
             @@ -1,1 +1,3 @@\n\
             -pub fn go() {}\n\
             +pub fn go(n: u32) {\n\
             +    let _ = n;\n\
             +}\n\
             ```\n\n\
             </details>\n\n\
             </div>\n"
        ),
        "the whole file, without its anchor lines, against the previous listing's: {out}"
    );
}

#[test]
fn the_diff_links_to_the_previous_listing_when_it_is_on_the_page() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    let out = fixture
        .expand(
            "{{#listing ch02-01-broken src/pool.rs#go}}\n\n{{#listing ch02-01-broken}}\n\n\
             {{#listing ch03-01-step}}\n",
        )
        .unwrap();
    assert!(
        out.contains(
            "<summary>What changed since listing 2</summary>\n\n\
             <p class=\"listing-diff-from\"><a href=\"#listing-ch02-01-broken\">Listing 2</a></p>\
             \n\n```diff\n@@ -1,5 +1,5 @@\n mod pool;\n \n fn main() {\n-    \
             pool::go(x);\n+    pool::go(1);\n }\n```\n"
        ),
        "links to the same file of the previous listing: {out}"
    );
    let out = fixture
        .expand("{{#listing ch02-01-broken src/pool.rs#go}}\n\n{{#listing ch03-01-step}}\n")
        .unwrap();
    assert!(
        out.contains("<p class=\"listing-diff-from\"><a href=\"#listing-ch02-01-broken-go\">"),
        "else to another file of it: {out}"
    );
}

#[test]
fn a_file_is_diffed_once_per_page() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    let out = fixture
        .expand(
            "{{#listing ch03-01-step src/pool.rs#go}}\n\n{{#listing ch03-01-step src/pool.rs}}\n",
        )
        .unwrap();
    assert_eq!(out.matches("<details").count(), 1, "{out}");
    let (first, second) = out
        .split_once("id=\"listing-ch03-01-step-pool-rs\"")
        .unwrap();
    assert!(first.contains("<details") && !second.contains("<details"));
}

#[test]
fn no_diff_for_an_unchanged_file_or_the_first_listing() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    let out = fixture
        .expand("{{#listing ch03-02-same}}\n\n{{#listing ch01-01-hello}}\n")
        .unwrap();
    assert!(
        !out.contains("<details") && !out.contains("listing-new-file"),
        "{out}"
    );
}

#[test]
fn a_new_file_says_so_instead_of_a_diff() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    let out = fixture
        .expand("{{#listing ch03-01-step hello.html}}\n")
        .unwrap();
    assert!(
        out.contains("```html\n<p>Hi</p>\n```\n\n<p class=\"listing-new-file\">New file in this step</p>\n\n</div>\n"),
        "{out}"
    );
    assert!(!out.contains("<details"), "{out}");
}

#[test]
fn a_mark_file_marks_the_caption() {
    let fixture = Fixture::new();
    fixture.file("listings/ch01-01-hello/mark", "panics\n");
    let out = fixture.expand("{{#listing ch01-01-hello}}\n").unwrap();
    assert!(
        out.contains("<span class=\"listing-mark listing-panics\">panics</span>"),
        "{out}"
    );
    fixture.file("listings/ch01-01-hello/mark", "misbehaves");
    let out = expand(
        "{{#listing ch01-01-hello}}\n",
        &fixture.catalog(),
        &fixture.settings("es"),
    )
    .unwrap();
    assert!(
        out.contains(
            "<span class=\"listing-mark listing-misbehaves\">todavía no hace lo que queremos</span>"
        ),
        "{out}"
    );
}

#[test]
fn a_mark_file_with_an_unknown_word_is_an_error_naming_it() {
    let fixture = Fixture::new();
    fixture.file("listings/ch01-01-hello/mark", "hangs\n");
    let problems = fixture.expand("{{#listing ch01-01-hello}}\n").unwrap_err();
    assert_eq!(
        problems,
        [
            "1: {{#listing ch01-01-hello}}: listings/ch01-01-hello/mark says `hangs`; a mark \
             file holds one word: `panics` or `misbehaves`"
        ]
    );
    fixture.file("listings/ch01-01-hello/mark", "");
    let problems = fixture.expand("{{#listing ch01-01-hello}}\n").unwrap_err();
    assert!(
        problems[0].contains("mark says ``; a mark file"),
        "{problems:?}"
    );
}

#[test]
fn a_mark_file_on_a_listing_that_does_not_compile_is_an_error() {
    let fixture = Fixture::new();
    fixture.file("listings/ch02-01-broken/mark", "panics\n");
    let problems = fixture
        .expand("{{#listing ch02-01-broken src/pool.rs}}\n")
        .unwrap_err();
    assert_eq!(
        problems,
        [
            "1: {{#listing ch02-01-broken src/pool.rs}}: listings/ch02-01-broken/mark says \
             `panics`, but the listing has a src/main.stderr: it does not compile, so it cannot \
             run; remove one of the two files"
        ]
    );
}

#[test]
fn the_preprocessor_reports_every_chapters_problems_together() {
    let fixture = Fixture::new();
    let ctx = fixture.context("[book]\nsrc = \"src/en\"\n");
    let input = book(&[
        ("one.md", "Fine:\n\n{{#listing ch01-01-hello}}\n"),
        ("two.md", "Text.\n\n{{#listing nope}}\n"),
        ("three.md", "{{#compiler-output ch01-01-hello}}\n"),
    ]);
    let err = Listings.run(&ctx, input).unwrap_err().to_string();
    assert!(
        err.starts_with("the listings preprocessor found 2 problems in the book's directives:\n"),
        "{err}"
    );
    assert!(
        err.contains("\nsrc/en/two.md:3: {{#listing nope}}\n    there is no listing `nope`"),
        "{err}"
    );
    assert!(
        err.contains("\nsrc/en/three.md:1: {{#compiler-output ch01-01-hello}}\n    listing"),
        "{err}"
    );
}

#[test]
fn the_preprocessor_expands_every_chapter() {
    let fixture = Fixture::new();
    let ctx = fixture.context("[book]\nlanguage = \"pt-BR\"\n");
    let input = book(&[
        ("one.md", "{{#listing ch01-01-hello}}\n"),
        ("two.md", "{{#compiler-output ch02-01-broken}}\n"),
    ]);
    let out = contents(&Listings.run(&ctx, input).unwrap());
    assert!(out[0].contains(">Listagem 1</a>"), "{}", out[0]);
    assert!(
        out[1].contains("Saída de <code>cargo check</code> para a listagem 2"),
        "{}",
        out[1]
    );
}

#[test]
fn the_listings_directory_can_be_configured() {
    let fixture = Fixture::new();
    fs::rename(fixture.root().join("listings"), fixture.root().join("code")).unwrap();
    let input = || book(&[("one.md", "{{#compiler-output ch02-01-broken}}\n")]);

    let ctx = fixture.context("[preprocessor.listings]\nlistings-dir = \"code\"\n");
    let out = contents(&Listings.run(&ctx, input()).unwrap());
    assert!(out[0].contains("</span> src/main.rs\n"), "{}", out[0]);

    let ctx = fixture.context("");
    let err = Listings.run(&ctx, input()).unwrap_err().to_string();
    assert!(
        err.contains("cannot read the listings directory listings"),
        "{err}"
    );
    assert!(
        err.contains("set `listings-dir` under `[preprocessor.listings]`"),
        "{err}"
    );
}

#[test]
fn a_book_without_directives_needs_no_listings() {
    let fixture = Fixture::new();
    let ctx = fixture.context("[preprocessor.listings]\nlistings-dir = \"missing\"\n");
    let out = Listings
        .run(&ctx, book(&[("one.md", "Just text.\n")]))
        .unwrap();
    assert_eq!(contents(&out), vec!["Just text.\n"]);
}

#[test]
fn a_source_url_turns_the_crate_label_into_a_link() {
    let fixture = Fixture::new();
    let ctx = fixture
        .context("[preprocessor.listings]\nsource-url = \"https://example.org/listings/\"\n");
    let out = contents(
        &Listings
            .run(&ctx, book(&[("a.md", "{{#listing ch01-01-hello}}\n")]))
            .unwrap(),
    );
    assert!(
        out[0].contains(
            "<a class=\"listing-crate\" href=\"https://example.org/listings/ch01-01-hello\""
        ),
        "{}",
        out[0]
    );
}

#[test]
fn an_unknown_setting_is_an_error() {
    let fixture = Fixture::new();
    let ctx = fixture.context("[preprocessor.listings]\nlisting-dir = \"x\"\n");
    let err = Listings.run(&ctx, Book::new()).unwrap_err().to_string();
    assert!(err.contains("unknown field `listing-dir`"), "{err}");
    assert!(
        err.contains("this preprocessor reads `listings-dir`"),
        "{err}"
    );
}

#[test]
fn only_the_html_renderer_is_supported() {
    assert!(Listings.supports_renderer("html").unwrap());
    assert!(!Listings.supports_renderer("markdown").unwrap());
    assert!(!Listings.supports_renderer("test").unwrap());
    assert_eq!(Listings.name(), "listings");
}

#[test]
fn a_step_after_answers_names_the_step_it_is_diffed_against() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    // An answer between ch02-01 (listing 2) and ch03-01 makes ch03-01 listing 4.
    fixture.file(
        "listings/ch02-90-answer/src/main.rs",
        "mod pool;\n\nfn main() {\n    pool::go(2);\n}\n",
    );
    assert_step_diffed_against_ch02_01(&fixture);
}

/// ch03-01-step's diff starts from ch02-01-broken, listing 2, named as such.
fn assert_step_diffed_against_ch02_01(fixture: &Fixture) {
    let out = fixture.expand("{{#listing ch03-01-step}}\n").unwrap();
    assert!(
        out.contains("<summary>What changed since listing 2</summary>")
            && out.contains("-    pool::go(x);\n+    pool::go(1);"),
        "diffed against ch02-01, and numbered as it: {out}"
    );
}

#[test]
fn a_step_after_a_detour_is_diffed_against_the_step_before_the_detour() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    // ch02-01 (listing 2) is kept; ch02-02 is a detour the reader undoes.
    fixture.file(
        "listings/ch02-02-detour/src/main.rs",
        "mod pool;\n\nfn main() {\n    pool::go(3);\n}\n",
    );
    fixture.file(
        "listings/ch02-02-detour/detour",
        "The chapter has the reader put the call back.\n",
    );
    assert_step_diffed_against_ch02_01(&fixture);
}

#[test]
fn a_chart_is_drawn_from_the_books_root_and_its_problems_named_with_the_line() {
    let fixture = Fixture::new();
    fixture.file(
        "bench/data/tuning.csv",
        "# machine: test\nserver,requests_per_second\nch02-01-broken,10\nnginx,20.5\n",
    );
    let ctx = fixture.context("[book]\nsrc = \"src/es\"\nlanguage = \"es\"\n");
    let input = book(&[
        (
            "one.md",
            "# Uno\n\n{{#chart bars bench/data/tuning.csv y=requests_per_second}}\n",
        ),
        (
            "two.md",
            "Texto.\n\n{{#chart bars bench/data/tuning.csv y=p99_us}}\n",
        ),
    ]);
    let err = Listings.run(&ctx, input).unwrap_err().to_string();
    assert!(
        err.contains(
            "\nsrc/es/two.md:3: {{#chart bars bench/data/tuning.csv y=p99_us}}\n    \
             bench/data/tuning.csv has no column `p99_us` (y=)"
        ),
        "{err}"
    );
    assert!(!err.contains("one.md"), "{err}");

    let input = book(&[(
        "one.md",
        "# Uno\n\n{{#chart bars bench/data/tuning.csv y=requests_per_second}}\n",
    )]);
    let out = contents(&Listings.run(&ctx, input).unwrap());
    // A listing's bar is labelled as its caption is, in the book's language.
    assert!(
        out[0].contains("<tr><th scope=\"row\">Listado 2</th><td>10</td></tr>"),
        "{}",
        out[0]
    );
    assert!(out[0].contains("<tr><th scope=\"row\">nginx</th><td>20.5</td></tr>"));
    assert!(
        out[0].starts_with(
            "# Uno\n\n\n<div class=\"chart\" id=\"chart-tuning-requests_per_second\">"
        )
    );
}

#[test]
fn a_step_that_starts_elsewhere_is_diffed_against_the_listing_it_names() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    // ch02-02 is a step kept in another line of work; ch03-01 starts from ch02-01.
    fixture.file(
        "listings/ch02-02-elsewhere/src/main.rs",
        "mod pool;\n\nfn main() {\n    pool::go(3);\n}\n",
    );
    fixture.file("listings/ch03-01-step/starts-from", "ch02-01-broken\n");
    assert_step_diffed_against_ch02_01(&fixture);
}

#[test]
fn a_step_that_starts_a_new_project_shows_no_diff() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    fixture.file("listings/ch03-01-step/starts-from", "");
    let out = fixture.expand("{{#listing ch03-01-step}}\n").unwrap();
    assert!(!out.contains("What changed since"), "{out}");
}

#[test]
fn a_step_that_starts_from_no_earlier_listing_is_an_error_naming_the_file() {
    let fixture = Fixture::new();
    with_steps(&fixture);
    fixture.file("listings/ch03-01-step/starts-from", "ch03-02-same\n");
    let err = fixture.expand("{{#listing ch03-01-step}}\n").unwrap_err();
    assert!(
        err.iter().any(|problem| problem.contains(
            "ch03-01-step/starts-from says `ch03-02-same`, which is not a listing before ch03-01-step"
        )),
        "{err:?}"
    );
}
