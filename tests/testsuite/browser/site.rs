//! The built site, in a real browser (Debian's headless Chromium), served
//! on loopback: the language picker, search in each language, the marks and
//! errors of failing listings, the diff view, the root page's choice of
//! language, and no console error or failed request on any page.
//!
//! Without Chromium these tests say they were skipped; CI installs it and
//! sets REQUIRE_BROWSER=1, so there they cannot be skipped.

use std::fs;

use super::every_page::{CHAPTER_FIVE, Loaded, every_page, load_pages};
use super::the_site::{Site, browser_and_site, html_pages, languages, site};
use crate::support::{
    browser::Options,
    html::{tags, text_of},
    scratch::{copy_dir, scratch_dir},
};
use book_site::StaticServer;

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
        // every-page load waited for on every page.
        let loaded_as = format!("{language}/{page}#{section}");
        let Some(dom) = loaded.dom_of(&loaded_as) else {
            problems.push(format!("{loaded_as} was not loaded with the other pages"));
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

/// Every page of every language, loaded once for the checks that read it
/// (see `every_page`): the console must stay silent and every request
/// succeed.
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
    // The Spanish page, loaded the way the every-page checks load it.
    let spanish = ["es/ch05-pool-interface.html".to_string()];
    let Loaded {
        console, failed, ..
    } = load_pages(browser, &server, &broken, &spanish, |_| false, None);
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
