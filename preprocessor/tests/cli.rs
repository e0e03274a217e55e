//! The binary speaks mdBook's command-preprocessor protocol.

use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::config::Config;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mdbook-listings"))
}

/// A book root with one listing, removed when dropped.
fn book_root() -> tempfile::TempDir {
    let root = tempfile::Builder::new()
        .prefix("mdbook-listings-cli-")
        .tempdir()
        .unwrap();
    let main = root.path().join("listings/ch01-01-hello/src/main.rs");
    fs::create_dir_all(main.parent().unwrap()).unwrap();
    fs::write(main, "fn main() {}\n").unwrap();
    root
}

/// Runs the binary as mdBook does: `[context, book]` on stdin.
fn preprocess(root: &Path, chapter: &str) -> Output {
    let ctx = PreprocessorContext::new(root.to_path_buf(), Config::default(), "html".into());
    let mut book = Book::new();
    book.push_item(BookItem::Chapter(Chapter::new(
        "One",
        chapter.into(),
        "one.md",
        vec![],
    )));
    let input = serde_json::to_vec(&(&ctx, &book)).unwrap();
    let mut child = binary()
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn it_supports_the_html_renderer_only() {
    let status = |renderer: &str| binary().args(["supports", renderer]).status().unwrap();
    assert!(status("html").success());
    assert_eq!(status("markdown").code(), Some(1));
}

#[test]
fn it_returns_the_expanded_book_as_json() {
    let root = book_root();
    let output = preprocess(root.path(), "Text.\n\n{{#listing ch01-01-hello}}\n");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let book: Book = serde_json::from_slice(&output.stdout).expect("a book as JSON");
    let chapter = book.chapters().next().unwrap();
    assert!(
        chapter
            .content
            .contains("```rust,noplayground\nfn main() {}\n```"),
        "{}",
        chapter.content
    );
}

#[test]
fn problems_go_to_stderr_with_exit_status_1() {
    let root = book_root();
    let output = preprocess(root.path(), "{{#listing ch01-01-helo}}\n");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("src/one.md:1: {{#listing ch01-01-helo}}"),
        "{stderr}"
    );
    assert!(stderr.contains("Did you mean `ch01-01-hello`?"), "{stderr}");
}

#[test]
fn input_that_is_not_a_book_is_an_error() {
    let mut child = binary()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"not json").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Unable to parse the input"));
}

#[test]
fn unexpected_arguments_are_refused() {
    let output = binary().arg("--frobnicate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: mdbook-listings"));
}
