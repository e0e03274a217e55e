//! Turns every inline Rust code block of every chapter, in every language,
//! into a test that compiles and runs it (skeptic; see tests/code_blocks.rs).
//!
//! skeptic names its tests after the file's stem and the section heading, so
//! `src/en/ch01-listening.md` and `src/es/ch01-listening.md` would collide.
//! We hand it copies named `<language>-<chapter>.md` instead.
//!
//! Like rustdoc and mdBook's playground, a block without `fn main` is run as
//! the body of one. skeptic does not do that itself, so the copies mark such
//! blocks with a template (`skt-main`, defined in `<copy>.skt.md`); only the
//! fence line changes, so line numbers in test names match the chapter.

use std::{
    env, fs,
    path::{Path, PathBuf},
};

fn main() {
    let chapters = Path::new("src");
    // A directory here makes cargo rerun this script when anything below changes.
    println!("cargo:rerun-if-changed={}", chapters.display());

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let copies_dir = out_dir.join("chapters");
    fs::create_dir_all(&copies_dir).expect("OUT_DIR is writable");

    let mut copies = Vec::new();
    let mut kept = Vec::new();
    for language in sorted_entries(chapters).filter(|path| path.is_dir()) {
        let language_name = file_name(&language);
        for chapter in sorted_entries(&language) {
            let is_markdown = chapter.extension().is_some_and(|ext| ext == "md");
            if !is_markdown || file_name(&chapter) == "SUMMARY.md" {
                continue;
            }
            let copy = copies_dir.join(format!("{language_name}-{}", file_name(&chapter)));
            let text = fs::read_to_string(&chapter)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", chapter.display()));
            write_if_changed(&copy, &wrap_blocks_without_main(&text));
            let mut templates = copy.clone().into_os_string();
            templates.push(".skt.md");
            let templates = PathBuf::from(templates);
            write_if_changed(&templates, MAIN_TEMPLATE);
            kept.extend([copy.clone(), templates]);
            copies.push(copy);
        }
    }
    // A chapter deleted from src/ loses its copy, and so its tests.
    for stale in sorted_entries(&copies_dir).filter(|path| !kept.contains(path)) {
        let _ = fs::remove_file(stale);
    }
    skeptic::generate_doc_tests(&copies);
}

/// skeptic tells cargo to rerun this script when a copy changes, and cargo
/// compares the copy's time with this script's last run: a copy rewritten
/// with the same text would make every `cargo test` rebuild the tests. So a
/// copy is only written when its text is new.
fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    fs::write(path, text).unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
}

/// skeptic formats the template with `format!`, hence the doubled braces.
const MAIN_TEMPLATE: &str = "```rust,skt-main\nfn main() {{\n{}\n}}\n```\n";

/// Adds `skt-main` to the fence of every Rust block that has no `fn main`.
fn wrap_blocks_without_main(markdown: &str) -> String {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let Some((fence, info)) = opening_fence(line) else {
            out.push(line.to_string());
            index += 1;
            continue;
        };
        let body_end = (index + 1..lines.len())
            .find(|&i| lines[i].trim() == fence || is_longer_fence(lines[i], &fence))
            .unwrap_or(lines.len());
        let is_rust = info
            .split(',')
            .next()
            .is_some_and(|lang| lang.trim() == "rust");
        let has_main = lines[index + 1..body_end]
            .iter()
            .any(|code| code.contains("fn main("));
        if is_rust && !has_main {
            out.push(format!("{},skt-main", line.trim_end()));
        } else {
            out.push(line.to_string());
        }
        out.extend(
            lines[index + 1..body_end]
                .iter()
                .map(|code| code.to_string()),
        );
        if body_end < lines.len() {
            out.push(lines[body_end].to_string());
        }
        index = body_end + 1;
    }
    out.join("\n") + "\n"
}

/// The fence (backticks or tildes) and info string of a line that opens a code block.
fn opening_fence(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let fence_len = trimmed.chars().take_while(|c| *c == marker).count();
    (fence_len >= 3).then(|| {
        (
            trimmed[..fence_len].to_string(),
            trimmed[fence_len..].trim(),
        )
    })
}

fn is_longer_fence(line: &str, fence: &str) -> bool {
    let trimmed = line.trim();
    trimmed.starts_with(fence) && trimmed.chars().all(|c| fence.starts_with(c))
}

fn sorted_entries(dir: &Path) -> impl Iterator<Item = PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .collect();
    paths.sort();
    paths.into_iter()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a directory entry has a name")
        .to_string_lossy()
        .into_owned()
}
