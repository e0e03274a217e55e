//! What the site adds to every page mdBook built: `hreflang` alternates in
//! the head, and a language picker in the top menu bar. Both are plain
//! links to the same page in the other languages, so they work with
//! JavaScript off; `theme/language-picker.js` only carries the `#section`
//! along. When the site knows the address it is published at, the
//! alternates are absolute and every page gets a canonical link too:
//! search engines ignore relative ones.

use crate::BaseUrl;
use crate::url::encode_path;
use book_languages::{DEFAULT_LANGUAGE, Language};
use mdbook_listings::html::escape;
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// mdBook's top menu bar, and the group of buttons on its right, where the
/// picker goes (before the print button).
const MENU_BAR: &str = "id=\"mdbook-menu-bar\"";
const RIGHT_BUTTONS: &str = "<div class=\"right-buttons\">";
/// What marks a page as already decorated: the picker, or an alternate.
const PICKER_CLASS: &str = "class=\"language-picker\"";
const ALTERNATE: &str = "<link rel=\"alternate\" hreflang=";
/// mdBook's 404 page resolves its links from its `site-url`, by default
/// `/`, the server's root. Built without a base, each language lives in
/// its own folder, and the page's relative links are right from there:
/// this base goes. Built with one, `site-url` is the language's folder
/// under the base (`/repo/en/`) and stays, so that the page works at any
/// depth.
const ROOT_BASE: &str = "<base href=\"/\">";

/// Decorates every HTML page of every language under `site`
/// (`site/LANG/…`). A page links only to the languages that have a page at
/// the same path. `base` is where the site is published, if known.
pub fn decorate_site(
    site: &Path,
    languages: &[&Language],
    base: Option<&BaseUrl>,
) -> Result<(), String> {
    for here in languages {
        let dir = site.join(here.code);
        for page in html_pages(&dir)? {
            let available: Vec<&Language> = languages
                .iter()
                .copied()
                .filter(|other| site.join(other.code).join(&page).is_file())
                .collect();
            let path = dir.join(&page);
            let html = fs::read_to_string(&path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
            let page = page_name(&page);
            let decorated = decorate_page(&html, &page, here, &available, base)
                .map_err(|err| format!("{}: {err}", path.display()))?;
            if decorated != html {
                fs::write(&path, decorated)
                    .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
            }
        }
    }
    Ok(())
}

/// One page of the `here` language at `page` (its path in the language's
/// folder, `/`-separated), with `available` the languages that have it
/// (`here` included). Adds an alternate link per available language and an
/// `x-default` one (to the default language), and, on pages with mdBook's
/// menu bar, the picker. With the `base` the site is published at, the
/// alternates are absolute URLs and a canonical link names the page's own
/// (the picker's links stay relative: they work wherever the site is
/// served). A page without a `</head>` is not an mdBook page and is left
/// as it is; so is a page already decorated.
pub fn decorate_page(
    html: &str,
    page: &str,
    here: &Language,
    available: &[&Language],
    base: Option<&BaseUrl>,
) -> Result<String, String> {
    if html.contains(PICKER_CLASS) || html.contains(ALTERNATE) {
        return Ok(html.to_string());
    }
    let mut html = html.to_string();
    let depth = if let Some(at) = html.find(ROOT_BASE) {
        html.replace_range(at..at + ROOT_BASE.len(), "");
        page.matches('/').count()
    } else if html.contains("<base ") {
        // Any other base is taken to be the language's folder.
        0
    } else {
        page.matches('/').count()
    };
    let to_root = "../".repeat(depth + 1);
    let in_language = |language: &Language| format!("{}/{}", language.code, encode_path(page));
    let href = |language: &Language| format!("{to_root}{}", in_language(language));
    let absolute = |language: &Language| match base {
        Some(base) => escape(&base.join(&in_language(language))),
        None => href(language),
    };

    let Some(head_end) = html.find("</head>") else {
        return Ok(html);
    };
    let mut links = String::new();
    if base.is_some() {
        links.push_str(&format!(
            "    <link rel=\"canonical\" href=\"{}\">\n    ",
            absolute(here)
        ));
    }
    let default = available.iter().find(|l| l.code == DEFAULT_LANGUAGE);
    let x_default = default.map(|language| ("x-default", *language));
    let hreflangs = available.iter().map(|l| (l.code, *l)).chain(x_default);
    for (hreflang, language) in hreflangs {
        links.push_str(&format!(
            "    {ALTERNATE}\"{hreflang}\" href=\"{}\">\n    ",
            absolute(language)
        ));
    }
    links.push_str(&open_graph(
        &html[..head_end],
        here,
        base.map(|_| absolute(here)),
    ));
    html.insert_str(head_end, &links);

    if html.contains(MENU_BAR) {
        let Some(at) = html.find(RIGHT_BUTTONS) else {
            return Err(format!(
                "mdBook's menu bar has no `{RIGHT_BUTTONS}` to put the language picker in; \
                 its page template changed: update RIGHT_BUTTONS in site/src/decorate.rs"
            ));
        };
        let picker = picker(here, available, &href);
        html.insert_str(at + RIGHT_BUTTONS.len(), &picker);
    }
    Ok(html)
}

/// Open Graph tags, for the preview a link to the page gets when shared:
/// the page's own `<title>` (mdBook's "Chapter - Book"), and the book's
/// title and description in the page's language; its absolute `url` when
/// the site's address is known.
fn open_graph(head: &str, here: &Language, url: Option<String>) -> String {
    let title = head
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(title, _)| decode_text(title.trim()))
        .unwrap_or_else(|| here.title.to_string());
    let mut tags = vec![
        ("og:type", "website".to_string()),
        ("og:site_name", escape(here.title)),
        ("og:title", escape(&title)),
        ("og:description", escape(here.description)),
        ("og:locale", here.code.replace('-', "_")),
    ];
    if let Some(url) = url {
        tags.push(("og:url", url));
    }
    tags.into_iter()
        .map(|(property, content)| {
            format!("<meta property=\"{property}\" content=\"{content}\">\n    ")
        })
        .collect()
}

/// The text of an element as mdBook writes it (`&amp;`, `&lt;`, `&gt;`,
/// `&quot;`, `&#39;` escaped), as plain text.
fn decode_text(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The picker: one plain link per language, the current one marked.
fn picker(here: &Language, available: &[&Language], href: &dyn Fn(&Language) -> String) -> String {
    let mut nav = format!(
        "\n                        <nav {PICKER_CLASS} aria-label=\"{}\">",
        escape(here.picker_label)
    );
    for language in available {
        let current = if language.code == here.code {
            " aria-current=\"page\""
        } else {
            ""
        };
        nav.push_str(&format!(
            "<a href=\"{}\" hreflang=\"{code}\" lang=\"{code}\" data-short=\"{}\"{current}>\
             <span class=\"language-name\">{}</span></a>",
            href(language),
            escape(language.short),
            escape(language.name),
            code = language.code,
        ));
    }
    nav.push_str("</nav>");
    nav
}

/// Every `.html` file under `dir`, relative to it, sorted.
pub(crate) fn html_pages(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut pages = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
        let path = entry.path();
        if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "html") {
            let relative = path
                .strip_prefix(dir)
                .expect("walkdir stays under its root");
            pages.push(relative.to_path_buf());
        }
    }
    pages.sort();
    Ok(pages)
}

/// A relative path as a URL path: `/`-separated.
fn page_name(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    fn base() -> BaseUrl {
        BaseUrl::parse("https://owner.github.io/repo").unwrap()
    }
    use book_languages::language;

    /// The parts of an mdBook page that decorating touches.
    const PAGE: &str = "<!DOCTYPE HTML>\n<html lang=\"pt-BR\">\n    <head>\n        \
        <title>Ouvindo</title>\n    </head>\n    <body>\n        \
        <div id=\"mdbook-menu-bar\" class=\"menu-bar sticky\">\n            \
        <h1 class=\"menu-title\">Livro</h1>\n            \
        <div class=\"right-buttons\">\n                \
        <a href=\"print.html\">print</a>\n            </div>\n        </div>\n        \
        <h2 id=\"ch01-listening-on-a-port\">Porta</h2>\n    </body>\n</html>\n";

    fn all() -> Vec<&'static Language> {
        ["en", "pt-BR", "es"]
            .iter()
            .map(|code| language(code).unwrap())
            .collect()
    }

    #[test]
    fn a_page_gets_alternates_for_every_language_and_x_default() {
        let pt = language("pt-BR").unwrap();
        let html = decorate_page(PAGE, "ch01-listening.html", pt, &all(), None).unwrap();
        let head = &html[..html.find("</head>").unwrap()];
        for (lang, href) in [
            ("en", "../en/ch01-listening.html"),
            ("pt-BR", "../pt-BR/ch01-listening.html"),
            ("es", "../es/ch01-listening.html"),
            ("x-default", "../en/ch01-listening.html"),
        ] {
            let link = format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\">");
            assert!(head.contains(&link), "no {link} in:\n{head}");
        }
        assert_eq!(html.matches("rel=\"alternate\"").count(), 4, "{html}");
    }

    #[test]
    fn a_page_gets_open_graph_tags_in_its_language() {
        let pt = language("pt-BR").unwrap();
        let page = PAGE.replace(
            "<title>Ouvindo</title>",
            "<title>Ouvindo &amp; lendo</title>",
        );
        let html = decorate_page(&page, "ch01-listening.html", pt, &all(), None).unwrap();
        let head = &html[..html.find("</head>").unwrap()];
        for tag in [
            "<meta property=\"og:title\" content=\"Ouvindo &amp; lendo\">",
            "<meta property=\"og:site_name\" content=\"Um pool de threads, com o compilador à \
             frente\">",
            "<meta property=\"og:description\" content=\"Construa um servidor web multithread em \
             Rust, um erro do compilador por vez\">",
            "<meta property=\"og:locale\" content=\"pt_BR\">",
        ] {
            assert!(head.contains(tag), "no {tag} in:\n{head}");
        }
        assert!(!head.contains("og:url"), "no base, no url: {head}");
        let html = decorate_page(&page, "ch01-listening.html", pt, &all(), Some(&base())).unwrap();
        assert!(
            html.contains(
                "<meta property=\"og:url\" \
                 content=\"https://owner.github.io/repo/pt-BR/ch01-listening.html\">"
            ),
            "{html}"
        );
    }

    #[test]
    fn the_picker_sits_in_the_menu_bar_with_the_current_language_marked() {
        let pt = language("pt-BR").unwrap();
        let html = decorate_page(PAGE, "ch01-listening.html", pt, &all(), None).unwrap();
        let start = html.find("<nav class=\"language-picker\"").expect(&html);
        let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
        assert!(
            html[..start].ends_with(&format!("{RIGHT_BUTTONS}\n                        ")),
            "the picker opens the right-hand buttons:\n{html}"
        );
        assert!(nav.contains("aria-label=\"Idioma\""), "{nav}");
        assert!(
            nav.contains(
                "<a href=\"../pt-BR/ch01-listening.html\" hreflang=\"pt-BR\" lang=\"pt-BR\" \
                 data-short=\"PT\" aria-current=\"page\"><span class=\"language-name\">\
                 Português (Brasil)</span></a>"
            ),
            "{nav}"
        );
        assert!(
            nav.contains(
                "<a href=\"../en/ch01-listening.html\" hreflang=\"en\" lang=\"en\" \
                 data-short=\"EN\"><span class=\"language-name\">English</span></a>"
            ),
            "{nav}"
        );
        assert!(nav.contains(">Español</span>"), "{nav}");
        assert_eq!(nav.matches("aria-current").count(), 1, "{nav}");
        assert_eq!(nav.matches("<a ").count(), 3, "{nav}");
        // In the order of the book's languages.
        let at = |name: &str| nav.find(name).unwrap();
        assert!(at("English") < at("Português") && at("Português") < at("Español"));
    }

    #[test]
    fn a_language_without_the_page_is_not_linked() {
        let en = language("en").unwrap();
        let es = language("es").unwrap();
        let html = decorate_page(PAGE, "only-here.html", es, &[es], None).unwrap();
        assert!(!html.contains("../en/"), "{html}");
        assert!(!html.contains("hreflang=\"x-default\""), "{html}");
        assert!(html.contains("hreflang=\"es\" href=\"../es/only-here.html\""));
        assert!(
            !html.contains("canonical"),
            "no base, no canonical:\n{html}"
        );

        let html = decorate_page(PAGE, "only-here.html", en, &[en], None).unwrap();
        assert!(html.contains("hreflang=\"x-default\" href=\"../en/only-here.html\""));
        assert!(!html.contains("../es/") && !html.contains("../pt-BR/"));
    }

    #[test]
    fn pages_in_folders_and_the_404_page_reach_the_other_languages() {
        let en = language("en").unwrap();
        let html = decorate_page(PAGE, "part/one page.html", en, &all(), None).unwrap();
        assert!(
            html.contains("href=\"../../es/part/one%20page.html\""),
            "{html}"
        );

        let not_found = PAGE.replace("<head>", "<head>\n        <base href=\"/\">");
        let html = decorate_page(&not_found, "404.html", en, &all(), None).unwrap();
        assert!(!html.contains("<base"), "{html}");
        assert!(html.contains("href=\"../es/404.html\""), "{html}");
    }

    #[test]
    fn pages_without_a_menu_bar_get_alternates_only_and_decorating_twice_changes_nothing() {
        let en = language("en").unwrap();
        let toc = "<html><head><title>toc</title></head><body><ol></ol></body></html>";
        let html = decorate_page(toc, "toc.html", en, &all(), None).unwrap();
        assert!(!html.contains("language-picker"), "{html}");
        assert_eq!(html.matches("rel=\"alternate\"").count(), 4, "{html}");

        let once = decorate_page(PAGE, "a.html", en, &all(), None).unwrap();
        assert_eq!(
            decorate_page(&once, "a.html", en, &all(), None).unwrap(),
            once
        );
        let once = decorate_page(toc, "toc.html", en, &all(), None).unwrap();
        assert_eq!(
            decorate_page(&once, "toc.html", en, &all(), None).unwrap(),
            once
        );

        let fragment = "<p>not a page</p>";
        assert_eq!(
            decorate_page(fragment, "f.html", en, &all(), None).unwrap(),
            fragment
        );
    }

    #[test]
    fn published_at_a_base_alternates_and_canonical_are_absolute() {
        let pt = language("pt-BR").unwrap();
        let html = decorate_page(PAGE, "part/one page.html", pt, &all(), Some(&base())).unwrap();
        let head = &html[..html.find("</head>").unwrap()];
        let site = "https://owner.github.io/repo";
        assert!(
            head.contains(&format!(
                "<link rel=\"canonical\" href=\"{site}/pt-BR/part/one%20page.html\">"
            )),
            "{head}"
        );
        for (lang, code) in [
            ("en", "en"),
            ("pt-BR", "pt-BR"),
            ("es", "es"),
            ("x-default", "en"),
        ] {
            let link = format!(
                "<link rel=\"alternate\" hreflang=\"{lang}\" \
                 href=\"{site}/{code}/part/one%20page.html\">"
            );
            assert!(head.contains(&link), "no {link} in:\n{head}");
        }
        assert_eq!(html.matches("rel=\"canonical\"").count(), 1, "{html}");
        // The picker's links stay relative: they work wherever it is served.
        assert!(
            html.contains("<a href=\"../../es/part/one%20page.html\" hreflang=\"es\""),
            "{html}"
        );
        assert_eq!(
            decorate_page(&html, "part/one page.html", pt, &all(), Some(&base())).unwrap(),
            html,
            "decorating twice changes nothing"
        );
    }

    #[test]
    fn published_at_a_base_the_404_page_keeps_its_base_and_reaches_the_other_languages() {
        let es = language("es").unwrap();
        // mdBook writes `site-url`, the language's folder under the base.
        let not_found = PAGE.replace("<head>", "<head>\n        <base href=\"/repo/es/\">");
        let html = decorate_page(&not_found, "404.html", es, &all(), Some(&base())).unwrap();
        assert!(html.contains("<base href=\"/repo/es/\">"), "{html}");
        // Resolved from /repo/es/, at any depth of the missing address.
        assert!(
            html.contains("<a href=\"../en/404.html\" hreflang=\"en\""),
            "{html}"
        );
        assert!(html.contains(
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://owner.github.io/repo/en/404.html\">"
        ));
    }

    #[test]
    fn a_menu_bar_without_its_right_buttons_is_an_error() {
        let en = language("en").unwrap();
        let changed = PAGE.replace("right-buttons", "end-buttons");
        let err = decorate_page(&changed, "a.html", en, &all(), None).unwrap_err();
        assert!(err.contains("site/src/decorate.rs"), "{err}");
    }

    #[test]
    fn a_whole_site_links_only_pages_that_exist() {
        let site = TestDir::new("decorate");
        for lang in ["en", "pt-BR", "es"] {
            site.write(&format!("{lang}/index.html"), PAGE);
        }
        site.write("en/only-english.html", PAGE);
        site.write("en/theme/note.txt", "not a page");
        decorate_site(site.path(), &all(), None).unwrap();

        let only = site.read("en/only-english.html");
        assert!(only.contains("language-picker"), "{only}");
        assert!(
            !only.contains("../es/") && !only.contains("../pt-BR/"),
            "{only}"
        );
        let index = site.read("es/index.html");
        for lang in ["en", "pt-BR", "es"] {
            assert!(index.contains(&format!("href=\"../{lang}/index.html\"")));
        }
        assert_eq!(site.read("en/theme/note.txt"), "not a page");
    }
}
