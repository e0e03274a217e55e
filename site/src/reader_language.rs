//! Which of the books a reader wants, in the browser: the script that the
//! root page and the root 404 page share.

use book_languages::{DEFAULT_LANGUAGE, Language};

/// JavaScript statements that define `books` (the codes of `languages`)
/// and `readerBook()`: the first of the browser's `navigator.languages`
/// that names one of the books, by its whole tag or by its primary subtag
/// (`pt-PT` and `pt` read `pt-BR`, `es-MX` reads `es`), or else the
/// default language (or, in a site without it, the first). Meant for the
/// inside of a function.
pub(crate) fn reader_language_script(languages: &[&Language]) -> String {
    let fallback = languages
        .iter()
        .find(|l| l.code == DEFAULT_LANGUAGE)
        .or(languages.first())
        .map_or(DEFAULT_LANGUAGE, |l| l.code);
    let codes: Vec<String> = languages
        .iter()
        .map(|l| format!("\"{}\"", l.code))
        .collect();
    let codes = codes.join(", ");
    format!(
        r#"        var books = [{codes}];
        function bookFor(tag) {{
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
        function readerBook() {{
          var wanted = navigator.languages && navigator.languages.length
            ? navigator.languages
            : [navigator.language || ""];
          for (var i = 0; i < wanted.length; i++) {{
            var found = bookFor(wanted[i]);
            if (found) return found;
          }}
          return "{fallback}";
        }}
"#
    )
}
