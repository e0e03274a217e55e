//! The site's root page: it sends a reader to the book in the language
//! their browser prefers, and without JavaScript it is simply a list of
//! the languages.

use book_languages::{DEFAULT_LANGUAGE, Language};

/// The root page (`index.html`) for a site holding `languages`, each in its
/// own folder. `title` and `description` are the book's, as plain text.
///
/// The script runs in the head, before anything is painted: it picks the
/// first of `navigator.languages` that names one of the books, by its
/// whole tag or by its primary subtag (`pt-PT` and `pt` read `pt-BR`,
/// `es-MX` reads `es`), and otherwise the default language, and replaces
/// the page with that book's first page. The page needs nothing else: no
/// stylesheet, image or font of its own.
pub fn root_page(title: &str, description: &str, languages: &[&Language]) -> String {
    let title = escape_html(title);
    let description = escape_html(description);
    let codes: Vec<String> = languages
        .iter()
        .map(|l| format!("\"{}\"", l.code))
        .collect();
    let codes = codes.join(", ");
    let mut alternates = String::new();
    let mut links = String::new();
    for language in languages {
        let code = language.code;
        alternates.push_str(&format!(
            "    <link rel=\"alternate\" hreflang=\"{code}\" href=\"{code}/index.html\">\n"
        ));
        links.push_str(&format!(
            "      <li><a href=\"{code}/index.html\" hreflang=\"{code}\" lang=\"{code}\">{}</a></li>\n",
            language.name
        ));
    }
    alternates.push_str("    <link rel=\"alternate\" hreflang=\"x-default\" href=\"./\">\n");
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{title}</title>
    <meta name="description" content="{description}">
    <link rel="icon" href="data:,">
{alternates}    <script>
      // The book in the reader's language; the links below without JavaScript.
      (function () {{
        "use strict";
        var books = [{codes}];
        var wanted = navigator.languages && navigator.languages.length
          ? navigator.languages
          : [navigator.language || ""];
        function book(tag) {{
          tag = String(tag).toLowerCase();
          var primary = tag.split("-")[0];
          var i;
          for (i = 0; i < books.length; i++) {{
            if (books[i].toLowerCase() === tag) return books[i];
          }}
          for (i = 0; i < books.length; i++) {{
            if (books[i].toLowerCase().split("-")[0] === primary) return books[i];
          }}
          return null;
        }}
        var chosen = "{DEFAULT_LANGUAGE}";
        for (var i = 0; i < wanted.length; i++) {{
          var found = book(wanted[i]);
          if (found) {{
            chosen = found;
            break;
          }}
        }}
        location.replace(chosen + "/index.html" + location.hash);
      }})();
    </script>
    <style>
      :root {{ color-scheme: light dark; }}
      body {{
        margin: 0;
        font: 1.125rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
        color: #1d1d1f;
        background: #fff;
      }}
      main {{ max-width: 36rem; margin: 0 auto; padding: 3rem 1.25rem; }}
      h1 {{ font-size: 1.75rem; line-height: 1.25; margin: 0 0 0.5rem; }}
      p {{ margin: 0 0 1.5rem; }}
      ul {{ list-style: none; margin: 0; padding: 0; }}
      li + li {{ margin-top: 0.75rem; }}
      a {{
        display: block;
        padding: 0.75rem 1rem;
        border: 1px solid currentColor;
        border-radius: 0.5rem;
        color: #1a5c9e;
        text-decoration: none;
      }}
      a:hover, a:focus-visible {{ text-decoration: underline; }}
      @media (prefers-color-scheme: dark) {{
        body {{ color: #e4e4e7; background: #18181b; }}
        a {{ color: #7cb7f2; }}
      }}
    </style>
  </head>
  <body>
    <main>
      <h1>{title}</h1>
      <p>{description}</p>
      <ul>
{links}      </ul>
    </main>
  </body>
</html>
"#
    )
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use book_languages::LANGUAGES;

    fn page() -> String {
        let all: Vec<&Language> = LANGUAGES.iter().collect();
        root_page("Pools & <Threads>", "A book", &all)
    }

    #[test]
    fn the_root_page_links_every_language_plainly() {
        let html = page();
        for (code, name) in [
            ("en", "English"),
            ("pt-BR", "Português (Brasil)"),
            ("es", "Español"),
        ] {
            assert!(
                html.contains(&format!(
                    "<a href=\"{code}/index.html\" hreflang=\"{code}\" lang=\"{code}\">{name}</a>"
                )),
                "{html}"
            );
            assert!(html.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"{code}\" href=\"{code}/index.html\">"
            )));
        }
        assert!(html.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"./\">"));
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<meta name=\"viewport\""));
        assert!(!html.contains("<noscript"));
        assert!(html.contains("<title>Pools &amp; &lt;Threads&gt;</title>"));
    }

    #[test]
    fn the_root_page_redirects_in_its_head_and_loads_nothing() {
        let html = page();
        let head = &html[..html.find("</head>").unwrap()];
        assert!(
            head.contains("var books = [\"en\", \"pt-BR\", \"es\"];"),
            "{head}"
        );
        assert!(head.contains("var chosen = \"en\";"), "{head}");
        assert!(head.contains("location.replace(chosen + \"/index.html\""));
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
