//! The site with the keyboard alone, and with a screen reader: a reader
//! who cannot use a mouse reaches the sidebar's toggle, the language
//! picker, the folded diffs and the listings with Tab, sees where the focus
//! is, and works each with Enter or Space; a screen reader is given the
//! listings' marks ("does not compile", "panics") in the page's language.

use serde_json::Value;

use super::the_site::browser_and_site;
use crate::support::browser::{Options, Page};

/// What the focus is on, as the checks below tell the page's controls
/// apart, and whether it shows: `:focus-visible` (the browser's own
/// judgement that the focus came from the keyboard) and an outline of two
/// pixels or more, not `none`.
const FOCUSED: &str = r#"(() => {
  const at = document.activeElement;
  if (!at || at === document.body) return { kind: 'nothing' };
  const style = getComputedStyle(at);
  const shows = at.matches(':focus-visible') && style.outlineStyle !== 'none'
    && parseFloat(style.outlineWidth) >= 2;
  const kind = at.id === 'mdbook-sidebar-toggle' ? 'sidebar toggle'
    : at.closest('.language-picker') ? 'picker: ' + at.getAttribute('hreflang')
    : at.matches('details.listing-diff > summary') ? 'folded diff'
    : at.matches('pre > code') ? 'code block'
    : at.tagName.toLowerCase();
  return { kind, shows, html: at.outerHTML.slice(0, 120) };
})()"#;

/// Whether the focused element scrolls away from its left edge within a
/// second.
const SCROLLED_WITHIN_A_SECOND: &str = "new Promise((done) => { \
    const block = document.activeElement; const until = performance.now() + 1000; \
    const look = () => block.scrollLeft > 0 ? done(true) \
      : performance.now() > until ? done(false) : requestAnimationFrame(look); \
    look(); })";

/// Presses Tab until the focus is on `kind` (at most `MOST_TABS` times),
/// and checks that every element it passed on the way showed its focus.
fn tab_to(window: &Page, kind: &str, problems: &mut Vec<String>) -> bool {
    const MOST_TABS: usize = 400;
    for _ in 0..MOST_TABS {
        window.press("Tab");
        let focused = window.eval(FOCUSED);
        let now = focused["kind"].as_str().unwrap_or_default().to_string();
        if focused["shows"] == Value::Bool(false) {
            problems.push(format!(
                "{}: the focus on {now} does not show: {}",
                window.url(),
                focused["html"]
            ));
        }
        if now == kind {
            return true;
        }
    }
    problems.push(format!(
        "{}: {MOST_TABS} presses of Tab never reached {kind}",
        window.url()
    ));
    false
}

#[test]
fn the_keyboard_alone_works_the_sidebar_the_picker_the_diffs_and_the_listings() {
    let test = "the_keyboard_alone_works_the_sidebar_the_picker_the_diffs_and_the_listings";
    let Some((browser, site)) = browser_and_site(test) else {
        return;
    };
    let mut window = browser.new_page();
    let page = "ch06-workers.html";
    window.goto(&site.url(&format!("en/{page}")), Options { language: "en" });
    let mut problems = Vec::new();

    // The sidebar's toggle: Enter shows or hides the sidebar, and Space
    // puts it back.
    let sidebar = "document.documentElement.classList.contains('sidebar-visible')";
    if tab_to(&window, "sidebar toggle", &mut problems) {
        for key in ["Enter", " "] {
            let before = window.eval(sidebar);
            window.press(key);
            if window.eval(sidebar) == before {
                problems.push(format!("{key:?} on the sidebar's toggle did nothing"));
            }
        }
    }

    // A folded diff: Enter unfolds it, Space folds it again.
    let open = "document.activeElement.parentElement.open";
    if tab_to(&window, "folded diff", &mut problems) {
        for (key, wanted) in [("Enter", true), (" ", false)] {
            window.press(key);
            if window.eval(open) != Value::Bool(wanted) {
                problems.push(format!(
                    "{key:?} on a folded diff left it open: {}",
                    !wanted
                ));
            }
        }
    }

    // A listing's code: it takes the focus, and the arrow keys scroll one
    // wider than the page (Tab on to the first such block), rather than
    // turn the page to the next chapter, as mdBook's → does elsewhere.
    let wide = "(() => { const at = document.activeElement; \
                return at.matches('pre > code') && at.scrollWidth > at.clientWidth; })()";
    let mut scrolled = false;
    while !scrolled && tab_to(&window, "code block", &mut problems) {
        if window.eval(wide) == Value::Bool(true) {
            window.press("ArrowRight");
            // The browser scrolls smoothly: a few frames, then it has moved.
            scrolled = window.eval(SCROLLED_WITHIN_A_SECOND) == Value::Bool(true);
            if !scrolled {
                let now = window.eval("location.pathname");
                problems.push(format!(
                    "ArrowRight did not scroll a wide listing (now at {now})"
                ));
                break;
            }
        }
    }

    // The picker, back up the page: Shift is not needed, the focus goes on
    // from the last control to the page's start. Enter on Portuguese leads
    // to this page in Portuguese.
    if tab_to(&window, "picker: pt-BR", &mut problems) {
        window.press("Enter");
        window.wait_until(
            &format!(
                "location.pathname.endsWith('/pt-BR/{page}') && document.readyState === 'complete'"
            ),
            "the Portuguese page, after Enter on the picker",
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn screen_readers_are_given_the_marks_in_the_page_s_language() {
    let test = "screen_readers_are_given_the_marks_in_the_page_s_language";
    let Some((browser, site)) = browser_and_site(test) else {
        return;
    };
    let mut window = browser.new_page();
    let mut problems = Vec::new();
    for language in book_languages::LANGUAGES {
        // Chapter 6 has listings that do not compile and one that panics,
        // in a folded answer: unfolded, as its reader unfolds it.
        window.goto(
            &site.url(&format!("{}/ch06-workers.html", language.code)),
            Options {
                language: language.code,
            },
        );
        window.eval(
            "document.querySelectorAll('details').forEach((details) => { details.open = true; })",
        );
        let lang = window.eval("document.documentElement.lang");
        if lang.as_str() != Some(language.code) {
            problems.push(format!(
                "{}: the page says its language is {lang}",
                language.code
            ));
        }
        let words = window.accessible_words();
        for mark in [language.captions.does_not_compile, language.captions.panics] {
            if !words.iter().any(|word| word.trim() == mark) {
                problems.push(format!(
                    "{}: no {mark:?} in what a screen reader is given",
                    language.code
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
