use super::*;
use crate::test_dir::TestDir;
use crate::test_http::{get, send};

/// A site with a page, a stylesheet, a script, an icon, a font, a folder
/// with its own 404 page, and a secret next to (outside) the served folder.
fn site() -> (TestDir, PathBuf) {
    let dir = TestDir::new("server");
    dir.write("site/index.html", "<html><body>root</body></html>");
    dir.write("site/en/index.html", "<html><body>english</body></html>");
    dir.write("site/en/ch01.html", "<html><body>chapter</body></html>");
    dir.write(
        "site/en/404.html",
        "<html><body>lost in English</body></html>",
    );
    dir.write("site/en/theme/book.css", "body { color: red }");
    dir.write("site/en/book.js", "let x = 1;");
    dir.write("site/en/favicon.svg", "<svg></svg>");
    dir.write("site/en/fonts/a.woff2", "woff2");
    dir.write("site/data.json", "{}");
    dir.write("secret.txt", "secret");
    let served = dir.path().join("site");
    (dir, served)
}

#[test]
fn files_are_served_with_their_content_type() {
    let (_dir, served) = site();
    let server = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    for (path, content_type, body) in [
        ("/en/ch01.html", "text/html; charset=utf-8", "chapter"),
        (
            "/en/theme/book.css",
            "text/css; charset=utf-8",
            "color: red",
        ),
        ("/en/book.js", "text/javascript; charset=utf-8", "let x"),
        ("/en/favicon.svg", "image/svg+xml", "<svg>"),
        ("/en/fonts/a.woff2", "font/woff2", "woff2"),
        ("/data.json", "application/json", "{}"),
    ] {
        let answer = get(server.addr(), path);
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.header("content-type"), Some(content_type), "{path}");
        assert!(answer.body.contains(body), "{path}: {}", answer.body);
        assert_eq!(
            answer.header("content-length"),
            Some(answer.body.len().to_string().as_str())
        );
    }
    // A query string or an encoded name changes nothing.
    assert_eq!(get(server.addr(), "/en/ch01.html?search=pool").status, 200);
    assert_eq!(
        get(server.addr(), "/en/ch%30%31.html").body,
        get(server.addr(), "/en/ch01.html").body
    );
}

#[test]
fn assets_named_after_their_content_may_be_kept_and_nothing_else() {
    let dir = TestDir::new("server-cache");
    dir.write("site/en/book-609e4cb8.js", "let x = 1;");
    dir.write("site/en/clipboard-1626706a.min.js", "let y = 1;");
    dir.write("site/en/fonts/open-sans-300-7736aa35.woff2", "woff2");
    dir.write("site/en/book.js", "let z = 1;");
    dir.write("site/en/ch05-pool-interface.html", "<html></html>");
    dir.write("site/en/page-deadbeef.html", "<html></html>");
    dir.write("site/en/theme-1234567.css", "body {}");
    let server = StaticServer::start(dir.path().join("site"), "127.0.0.1:0").unwrap();
    let kept = Some("max-age=31536000, immutable");
    for (path, cache) in [
        ("/en/book-609e4cb8.js", kept),
        ("/en/clipboard-1626706a.min.js", kept),
        ("/en/fonts/open-sans-300-7736aa35.woff2", kept),
        ("/en/book.js", Some("no-cache")),
        ("/en/ch05-pool-interface.html", Some("no-cache")),
        ("/en/page-deadbeef.html", Some("no-cache")),
        ("/en/theme-1234567.css", Some("no-cache")),
        ("/en/gone-609e4cb8.js", Some("no-cache")),
    ] {
        assert_eq!(
            get(server.addr(), path).header("cache-control"),
            cache,
            "{path}"
        );
    }
}

#[test]
fn the_root_and_folders_serve_their_index_and_a_folder_needs_its_slash() {
    let (_dir, served) = site();
    let server = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    assert!(get(server.addr(), "/").body.contains("root"));
    assert!(get(server.addr(), "/en/").body.contains("english"));
    let moved = get(server.addr(), "/en?search=x");
    assert_eq!(moved.status, 302);
    assert_eq!(moved.header("location"), Some("/en/?search=x"));
}

#[test]
fn a_missing_file_is_a_404_with_its_folders_404_page() {
    let (_dir, served) = site();
    let server = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    let answer = get(server.addr(), "/en/nowhere.html");
    assert_eq!(answer.status, 404);
    assert!(answer.body.contains("lost in English"), "{}", answer.body);
    let answer = get(server.addr(), "/nowhere/at/all.css");
    assert_eq!(answer.status, 404);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(answer.body.contains("Not found"), "{}", answer.body);
}

#[test]
fn paths_that_climb_out_are_refused() {
    let (_dir, served) = site();
    let server = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    for path in [
        "/../secret.txt",
        "/en/../../secret.txt",
        "/en/%2e%2e/%2E%2E/secret.txt",
        "/en/..%2f..%2fsecret.txt",
        "/.%2e/secret.txt",
        "/en/..\\..\\secret.txt",
        "/en/%5c..%5csecret.txt",
        "secret.txt",
    ] {
        let answer = get(server.addr(), path);
        assert_eq!(answer.status, 400, "{path}");
        assert!(!answer.body.contains("secret"), "{path}: {}", answer.body);
    }
}

#[test]
fn head_answers_the_headers_only_and_other_methods_are_refused() {
    let (_dir, served) = site();
    let server = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    let answer = send(
        server.addr(),
        "HEAD /en/theme/book.css HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(answer.header("content-length"), Some("19"));
    assert_eq!(answer.body, "");
    let answer = send(server.addr(), "HEAD /en/gone.css HTTP/1.1\r\n\r\n");
    assert_eq!((answer.status, answer.body.as_str()), (404, ""));

    let answer = send(
        server.addr(),
        "POST /en/ch01.html HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("GET, HEAD"));
    assert_eq!(send(server.addr(), "nonsense\r\n\r\n").status, 400);
    let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
    assert_eq!(send(server.addr(), &long).status, 431);
}

#[test]
fn every_request_is_logged_with_its_status() {
    let (_dir, served) = site();
    let server = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    get(server.addr(), "/en/ch01.html");
    get(server.addr(), "/en/missing.css");
    send(server.addr(), "HEAD /en/book.js HTTP/1.1\r\n\r\n");
    assert_eq!(
        server.requests(),
        [
            ("/en/ch01.html".to_string(), 200),
            ("/en/missing.css".to_string(), 404),
            ("/en/book.js".to_string(), 200),
        ]
    );
    assert_eq!(server.take_requests().len(), 3);
    assert!(server.requests().is_empty());
}

#[test]
fn many_clients_at_once_are_all_served() {
    let (_dir, served) = site();
    let options = ServerOptions {
        threads: 2,
        ..ServerOptions::default()
    };
    let server = StaticServer::start_with(&served, "127.0.0.1:0", options).unwrap();
    // A client that connects and says nothing holds one worker only.
    let _idle = TcpStream::connect(server.addr()).unwrap();
    thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| assert_eq!(get(server.addr(), "/en/ch01.html").status, 200));
        }
    });
    assert_eq!(server.requests().len(), 8);
}

#[test]
fn the_server_stops_when_dropped() {
    let (_dir, served) = site();
    let server = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    let addr = server.addr();
    assert_eq!(get(server.addr(), "/").status, 200);
    drop(server);
    assert!(
        TcpStream::connect(addr).is_err(),
        "still listening on {addr}"
    );
}

#[test]
fn a_missing_folder_or_a_taken_port_is_a_clear_error() {
    let (dir, served) = site();
    let err = StaticServer::start(dir.path().join("nope"), "127.0.0.1:0")
        .err()
        .unwrap();
    assert!(err.to_string().contains("cannot serve"), "{err}");
    let server = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    let err = StaticServer::start(&served, &server.addr().to_string())
        .err()
        .unwrap();
    assert!(err.to_string().contains("cannot listen on"), "{err}");
}

#[test]
fn live_reload_counts_builds_and_pages_watch_the_count() {
    let counter = LiveReload::default();
    assert_eq!(counter.build(), 0);
    assert_eq!(counter.bump(), 1);
    assert_eq!(counter.clone().bump(), 2, "clones share the count");
    assert_eq!(counter.build(), 2);
    assert!(counter.script().contains("const served = \"2\";"));

    let (_dir, served) = site();
    let plain = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    assert_eq!(get(plain.addr(), LIVE_RELOAD_PATH).status, 404);
    assert!(
        !get(plain.addr(), "/en/ch01.html")
            .body
            .contains(LIVE_RELOAD_PATH)
    );

    let live_reload = LiveReload::default();
    let options = ServerOptions {
        live_reload: Some(live_reload.clone()),
        ..ServerOptions::default()
    };
    let server = StaticServer::start_with(&served, "127.0.0.1:0", options).unwrap();
    let answer = get(server.addr(), LIVE_RELOAD_PATH);
    assert_eq!((answer.status, answer.body.as_str()), (200, "0"));
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    live_reload.bump();
    assert_eq!(
        get(server.addr(), &format!("{LIVE_RELOAD_PATH}?t=5")).body,
        "1"
    );

    let page = get(server.addr(), "/en/ch01.html");
    let script = page.body.find("<script>").expect(&page.body);
    assert!(script < page.body.find("</body>").unwrap(), "{}", page.body);
    assert!(page.body.contains("const served = \"1\";"), "{}", page.body);
    assert_eq!(
        page.header("content-length"),
        Some(page.body.len().to_string().as_str())
    );
    assert!(
        get(server.addr(), "/en/nowhere.html")
            .body
            .contains(LIVE_RELOAD_PATH)
    );
    assert_eq!(
        get(server.addr(), "/en/theme/book.css").body,
        "body { color: red }"
    );
    // Polls are not logged; the pages are.
    assert_eq!(server.requests().len(), 3, "{:?}", server.requests());
}

/// [`site`] with the site's own `404.html`, as `build_site` writes it.
fn site_with_its_404_page() -> (TestDir, PathBuf) {
    let (dir, served) = site();
    dir.write(
        "site/404.html",
        "<html><body>the site's own 404 page</body></html>",
    );
    (dir, served)
}

fn under(prefix: &str) -> ServerOptions {
    ServerOptions {
        prefix: prefix.to_string(),
        ..ServerOptions::default()
    }
}

#[test]
fn a_missing_file_at_any_depth_is_the_sites_404_page() {
    let (_dir, served) = site_with_its_404_page();
    let server = StaticServer::start(&served, "127.0.0.1:0").unwrap();
    for path in [
        "/nowhere",
        "/nowhere.html",
        "/en/nowhere.html",
        "/en/deep/er/nowhere.css",
        "/fr/",
    ] {
        let answer = get(server.addr(), path);
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(
            answer.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(
            answer.body.contains("the site's own 404 page"),
            "{path}: {}",
            answer.body
        );
    }
    assert_eq!(get(server.addr(), "/404.html").status, 200);
}

#[test]
fn under_a_prefix_the_site_is_served_as_github_pages_serves_a_project() {
    let (_dir, served) = site_with_its_404_page();
    for prefix in ["/repo", "repo", "/repo/"] {
        let server = StaticServer::start_with(&served, "127.0.0.1:0", under(prefix)).unwrap();
        assert!(
            get(server.addr(), "/repo/").body.contains("root"),
            "{prefix}"
        );
        assert!(get(server.addr(), "/repo/en/").body.contains("english"));
        let answer = get(server.addr(), "/repo/en/ch%30%31.html?x=1");
        assert_eq!(
            (answer.status, answer.body.contains("chapter")),
            (200, true)
        );
        for (path, location) in [
            ("/repo", "/repo/"),
            ("/repo?lang=es", "/repo/?lang=es"),
            ("/repo/en", "/repo/en/"),
        ] {
            let moved = get(server.addr(), path);
            assert_eq!(moved.status, 302, "{path}");
            assert_eq!(moved.header("location"), Some(location), "{path}");
        }
        // The site's 404 page for what is missing inside it, at any depth.
        for path in ["/repo/nowhere", "/repo/en/deep/nowhere.html"] {
            let answer = get(server.addr(), path);
            assert_eq!(answer.status, 404, "{path}");
            assert!(answer.body.contains("the site's own 404 page"), "{path}");
        }
        // Outside the prefix nothing is the site's.
        for path in ["/", "/en/ch01.html", "/repository/en/ch01.html", "/rep"] {
            let answer = get(server.addr(), path);
            assert_eq!(answer.status, 404, "{path}");
            assert!(
                answer.body.contains("<a href=\"/repo/\">"),
                "{path}: {}",
                answer.body
            );
        }
        for path in ["/repo/../secret.txt", "/repo/en/%2e%2e/%2e%2e/secret.txt"] {
            assert_eq!(get(server.addr(), path).status, 400, "{path}");
        }
    }
    // A prefix of `/` or nothing is the root.
    let server = StaticServer::start_with(&served, "127.0.0.1:0", under("/")).unwrap();
    assert!(get(server.addr(), "/en/ch01.html").body.contains("chapter"));
}

#[test]
fn under_a_prefix_live_reload_answers_at_its_usual_path_and_404_pages_reload_too() {
    let (_dir, served) = site_with_its_404_page();
    let live_reload = LiveReload::default();
    let options = ServerOptions {
        live_reload: Some(live_reload.clone()),
        ..under("/books/pool")
    };
    let server = StaticServer::start_with(&served, "127.0.0.1:0", options).unwrap();
    live_reload.bump();
    assert_eq!(get(server.addr(), LIVE_RELOAD_PATH).body, "1");
    let page = get(server.addr(), "/books/pool/en/ch01.html");
    assert!(page.body.contains("const served = \"1\";"), "{}", page.body);
    let missing = get(server.addr(), "/books/pool/en/gone.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("the site's own 404 page"));
    assert!(missing.body.contains(LIVE_RELOAD_PATH), "{}", missing.body);
    assert_eq!(
        server.requests(),
        [
            ("/books/pool/en/ch01.html".to_string(), 200),
            ("/books/pool/en/gone.html".to_string(), 404),
        ]
    );
}

#[test]
fn a_prefix_that_is_not_a_plain_path_is_a_clear_error() {
    let (_dir, served) = site();
    for prefix in [
        "/a/../b", "/a//b", "/my repo", "/re%70o", "/repo?x", "/repo#x", "/a\\b",
    ] {
        let err = StaticServer::start_with(&served, "127.0.0.1:0", under(prefix))
            .err()
            .unwrap_or_else(|| panic!("`{prefix}` was accepted"));
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{prefix}");
        assert!(
            err.to_string()
                .contains(&format!("cannot serve under `{prefix}`")),
            "{err}"
        );
    }
}
