//! The whole site on a small book of two languages: built, rebuilt, and
//! served with live reload.

use super::*;
use crate::test_dir::TestDir;
use crate::test_links::{base_href, links, resolve};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;

/// A book in English and Spanish, where only Spanish has `extra.md`.
fn scratch_book(tag: &str) -> TestDir {
    let root = TestDir::new(tag);
    root.write(
        "book.toml",
        "[book]\ntitle = \"Scratch\"\ndescription = \"A small book\"\nlanguage = \"en\"\n\
         src = \"src/en\"\n\n[build]\ncreate-missing = false\n",
    );
    fs::create_dir_all(root.path().join("listings")).unwrap();
    root.write("src/en/SUMMARY.md", "# Summary\n\n- [One](one.md)\n");
    root.write(
        "src/en/one.md",
        "# One {#one}\n\nHello.\n\n## Part {#part}\n",
    );
    root.write(
        "src/es/SUMMARY.md",
        "# Resumen\n\n- [Uno](one.md)\n- [Extra](extra.md)\n",
    );
    root.write(
        "src/es/one.md",
        "# Uno {#one}\n\nHola.\n\n## Parte {#part}\n",
    );
    root.write("src/es/extra.md", "# Extra {#extra}\n");
    root
}

#[test]
fn the_site_holds_every_language_decorated_and_the_root_page() {
    let root = scratch_book("site");
    let out = root.path().join("out/site");
    build_site(root.path(), &out).unwrap();

    let index = root.read("out/site/index.html");
    assert!(index.contains("<a href=\"es/index.html\" hreflang=\"es\" lang=\"es\">Español</a>"));
    assert!(index.contains("<title>Scratch</title>"), "{index}");
    let one = root.read("out/site/en/one.html");
    assert!(one.contains("<html lang=\"en\""), "{one}");
    assert!(one.contains("<link rel=\"alternate\" hreflang=\"es\" href=\"../es/one.html\">"));
    assert!(one.contains("hreflang=\"en\" lang=\"en\" data-short=\"EN\" aria-current=\"page\""));
    let extra = root.read("out/site/es/extra.html");
    assert!(extra.contains("language-picker"), "{extra}");
    assert!(!extra.contains("../en/extra.html"), "{extra}");
    let not_found = root.read("out/site/es/404.html");
    assert!(!not_found.contains("<base"), "{not_found}");
    assert!(not_found.contains("href=\"../en/404.html\""), "{not_found}");
    let leftovers: Vec<String> = fs::read_dir(root.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["site"]);

    // A failed build leaves the last good site where it was.
    root.write("src/es/SUMMARY.md", "# Resumen\n\n- [Uno](missing.md)\n");
    let err = build_site(root.path(), &out).unwrap_err();
    assert!(err.contains("the es book (src/es) does not build"), "{err}");
    assert_eq!(root.read("out/site/es/extra.html"), extra);
    assert!(!root.path().join("out/site.partial").exists());

    // A good one replaces it.
    root.write("src/es/SUMMARY.md", "# Resumen\n\n- [Uno](one.md)\n");
    build_site(root.path(), &out).unwrap();
    assert!(!root.path().join("out/site/es/extra.html").exists());
}

#[test]
fn without_a_base_the_root_404_page_links_the_books_from_the_sites_root() {
    let root = scratch_book("no-base-404");
    let out = root.path().join("site");
    build_site(root.path(), &out).unwrap();
    let not_found = root.read("site/404.html");
    assert!(!not_found.contains("<base"), "{not_found}");
    assert!(!root.read("site/en/one.html").contains("canonical"));
    let server = StaticServer::start(&out, "127.0.0.1:0").unwrap();
    let (code, page) = get(server.addr(), "/gone.html").unwrap();
    assert_eq!((code, &page), (404, &not_found));
    assert!(page.contains(">Página no encontrada</h2>"), "{page}");
    assert!(
        !page.contains("pt-BR"),
        "only the site's languages:\n{page}"
    );
    let missing = missing_links(server.addr(), "/gone.html", &page, "-");
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn published_under_a_sub_path_every_link_and_404_page_works_from_any_depth() {
    let root = scratch_book("base");
    let out = root.path().join("site");
    let published = "https://owner.github.io";
    let base = BaseUrl::parse(&format!("{published}/repo")).unwrap();
    build_site_with(root.path(), &out, &SiteOptions { base: Some(base) }).unwrap();

    let one = root.read("site/en/one.html");
    for link in [
        "<link rel=\"canonical\" href=\"https://owner.github.io/repo/en/one.html\">",
        "<link rel=\"alternate\" hreflang=\"es\" href=\"https://owner.github.io/repo/es/one.html\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" \
         href=\"https://owner.github.io/repo/en/one.html\">",
    ] {
        assert!(one.contains(link), "no {link} in:\n{one}");
    }
    let index = root.read("site/index.html");
    assert!(index.contains(
        "<link rel=\"alternate\" hreflang=\"es\" href=\"https://owner.github.io/repo/es/index.html\">"
    ));
    assert!(
        root.read("site/404.html")
            .contains("<base href=\"/repo/\">")
    );
    assert!(
        root.read("site/es/404.html")
            .contains("<base href=\"/repo/es/\">")
    );

    // Served as GitHub Pages serves it.
    let options = ServerOptions {
        prefix: "/repo".to_string(),
        ..ServerOptions::default()
    };
    let server = StaticServer::start_with(&out, "127.0.0.1:0", options).unwrap();
    let addr = server.addr();
    for page in [
        "/repo/",
        "/repo/en/one.html",
        "/repo/es/extra.html",
        "/repo/es/404.html",
    ] {
        let (code, html) = get(addr, page).unwrap();
        assert_eq!(code, 200, "{page}");
        let missing = missing_links(addr, page, &html, published);
        assert!(missing.is_empty(), "{page}: {missing:?}");
    }
    for page in [
        "/repo/gone",
        "/repo/en/gone.html",
        "/repo/es/a/b/c/gone.html",
    ] {
        let (code, html) = get(addr, page).unwrap();
        assert_eq!((code, &html), (404, &root.read("site/404.html")), "{page}");
        let missing = missing_links(addr, page, &html, published);
        assert!(missing.is_empty(), "{page}: {missing:?}");
    }
}

#[test]
fn the_site_is_not_built_over_the_book_or_for_an_unknown_language() {
    let root = scratch_book("refuse");
    for out in [root.path().to_path_buf(), root.path().join("listings/site")] {
        fs::create_dir_all(&out).unwrap();
        let err = build_site(root.path(), &out).unwrap_err();
        assert!(err.contains("choose another output folder"), "{err}");
    }
    let project = root.path().join("elsewhere");
    fs::create_dir_all(&project).unwrap();
    fs::write(project.join("Cargo.toml"), "").unwrap();
    let err = build_site(root.path(), &project).unwrap_err();
    assert!(err.contains("has a Cargo.toml"), "{err}");

    root.write("src/fr/SUMMARY.md", "# Sommaire\n");
    let err = build_site(root.path(), &root.path().join("out")).unwrap_err();
    assert!(err.contains(book_languages::TABLE_FILE), "{err}");
}

/// The body of `GET path`, or `None` if the server does not answer.
fn get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let status = raw.split(' ').nth(1)?.parse().ok()?;
    Some((status, raw.split_once("\r\n\r\n")?.1.to_string()))
}

/// The status of `GET path`, whatever the body (fonts are not text).
fn status(addr: SocketAddr, path: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let head = String::from_utf8_lossy(&raw[..raw.len().min(32)]).into_owned();
    head.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Every link and asset of `html`, shown at `page`, that is not found on
/// the server at `addr`; absolute links under `published` are looked for
/// at their path.
fn missing_links(addr: SocketAddr, page: &str, html: &str, published: &str) -> Vec<String> {
    let base = base_href(html);
    links(html)
        .iter()
        .filter(|link| Some(*link) != base.as_ref())
        .filter_map(|link| match link.strip_prefix(published) {
            Some(path) => Some(path.to_string()),
            None => resolve(page, base.as_deref(), link),
        })
        .filter(|path| status(addr, path) != 200)
        .collect()
}

/// Waits until `/__livereload` says `build`.
fn wait_for_build(addr: SocketAddr, build: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if get(addr, LIVE_RELOAD_PATH).is_some_and(|(_, body)| body == build) {
            return;
        }
        thread::sleep(Duration::from_millis(100));
    }
    panic!("build {build} never came");
}

#[test]
fn serving_rebuilds_on_change_and_keeps_the_last_good_site() {
    let root = scratch_book("serve");
    let out = root.path().join("book/site");
    let stop = AtomicBool::new(false);
    let (tell, told) = mpsc::channel();
    thread::scope(|scope| {
        let server = scope.spawn(|| {
            serve_until(root.path(), &out, "127.0.0.1:0", &stop, |addr| {
                tell.send(addr).unwrap()
            })
        });
        let addr = told.recv_timeout(Duration::from_secs(60)).unwrap();
        let (status, page) = get(addr, "/en/one.html").unwrap();
        assert_eq!(status, 200);
        assert!(page.contains("Hello.") && page.contains("const served = \"0\";"));
        assert!(get(addr, "/").unwrap().1.contains("location.replace"));
        // Built for the address it is served at: its 404 page works at any depth.
        let canonical = format!("<link rel=\"canonical\" href=\"http://{addr}/en/one.html\">");
        assert!(page.contains(&canonical), "{page}");
        let (status, not_found) = get(addr, "/en/gone/deeper.html").unwrap();
        assert_eq!(status, 404);
        assert!(not_found.contains("<base href=\"/\">"), "{not_found}");
        // What is written to disk has no live-reload script: only what is served.
        assert!(
            !root
                .read("book/site/en/one.html")
                .contains(LIVE_RELOAD_PATH)
        );

        root.write(
            "src/en/one.md",
            "# One {#one}\n\nHello again.\n\n## Part {#part}\n",
        );
        wait_for_build(addr, "1");
        assert!(
            get(addr, "/en/one.html")
                .unwrap()
                .1
                .contains("Hello again.")
        );

        // A broken book: reported, and the last good site stays served.
        root.write("src/en/SUMMARY.md", "# Summary\n\n- [One](gone.md)\n");
        thread::sleep(Duration::from_secs(3));
        assert_eq!(get(addr, LIVE_RELOAD_PATH).unwrap().1, "1");
        assert!(
            get(addr, "/en/one.html")
                .unwrap()
                .1
                .contains("Hello again.")
        );
        root.write("src/en/SUMMARY.md", "# Summary\n\n- [One](one.md)\n");
        wait_for_build(addr, "2");
        stop.store(true, Ordering::SeqCst);
        server.join().unwrap()
    })
    .unwrap_or_else(|err| panic!("{err}"));
}
