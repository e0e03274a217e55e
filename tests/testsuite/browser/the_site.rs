//! What the browser checks share: the built site, served once per run,
//! the browser beside it, and the site's pages.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::OnceLock,
    thread,
};

use book_site::StaticServer;

use crate::support::{browser::Browser, built_site::site_dir};

/// Every language of the book, from the one table.
pub fn languages() -> impl Iterator<Item = &'static str> {
    book_languages::LANGUAGES
        .iter()
        .map(|language| language.code)
}

/// The site, built once per test run (shared with the book's checks), and
/// a server for it.
pub struct Site {
    pub dir: PathBuf,
    pub server: StaticServer,
}

impl Site {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.server.addr())
    }
}

pub fn site() -> &'static Site {
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
pub fn browser_and_site(test: &str) -> Option<(&'static Browser, &'static Site)> {
    thread::scope(|scope| {
        let site = scope.spawn(site);
        let browser = Browser::for_test(test);
        let site = site
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        browser.map(|browser| (browser, site))
    })
}

/// `pages` split into as many groups as the machine has cores (at most
/// four), each about the same number of bytes: a renderer's time goes
/// into laying out and highlighting the text, and print.html, every
/// chapter at once, is the biggest page by far.
pub fn page_groups(dir: &Path, pages: &[String]) -> Vec<Vec<String>> {
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

/// The HTML pages of a folder of the site, sorted.
pub fn html_pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "html"))
        .collect();
    pages.sort();
    pages
}
