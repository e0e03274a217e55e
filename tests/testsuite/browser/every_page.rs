//! Every page of every language, loaded once per run for all the checks
//! that read what the browser showed: its console, the requests the server
//! failed, the DOM of chapter 5 as the chapter-five check opens it, and what
//! axe-core found on each page (see `accessibility.rs`).

use std::{path::Path, sync::OnceLock, thread};

use book_site::StaticServer;

use super::{
    accessibility::{self, AxeRun},
    clean_pages::Keys,
    the_site::{Site, html_pages, languages, page_groups},
};
use crate::support::{
    browser::{Browser, Options, Page},
    built_site::failed_requests,
};

/// Chapter 5's page, and the section at which the chapter-five check
/// opens it (the picker carries the section along).
pub const CHAPTER_FIVE: (&str, &str) = ("ch05-pool-interface.html", "why-fnonce");

/// What loading every page of every language showed.
pub struct Loaded {
    pub console: Vec<String>,
    pub failed: Vec<String>,
    /// The DOM of each page that was read back, by its address in the site.
    pub doms: Vec<(String, String)>,
    /// What axe found on each page (`page: finding`), or why it did not run.
    pub axe: Result<Vec<String>, String>,
}

impl Loaded {
    pub fn dom_of(&self, page: &str) -> Option<&str> {
        self.doms
            .iter()
            .find(|(src, _)| src == page)
            .map(|(_, dom)| dom.as_str())
    }
}

/// Every page of every language, loaded once per run, chapter 5 at the
/// section its check follows, and the root pages as a reader's browser
/// shows them without scripts (with scripts, the root page sends it on to a
/// book before anything is drawn); what the browser showed is shared by
/// the checks that read it.
///
/// The print page (every chapter on one page, a quarter of the bytes) is
/// loaded in the default language only: a translation's print page holds
/// that translation's chapters, loaded here one by one, from the same
/// folder, so with the same relative addresses and the same code blocks
/// (the translation checks keep them in step); it would show nothing new.
pub fn every_page(browser: &Browser, site: &Site) -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let (chapter_five, section) = CHAPTER_FIVE;
        let mut pages = accessibility::root_pages(&site.dir);
        for language in languages() {
            for page in html_pages(&site.dir.join(language)) {
                let name = page.file_name().unwrap().display().to_string();
                if language != book_languages::DEFAULT_LANGUAGE && name == "print.html" {
                    continue;
                }
                let at = if name == chapter_five {
                    format!("#{section}")
                } else {
                    String::new()
                };
                pages.push(format!("{language}/{name}{at}"));
            }
        }
        let axe_source = AxeRun::source();
        let keys = Keys::new(
            &site.dir,
            &[
                browser.user_agent().as_bytes(),
                axe_source.as_deref().unwrap_or("no axe").as_bytes(),
            ],
        );
        let keyed: Vec<(String, String)> = pages
            .into_iter()
            .map(|page| {
                let key = keys.of(&page, &accessibility::how_checked(&page));
                (page, key)
            })
            .collect();
        // Chapter 5's pages are read back for their check: always loaded.
        let to_load: Vec<String> = keyed
            .iter()
            .filter(|(page, key)| page.contains(chapter_five) || !keys.was_clean(key))
            .map(|(page, _)| page.clone())
            .collect();
        let axe = axe_source.map(|source| AxeRun::prepare(&site.dir, &source));
        let loaded = load_pages(
            browser,
            &site.server,
            &site.dir,
            &to_load,
            |src| src.contains(chapter_five),
            axe.as_ref().ok(),
        );
        accessibility::tidy(&site.dir);
        let loaded = Loaded {
            axe: axe.and(loaded.axe),
            ..loaded
        };
        let clean = loaded.console.is_empty()
            && loaded.failed.is_empty()
            && loaded.axe.as_ref().is_ok_and(Vec::is_empty);
        if clean {
            let all: Vec<String> = keyed.into_iter().map(|(_, key)| key).collect();
            Keys::remember(&all);
        }
        loaded
    })
}

/// Loads `pages` of the site in `dir`, served by `server`, one after the
/// other in a window per core (at most four), each window's share about
/// the same number of bytes; returns the console messages of them all (the
/// browser's failed loads among them), the requests the server failed, the
/// DOM of each page whose address `read_back` picks, and, given `axe`, what
/// axe found on each page.
pub fn load_pages(
    browser: &Browser,
    server: &StaticServer,
    dir: &Path,
    pages: &[String],
    read_back: impl Fn(&str) -> bool + Sync,
    axe: Option<&AxeRun>,
) -> Loaded {
    let before = server.requests().len();
    let groups = page_groups(dir, pages);
    let loaded: Vec<Loaded> = thread::scope(|scope| {
        let loads: Vec<_> = groups
            .iter()
            .map(|group| {
                let read_back = &read_back;
                scope.spawn(move || load_group(browser, server, group, read_back, axe))
            })
            .collect();
        loads
            .into_iter()
            .map(|load| {
                load.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut findings = Vec::new();
    let mut console = Vec::new();
    let mut doms = Vec::new();
    for group in loaded {
        console.extend(group.console);
        doms.extend(group.doms);
        findings.extend(group.axe.unwrap_or_default());
    }
    Loaded {
        console,
        failed: failed_requests(server, before),
        doms,
        axe: Ok(findings),
    }
}

/// Loads `pages` one after the other in one window (a window costs a
/// renderer process; a page loaded in it, a fraction of that).
fn load_group(
    browser: &Browser,
    server: &StaticServer,
    pages: &[String],
    read_back: &impl Fn(&str) -> bool,
    axe: Option<&AxeRun>,
) -> Loaded {
    let mut window: Page = browser.new_page();
    let mut doms = Vec::new();
    let mut findings = Vec::new();
    for page in pages {
        // Each book for a reader of its language; the root pages for any.
        let language = page
            .split_once('/')
            .map_or("en-US", |(language, _)| language);
        let url = format!("http://{}/{page}", server.addr());
        window.goto(&url, Options { language });
        if read_back(page) {
            doms.push((page.clone(), window.dom()));
        }
        if let Some(axe) = axe {
            findings.extend(
                axe.check(&window, page)
                    .into_iter()
                    .map(|finding| format!("{page}: {finding}")),
            );
        }
    }
    Loaded {
        console: window.console(),
        failed: Vec::new(),
        doms,
        axe: Ok(findings),
    }
}
