//! The classifier on real snapshots (listings/*/src/main.stderr, as the
//! book showed them at commit b02a11e), each expectation checked against rustc 1.95's own
//! `cargo check --color=always` for the same code: `{e|…}` is a run in
//! the error colour, `{w|…}` warning, `{n|…}` note, `{h|…}` help, `{b|…}`
//! bold, `{l|…}` the gutter's blue, `{s|…}` a secondary label, `{a|…}`
//! added by a suggestion, `{r|…}` removed; the rest is plain.

use super::*;

fn marked(text: &str) -> Vec<String> {
    colour(text)
        .iter()
        .map(|line| {
            line.runs()
                .into_iter()
                .map(|(style, run)| {
                    let code = match style {
                        Style::Plain => return run,
                        Style::Error => 'e',
                        Style::Warning => 'w',
                        Style::Note => 'n',
                        Style::Help => 'h',
                        Style::Bold => 'b',
                        Style::Line => 'l',
                        Style::Secondary => 's',
                        Style::Added => 'a',
                        Style::Removed => 'r',
                    };
                    format!("{{{code}|{run}}}")
                })
                .collect()
        })
        .collect()
}

fn check(text: &str, expected: &[&str]) {
    let got = marked(text);
    for (i, (got, want)) in got.iter().zip(expected).enumerate() {
        assert_eq!(got, want, "line {} of\n{text}", i + 1);
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
}

#[test]
fn e0277_with_a_note_a_child_note_and_a_suggestion() {
    // The snapshot of ch05's `execute` without `FnOnce` (commit b02a11e).
    let text = "\
error[E0277]: expected a `FnOnce()` closure, found `F`
  --> src/pool.rs
   |
   |         thread::spawn(job);
   |         ------------- ^^^ expected an `FnOnce()` closure, found `F`
   |         |
   |         required by a bound introduced by this call
   |
   = note: wrap the `F` in a closure with no arguments: `|| { /* code */ }`
note: required by a bound in `spawn`
  --> $RUST/std/src/thread/functions.rs
help: consider further restricting type parameter `F` with trait `FnOnce`
   |
15 |         F: Send + 'static + FnOnce(),
   |                           ++++++++++
";
    check(
        text,
        &[
            "{e|error[E0277]}{b|: expected a `FnOnce()` closure, found `F`}",
            "  {l|-->} src/pool.rs",
            "   {l||}",
            "   {l||}         thread::spawn(job);",
            "   {l||}         {s|-------------} {e|^^^} {e|expected an `FnOnce()` closure, found `F`}",
            "   {l||}         {s||}",
            "   {l||}         {s|required by a bound introduced by this call}",
            "   {l||}",
            "   {l|=} {b|note}: wrap the `F` in a closure with no arguments: `|| { /* code */ }`",
            "{n|note}: required by a bound in `spawn`",
            "  {l|-->} $RUST/std/src/thread/functions.rs",
            "{h|help}: consider further restricting type parameter `F` with trait `FnOnce`",
            "   {l||}",
            "{l|15} {l||}         F: Send + 'static {a|+ FnOnce()},",
            "   {l||}                           {a|++++++++++}",
        ],
    );
}

#[test]
fn e0599_with_a_secondary_snippet_in_another_file() {
    // The snapshot of ch05's pool without `new` (commit b02a11e).
    let text = "\
error[E0599]: no function or associated item named `new` found for struct `ThreadPool` in the current scope
 --> src/main.rs
  |
  |     let pool = ThreadPool::new(4);
  |                            ^^^ function or associated item not found in `ThreadPool`
  |
 ::: src/pool.rs
  |
  | pub struct ThreadPool;
  | --------------------- function or associated item `new` not found for this struct
";
    check(
        text,
        &[
            "{e|error[E0599]}{b|: no function or associated item named `new` found for struct \
             `ThreadPool` in the current scope}",
            " {l|-->} src/main.rs",
            "  {l||}",
            "  {l||}     let pool = ThreadPool::new(4);",
            "  {l||}                            {e|^^^} {e|function or associated item not found in \
             `ThreadPool`}",
            "  {l||}",
            " {l|:::} src/pool.rs",
            "  {l||}",
            "  {l||} pub struct ThreadPool;",
            "  {l||} {s|---------------------} {s|function or associated item `new` not found for \
             this struct}",
        ],
    );
}

#[test]
fn e0382_with_elided_lines_and_a_child_note_with_its_own_snippet() {
    // The snapshot of ch07's moved receiver (commit b02a11e), type shortened.
    let text = "\
error[E0382]: use of moved value: `receiver`
 --> src/pool.rs
  |
  |         let (sender, receiver) = mpsc::channel();
  |                      -------- move occurs because `receiver` has type `Receiver`
...
  |         for id in 0..size {
  |         ----------------- inside of this loop
  |             workers.push(Worker::new(id, receiver));
  |                                          ^^^^^^^^ value moved here, in previous iteration of loop
  |
note: consider changing this parameter type in method `new` to borrow instead
 --> src/pool.rs
  |
  |     fn new(id: usize, receiver: Receiver<Job>) -> Worker {
  |        --- in this method       ^^^^^^^^^^^^^ this parameter takes ownership of the value
";
    check(
        text,
        &[
            "{e|error[E0382]}{b|: use of moved value: `receiver`}",
            " {l|-->} src/pool.rs",
            "  {l||}",
            "  {l||}         let (sender, receiver) = mpsc::channel();",
            "  {l||}                      {s|--------} {s|move occurs because `receiver` has type \
             `Receiver`}",
            "{l|...}",
            "  {l||}         for id in 0..size {",
            "  {l||}         {s|-----------------} {s|inside of this loop}",
            "  {l||}             workers.push(Worker::new(id, receiver));",
            "  {l||}                                          {e|^^^^^^^^} {e|value moved here, in \
             previous iteration of loop}",
            "  {l||}",
            "{n|note}: consider changing this parameter type in method `new` to borrow instead",
            " {l|-->} src/pool.rs",
            "  {l||}",
            "  {l||}     fn new(id: usize, receiver: Receiver<Job>) -> Worker {",
            // In a note's own snippet, the primary label takes the note's colour.
            "  {l||}        {s|---} {s|in this method}       {n|^^^^^^^^^^^^^} {n|this parameter \
             takes ownership of the value}",
        ],
    );
}

#[test]
fn a_warning_with_a_help_label_and_a_note() {
    // The warning of ch05's pool without `execute` (commit b02a11e): the
    // label's `help:` is label text, in the warning's colour.
    let text = "\
warning: unused variable: `size`
 --> src/pool.rs
  |
  |     pub fn new(size: usize) -> ThreadPool {
  |                ^^^^ help: if this is intentional, prefix it with an underscore: `_size`
  |
  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default
";
    check(
        text,
        &[
            "{w|warning}{b|: unused variable: `size`}",
            " {l|-->} src/pool.rs",
            "  {l||}",
            "  {l||}     pub fn new(size: usize) -> ThreadPool {",
            "  {l||}                {w|^^^^} {w|help: if this is intentional, prefix it with an \
             underscore: `_size`}",
            "  {l||}",
            "  {l|=} {b|note}: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by \
             default",
        ],
    );
}

#[test]
fn an_error_after_a_warning_starts_a_new_diagnostic() {
    // ch05's `Fn` bound (commit b02a11e), shortened: a blank line,
    // then a headline; labels that nest; a child help with a snippet.
    let text = "\
warning: unused variable: `size`
  = note: on by default

error[E0507]: cannot move out of `stream`, a captured variable in an `Fn` closure
 --> src/main.rs
  |
  |             Ok(stream) => pool.execute(|| serve(stream)),
  |                ------                  --       ^^^^^^ move occurs because `stream` has type `TcpStream`
  |                |                       |
  |                |                       captured by this `Fn` closure
  |                captured outer variable
  |
help: `Fn` and `FnMut` closures require captured values to be able to be consumed multiple times
 --> src/pool.rs
  |
  |         F: Fn() + Send + 'static,
  |            ^^^^
";
    check(
        text,
        &[
            "{w|warning}{b|: unused variable: `size`}",
            "  {l|=} {b|note}: on by default",
            "",
            "{e|error[E0507]}{b|: cannot move out of `stream`, a captured variable in an `Fn` \
             closure}",
            " {l|-->} src/main.rs",
            "  {l||}",
            "  {l||}             Ok(stream) => pool.execute(|| serve(stream)),",
            "  {l||}                {s|------}                  {s|--}       {e|^^^^^^} {e|move \
             occurs because `stream` has type `TcpStream`}",
            "  {l||}                {s||}                       {s||}",
            "  {l||}                {s||}                       {s|captured by this `Fn` closure}",
            "  {l||}                {s|captured outer variable}",
            "  {l||}",
            "{h|help}: `Fn` and `FnMut` closures require captured values to be able to be \
             consumed multiple times",
            " {l|-->} src/pool.rs",
            "  {l||}",
            "  {l||}         F: Fn() + Send + 'static,",
            "  {l||}            {h|^^^^}",
        ],
    );
}

#[test]
fn a_multi_line_span_draws_its_margin_in_its_own_colour() {
    // ch07's borrowed receiver (commit b02a11e), the type shortened.
    let text = "\
error[E0277]: `Receiver<Job>` cannot be shared between threads safely
 --> src/pool.rs
  |
  |           let thread = thread::spawn(move || {
  |  ______________________-------------_^
  | |                      |
  | |                      required by a bound introduced by this call
  | |             for job in receiver {
  | |                 job();
  | |             }
  | |         });
  | |_________^ `Receiver<Job>` cannot be shared between threads safely
  |
  = help: the trait `Sync` is not implemented for `Receiver<Job>`
";
    check(
        text,
        &[
            "{e|error[E0277]}{b|: `Receiver<Job>` cannot be shared between threads safely}",
            " {l|-->} src/pool.rs",
            "  {l||}",
            "  {l||}           let thread = thread::spawn(move || {",
            "  {l||}  {e|______________________}{s|-------------}{e|_^}",
            "  {l||} {e||}                      {s||}",
            "  {l||} {e||}                      {s|required by a bound introduced by this call}",
            "  {l||} {e||}             for job in receiver {",
            "  {l||} {e||}                 job();",
            "  {l||} {e||}             }",
            "  {l||} {e||}         });",
            "  {l||} {e||_________^} {e|`Receiver<Job>` cannot be shared between threads safely}",
            "  {l||}",
            "  {l|=} {b|help}: the trait `Sync` is not implemented for `Receiver<Job>`",
        ],
    );
}

#[test]
fn code_that_looks_like_marks_stays_code() {
    // A closure's bars and a negative number under an empty gutter line,
    // and a line of code right after a location: no marks there.
    let text = "\
error[E0308]: mismatched types
 --> src/main.rs
  |
  |     || -1
  |     -- expected
  |     -1
  |
";
    let got = marked(text);
    assert_eq!(got[3], "  {l||}     || -1");
    assert_eq!(got[4], "  {l||}     {s|--} {s|expected}");
    assert_eq!(got[5], "  {l||}     -1", "{got:#?}");
}

#[test]
fn the_html_keeps_the_text_and_escapes_it() {
    let text = "error[E0277]: `Box<dyn Fn() + 'a>` & \"x\"\n  |\n  |     a < b\n";
    let html = to_html(text);
    assert_eq!(
        html,
        "<span class=\"rustc-error\">error[E0277]</span><span class=\"rustc-bold\">: \
         `Box&lt;dyn Fn() + &#39;a&gt;` &amp; &quot;x&quot;</span>\n  \
         <span class=\"rustc-line\">|</span>\n  <span class=\"rustc-line\">|</span>     a &lt; b\n"
    );
    // Without its tags and entities, the HTML is the text.
    let plain = html
        .split('<')
        .map(|part| part.split_once('>').map_or(part, |(_, text)| text))
        .collect::<String>()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    assert_eq!(plain, text);
}

#[test]
fn every_snapshot_of_the_book_keeps_its_text_and_gets_its_headlines_coloured() {
    let listings = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../listings");
    let mut seen = 0;
    for entry in std::fs::read_dir(&listings).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path().join("src/main.stderr")) else {
            continue;
        };
        seen += 1;
        let lines = colour(&text);
        let back: Vec<String> = lines.iter().map(|l| l.chars.iter().collect()).collect();
        assert_eq!(back, text.lines().collect::<Vec<_>>());
        for (line, styled) in text.lines().zip(&lines) {
            let first = styled.runs().first().map(|(style, _)| *style);
            if line.starts_with("error") {
                assert_eq!(first, Some(Style::Error), "{line}");
            }
            if line.starts_with("warning:") {
                assert_eq!(first, Some(Style::Warning), "{line}");
            }
            if line.trim_start().starts_with("-->") || line.trim_start().starts_with('|') {
                assert!(
                    styled.styles.contains(&Style::Line),
                    "{}: {line}",
                    entry.path().display()
                );
            }
        }
    }
    assert!(
        seen >= 10,
        "only {seen} snapshots under {}",
        listings.display()
    );
}

#[test]
fn a_span_from_a_lines_start_a_gap_in_it_and_a_suggestion_as_a_diff() {
    // The snapshot of ch01's `main` that returns a `Result` but ends in a
    // loop (rustc 1.95's colours, but for the expected and found types of
    // the first note, which rustc shows in bold magenta: left plain).
    let text = "\
error[E0308]: mismatched types
  --> src/main.rs
   |
   |   fn main() -> Result<(), Box<dyn std::error::Error>> {
   |                -------------------------------------- expected `Result` because of return type
...
   | /     for stream in listener.incoming() {
   | |         match stream {
...  |
   | |     }
   | |_____^ expected `Result<(), Box<dyn Error>>`, found `()`
   |
   = note:   expected enum `Result<(), Box<(dyn std::error::Error + 'static)>>`
           found unit type `()`
help: try adding an expression at the end of the block
   |
22 ~     }
23 +     Ok(())
   |
";
    check(
        text,
        &[
            "{e|error[E0308]}{b|: mismatched types}",
            "  {l|-->} src/main.rs",
            "   {l||}",
            "   {l||}   fn main() -> Result<(), Box<dyn std::error::Error>> {",
            "   {l||}                {s|--------------------------------------} {s|expected \
             `Result` because of return type}",
            "{l|...}",
            "   {l||} {e|/}     for stream in listener.incoming() {",
            "   {l||} {e||}         match stream {",
            "{l|...}  {e||}",
            "   {l||} {e||}     }",
            "   {l||} {e||_____^} {e|expected `Result<(), Box<dyn Error>>`, found `()`}",
            "   {l||}",
            "   {l|=} {b|note}:   expected enum `Result<(), Box<(dyn std::error::Error + \
             'static)>>`",
            "           found unit type `()`",
            "{h|help}: try adding an expression at the end of the block",
            "   {l||}",
            "{l|22} {a|~}     }",
            "{l|23} {a|+     Ok(())}",
            "   {l||}",
        ],
    );
}

#[test]
fn a_multi_line_secondary_span_is_blue_from_start_to_end() {
    let text = "\
error[E0000]: x
 --> src/main.rs
  |
  | /     loop {
  | |     }
  | |_____- this loop
  |       ^ here
";
    let got = marked(text);
    assert_eq!(got[3], "  {l||} {s|/}     loop {", "{got:#?}");
    assert_eq!(got[4], "  {l||} {s||}     }", "{got:#?}");
    assert_eq!(got[5], "  {l||} {s||_____-} {s|this loop}", "{got:#?}");
}
