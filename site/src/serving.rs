//! `book-site serve`: the site built, served, and rebuilt whenever the
//! book's sources change, with open pages reloading after each good build.

use crate::{BaseUrl, LiveReload, ServerOptions, SiteOptions, StaticServer};
use crate::{build_site_with, site_languages, watch};
use std::fs;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// How often `serve` looks at the sources: often enough to feel immediate
/// after a save, rarely enough to cost nothing while nobody writes.
const POLL: Duration = Duration::from_millis(500);

/// Builds the site of the book at `root` into `out` and serves it on
/// `addr` until the process ends. Every ~500 ms it looks at `src/`,
/// `listings/`, `theme/`, `book.toml` and `bench/data/` (the charts'
/// data); when something changed it
/// rebuilds, and the pages open in a browser reload themselves. A build
/// that fails is reported on stderr, and the last good site stays served.
///
/// The site is built as if published at `http://ADDR/`, the address it is
/// served at: so its 404 page, which the server answers any missing
/// address with, finds its links from any depth.
pub fn serve(root: &Path, out: &Path, addr: &str) -> Result<(), String> {
    let never = AtomicBool::new(false);
    let watching = Watching {
        poll: POLL,
        stop: &never,
    };
    serve_until(root, out, addr, &watching, |event| say(root, out, &event))
}

/// How [`serve_until`] watches the sources.
pub(crate) struct Watching<'a> {
    /// How long between two looks at the sources. A change seen waits a
    /// quarter of it more, so that a burst of saves makes one rebuild.
    pub poll: Duration,
    /// Serving ends once this is set (after the build under way, if any).
    pub stop: &'a AtomicBool,
}

/// What happens while serving, in order: what `serve` prints, and what
/// the tests wait for instead of sleeping.
#[derive(Debug)]
pub(crate) enum Event {
    /// The first build starts.
    Building,
    /// The first build is done: how long it took, or why it failed.
    Built(Result<Duration, String>),
    /// The site is served at this address.
    Serving(SocketAddr),
    /// This file (from the book's root) changed: a rebuild starts.
    Changed(String),
    /// A rebuild is done; after a good one, open pages reload. After a bad
    /// one the last good site stays served.
    Rebuilt(Result<Duration, String>),
}

/// [`serve`], watching as `watching` says, and telling `tell` what happens.
pub(crate) fn serve_until(
    root: &Path,
    out: &Path,
    addr: &str,
    watching: &Watching<'_>,
    mut tell: impl FnMut(Event),
) -> Result<(), String> {
    fs::create_dir_all(out).map_err(|err| format!("cannot create {}: {err}", out.display()))?;
    let live_reload = LiveReload::default();
    let options = ServerOptions {
        live_reload: Some(live_reload.clone()),
        ..ServerOptions::default()
    };
    let server = StaticServer::start_with(out, addr, options).map_err(|err| err.to_string())?;
    let base = BaseUrl::parse(&format!("http://{}/", server.addr()))?;
    // No PDF: printing takes seconds a book, and a rebuild comes on every
    // save (`book-site build` makes them).
    let site = SiteOptions {
        base: Some(base),
        pdf: None,
    };
    let build = || {
        let clock = Instant::now();
        build_site_with(root, out, &site).map(|()| clock.elapsed())
    };

    let mut seen = watch::fingerprint(root);
    tell(Event::Building);
    tell(Event::Built(build()));
    tell(Event::Serving(server.addr()));

    while !watching.stop.load(Ordering::SeqCst) {
        thread::sleep(watching.poll);
        let now = watch::fingerprint(root);
        if now == seen {
            continue;
        }
        thread::sleep(watching.poll / 4);
        let now_settled = watch::fingerprint(root);
        let changed = watch::first_change(&seen, &now_settled)
            .or_else(|| watch::first_change(&seen, &now))
            .map(|path| watch::shown(root, &path))
            .unwrap_or_default();
        seen = now_settled;
        tell(Event::Changed(changed));
        let rebuilt = build();
        if rebuilt.is_ok() {
            live_reload.bump();
        }
        tell(Event::Rebuilt(rebuilt));
    }
    Ok(())
}

/// What `serve` prints about `event`: progress and problems on stderr,
/// the address to open on stdout.
fn say(root: &Path, out: &Path, event: &Event) {
    match event {
        Event::Building => eprintln!("Building the site into {}…", out.display()),
        Event::Built(Ok(took)) => eprintln!("Built in {:.1} s.", took.as_secs_f32()),
        Event::Built(Err(err)) => eprintln!(
            "{err}\n\nThe site does not build; fix the problem above and save: it rebuilds \
             on every change."
        ),
        Event::Serving(addr) => println!(
            "Serving the book at http://{addr}/ ({}) — Ctrl-C to stop",
            site_languages(root).join(", ")
        ),
        Event::Changed(path) => eprintln!("{path} changed: rebuilding…"),
        Event::Rebuilt(Ok(took)) => {
            eprintln!("Rebuilt in {:.1} s; open pages reload.", took.as_secs_f32())
        }
        Event::Rebuilt(Err(err)) => eprintln!(
            "{err}\n\nThe site does not build; still serving the last good one. Fix the \
             problem above and save."
        ),
    }
}
