//! The site as GitHub Pages publishes a project: built with
//! `book-site build --base https://OWNER.github.io/REPO/` and served under
//! `/REPO/`, in a real browser. The picker still leads to the same page and
//! section in another language; a missing address at any depth below the
//! base gets the site's 404 page, whole, in the reader's language first,
//! and its links lead back into the books.

use std::sync::OnceLock;

use book_site::{BaseUrl, ServerOptions, SiteOptions, StaticServer, build_site_with};
use tempfile::TempDir;

use crate::support::{
    browser::{Browser, Options},
    built_site::failed_requests,
    listings::repo_root,
    scratch::scratch_dir,
};

/// Where GitHub Pages would publish the book, and the path it serves it under.
const BASE: &str = "https://owner.github.io/thread-pool-book/";
const PREFIX: &str = "/thread-pool-book";

/// The site built for `BASE`, once per run.
fn published() -> &'static TempDir {
    static PUBLISHED: OnceLock<TempDir> = OnceLock::new();
    PUBLISHED.get_or_init(|| {
        let dir = scratch_dir("published");
        let options = SiteOptions {
            base: Some(BaseUrl::parse(BASE).expect("a valid base URL")),
            // The PDFs are the shared site's to check (`book::pdf`).
            pdf: None,
        };
        build_site_with(repo_root(), &dir.path().join("site"), &options)
            .unwrap_or_else(|err| panic!("{err}"));
        dir
    })
}

/// A server of the published site under `PREFIX`, of the test's own, so
/// that the requests it saw are the test's.
struct Pages(StaticServer);

impl Pages {
    fn start() -> Pages {
        let site = published().path().join("site");
        let options = ServerOptions {
            prefix: PREFIX.to_string(),
            ..ServerOptions::default()
        };
        let server = StaticServer::start_with(&site, "127.0.0.1:0", options)
            .unwrap_or_else(|err| panic!("cannot serve {}: {err}", site.display()));
        Pages(server)
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{PREFIX}/{path}", self.0.addr())
    }

    /// The requests that failed since the `from`th.
    fn failed_since(&self, from: usize) -> Vec<String> {
        failed_requests(&self.0, from)
    }

    fn requests_so_far(&self) -> usize {
        self.0.requests().len()
    }
}

#[test]
fn the_picker_leads_to_the_same_section_under_a_sub_path() {
    let Some(browser) = Browser::for_test("the_picker_leads_to_the_same_section_under_a_sub_path")
    else {
        return;
    };
    let site = Pages::start();
    let before = site.requests_so_far();
    let page = browser.open(&site.url("pt-BR/glossary.html#arc"), Options::default());
    page.eval("document.querySelector('.language-picker a[hreflang=\"es\"]').click()");
    let target = format!("{PREFIX}/es/glossary.html");
    page.wait_until(
        &format!(
            "location.pathname === '{target}' && location.hash === '#arc' \
             && document.readyState === 'complete' && document.documentElement.lang === 'es'"
        ),
        "the Spanish glossary, at the same entry, after a click on the picker",
    );
    assert_eq!(
        page.eval("document.getElementById('arc') !== null"),
        true,
        "the Spanish page has the section"
    );
    assert!(page.console().is_empty(), "{:?}", page.console());
    let failed = site.failed_since(before);
    assert!(failed.is_empty(), "failed requests: {failed:?}");
}

#[test]
fn a_missing_address_gets_the_404_page_at_any_depth() {
    let Some(browser) = Browser::for_test("a_missing_address_gets_the_404_page_at_any_depth")
    else {
        return;
    };
    let site = Pages::start();
    // The missing address, and the book the reader should be offered first:
    // the one whose folder the address is in, else the browser's preference.
    let cases = [
        ("es/no-such-chapter.html", "es-ES", "es"),
        ("pt-BR/deep/er/gone.html", "en-US", "pt-BR"),
        ("nothing-here", "pt-BR", "pt-BR"),
        ("en/a/", "es-MX", "en"),
    ];
    for (missing, preferred, first) in cases {
        let before = site.requests_so_far();
        let page = browser.open(
            &site.url(missing),
            Options {
                language: preferred,
            },
        );
        page.wait_until("document.readyState === 'complete'", "the 404 page");
        let requested = format!("{PREFIX}/{missing}");
        let failed = site.failed_since(before);
        assert_eq!(
            failed,
            [format!("404 {requested}")],
            "{missing}: only the missing page itself may fail, not the 404 page's own assets"
        );
        let offered = page.eval("document.querySelector('main li').dataset.language");
        assert_eq!(offered, first, "{missing}, preferring {preferred}");
        // Its first link leads into that book, from whatever depth.
        page.eval("document.querySelector('main li a').click()");
        page.wait_until(
            &format!(
                "location.pathname === '{PREFIX}/{first}/index.html' \
                 && document.readyState === 'complete' && document.documentElement.lang === '{first}'"
            ),
            &format!("the {first} book, after the 404 page of {missing}"),
        );
        let failed = site.failed_since(before);
        assert_eq!(
            failed.len(),
            1,
            "{missing}: the book's page loads whole: {failed:?}"
        );
    }
}
