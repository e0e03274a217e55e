//! Text into HTML: the one escaping function of the site.

/// `text` with the characters that HTML gives a meaning to (`&`, `<`, `>`,
/// `"`, `'`) escaped, so that it reads as itself in an element's text or
/// in a quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
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
