//! What mdBook 0.5's pages lack for a reader with a keyboard or a screen
//! reader, added to every page of a built book (axe-core finds each of
//! these on a plain mdBook book):
//!
//! - the sidebar's toggle is a `<label>` for a hidden checkbox: it cannot
//!   take the focus, and a label may not carry the `aria-expanded` and
//!   `aria-controls` mdBook gives it. As a button (`role="button"`,
//!   `tabindex="0"`), it may, and it takes the focus; `theme/keyboard.js`
//!   lets Enter and Space press it;
//! - a code block wider than the page scrolls sideways, and a reader
//!   without a mouse can only scroll what has the focus: every code block
//!   takes it (`tabindex="0"` on the `<code>` inside each `<pre>`, which is
//!   what scrolls), as GitHub's rendered code blocks do, and so does the
//!   wrapper mdBook puts around every table;
//! - the table of contents that mdBook writes for readers without
//!   JavaScript (`toc.html`) has no `<title>`: it gets the book's (and no
//!   icon, rather than a request for a `/favicon.ico` that is not there).

use crate::decorate::html_pages;
use book_languages::Language;
use std::fs;
use std::path::Path;

/// The sidebar toggle's opening tag as mdBook writes it, up to its id.
const SIDEBAR_TOGGLE: &str = "<label id=\"mdbook-sidebar-toggle\"";

/// Makes every page of the book mdBook built in `dir` usable with a
/// keyboard and a screen reader (see the module's documentation).
pub fn make_accessible(dir: &Path, here: &Language) -> Result<(), String> {
    for page in html_pages(dir)? {
        let path = dir.join(&page);
        let html = fs::read_to_string(&path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let changed = accessible_page(&html, here.title);
        if changed != html {
            fs::write(&path, changed)
                .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
        }
    }
    Ok(())
}

/// One page, made accessible; a page made so already comes back the same.
pub fn accessible_page(html: &str, title: &str) -> String {
    let html = html.replace(
        &format!("{SIDEBAR_TOGGLE} class="),
        &format!("{SIDEBAR_TOGGLE} role=\"button\" tabindex=\"0\" class="),
    );
    let html = focusable_code_blocks(&html).replace(
        "<div class=\"table-wrapper\">",
        "<div class=\"table-wrapper\" tabindex=\"0\">",
    );
    if html.contains("<title>") {
        html
    } else {
        // It has no icon either: a browser that opens it asks for the
        // site's /favicon.ico, which is not there. `data:,` is no icon.
        html.replacen(
            "<meta charset=\"UTF-8\">",
            &format!(
                "<meta charset=\"UTF-8\">\n        <title>{}</title>\n        \
                 <link rel=\"icon\" href=\"data:,\">",
                escape(title)
            ),
            1,
        )
    }
}

/// Every `<pre …><code …>` gets `tabindex="0"` on its `<code>`.
fn focusable_code_blocks(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    while let Some(at) = rest.find("<pre") {
        let Some(end) = rest[at..].find('>').map(|end| at + end + 1) else {
            break;
        };
        out.push_str(&rest[..end]);
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix("<code")
            && !rest[..rest.find('>').unwrap_or(rest.len())].contains("tabindex")
        {
            out.push_str("<code tabindex=\"0\"");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><head>\n        <meta charset=\"UTF-8\">\n        <title>A</title>\n</head><body>\
        <label id=\"mdbook-sidebar-toggle\" class=\"icon-button\" for=\"x\" aria-label=\"Toggle\">\
        <pre><code class=\"language-rust\">fn main() {}</code></pre>\
        <pre class=\"compiler-output-terminal\"><code class=\"nohighlight\">error</code></pre>\
        <pre>plain</pre><div class=\"table-wrapper\"><table></table></div></body></html>";

    #[test]
    fn the_toggle_becomes_a_button_and_code_blocks_take_the_focus() {
        let page = accessible_page(PAGE, "Book");
        assert!(page.contains(
            "<label id=\"mdbook-sidebar-toggle\" role=\"button\" tabindex=\"0\" class=\"icon-button\""
        ));
        assert!(page.contains("<pre><code tabindex=\"0\" class=\"language-rust\">"));
        assert!(page.contains(
            "<pre class=\"compiler-output-terminal\"><code tabindex=\"0\" class=\"nohighlight\">"
        ));
        assert!(page.contains("<pre>plain</pre>"));
        assert!(page.contains("<div class=\"table-wrapper\" tabindex=\"0\"><table>"));
        assert_eq!(page.matches("<title>").count(), 1);
        assert_eq!(
            accessible_page(&page, "Book"),
            page,
            "twice changes nothing"
        );
    }

    #[test]
    fn a_page_without_a_title_gets_the_books() {
        let toc = "<head>\n        <meta charset=\"UTF-8\">\n</head>";
        assert_eq!(
            accessible_page(toc, "Tom & Jerry"),
            "<head>\n        <meta charset=\"UTF-8\">\n        <title>Tom &amp; Jerry</title>\n        \
             <link rel=\"icon\" href=\"data:,\">\n</head>"
        );
    }
}
