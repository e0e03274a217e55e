//! The book's web site: every language of the book in one folder, with a
//! language picker on every page and a root page that picks the reader's
//! language; and a local server for it that rebuilds on every change and
//! reloads the open pages.
//!
//! ```text
//! OUT/index.html     the root page: to the reader's language, or three links
//! OUT/en/…           the English book, as mdBook builds it, decorated
//! OUT/pt-BR/…, OUT/es/…
//! ```
//!
//! Each language is built in-process with mdBook's library and the
//! listings preprocessor (as `MDBOOK_BOOK__SRC=src/LANG
//! MDBOOK_BOOK__LANGUAGE=LANG mdbook build` would), and then every page
//! gets `hreflang` alternates and the picker: plain links to the same page
//! in the other languages. `theme/language-picker.js` carries the
//! `#section` along; `theme/site.css` styles the picker.

mod book;
mod decorate;
mod root_page;
mod server;
#[cfg(test)]
mod test_dir;
mod watch;

pub use book::{build_language, languages};
pub use decorate::{decorate_page, decorate_site};
pub use root_page::root_page;
pub use server::{LIVE_RELOAD_PATH, LiveReload, ServerOptions, StaticServer};

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Builds the whole site of the book at `root` into `out`: every language
/// into `out/LANG/`, decorated, and the root page `out/index.html`.
///
/// The site is built beside `out` (in `OUT.partial`) and moves into place
/// only once complete, so `out` always holds the last good build: a server
/// can keep serving it while a new one is built, or when one fails. Fails
/// with every language's problems, mdBook's warnings included.
pub fn build_site(root: &Path, out: &Path) -> Result<(), String> {
    let codes = languages(&root.join("src"))?;
    let site_languages = book_languages::languages_of(&codes)?;
    let config = book::book_config(root)?;
    let name = out
        .file_name()
        .ok_or_else(|| format!("{}: the site needs a folder of its own", out.display()))?;
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let sibling = |suffix: &str| {
        let mut name = name.to_os_string();
        name.push(suffix);
        parent.join(name)
    };
    let staging = sibling(".partial");
    let previous = sibling(".previous");
    for dir in [out, &staging, &previous] {
        check_replaceable(root, dir)?;
    }
    let _ = fs::remove_dir_all(&staging);
    let _ = fs::remove_dir_all(&previous);
    fs::create_dir_all(&staging)
        .map_err(|err| format!("cannot create {}: {err}", staging.display()))?;

    let built = build_all(root, &codes, &staging).and_then(|()| {
        decorate_site(&staging, &site_languages)?;
        let title = config.book.title.as_deref().unwrap_or("The book");
        let description = config.book.description.as_deref().unwrap_or("");
        let index = staging.join("index.html");
        fs::write(&index, root_page(title, description, &site_languages))
            .map_err(|err| format!("cannot write {}: {err}", index.display()))
    });
    if let Err(err) = built {
        let _ = fs::remove_dir_all(&staging);
        return Err(err);
    }

    if out.exists() {
        fs::rename(out, &previous)
            .map_err(|err| format!("cannot move the old site {} aside: {err}", out.display()))?;
    }
    if let Err(err) = fs::rename(&staging, out) {
        let _ = fs::rename(&previous, out);
        return Err(format!(
            "cannot move the new site into {}: {err}",
            out.display()
        ));
    }
    let _ = fs::remove_dir_all(&previous);
    Ok(())
}

/// The codes of the site's languages, in the order the site presents them
/// (`en, pt-BR, es`); empty if `src/` cannot be read.
pub fn site_languages(root: &Path) -> Vec<&'static str> {
    languages(&root.join("src"))
        .and_then(|codes| book_languages::languages_of(&codes))
        .map(|languages| languages.iter().map(|l| l.code).collect())
        .unwrap_or_default()
}

/// Every language into `out/LANG`, at the same time; the problems of all.
fn build_all(root: &Path, codes: &[String], out: &Path) -> Result<(), String> {
    let failures: Vec<String> = thread::scope(|scope| {
        let builds: Vec<_> = codes
            .iter()
            .map(|code| {
                let dir = out.join(code);
                (code, scope.spawn(move || build_language(root, code, &dir)))
            })
            .collect();
        builds
            .into_iter()
            .filter_map(|(code, build)| match build.join() {
                Ok(result) => result.err(),
                Err(_) => Some(format!("building the {code} book panicked")),
            })
            .collect()
    });
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

/// Refuses to replace a folder that is plainly not a built site: the book
/// itself, a folder holding it, one of its source folders, or a project.
fn check_replaceable(root: &Path, dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    let refuse = |why: &str| {
        Err(format!(
            "{} {why}: it is not a site to replace; choose another output folder",
            dir.display()
        ))
    };
    if !dir.is_dir() {
        return refuse("is not a folder");
    }
    let (Ok(real), Ok(real_root)) = (fs::canonicalize(dir), fs::canonicalize(root)) else {
        return refuse("cannot be resolved");
    };
    if real_root.starts_with(&real) {
        return refuse("holds the book");
    }
    let sources = [
        "src",
        "listings",
        "theme",
        "tests",
        "preprocessor",
        "site",
        ".git",
        ".github",
    ];
    if sources
        .iter()
        .any(|source| real.starts_with(real_root.join(source)))
    {
        return refuse("is inside the book's sources");
    }
    for marker in ["book.toml", "Cargo.toml", "SUMMARY.md", ".git"] {
        if dir.join(marker).exists() {
            return refuse(&format!("has a {marker}"));
        }
    }
    Ok(())
}

/// Builds the site of the book at `root` into `out` and serves it on
/// `addr` until the process ends. Every ~500 ms it looks at `src/`,
/// `listings/`, `theme/` and `book.toml`; when something changed it
/// rebuilds, and the pages open in a browser reload themselves. A build
/// that fails is reported on stderr, and the last good site stays served.
pub fn serve(root: &Path, out: &Path, addr: &str) -> Result<(), String> {
    let never = AtomicBool::new(false);
    serve_until(root, out, addr, &never, |_| {})
}

/// How often the sources are looked at.
const POLL: Duration = Duration::from_millis(500);

/// [`serve`], until `stop` is set; `started` is told the address once the
/// first build is done.
fn serve_until(
    root: &Path,
    out: &Path,
    addr: &str,
    stop: &AtomicBool,
    started: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    fs::create_dir_all(out).map_err(|err| format!("cannot create {}: {err}", out.display()))?;
    let live_reload = LiveReload::default();
    let options = ServerOptions {
        live_reload: Some(live_reload.clone()),
        ..ServerOptions::default()
    };
    let server = StaticServer::start_with(out, addr, options).map_err(|err| err.to_string())?;

    let mut seen = watch::fingerprint(root);
    eprintln!("Building the site into {}…", out.display());
    let clock = Instant::now();
    match build_site(root, out) {
        Ok(()) => eprintln!("Built in {:.1} s.", clock.elapsed().as_secs_f32()),
        Err(err) => eprintln!(
            "{err}\n\nThe site does not build; fix the problem above and save: it rebuilds \
             on every change."
        ),
    }
    println!(
        "Serving the book at http://{}/ ({}) — Ctrl-C to stop",
        server.addr(),
        site_languages(root).join(", ")
    );
    started(server.addr());

    while !stop.load(Ordering::SeqCst) {
        thread::sleep(POLL);
        let now = watch::fingerprint(root);
        if now == seen {
            continue;
        }
        // Let a burst of saves settle.
        thread::sleep(POLL / 4);
        let now_settled = watch::fingerprint(root);
        let changed = watch::first_change(&seen, &now_settled)
            .or_else(|| watch::first_change(&seen, &now))
            .map(|path| watch::shown(root, &path))
            .unwrap_or_default();
        seen = now_settled;
        eprintln!("{changed} changed: rebuilding…");
        let clock = Instant::now();
        match build_site(root, out) {
            Ok(()) => {
                live_reload.bump();
                eprintln!(
                    "Rebuilt in {:.1} s; open pages reload.",
                    clock.elapsed().as_secs_f32()
                );
            }
            Err(err) => eprintln!(
                "{err}\n\nThe site does not build; still serving the last good one. Fix the \
                 problem above and save."
            ),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
