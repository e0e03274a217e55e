//! Text into HTML: the one escaping function of the preprocessor's
//! captions and of the site's pages (`book-site` uses it too, as it builds
//! on this crate; the table of languages, which both also read, stays
//! data only).

/// `text` with the characters that HTML gives a meaning to (`&`, `<`, `>`,
/// `"`, `'`) escaped, so that it reads as itself in an element's text or
/// in a quoted attribute value. It is mdBook's own escaping (pulldown-cmark's),
/// so what we write around mdBook's output is escaped just like it.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a `String` cannot fail: there is no error to handle.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape("Pools & <Threads> \"quoted\" 'single' — ação"),
            "Pools &amp; &lt;Threads&gt; &quot;quoted&quot; &#39;single&#39; — ação"
        );
        assert_eq!(
            escape("&amp;"),
            "&amp;amp;",
            "escaping twice shows the entity"
        );
        assert_eq!(escape(""), "");
    }
}
