//! axe-core, the accessibility engine, over every page of every language
//! and the root pages, in the browser, as the every-page load opens them
//! (`every_page.rs`): no critical or serious violation, mdBook's own
//! included, and no contrast too faint in any of mdBook's five themes.
//!
//! axe comes from its npm package, pinned in `tests/axe/package.json` and
//! installed by `npm ci --prefix tests/axe` (`.ci/run` does it). Without it
//! the check says it was skipped; where the browser is required
//! (`REQUIRE_BROWSER=1`, as on CI), so is axe.

use std::path::Path;

use serde_json::Value;

use super::{every_page::every_page, the_site::browser_and_site};
use crate::support::{
    browser::{Page, skipped},
    listings::repo_root,
};

/// The axe rules whose outcome depends on a page's words, language or
/// ids, which a translation changes: on a translation's page, these run;
/// the others (structure, roles, keyboard, colours) find what they find on
/// the default language's page, which has the same elements, classes and
/// order (the translation checks keep listings, headings and code blocks in
/// step). All of them on every page took a minute of the suite's two cores.
/// Names this axe does not know are left out.
const WORDS_RULES: &[&str] = &[
    "document-title",
    "html-has-lang",
    "html-lang-valid",
    "html-xml-lang-mismatch",
    "valid-lang",
    "link-name",
    "button-name",
    "input-button-name",
    "empty-heading",
    "empty-table-header",
    "label",
    "label-content-name-mismatch",
    "image-alt",
    "svg-img-alt",
    "role-img-alt",
    "aria-command-name",
    "aria-input-field-name",
    "aria-toggle-field-name",
    "aria-tooltip-name",
    "aria-dialog-name",
    "aria-text",
    "frame-title",
    "select-name",
    "summary-name",
    "duplicate-id",
    "duplicate-id-aria",
    "duplicate-id-active",
    "identical-links-same-purpose",
    "page-has-heading-one",
    "heading-order",
    "p-as-heading",
    // Longer words make longer lines: a block that fits in English may
    // scroll in a translation.
    "scrollable-region-focusable",
];

/// mdBook's themes; the first is the one a reader without a preference gets.
const THEMES: [&str; 5] = ["light", "rust", "coal", "navy", "ayu"];

/// The rules whose outcome depends on the theme's colours.
const COLOUR_RULES: [&str; 2] = ["color-contrast", "link-in-text-block"];

/// Runs axe over the page's document and returns the critical and serious
/// violations, one line per element (`rule (impact, theme): element`).
///
/// The rules (`ALL_RULES`, or `WORDS_RULES` alone) run over the whole page,
/// the colour ones left out, in the theme a reader without a preference
/// gets. Where `COLOURS`, the colour rules then run in each of the five
/// themes, switched as a reader switches them (with the theme menu's
/// buttons), over one element of each kind: an element's colours come from
/// what it and its nearest ancestors are (tags, classes, inline styles),
/// not from its words, and checking every word of the print page five times
/// took minutes.
const RUN_AXE: &str = r#"(async () => {
  const themes = THEMES;
  const colourRules = COLOUR_RULES;
  const seen = new Set();
  const found = [];
  const report = (results, theme) => {
    for (const violation of results.violations) {
      if (violation.impact !== 'critical' && violation.impact !== 'serious') continue;
      for (const node of violation.nodes) {
        const html = node.html.replace(/\s+/g, ' ').slice(0, 160);
        // For a contrast: the colours and their ratio, and the ratio wanted.
        const data = (node.any[0] || {}).data || {};
        const colours = data.contrastRatio
          ? ` (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}, not ${data.expectedContrastRatio})`
          : '';
        found.push(`${violation.id} (${violation.impact}, ${theme}): ${node.target.join(' ')}: ${html}${colours}`);
      }
    }
  };
  // mdBook fades colours from one theme to the next: axe must see where
  // they end, as the reader does once the fade is over.
  const still = document.createElement('style');
  still.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
  document.head.appendChild(still);
  const off = Object.fromEntries(colourRules.map((rule) => [rule, { enabled: false }]));
  // The print page is every chapter at once, each checked on its own page:
  // here, only what is its own.
  const whole = location.pathname.endsWith('/print.html') ? { exclude: [['main']] } : document;
  // A translation's page: the rules whose outcome can differ from the
  // default language's page, which has the same elements (see WORDS_RULES).
  const wordsRules = WORDS_RULES;
  const options = ALL_RULES
    ? { resultTypes: ['violations'], rules: off }
    : { resultTypes: ['violations'], runOnly: { type: 'rule', values: axe.getRules().map((rule) => rule.ruleId).filter((id) => wordsRules.includes(id)) } };
  report(await axe.run(whole, options), 'default theme');
  if (!COLOURS) return found;

  const kind = (element) => {
    const parts = [];
    // The element and its nearest ancestors: what the stylesheets' rules
    // for colours select on (`.listing-caption a`, `.sidebar .chapter li a`).
    for (let at = element, depth = 0; at && at !== document.documentElement && depth < 5; at = at.parentElement, depth++) {
      const style = at.getAttribute('style') || '';
      parts.push(`${at.tagName}.${[...at.classList].sort().join('.')}[${style}]`);
    }
    return parts.join('<');
  };
  const showsText = (element) =>
    ['INPUT', 'BUTTON', 'SELECT', 'TEXTAREA'].includes(element.tagName) ||
    [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== '');
  const sample = [];
  for (const element of document.body.querySelectorAll('*')) {
    // A code block or a long paragraph counts by its own kind and its
    // children's, each checked on a smaller one: axe checks the whole of
    // what it is given, and a print page's code blocks took seconds.
    if (!showsText(element) || element.getElementsByTagName('*').length > 10) continue;
    const key = kind(element);
    if (!seen.has(key)) {
      seen.add(key);
      sample.push(element);
    }
  }
  if (sample.length > 0) {
    for (const theme of themes) {
      const button = document.getElementById('mdbook-theme-' + theme);
      if (button) {
        button.click();
        if (!document.documentElement.classList.contains(theme)) {
          found.push(`the theme menu's ${theme} button did not switch the page to ${theme}`);
        }
      } else if (theme !== themes[0]) {
        break; // The root pages are not mdBook's: they have no themes.
      }
      const options = { resultTypes: ['violations'], runOnly: { type: 'rule', values: colourRules } };
      report(await axe.run({ include: sample }, options), theme);
    }
  }
  return found;
})()"#;

/// axe's findings on the page now open.
fn run_axe(page: &Page, all_rules: bool, colours: bool) -> Vec<String> {
    let script = RUN_AXE
        .replace("COLOURS", if colours { "true" } else { "false" })
        .replace("ALL_RULES", if all_rules { "true" } else { "false" })
        .replace("WORDS_RULES", &serde_json::json!(WORDS_RULES).to_string())
        .replace("THEMES", &serde_json::json!(THEMES).to_string())
        .replace("COLOUR_RULES", &serde_json::json!(COLOUR_RULES).to_string());
    match page.eval(&script) {
        Value::Array(found) => found
            .iter()
            .map(|line| line.as_str().unwrap_or_default().to_string())
            .collect(),
        other => panic!("{}: axe returned {other}", page.url()),
    }
}

/// The root pages, as the every-page load opens them: the root page's
/// copy without its scripts (written beside it) and the root 404 page.
pub fn root_pages(site: &Path) -> Vec<String> {
    let root = std::fs::read_to_string(site.join("index.html")).expect("the root page");
    std::fs::write(site.join(ROOT_WITHOUT_SCRIPT), strip_scripts(&root)).expect("a writable site");
    vec![ROOT_WITHOUT_SCRIPT.to_string(), "404.html".to_string()]
}

/// Takes away what `root_pages` and `AxeRun::prepare` wrote into the site.
pub fn tidy(site: &Path) {
    for file in [ROOT_WITHOUT_SCRIPT, AXE_SCRIPT] {
        let _ = std::fs::remove_file(site.join(file));
    }
}

/// The root page's copy that the check writes beside it, without scripts.
const ROOT_WITHOUT_SCRIPT: &str = "root-without-script.html";

fn strip_scripts(html: &str) -> String {
    let mut rest = html;
    let mut kept = String::new();
    while let Some(start) = rest.find("<script") {
        kept.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</script>")
            .map_or(rest.len(), |end| start + end + "</script>".len());
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept
}

/// axe, served beside the pages for the every-page load: each page loads
/// it with a `<script>`, so the browser compiles it once, not once a page.
pub struct AxeRun;

/// axe's name in the site while the pages are checked.
const AXE_SCRIPT: &str = "axe-for-the-accessibility-check.js";

impl AxeRun {
    /// axe's script, from its npm package, or why there is none.
    pub fn source() -> Result<String, String> {
        let file = repo_root().join("tests/axe/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&file).map_err(|err| {
            format!(
                "no axe-core at {} ({err}); install it with `npm ci --prefix tests/axe`",
                file.display()
            )
        })
    }

    /// Puts axe's `source` beside the pages of `site`.
    pub fn prepare(site: &Path, source: &str) -> AxeRun {
        std::fs::write(site.join(AXE_SCRIPT), source).expect("a writable site");
        AxeRun
    }

    /// What axe finds on `window`, now showing `page`.
    pub fn check(&self, window: &Page, page: &str) -> Vec<String> {
        window.eval(&format!(
            "new Promise((loaded, failed) => {{ const script = document.createElement('script'); \
             script.src = '/{AXE_SCRIPT}'; script.onload = loaded; \
             script.onerror = () => failed(new Error('axe did not load')); \
             document.head.appendChild(script); }})"
        ));
        run_axe(window, all_rules_on(page), colours_of(page))
    }
}

/// How `page` is checked, as a word for the clean pages' keys: with which
/// rules, in which themes.
pub fn how_checked(page: &str) -> String {
    format!(
        "all rules: {}, colours in every theme: {}",
        all_rules_on(page),
        colours_of(page)
    )
}

/// Whether every rule runs on `page`, or only `WORDS_RULES`: every rule on
/// the default language's pages and the root pages.
fn all_rules_on(page: &str) -> bool {
    page.split_once('/')
        .is_none_or(|(language, _)| language == book_languages::DEFAULT_LANGUAGE)
}

/// Whether the colour rules run on `page`, in each of the five themes: on
/// the root pages, which are the site's own, always; and on the default
/// language's print page, which is every chapter of the book end to end
/// (every kind of element the chapters have is there at once, with
/// mdBook's menu bar and sidebar around it), when `A11Y_THEMES=1` is set, as
/// `.ci/run` sets it: switching a page of that size through five themes
/// costs 45 s of a core, most of a warm run's budget. A translation's pages
/// have the same elements with the same classes (the translation checks
/// keep their listings, headings and code blocks in step), so the same
/// colours.
fn colours_of(page: &str) -> bool {
    !page.contains('/')
        || (page == format!("{}/print.html", book_languages::DEFAULT_LANGUAGE)
            && std::env::var_os("A11Y_THEMES").is_some_and(|value| value == "1"))
}

#[test]
fn no_page_has_a_critical_or_serious_accessibility_violation() {
    let test = "no_page_has_a_critical_or_serious_accessibility_violation";
    let Some((browser, site)) = browser_and_site(test) else {
        return;
    };
    let findings = match &every_page(browser, site).axe {
        Ok(findings) => findings,
        Err(why) => {
            skipped::<()>(test, why);
            return;
        }
    };
    assert!(
        findings.is_empty(),
        "{} critical or serious accessibility violations (axe-core):\n{}",
        findings.len(),
        findings.join("\n")
    );
}
