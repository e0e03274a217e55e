//! The site's root page: it sends a reader to the book in the language
//! their browser prefers, and without JavaScript it is simply a list of
//! the languages.

use crate::BaseUrl;
use crate::plain_page::{PlainPage, plain_page};
use crate::reader_language::reader_language_script;
use book_languages::{DEFAULT_LANGUAGE, Language};
use mdbook_listings::html::escape;

/// The root page (`index.html`) for a site holding `languages`, each in its
/// own folder, the default language first. Each language is listed with
/// the book's title and description in it, from the table of languages;
/// the page itself is in the default language.
/// With the `base` the site is published at, its `hreflang` alternates and
/// its canonical link are absolute (search engines ignore relative ones);
/// without, the alternates are relative and there is no canonical link.
///
/// The script runs in the head, before anything is painted, and replaces
/// the page with the first page of the book in the reader's language.
pub fn root_page(languages: &[&Language], base: Option<&BaseUrl>) -> String {
    let default = languages
        .iter()
        .find(|language| language.code == DEFAULT_LANGUAGE)
        .or(languages.first())
        .copied()
        .unwrap_or(book_languages::DEFAULT);
    let at = |relative: &str| match base {
        Some(base) => escape(&base.join(relative)),
        None => relative.to_string(),
    };
    let mut head = format!(
        "    <meta name=\"description\" content=\"{}\">\n",
        escape(default.description)
    );
    if let Some(base) = base {
        head.push_str(&format!(
            "    <link rel=\"canonical\" href=\"{}\">\n",
            escape(base.as_str())
        ));
    }
    let mut links = String::new();
    for language in languages {
        let code = language.code;
        head.push_str(&format!(
            "    <link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\">\n",
            at(&format!("{code}/index.html"))
        ));
        links.push_str(&format!(
            "        <li lang=\"{code}\"><a href=\"{code}/index.html\" hreflang=\"{code}\">{} · \
             <cite>{}</cite></a>\n          <p>{}</p></li>\n",
            escape(language.name),
            escape(language.title),
            escape(language.description)
        ));
    }
    let x_default = match base {
        Some(base) => escape(base.as_str()),
        None => "./".to_string(),
    };
    head.push_str(&format!(
        "    <link rel=\"alternate\" hreflang=\"x-default\" href=\"{x_default}\">\n"
    ));
    head.push_str(&format!(
        "    <script>
      // The book in the reader's language; the links below without JavaScript.
      (function () {{
        \"use strict\";
{}        location.replace(readerBook() + \"/index.html\" + location.hash);
      }})();
    </script>
",
        reader_language_script(languages)
    ));
    let main = format!(
        "      <h1>{}</h1>\n      <ul>\n{links}      </ul>\n",
        escape(default.title)
    );
    plain_page(&PlainPage {
        lang: default.code,
        title: default.title,
        head: &head,
        main: &main,
        after_main: "",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use book_languages::LANGUAGES;

    fn page(base: Option<&str>) -> String {
        let all: Vec<&Language> = LANGUAGES.iter().collect();
        let base = base.map(|text| BaseUrl::parse(text).unwrap());
        root_page(&all, base.as_ref())
    }

    #[test]
    fn the_root_page_links_every_language_plainly() {
        let html = page(None);
        for (code, name) in [
            ("en", "English"),
            ("pt-BR", "Português (Brasil)"),
            ("es", "Español"),
        ] {
            assert!(
                html.contains(&format!(
                    "<li lang=\"{code}\"><a href=\"{code}/index.html\" hreflang=\"{code}\">{name} · "
                )),
                "{html}"
            );
            assert!(html.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"{code}\" href=\"{code}/index.html\">"
            )));
        }
        assert!(html.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"./\">"));
        assert!(
            !html.contains("canonical"),
            "no base, no canonical:\n{html}"
        );
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<meta name=\"viewport\""));
        assert!(!html.contains("<noscript"));
        assert!(html.contains("<title>A Thread Pool, Compiler First</title>"));
        assert!(html.contains("<h1>A Thread Pool, Compiler First</h1>"));
        // Each language with the book's title and description in it.
        for language in LANGUAGES {
            assert!(
                html.contains(&format!(
                    "<li lang=\"{}\"><a href=\"{}/index.html\" hreflang=\"{}\">{} · \
                     <cite>{}</cite></a>\n          <p>{}</p></li>",
                    language.code,
                    language.code,
                    language.code,
                    escape(language.name),
                    escape(language.title),
                    escape(language.description)
                )),
                "{html}"
            );
        }
        assert!(html.contains("<cite>Um pool de threads, com o compilador à frente</cite>"));
    }

    #[test]
    fn published_at_a_base_its_alternates_and_canonical_are_absolute() {
        let html = page(Some("https://owner.github.io/repo"));
        for code in ["en", "pt-BR", "es"] {
            assert!(
                html.contains(&format!(
                    "<link rel=\"alternate\" hreflang=\"{code}\" \
                     href=\"https://owner.github.io/repo/{code}/index.html\">"
                )),
                "{html}"
            );
            // The reader's links stay relative: they work wherever the page is.
            assert!(html.contains(&format!("<a href=\"{code}/index.html\"")));
        }
        assert!(html.contains(
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://owner.github.io/repo/\">"
        ));
        assert!(html.contains("<link rel=\"canonical\" href=\"https://owner.github.io/repo/\">"));
        assert_eq!(html.matches("rel=\"canonical\"").count(), 1);
    }

    #[test]
    fn the_root_page_redirects_in_its_head_and_loads_nothing() {
        let html = page(None);
        let head = &html[..html.find("</head>").unwrap()];
        assert!(
            head.contains("var books = [\"en\", \"pt-BR\", \"es\"];"),
            "{head}"
        );
        assert!(head.contains("return \"en\";"), "{head}");
        assert!(head.contains("location.replace(readerBook() + \"/index.html\""));
        // No asset to fetch: no src, and the only href outside the links is
        // the empty icon (so the browser does not ask for /favicon.ico).
        assert!(!html.contains(" src="), "{html}");
        let hrefs: Vec<&str> = html
            .split("href=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert!(
            hrefs
                .iter()
                .all(|h| *h == "data:," || *h == "./" || h.ends_with("/index.html")),
            "{hrefs:?}"
        );
    }
}
