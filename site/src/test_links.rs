//! Following a page's links as a browser would, for the unit tests: from
//! the address the page was served at, or from its `<base href>`.

use crate::html_tags::tags;

/// Every `href` and `src` value in `html`, in order.
pub fn links(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .flat_map(|tag| tag.attributes)
        .filter(|(name, _)| name == "href" || name == "src")
        .map(|(_, value)| value)
        .collect()
}

/// The page's `<base href>`, if it has one.
pub fn base_href(html: &str) -> Option<String> {
    tags(html)
        .into_iter()
        .find(|tag| tag.name == "base")
        .and_then(|tag| tag.attribute("href").map(str::to_string))
}

/// The path (from the host's root) that `link` leads to, on a page served
/// at `page` (a path) with `base` as its `<base href>`; `None` for a link
/// off the site (`https:`, `data:`, `//host`) or to the page itself (`#x`).
pub fn resolve(page: &str, base: Option<&str>, link: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap_or("");
    let has_scheme = link
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.contains('/'));
    if link.is_empty() || link.starts_with("//") || has_scheme {
        return None;
    }
    let joined = if link.starts_with('/') {
        link.to_string()
    } else {
        let from = base.unwrap_or(page);
        format!("{}{link}", &from[..=from.rfind('/')?])
    };
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = joined.split('/').skip(1).collect();
    for (i, part) in parts.iter().enumerate() {
        match *part {
            ".." => {
                segments.pop();
            }
            "." => {}
            "" if i + 1 < parts.len() => {}
            part => segments.push(part),
        }
    }
    Some(format!("/{}", segments.join("/")))
}

#[test]
fn links_resolve_as_in_a_browser() {
    let html = "<base href=\"/repo/\"><a href=\"en/index.html#x\"><img src=\"../a.png\">";
    assert_eq!(links(html), ["/repo/", "en/index.html#x", "../a.png"]);
    assert_eq!(base_href(html).as_deref(), Some("/repo/"));
    let from = |page, base, link| resolve(page, base, link);
    assert_eq!(
        from("/repo/a/b/c.html", Some("/repo/"), "en/index.html#x").as_deref(),
        Some("/repo/en/index.html")
    );
    assert_eq!(
        from("/repo/a/b/c.html", None, "../d/").as_deref(),
        Some("/repo/a/d/")
    );
    assert_eq!(
        from("/x.html", None, "/abs.css").as_deref(),
        Some("/abs.css")
    );
    assert_eq!(from("/x.html", None, "https://example.org/"), None);
    assert_eq!(from("/x.html", None, "data:,"), None);
    assert_eq!(from("/x.html", None, "#top"), None);
}
