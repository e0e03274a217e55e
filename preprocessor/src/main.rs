//! `mdbook-listings`: the book's listings preprocessor as an mdBook command.
//!
//! mdBook runs it twice per renderer: `mdbook-listings supports RENDERER`
//! (exit status 0 means yes), then with no arguments and `[context, book]`
//! as JSON on stdin, expecting the processed book as JSON on stdout.
//! Problems go to stderr with exit status 1.

use mdbook_listings::Listings;
use mdbook_preprocessor::{MDBOOK_VERSION, Preprocessor, parse_input};
use std::io::{self, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: mdbook-listings [supports RENDERER]\n\
    An mdBook preprocessor: mdBook runs it, with the book as JSON on stdin.\n\
    Configure it in book.toml under [preprocessor.listings].";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => preprocess(),
        [supports, renderer] if supports == "supports" => {
            match Listings.supports_renderer(renderer) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) | Err(_) => ExitCode::FAILURE,
            }
        }
        [help] if help == "--help" || help == "-h" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("mdbook-listings: unexpected arguments {args:?}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn preprocess() -> ExitCode {
    let (ctx, book) = match parse_input(io::stdin().lock()) {
        Ok(input) => input,
        Err(err) => {
            eprintln!("mdbook-listings: {err:#}\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    if ctx.mdbook_version != MDBOOK_VERSION {
        eprintln!(
            "mdbook-listings: warning: built for mdBook {MDBOOK_VERSION}, run by mdBook {}",
            ctx.mdbook_version
        );
    }
    let book = match Listings.run(&ctx, book) {
        Ok(book) => book,
        Err(err) => {
            eprintln!("mdbook-listings: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = io::stdout().lock();
    match serde_json::to_writer(&mut stdout, &book).map_err(io::Error::from) {
        Ok(()) => match stdout.flush() {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("mdbook-listings: cannot write the book: {err}");
                ExitCode::FAILURE
            }
        },
        Err(err) => {
            eprintln!("mdbook-listings: cannot write the book: {err}");
            ExitCode::FAILURE
        }
    }
}
