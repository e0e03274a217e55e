//! The frame of the site's own pages, the root page and the root 404
//! page: a single file each, with no stylesheet, image or font to fetch
//! (so they work from any address), readable in light and dark.

/// One of the site's own pages.
pub(crate) struct PlainPage<'a> {
    /// The page's language (`<html lang>`).
    pub lang: &'a str,
    /// The title, as plain text.
    pub title: &'a str,
    /// More of the head, as HTML: links, scripts.
    pub head: &'a str,
    /// The content of `<main>`, as HTML.
    pub main: &'a str,
    /// After `<main>`, as HTML: a script that needs the page's elements.
    pub after_main: &'a str,
}

/// The whole HTML document of `page`.
pub(crate) fn plain_page(page: &PlainPage<'_>) -> String {
    let PlainPage {
        lang,
        title,
        head,
        main,
        after_main,
    } = page;
    let title = mdbook_listings::html::escape(title);
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{title}</title>
    <link rel="icon" href="data:,">
{head}{STYLE}  </head>
  <body>
    <main>
{main}    </main>
{after_main}  </body>
</html>
"#
    )
}

/// One column of large plain links, in the system's font and colours.
const STYLE: &str = r#"    <style>
      :root { color-scheme: light dark; }
      body {
        margin: 0;
        font: 1.125rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
        color: #1d1d1f;
        background: #fff;
      }
      main { max-width: 36rem; margin: 0 auto; padding: 3rem 1.25rem; }
      h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 0.5rem; }
      h2 { font-size: 1.25rem; line-height: 1.25; margin: 0 0 0.5rem; }
      p { margin: 0 0 1.5rem; }
      ul { list-style: none; margin: 0; padding: 0; }
      li + li { margin-top: 0.75rem; }
      li > h2 { margin-top: 1.5rem; }
      li > p { margin: 0.35rem 0 1rem; }
      a {
        display: block;
        padding: 0.75rem 1rem;
        border: 1px solid currentColor;
        border-radius: 0.5rem;
        color: #1a5c9e;
        text-decoration: none;
      }
      a:hover, a:focus-visible { text-decoration: underline; }
      @media (prefers-color-scheme: dark) {
        body { color: #e4e4e7; background: #18181b; }
        a { color: #7cb7f2; }
      }
    </style>
"#;
