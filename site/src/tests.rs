//! The whole site on a small book of two languages: built, rebuilt, and
//! served with live reload.

use super::*;
use crate::serving::{Event, Watching, serve_until};
use crate::test_dir::TestDir;
use crate::test_http::get;
use crate::test_links::{base_href, links, resolve};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

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
fn the_site_holds_every_language_decorated_the_root_page_and_the_404_page() {
    let root = scratch_book("site");
    let out = root.path().join("out/site");
    build_site(root.path(), &out).unwrap();

    let index = root.read("out/site/index.html");
    assert!(
        index
            .contains("<li lang=\"es\"><a href=\"es/index.html\" hreflang=\"es\">Español · <cite>")
    );
    // Every title is the language's own, from the table, not book.toml's.
    assert!(
        index.contains("<title>A Thread Pool, Compiler First</title>"),
        "{index}"
    );
    assert!(
        index.contains("<cite>Un pool de hilos, con el compilador por delante</cite>"),
        "{index}"
    );
    let uno = root.read("out/site/es/one.html");
    assert!(
        uno.contains("<title>Uno - Un pool de hilos, con el compilador por delante</title>"),
        "{uno}"
    );
    assert!(
        uno.contains(
            "<meta name=\"description\" content=\"Construye un servidor web multihilo en Rust, \
             un error del compilador a la vez\">"
        ),
        "{uno}"
    );
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

    // Without a base, the root 404 page links the books from the site's
    // root, where a server answers any missing address with it.
    let root_not_found = root.read("out/site/404.html");
    assert!(!root_not_found.contains("<base"), "{root_not_found}");
    assert!(!one.contains("canonical"), "{one}");
    let server = StaticServer::start(&out, "127.0.0.1:0").unwrap();
    let answer = get(server.addr(), "/gone.html");
    assert_eq!((answer.status, &answer.body), (404, &root_not_found));
    let page = answer.body;
    assert!(page.contains(">Página no encontrada</h2>"), "{page}");
    assert!(
        !page.contains("pt-BR"),
        "only the site's languages:\n{page}"
    );
    let missing = missing_links(server.addr(), "/gone.html", &page, "-");
    assert!(missing.is_empty(), "{missing:?}");
    drop(server);

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
fn published_under_a_sub_path_every_link_and_404_page_works_from_any_depth() {
    let root = scratch_book("base");
    let out = root.path().join("site");
    let published = "https://owner.github.io";
    let base = BaseUrl::parse(&format!("{published}/repo")).unwrap();
    build_site_with(
        root.path(),
        &out,
        &SiteOptions {
            base: Some(base),
            pdf: None,
        },
    )
    .unwrap();

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
        let answer = get(addr, page);
        assert_eq!(answer.status, 200, "{page}");
        let missing = missing_links(addr, page, &answer.body, published);
        assert!(missing.is_empty(), "{page}: {missing:?}");
    }
    for page in [
        "/repo/gone",
        "/repo/en/gone.html",
        "/repo/es/a/b/c/gone.html",
    ] {
        let answer = get(addr, page);
        let not_found = root.read("site/404.html");
        assert_eq!((answer.status, &answer.body), (404, &not_found), "{page}");
        let missing = missing_links(addr, page, &answer.body, published);
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
        .filter(|path| get(addr, path).status != 200)
        .collect()
}

/// The next thing the server says, within a minute.
fn next(told: &mpsc::Receiver<Event>) -> Event {
    told.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|err| panic!("the server said nothing more: {err}"))
}

/// Waits for the rebuild that saving `path` starts, and returns how it went.
fn rebuilt_after(told: &mpsc::Receiver<Event>, path: &str) -> Result<Duration, String> {
    match next(told) {
        Event::Changed(changed) => assert_eq!(changed, Path::new(path).display().to_string()),
        other => panic!("expected {path} to change, got {other:?}"),
    }
    match next(told) {
        Event::Rebuilt(result) => result,
        other => panic!("expected a rebuild, got {other:?}"),
    }
}

/// The served page's text and the build number it reloads on.
fn served(addr: SocketAddr, path: &str) -> (String, String) {
    (get(addr, path).body, get(addr, LIVE_RELOAD_PATH).body)
}

#[test]
fn serving_rebuilds_on_change_and_keeps_the_last_good_site() {
    let root = scratch_book("serve");
    let out = root.path().join("book/site");
    let stop = AtomicBool::new(false);
    // A test need not wait half a second between looks at the sources.
    let watching = Watching {
        poll: Duration::from_millis(5),
        stop: &stop,
    };
    let (tell, told) = mpsc::channel();
    thread::scope(|scope| {
        let server = scope.spawn(|| {
            serve_until(root.path(), &out, "127.0.0.1:0", &watching, |event| {
                let _ = tell.send(event);
            })
        });
        let first = (next(&told), next(&told));
        assert!(
            matches!(first, (Event::Building, Event::Built(Ok(_)))),
            "{first:?}"
        );
        let Event::Serving(addr) = next(&told) else {
            panic!("not serving")
        };
        let answer = get(addr, "/en/one.html");
        assert_eq!(answer.status, 200);
        let page = answer.body;
        assert!(page.contains("Hello.") && page.contains("const served = \"0\";"));
        assert!(get(addr, "/").body.contains("location.replace"));
        // Built for the address it is served at: its 404 page works at any depth.
        let canonical = format!("<link rel=\"canonical\" href=\"http://{addr}/en/one.html\">");
        assert!(page.contains(&canonical), "{page}");
        let not_found = get(addr, "/en/gone/deeper.html");
        assert_eq!(not_found.status, 404);
        assert!(
            not_found.body.contains("<base href=\"/\">"),
            "{}",
            not_found.body
        );
        // What is written to disk has no live-reload script: only what is served.
        assert!(
            !root
                .read("book/site/en/one.html")
                .contains(LIVE_RELOAD_PATH)
        );

        root.replace(
            "src/en/one.md",
            "# One {#one}\n\nHello again.\n\n## Part {#part}\n",
        );
        rebuilt_after(&told, "src/en/one.md").unwrap();
        let (page, build) = served(addr, "/en/one.html");
        assert!(page.contains("Hello again."), "{page}");
        assert_eq!(build, "1");

        // A broken book: reported, and the last good site stays served.
        root.replace("src/en/SUMMARY.md", "# Summary\n\n- [One](gone.md)\n");
        let err = rebuilt_after(&told, "src/en/SUMMARY.md").unwrap_err();
        assert!(err.contains("the en book (src/en) does not build"), "{err}");
        let (page, build) = served(addr, "/en/one.html");
        assert!(page.contains("Hello again."), "{page}");
        assert_eq!(build, "1", "a failed build reloads no page");

        root.replace("src/en/SUMMARY.md", "# Summary\n\n- [One](one.md)\n");
        rebuilt_after(&told, "src/en/SUMMARY.md").unwrap();
        assert_eq!(served(addr, "/en/one.html").1, "2");
        stop.store(true, Ordering::SeqCst);
        server.join().unwrap()
    })
    .unwrap_or_else(|err| panic!("{err}"));
}
