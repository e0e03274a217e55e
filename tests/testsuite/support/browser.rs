//! Driving Debian's Chromium, headless, the way a reader's browser loads
//! the site: it runs the pages' JavaScript, and we read back the resulting
//! DOM and every message the pages wrote to the console.

use std::{
    io::Read,
    path::PathBuf,
    process::{Command, Stdio},
    sync::{
        Condvar, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

/// No page of the book needs this long; a slower load is a hang.
const PAGE_DEADLINE: Duration = Duration::from_secs(90);

pub struct Chromium {
    binary: PathBuf,
}

/// What Chromium saw after the page's scripts ran.
#[derive(Debug)]
pub struct Loaded {
    pub dom: String,
    /// Console messages of the page and its frames, with their source.
    pub console: Vec<String>,
}

/// How to load a page.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub javascript: bool,
    /// The browser's preferred language (`navigator.languages`).
    pub language: &'a str,
    /// Virtual time the page may run for: timers fire, fetches finish.
    pub budget_ms: u32,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            javascript: true,
            language: "en-US",
            budget_ms: 5000,
        }
    }
}

impl Chromium {
    /// Debian's `chromium`, or the one `CHROMIUM` names. `None` if absent.
    pub fn find() -> Option<Chromium> {
        let candidates = std::env::var_os("CHROMIUM")
            .map(PathBuf::from)
            .into_iter()
            .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from));
        candidates
            .into_iter()
            .find(|path| path.is_file())
            .map(|binary| Chromium { binary })
    }

    /// Chromium, or a clear decision about its absence: CI sets
    /// `REQUIRE_BROWSER=1` (see .ci/run), so there a missing browser fails;
    /// elsewhere the browser tests say they were skipped, and how to run them.
    pub fn for_test(test: &str) -> Option<Chromium> {
        let found = Chromium::find();
        if found.is_none() {
            let hint = "install Debian's chromium (`apt-get install chromium`) or set CHROMIUM";
            if std::env::var_os("REQUIRE_BROWSER").is_some_and(|v| v == "1") {
                panic!("{test}: REQUIRE_BROWSER=1 but no Chromium was found: {hint}");
            }
            eprintln!("SKIPPED {test}: no Chromium found; {hint}");
        }
        found
    }

    /// Loads several pages at once, one browser each; results in the order given.
    pub fn load_all(&self, pages: &[(String, Options)]) -> Vec<Loaded> {
        thread::scope(|scope| {
            let loads: Vec<_> = pages
                .iter()
                .map(|(url, options)| scope.spawn(move || self.load(url, *options)))
                .collect();
            loads
                .into_iter()
                .map(|load| load.join().expect("a page load"))
                .collect()
        })
    }

    /// Loads `url` and returns the DOM once the page has run, with its
    /// console output.
    pub fn load(&self, url: &str, options: Options) -> Loaded {
        let _slot = BrowserSlot::take();
        static PROFILE: AtomicUsize = AtomicUsize::new(0);
        let profile = std::env::temp_dir().join(format!(
            "thread-pool-book-chromium-{}-{}",
            std::process::id(),
            PROFILE.fetch_add(1, Ordering::Relaxed)
        ));
        let mut command = Command::new(&self.binary);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--lang={}", options.language))
            .arg(format!("--accept-lang={}", options.language))
            .arg(format!("--virtual-time-budget={}", options.budget_ms));
        if !options.javascript {
            command.arg("--blink-settings=scriptEnabled=false");
        }
        let mut child = command
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", self.binary.display()));
        let mut stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");
        let dom = thread::spawn(move || {
            let mut text = String::new();
            let _ = stdout.read_to_string(&mut text);
            text
        });
        let log = thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let started = Instant::now();
        while child.try_wait().expect("chromium's status").is_none() {
            if started.elapsed() > PAGE_DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish loading {url} within {PAGE_DEADLINE:?}");
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = std::fs::remove_dir_all(&profile);
        let console = log
            .join()
            .expect("the stderr reader")
            .lines()
            .filter_map(|line| {
                line.split_once(":CONSOLE")
                    .map(|(_, rest)| rest.to_string())
            })
            .collect();
        Loaded {
            dom: dom.join().expect("the stdout reader"),
            console,
        }
    }
}

/// Browsers running at once, at most: more only fight over the cores.
fn max_browsers() -> usize {
    thread::available_parallelism().map_or(2, |cores| cores.get()) + 1
}

static RUNNING: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

/// A place among the `max_browsers()`, given back when dropped.
struct BrowserSlot;

impl BrowserSlot {
    fn take() -> BrowserSlot {
        let (count, freed) = &RUNNING;
        let mut running = count.lock().unwrap_or_else(|p| p.into_inner());
        while *running >= max_browsers() {
            running = freed.wait(running).unwrap_or_else(|p| p.into_inner());
        }
        *running += 1;
        BrowserSlot
    }
}

impl Drop for BrowserSlot {
    fn drop(&mut self) {
        let (count, freed) = &RUNNING;
        *count.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        freed.notify_one();
    }
}
