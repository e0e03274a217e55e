//! `book-site build [--out DIR] [--base URL] [--no-pdf]` and
//! `book-site serve [--addr ADDR] [--out DIR]`: see the README, "Two
//! commands" and "Publishing".

use book_site::{BaseUrl, SiteOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
usage: book-site build [--out DIR] [--base URL] [--no-pdf]
       book-site serve [--addr ADDR] [--out DIR]

  build   builds every language of the book, with the language picker, the
          root page and the 404 page, into DIR (default book/site); with
          --base, for the address it will be published at, such as
          https://owner.github.io/repo/ (absolute alternates and canonical
          links; 404 pages that work at any depth); each language also
          as one PDF, printed by headless Chromium and linked from every
          page, unless --no-pdf
  serve   builds the site into DIR and serves it on ADDR (default
          127.0.0.1:3000), rebuilding on every change and reloading open pages

Run it from the book's root, e.g. `cargo run -p book-site -- serve`.";

const DEFAULT_ADDR: &str = "127.0.0.1:3000";
const DEFAULT_OUT: &str = "book/site";

enum Command {
    Build {
        out: Option<PathBuf>,
        base: Option<BaseUrl>,
        pdf: bool,
    },
    Serve {
        addr: String,
        out: Option<PathBuf>,
    },
    Help,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(command) => command,
        Err(problem) => {
            eprintln!("book-site: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("book-site: {err}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, options)) = args.split_first() else {
        return Err("say what to do: build or serve".to_string());
    };
    if matches!(command.as_str(), "-h" | "--help" | "help") {
        return Ok(Command::Help);
    }
    let serving = match command.as_str() {
        "build" => false,
        "serve" => true,
        other => return Err(format!("unknown command `{other}`")),
    };
    let mut out = None;
    let mut addr = None;
    let mut base = None;
    let mut pdf = true;
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        if option == "--no-pdf" && !serving {
            pdf = false;
            continue;
        }
        let (name, inline) = match option.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_string())),
            _ => (option.as_str(), None),
        };
        let slot = match name {
            "--out" => &mut out,
            "--addr" if serving => &mut addr,
            "--base" if !serving => &mut base,
            "-h" | "--help" => return Ok(Command::Help),
            _ => return Err(format!("unknown argument `{option}` for `{command}`")),
        };
        let value = match inline {
            Some(value) => value,
            None => rest
                .next()
                .cloned()
                .ok_or_else(|| format!("`{name}` needs a value"))?,
        };
        if slot.replace(value).is_some() {
            return Err(format!("`{name}` given twice"));
        }
    }
    let out = out.map(PathBuf::from);
    Ok(if serving {
        Command::Serve {
            addr: addr.unwrap_or_else(|| DEFAULT_ADDR.to_string()),
            out,
        }
    } else {
        let base = base
            .map(|url| BaseUrl::parse(&url))
            .transpose()
            .map_err(|err| format!("--base: {err}"))?;
        Command::Build { out, base, pdf }
    })
}

fn run(command: Command) -> Result<(), String> {
    if let Command::Help = command {
        println!("{USAGE}");
        return Ok(());
    }
    let root = book_root()?;
    match command {
        Command::Build { out, base, pdf } => {
            let out = out.unwrap_or_else(|| root.join(DEFAULT_OUT));
            let clock = Instant::now();
            let published = match &base {
                Some(base) => format!(" for {base}"),
                None => String::new(),
            };
            let pdf = pdf.then(book_site::PdfOptions::default);
            book_site::build_site_with(&root, &out, &SiteOptions { base, pdf })?;
            println!(
                "Built the site ({}){published} into {} in {:.1} s",
                book_site::site_languages(&root).join(", "),
                out.display(),
                clock.elapsed().as_secs_f32()
            );
            Ok(())
        }
        Command::Serve { addr, out } => {
            let out = out.unwrap_or_else(|| root.join(DEFAULT_OUT));
            book_site::serve(&root, &out, &addr)
        }
        Command::Help => Ok(()),
    }
}

/// The book's root: the current directory if it has a `book.toml`, or else
/// the repository this program was built from.
fn book_root() -> Result<PathBuf, String> {
    let current = std::env::current_dir()
        .map_err(|err| format!("cannot read the current directory: {err}"))?;
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for candidate in [&current, &built_from] {
        if candidate.join("book.toml").is_file() {
            return std::fs::canonicalize(candidate)
                .map_err(|err| format!("{}: {err}", candidate.display()));
        }
    }
    Err(format!(
        "cannot find the book: no book.toml in the current directory ({}) nor in {}, where \
         this program was built from; run it from the book's root, e.g. \
         `cargo run -p book-site -- serve`",
        current.display(),
        built_from.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    /// Each command line is refused with a message that says `problem`.
    fn assert_refused(cases: &[(&str, &str)]) {
        for (line, problem) in cases {
            let Err(err) = parse(&args(line)) else {
                panic!("`{line}` was accepted")
            };
            assert!(err.contains(problem), "`{line}`: {err}");
        }
    }

    #[test]
    fn commands_and_their_options() {
        assert!(matches!(
            parse(&args("build")),
            Ok(Command::Build {
                out: None,
                base: None,
                pdf: true,
            })
        ));
        let Ok(Command::Build {
            out: Some(out),
            base: None,
            pdf: false,
        }) = parse(&args("build --no-pdf --out x/y"))
        else {
            panic!()
        };
        assert_eq!(out, Path::new("x/y"));
        let Ok(Command::Serve { addr, out }) = parse(&args("serve --addr=0.0.0.0:8000")) else {
            panic!()
        };
        assert_eq!((addr.as_str(), out), ("0.0.0.0:8000", None));
        let Ok(Command::Serve { addr, .. }) = parse(&args("serve")) else {
            panic!()
        };
        assert_eq!(addr, DEFAULT_ADDR);
        assert!(matches!(parse(&args("serve --help")), Ok(Command::Help)));
    }

    #[test]
    fn build_takes_the_base_it_will_be_published_at() {
        for line in [
            "build --base https://owner.github.io/repo",
            "build --base=https://owner.github.io/repo/ --out x",
        ] {
            let Ok(Command::Build {
                base: Some(base), ..
            }) = parse(&args(line))
            else {
                panic!("{line}")
            };
            assert_eq!(base.as_str(), "https://owner.github.io/repo/", "{line}");
            assert_eq!(base.path(), "/repo/", "{line}");
        }
        assert_refused(&[
            (
                "build --base /repo/",
                "--base: the base URL `/repo/` is not absolute",
            ),
            ("build --base ftp://host/", "is not http or https"),
            ("build --base https://host/a?b", "query or a fragment"),
            ("build --base", "`--base` needs a value"),
            ("serve --base https://host/", "unknown argument `--base`"),
            ("serve --no-pdf", "unknown argument `--no-pdf`"),
        ]);
    }

    #[test]
    fn anything_else_is_refused() {
        assert_refused(&[
            ("", "say what to do"),
            ("publish", "unknown command `publish`"),
            ("build --addr 1.2.3.4:5", "unknown argument `--addr`"),
            ("build --out", "`--out` needs a value"),
            ("serve --out a --out b", "given twice"),
            ("serve extra", "unknown argument `extra`"),
        ]);
    }
}
