//! The site's root `404.html`. GitHub Pages (like [`crate::StaticServer`])
//! answers any missing address of the site with it, however deep, so it
//! must not depend on where it is shown from.
//!
//! It says "page not found" in every language of the book, each with a
//! link to that book's first page; a script puts first the language of the
//! book the missing address was in (`…/es/gone.html`), or else the one the
//! browser prefers. The page keeps the address the reader asked for, and
//! works without JavaScript.

use crate::BaseUrl;
use crate::plain_page::{PlainPage, plain_page};
use crate::reader_language::reader_language_script;
use book_languages::{DEFAULT_LANGUAGE, Language};
use mdbook_listings::html::escape;

/// The root 404 page of a site holding `languages`, for the book titled
/// `title` (plain text).
///
/// With the `base` the site is published at, the page has a
/// `<base href>` of the base's path (`/repo/`), so its links are right
/// from any depth. Without one it cannot know where the site's root is:
/// its links are relative, right when it is shown from the site's root
/// folder (`/gone.html`), and the script assumes the site is at the
/// host's root.
pub fn not_found_page(title: &str, languages: &[&Language], base: Option<&BaseUrl>) -> String {
    let root = base.map_or("/", BaseUrl::path);
    let mut head = String::from("    <meta name=\"robots\" content=\"noindex\">\n");
    if base.is_some() {
        head.push_str(&format!("    <base href=\"{}\">\n", escape(root)));
    }
    let mut items = String::new();
    for language in languages {
        let code = language.code;
        items.push_str(&format!(
            "        <li lang=\"{code}\" data-language=\"{code}\">\n          \
             <h2>{}</h2>\n          \
             <a href=\"{code}/index.html\" hreflang=\"{code}\">{}</a>\n        </li>\n",
            escape(language.page_not_found),
            escape(language.to_first_page)
        ));
    }
    let main = format!(
        "      <h1>{}</h1>\n      <ul>\n{items}      </ul>\n",
        escape(title)
    );
    let after_main = format!(
        "    <script>
      // The reader's language first: the book of the missing address, or
      // else the browser's choice.
      (function () {{
        \"use strict\";
{}        var root = \"{}\";
        var path = location.pathname;
        var folder = path.indexOf(root) === 0 ? path.slice(root.length).split(\"/\")[0] : \"\";
        var chosen = books.indexOf(folder) >= 0 ? folder : readerBook();
        var item = document.querySelector(\"[data-language='\" + chosen + \"']\");
        if (item && item.parentNode.firstElementChild !== item) {{
          item.parentNode.insertBefore(item, item.parentNode.firstElementChild);
        }}
      }})();
    </script>
",
        reader_language_script(languages),
        root
    );
    let titles: Vec<&str> = languages.iter().map(|l| l.page_not_found).collect();
    plain_page(&PlainPage {
        lang: DEFAULT_LANGUAGE,
        title: &format!("{} · {title}", titles.join(" · ")),
        head: &head,
        main: &main,
        after_main: &after_main,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_links::{base_href, links, resolve};
    use book_languages::LANGUAGES;

    fn all() -> Vec<&'static Language> {
        LANGUAGES.iter().collect()
    }

    #[test]
    fn the_page_says_not_found_in_every_language_with_a_link_to_each_book() {
        let html = not_found_page("Pools & Threads", &all(), None);
        for language in LANGUAGES {
            let code = language.code;
            assert!(
                html.contains(&format!(
                    "<li lang=\"{code}\" data-language=\"{code}\">\n          <h2>{}</h2>\n          \
                     <a href=\"{code}/index.html\" hreflang=\"{code}\">{}</a>",
                    language.page_not_found,
                    escape(language.to_first_page)
                )),
                "{code}:\n{html}"
            );
        }
        assert!(html.contains(
            "<title>Page not found · Página não encontrada · Página no encontrada · \
             Pools &amp; Threads</title>"
        ));
        assert!(html.contains("<h1>Pools &amp; Threads</h1>"), "{html}");
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
        // Nothing to fetch, so nothing that could fail from any address.
        assert!(!html.contains(" src="), "{html}");
        assert!(!html.contains("<link rel=\"stylesheet\""), "{html}");
    }

    #[test]
    fn without_a_base_the_links_are_right_from_the_sites_root() {
        let html = not_found_page("Book", &all(), None);
        assert!(!html.contains("<base"), "{html}");
        assert!(html.contains("var root = \"/\";"), "{html}");
        let targets: Vec<String> = links(&html)
            .iter()
            .filter_map(|link| resolve("/gone.html", None, link))
            .collect();
        assert_eq!(
            targets,
            ["/en/index.html", "/pt-BR/index.html", "/es/index.html"]
        );
    }

    #[test]
    fn with_a_base_the_links_are_right_from_any_depth() {
        let base = BaseUrl::parse("https://owner.github.io/repo").unwrap();
        let html = not_found_page("Book", &all(), Some(&base));
        assert!(html.contains("<base href=\"/repo/\">"), "{html}");
        assert!(html.contains("var root = \"/repo/\";"), "{html}");
        for missing in [
            "/repo/gone",
            "/repo/gone.html",
            "/repo/en/gone.html",
            "/repo/pt-BR/deep/er/still/gone.html",
            "/repo/es/a/",
        ] {
            let base = base_href(&html);
            let targets: Vec<String> = links(&html)
                .iter()
                .filter(|link| Some(*link) != base.as_ref())
                .filter_map(|link| resolve(missing, base.as_deref(), link))
                .collect();
            assert_eq!(
                targets,
                [
                    "/repo/en/index.html",
                    "/repo/pt-BR/index.html",
                    "/repo/es/index.html"
                ],
                "from {missing}"
            );
        }

        let at_host_root = BaseUrl::parse("https://book.example.org/").unwrap();
        let html = not_found_page("Book", &all(), Some(&at_host_root));
        assert!(html.contains("<base href=\"/\">"), "{html}");
    }

    #[test]
    fn the_script_puts_the_readers_language_first() {
        let html = not_found_page("Book", &all(), None);
        let script = &html[html.rfind("<script>").unwrap()..];
        assert!(script.contains("var books = [\"en\", \"pt-BR\", \"es\"];"));
        assert!(script.contains("books.indexOf(folder) >= 0 ? folder : readerBook()"));
        assert!(script.contains("insertBefore(item"), "{script}");
        // After the list it moves, not in the head.
        assert!(html.find("</main>").unwrap() < html.rfind("<script>").unwrap());
    }
}
