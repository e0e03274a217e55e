//! The built site, in a real browser (Debian's headless Chromium), served
//! on loopback: the language picker, search in each language, the marks and
//! errors of failing listings, the diff view, the root page's choice of
//! language, and no console error or failed request on any page.
//!
//! Without Chromium these tests say they were skipped; CI installs it and
//! sets REQUIRE_BROWSER=1, so there they cannot be skipped.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::{
        OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
    thread,
};

use crate::support::built_site::{failed_requests, site_dir};
use crate::support::{
    browser::{Browser, Options},
    html::{tags, text_of},
    scratch::{copy_dir, scratch_dir},
};
use book_site::StaticServer;

/// Every language of the book, from the one table.
fn languages() -> impl Iterator<Item = &'static str> {
    book_languages::LANGUAGES
        .iter()
        .map(|language| language.code)
}

/// The site, built once per test run (shared with the book's checks), and
/// a server for it.
struct Site {
    dir: PathBuf,
    server: StaticServer,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.server.addr())
    }
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = site_dir().to_path_buf();
        let server = StaticServer::start(&dir, "127.0.0.1:0").unwrap_or_else(|err| panic!("{err}"));
        Site { dir, server }
    })
}

/// The browser and the site, for a browser test, both started at once (the
/// browser takes about a second, the site a few): `None` if there is no
/// browser and the test may be skipped (see `Browser::for_test`).
fn browser_and_site(test: &str) -> Option<(&'static Browser, &'static Site)> {
    thread::scope(|scope| {
        let site = scope.spawn(site);
        let browser = Browser::for_test(test);
        let site = site
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        browser.map(|browser| (browser, site))
    })
}

/// What is wrong with the picker of a page in `from`, as the browser shows
/// it at `page#section`: each other language must have a link to the same
/// page and section.
fn picker_problems(dom: &str, from: &str, page: &str, section: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for to in languages().filter(|to| *to != from) {
        let picker = dom
            .split("class=\"language-picker\"")
            .nth(1)
            .unwrap_or_default();
        let picker = picker.split("</nav>").next().unwrap_or_default();
        let links: Vec<String> = tags(picker)
            .into_iter()
            .filter(|tag| tag.name == "a" && tag.attribute("hreflang") == Some(to))
            .filter_map(|tag| tag.attribute("href").map(str::to_string))
            .collect();
        let expected = format!("../{to}/{page}#{section}");
        if !links.iter().any(|href| href.ends_with(&expected)) {
            problems.push(format!(
                "{from}/{page}: the picker has no link to {expected} (links to {to}: {links:?})"
            ));
        }
    }
    problems
}

/// Chapter 5 in each language, as a browser shows it: its picker leads to
/// the same page and section elsewhere; its first failing listing carries
/// the mark and the error; a diff view shows what a step changed; and no
/// code block has a run button (networking code cannot run on the playground).
#[test]
fn chapter_five_in_each_language() {
    let Some((browser, site)) = browser_and_site("chapter_five_in_each_language") else {
        return;
    };
    let (page, section) = CHAPTER_FIVE;
    let languages = [
        ("en", "does not compile"),
        ("pt-BR", "não compila"),
        ("es", "no compila"),
    ];
    let loaded = every_page(browser, site);
    let mut problems = Vec::new();
    for (language, mark) in languages {
        // The picker's script runs before the load event, which the
        // every-page load waited for in every frame.
        let frame = format!("{language}/{page}#{section}");
        let Some(dom) = loaded.dom_of(&frame) else {
            problems.push(format!("{frame} was not loaded with the other pages"));
            continue;
        };
        problems.extend(picker_problems(dom, language, page, section));
        // Where the pickers lead: this page has the section.
        let served = served_html(site, &format!("{language}/{page}"));
        if !served.contains(&format!("<html lang=\"{language}\""))
            || !served.contains(&format!("id=\"{section}\""))
        {
            problems.push(format!(
                "{language}/{page} is not a {language} page with #{section}"
            ));
        }
        if !dom.contains("listing-fails") || !dom.contains(mark) {
            problems.push(format!(
                "{language}/{page}: no {mark:?} mark on the failing listings"
            ));
        }
        if !dom.contains("compiler-output") || !dom.contains("error[E0433]") {
            problems.push(format!(
                "{language}/{page}: the first failing listing's error is not shown"
            ));
        }
        if dom.contains("play-button") {
            problems.push(format!("{language}/{page}: a run button is shown"));
        }
        // ch05-04a-wrapped-job changes one line of ch05-04 into this one.
        let added = "+        thread::spawn(|| job);";
        let diffs: Vec<String> = dom
            .split("class=\"listing-diff\"")
            .skip(1)
            .map(|rest| text_of(rest.split("</details>").next().unwrap_or_default()))
            .collect();
        if !diffs
            .iter()
            .any(|diff| diff.lines().any(|line| line == added))
        {
            problems.push(format!("{language}/{page}: no diff view shows {added:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn search_finds_words_of_each_language() {
    let Some((browser, site)) = browser_and_site("search_finds_words_of_each_language") else {
        return;
    };
    let words = [
        ("en", "request"),
        ("pt-BR", "requisição"),
        ("es", "solicitud"),
    ];
    let header = "document.getElementById('mdbook-searchresults-header').textContent";
    let mut page = browser.new_page();
    for (language, word) in words {
        let url = site.url(&format!("{language}/index.html?search={word}"));
        page.goto(&url, Options::default());
        // mdBook loads the index after the page, then writes the header once,
        // in the book's language: "N search results for 'WORD':" ("N
        // resultados para…"), or the line that says there is none.
        page.wait_until(&format!("{header} !== ''"), "the search results");
        let results = page.eval(header);
        let results = results.as_str().unwrap_or_default();
        let count: usize = results
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let said = book_languages::language(language)
            .expect("a language of the table")
            .interface;
        let line = if count == 1 {
            said.results_one
        } else {
            said.results_many
        };
        assert!(
            count > 0 && results == format!("{count}{line}'{word}':"),
            "{language}: searching for {word:?} found nothing, or said it in another \
             language ({results:?})"
        );
    }
}

#[test]
fn every_page_links_its_other_languages() {
    let site = site();
    let mut problems = Vec::new();
    for language in languages() {
        for page in html_pages(&site.dir.join(language)) {
            let html = fs::read_to_string(&page).expect("a readable page");
            for other in languages() {
                let alternate = format!("rel=\"alternate\" hreflang=\"{other}\"");
                if !html.contains(&alternate) {
                    problems.push(format!("{}: no <link {alternate}>", page.display()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_root_page_sends_readers_to_their_language() {
    let Some((browser, site)) = browser_and_site("the_root_page_sends_readers_to_their_language")
    else {
        return;
    };
    let choices = [("pt-BR", "pt-BR"), ("es-MX", "es"), ("fr-FR", "en")];
    let mut page = browser.new_page();
    for (preferred, book) in choices {
        let options = Options {
            language: preferred,
        };
        page.goto(&site.url("index.html"), options);
        // The root page may finish loading before the book it chose replaces it.
        page.wait_until(
            "location.pathname !== '/index.html' && document.readyState === 'complete'",
            "the book the root page chose",
        );
        let landed = page.eval("[location.pathname, document.documentElement.lang]");
        assert_eq!(
            landed,
            serde_json::json!([format!("/{book}/index.html"), book]),
            "a reader preferring {preferred} should land in the {book} book"
        );
    }
}

/// Headless Chromium ignores its switches for turning scripts off, so what
/// a reader without JavaScript gets is checked as served: the plain HTML.
fn served_html(site: &Site, path: &str) -> String {
    let response = crate::support::http::get(site.server.addr(), &format!("/{path}"));
    assert_eq!(response.status_line, "HTTP/1.1 200 OK", "/{path}");
    response.body
}

#[test]
fn pages_are_readable_with_javascript_off() {
    let site = site();
    let page = served_html(site, "pt-BR/ch01-listening.html");
    assert!(
        page.contains("listing-caption"),
        "listings are in the page itself"
    );
    assert!(
        page.contains("id=\"ch01-reading-the-request\""),
        "so is the text"
    );
    for other in ["en", "es"] {
        assert!(
            page.contains(&format!("href=\"../{other}/ch01-listening.html\"")),
            "the picker is plain links: none to {other}"
        );
    }
    let root = served_html(site, "index.html");
    for language in languages() {
        assert!(
            root.contains(&format!("href=\"{language}/")),
            "without JavaScript the root page must link to {language}/"
        );
    }
}

/// Every page of every language, loaded at once as the frames of a few
/// pages: the console must stay silent and every request succeed.
#[test]
fn no_page_logs_an_error_or_misses_an_asset() {
    let Some((browser, site)) = browser_and_site("no_page_logs_an_error_or_misses_an_asset") else {
        return;
    };
    let loaded = every_page(browser, site);
    assert!(
        loaded.console.is_empty(),
        "console messages:\n{}",
        loaded.console.join("\n")
    );
    assert!(
        loaded.failed.is_empty(),
        "failed requests:\n{}",
        loaded.failed.join("\n")
    );
}

/// Chapter 5's page, and the section at which the chapter-five check
/// opens it (the picker carries the section along).
const CHAPTER_FIVE: (&str, &str) = ("ch05-pool-interface.html", "why-fnonce");

/// What loading every page of every language showed.
struct Loaded {
    console: Vec<String>,
    failed: Vec<String>,
    /// The DOM of each frame that was read back, by its address in the site.
    doms: Vec<(String, String)>,
}

impl Loaded {
    fn dom_of(&self, frame: &str) -> Option<&str> {
        self.doms
            .iter()
            .find(|(src, _)| src == frame)
            .map(|(_, dom)| dom.as_str())
    }
}

/// Every page of every language, loaded once per run as the frames of one
/// page per core (a page of its own costs a window and a renderer each, and
/// rendering is most of what these checks cost), chapter 5 at the section
/// its check follows; what the browser showed is shared by the checks that
/// read it.
///
/// The print page (every chapter on one page, a quarter of the bytes) is
/// loaded in the default language only: a translation's print page holds
/// that translation's chapters, loaded here one by one, from the same
/// folder, so with the same relative addresses and the same code blocks
/// (the translation checks keep them in step); it would show nothing new.
fn every_page(browser: &Browser, site: &Site) -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let (chapter_five, section) = CHAPTER_FIVE;
        let pages: Vec<String> = languages()
            .flat_map(|language| {
                html_pages(&site.dir.join(language))
                    .into_iter()
                    .filter(move |page| {
                        language == book_languages::DEFAULT_LANGUAGE
                            || !page.ends_with("print.html")
                    })
                    .map(move |page| {
                        let name = page.file_name().unwrap().display().to_string();
                        let at = if name == chapter_five {
                            format!("#{section}")
                        } else {
                            String::new()
                        };
                        format!("{language}/{name}{at}")
                    })
            })
            .collect();
        load_in_frames(browser, &site.server, &site.dir, &pages, |src| {
            src.contains(chapter_five)
        })
    })
}

/// Loads `pages` of the site in `dir`, served by `server`, all at once as
/// the frames of a few pages (`frame_groups`), and returns the console
/// messages of them all (the browser's failed loads among them), the
/// requests the server failed, and the DOM of each frame whose address
/// `read_back` picks.
fn load_in_frames(
    browser: &Browser,
    server: &StaticServer,
    dir: &Path,
    pages: &[String],
    read_back: impl Fn(&str) -> bool + Sync,
) -> Loaded {
    let before = server.requests().len();
    let groups = frame_groups(dir, pages);
    // Each group in a window of its own, all at once: a window has a
    // renderer process of its own, and a renderer lays its frames out one
    // after the other on one core.
    let loaded: Vec<Loaded> = thread::scope(|scope| {
        let loads: Vec<_> = groups
            .iter()
            .map(|group| scope.spawn(|| load_group(browser, server, dir, group, &read_back)))
            .collect();
        loads
            .into_iter()
            .map(|load| {
                load.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    Loaded {
        console: loaded
            .iter()
            .flat_map(|group| group.console.clone())
            .collect(),
        failed: failed_requests(server, before),
        doms: loaded.into_iter().flat_map(|group| group.doms).collect(),
    }
}

/// `pages` split into as many groups as the machine has cores (at most
/// four), each about the same number of bytes: a renderer's time goes
/// into laying out and highlighting the text, and print.html, every
/// chapter at once, is the biggest page by far.
fn frame_groups(dir: &Path, pages: &[String]) -> Vec<Vec<String>> {
    let cores = thread::available_parallelism().map_or(1, usize::from);
    let count = cores.clamp(1, 4).min(pages.len()).max(1);
    let size = |page: &String| {
        let file = page.split('#').next().unwrap_or_default();
        fs::metadata(dir.join(file)).map_or(0, |meta| meta.len())
    };
    let mut by_size: Vec<(u64, &String)> = pages.iter().map(|page| (size(page), page)).collect();
    by_size.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut groups: Vec<(u64, Vec<String>)> = vec![(0, Vec::new()); count];
    for (bytes, page) in by_size {
        let lightest = groups
            .iter_mut()
            .min_by_key(|(total, _)| *total)
            .expect("at least one group");
        lightest.0 += bytes;
        lightest.1.push(page.clone());
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// Loads `pages` as the frames of one page, and returns what it showed
/// (its failed requests are read by the caller, for all groups at once).
fn load_group(
    browser: &Browser,
    server: &StaticServer,
    dir: &Path,
    pages: &[String],
    read_back: &impl Fn(&str) -> bool,
) -> Loaded {
    // Frames of one page share one renderer and one window: the cheapest
    // way to load many pages (a page of its own costs a window and a
    // renderer process each). Each frame runs its page's scripts as a
    // window of its own.
    let frames: String = pages
        .iter()
        .map(|page| format!("<iframe src=\"{page}\"></iframe>\n"))
        .collect();
    // A name of its own: two tests may load frames from one folder at once.
    static HARNESSES: AtomicUsize = AtomicUsize::new(0);
    let harness = format!("frames-{}.html", HARNESSES.fetch_add(1, Ordering::Relaxed));
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>frames</title><link rel=\"icon\" href=\"data:,\"></head>\
         <body>{frames}</body></html>"
    );
    fs::write(dir.join(&harness), html).expect("a writable site copy");
    let url = format!("http://{}/{harness}", server.addr());
    let page = browser.open(&url, Options::default());
    // The page's load event waits for its frames' load events; this says
    // so, and would notice a frame that never started.
    page.wait_until(
        "Array.from(document.querySelectorAll('iframe')).every((frame) => \
           frame.contentWindow.location.href !== 'about:blank' && \
           frame.contentDocument.readyState === 'complete')",
        "the load event of every frame",
    );
    let _ = fs::remove_file(dir.join(&harness));
    let wanted: Vec<&String> = pages.iter().filter(|page| read_back(page)).collect();
    let read = format!(
        "Array.from(document.querySelectorAll('iframe'))\
           .filter((frame) => {wanted}.includes(frame.getAttribute('src')))\
           .map((frame) => [frame.getAttribute('src'), frame.contentDocument.documentElement.outerHTML])",
        wanted = serde_json::to_string(&wanted).expect("page addresses as JSON"),
    );
    let doms = page
        .eval(&read)
        .as_array()
        .expect("a list of frames")
        .iter()
        .map(|frame| {
            let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_string();
            (text(&frame[0]), text(&frame[1]))
        })
        .collect();
    Loaded {
        console: page.console(),
        failed: Vec::new(),
        doms,
    }
}

fn html_pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "html"))
        .collect();
    pages.sort();
    pages
}

// ---------------------------------------------------------------------------
// The browser checks bite: a copy of the site, broken on purpose.

#[test]
fn check_a_broken_asset_path_and_a_missing_picker_are_caught() {
    let Some((browser, site)) =
        browser_and_site("check_a_broken_asset_path_and_a_missing_picker_are_caught")
    else {
        return;
    };
    let scratch = scratch_dir("site-broken");
    let broken = scratch.path().join("site");
    copy_dir(&site.dir, &broken);
    // Break an asset path: every Spanish page asks for the listings' stylesheet.
    let css = fs::read_dir(broken.join("es/theme"))
        .expect("the Spanish book's theme files")
        .flatten()
        .map(|entry| entry.path())
        .find(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("listings")
        })
        .expect("the listings stylesheet");
    let css_name = css.file_name().unwrap().to_string_lossy().into_owned();
    fs::remove_file(&css).unwrap();
    // Remove the picker from one page.
    let page = broken.join("pt-BR/ch05-pool-interface.html");
    let html = fs::read_to_string(&page).unwrap();
    let start = html
        .find("<nav class=\"language-picker\"")
        .expect("a picker to remove");
    let end = start + html[start..].find("</nav>").expect("the picker's end") + "</nav>".len();
    fs::write(&page, format!("{}{}", &html[..start], &html[end..])).unwrap();

    let server = StaticServer::start(&broken, "127.0.0.1:0").expect("a server for the copy");
    let url = format!(
        "http://{}/pt-BR/ch05-pool-interface.html#why-fnonce",
        server.addr()
    );
    let page = browser.open(&url, Options::default());
    let problems = picker_problems(
        &page.dom(),
        "pt-BR",
        "ch05-pool-interface.html",
        "why-fnonce",
    );
    assert_eq!(
        problems.len(),
        2,
        "both missing links are named: {problems:?}"
    );
    // The Spanish page, loaded the way the every-page test loads it.
    let spanish = ["es/ch05-pool-interface.html".to_string()];
    let Loaded {
        console, failed, ..
    } = load_in_frames(browser, &server, &broken, &spanish, |_| false);
    let missing = format!("/es/theme/{css_name}");
    assert!(
        failed.iter().any(|line| line.contains(&missing)),
        "the server's 404 for the missing stylesheet went unnoticed: {failed:?}"
    );
    assert!(
        console.iter().any(|line| line.contains(&missing)),
        "the browser's failed load of the missing stylesheet went unnoticed: {console:?}"
    );
}
