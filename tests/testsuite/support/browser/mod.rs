//! Debian's Chromium, headless, loading the site the way a reader's browser
//! does: it runs the pages' scripts, and the tests read back the DOM and the
//! console of each page.
//!
//! One Chromium serves the whole test run: starting one costs about a second
//! of CPU, opening a page in a running one a fraction of that. The tests
//! drive it over the DevTools protocol on a pair of pipes, each test with
//! pages (targets) of its own, from as many threads as the test harness
//! runs. When the test binary ends, its end of the pipe closes and Chromium
//! quits.

mod launch;
mod page;
mod pipe;

pub use page::Page;

use std::{
    collections::VecDeque,
    path::{Path, PathBuf},
    process::Child,
    sync::{Arc, Mutex, OnceLock, PoisonError},
    thread,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use pipe::{Connection, Failure};

/// A hang detector, not an expected time: a page of the book loads in well
/// under a second, and axe checks one in well under a second too; the
/// print page, every chapter at once, took 5 s to load and, with its
/// colours in five themes, 45 s to check. On a 2-core machine under heavy
/// load, one `Runtime.evaluate` once waited over 60 s for a renderer to lay
/// out 57 pages at once. Waiting longer than this means a hang.
pub const DEADLINE: Duration = Duration::from_secs(180);

/// How to load a page.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The reader's preferred language: `navigator.languages` and the
    /// `Accept-Language` header.
    pub language: &'a str,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options { language: "en-US" }
    }
}

/// The running Chromium.
pub struct Browser {
    connection: Connection,
    child: Mutex<Child>,
    /// The last lines of Chromium's stderr, to explain its death.
    stderr: Arc<Mutex<VecDeque<String>>>,
    profile: PathBuf,
    /// Chromium's own, sent again with each page's language.
    user_agent: String,
}

static BROWSER: OnceLock<Result<Browser, String>> = OnceLock::new();

/// A check that cannot run here, because of `why` (no Chromium, no axe,
/// no pdftotext): it fails where `REQUIRE_BROWSER=1` (CI, see .ci/run) and
/// says it was skipped, and why, elsewhere.
pub fn skipped<T>(test: &str, why: &str) -> Option<T> {
    if std::env::var_os("REQUIRE_BROWSER").is_some_and(|value| value == "1") {
        panic!("{test}: REQUIRE_BROWSER=1 but {why}");
    }
    eprintln!("SKIPPED {test}: {why}");
    None
}

impl Browser {
    /// Chromium's user agent, its version in it: what a page's outcome
    /// depends on beside the page.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The test run's browser, started by the first test that asks, or a
    /// clear decision about its absence: CI sets `REQUIRE_BROWSER=1` (see
    /// .ci/run), so there a missing browser fails; elsewhere the browser
    /// tests say they were skipped, and why. The browser is the one the
    /// site builder prints the PDFs with (`book_site::chromium`: the one
    /// `CHROMIUM` names, or Debian's `chromium`).
    pub fn for_test(test: &str) -> Option<&'static Browser> {
        let browser =
            BROWSER.get_or_init(|| book_site::chromium().map(|binary| Browser::start(&binary)));
        match browser {
            Ok(browser) => Some(browser),
            Err(why) => skipped(test, why),
        }
    }

    fn start(binary: &Path) -> Browser {
        let profile = launch::fresh_profile(Path::new(env!("CARGO_TARGET_TMPDIR")));
        let launched = launch::launch(binary, &profile)
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", binary.display()));
        let mut browser = Browser {
            connection: Connection::new(launched.commands, launched.messages),
            child: Mutex::new(launched.child),
            stderr: launched.stderr,
            profile,
            user_agent: String::new(),
        };
        let deadline = Instant::now() + DEADLINE;
        let version = browser.call(None, "Browser.getVersion", json!({}), deadline, || {
            format!("{} to start", binary.display())
        });
        browser.user_agent = version["userAgent"]
            .as_str()
            .expect("Browser.getVersion's userAgent")
            .to_string();
        // Statics are never dropped: quit Chromium and remove its profile
        // when the test binary exits. Chromium would quit anyway, its pipe
        // closed, but the profile would stay until the next run.
        // SAFETY: `quit_at_exit` is an `extern "C" fn()` that does not
        // unwind; registering it has no other requirement.
        unsafe {
            libc::atexit(quit_at_exit);
        }
        browser
    }

    /// A new, blank page, to `goto` pages in one after the other. It
    /// closes when dropped.
    pub fn new_page(&self) -> Page<'_> {
        Page::blank(self)
    }

    /// Opens `url` in a new page with `options`, and waits for its load
    /// event. The page closes when dropped.
    pub fn open(&self, url: &str, options: Options) -> Page<'_> {
        let mut page = self.new_page();
        page.goto(url, options);
        page
    }

    /// Sends a command and returns its result; panics, saying what was
    /// awaited (`what`), if there is none before `deadline`.
    fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
        deadline: Instant,
        what: impl FnOnce() -> String,
    ) -> Value {
        self.connection
            .call(session, method, params, deadline)
            .unwrap_or_else(|failure| self.fail(&what(), method, &failure))
    }

    /// Panics about a failed `method`, sent for `what`.
    fn fail(&self, what: &str, method: &str, failure: &Failure) -> ! {
        match failure {
            Failure::TimedOut => {
                panic!("{what}: no answer to {method} before the deadline ({DEADLINE:?})")
            }
            Failure::Closed(_) => panic!("{what}: {method} failed: {failure}\n{}", self.obituary()),
            Failure::Refused(_) => panic!("{what}: {method} failed: {failure}"),
        }
    }

    /// How Chromium ended, and its last words on stderr.
    fn obituary(&self) -> String {
        let mut child = self.child.lock().unwrap_or_else(PoisonError::into_inner);
        // Its pipe closed, Chromium is on its way out: give it a moment.
        let patience = Instant::now() + Duration::from_secs(2);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break format!("Chromium exited: {status}"),
                Ok(None) if Instant::now() < patience => thread::sleep(Duration::from_millis(20)),
                Ok(None) => break "Chromium is still running".to_string(),
                Err(err) => break format!("Chromium's status is unknown: {err}"),
            }
        };
        let stderr = self.stderr.lock().unwrap_or_else(PoisonError::into_inner);
        let lines: Vec<&str> = stderr.iter().map(String::as_str).collect();
        format!("{status}; the end of its stderr:\n{}", lines.join("\n"))
    }

    /// Ends Chromium and removes its profile. Called once, at exit, so it
    /// neither panics nor blocks for long.
    fn quit(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        let closed = self.connection.close(deadline);
        let Ok(mut child) = self.child.try_lock() else {
            return;
        };
        // Chromium closes its pipe while it shuts down, and exits just after.
        while closed && Instant::now() < deadline {
            match child.try_wait() {
                Ok(None) => thread::sleep(Duration::from_millis(10)),
                _ => break,
            }
        }
        if !matches!(child.try_wait(), Ok(Some(_))) {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

extern "C" fn quit_at_exit() {
    if let Some(Ok(browser)) = BROWSER.get() {
        browser.quit();
    }
}
