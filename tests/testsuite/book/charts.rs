//! Charts (`{{#chart …}}`, drawn by the preprocessor from bench/data): in
//! the built site, every chart of every language is a figure with its SVG,
//! a title and an alt text in that language, a caption, and its figures
//! folded under it; the series colours stand out in every theme; a chart
//! that cannot be drawn stops the build, naming the chapter and the line.

use super::{ScratchBook, contrast, palettes};
use crate::support::book::{chapters, shown};
use crate::support::built_site::site_dir;
use crate::support::html::{Node, Tag, nodes};
use crate::support::listings::repo_root;
use crate::support::scratch::copy_dir;
use book_languages::{LANGUAGES, Language};
use book_site::languages;
use mdbook_listings::{ChartSpec, Directive, SERIES_COLOURS, scan};
use std::fs;
use std::path::Path;

/// The charts of a language's chapters: the chapter, and each chart's line
/// and directive.
fn charts_of(language: &str) -> Vec<(String, Vec<(usize, ChartSpec)>)> {
    let dir = repo_root().join("src").join(language);
    let mut all = Vec::new();
    for chapter in chapters(&dir).unwrap_or_else(|err| panic!("{err}")) {
        let Ok(text) = fs::read_to_string(&chapter) else {
            continue; // the build test names a missing chapter
        };
        let charts: Vec<(usize, ChartSpec)> = scan(&text)
            .into_iter()
            .filter_map(|found| match found.directive {
                Ok(Directive::Chart(spec)) => Some((found.line, spec)),
                _ => None,
            })
            .collect();
        if !charts.is_empty() {
            all.push((shown(&chapter), charts));
        }
    }
    all
}

/// The text between an element's opening (at `nodes[at]`) and its closing.
fn text_in(nodes: &[Node], at: usize, name: &str) -> String {
    let mut text = String::new();
    for node in &nodes[at + 1..] {
        match node {
            Node::Close(closed) if closed == name => break,
            Node::Text(t) => text.push_str(t),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is(tag: &Tag, name: &str, class: &str) -> bool {
    tag.name == name
        && tag
            .attribute("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

/// What is wrong with the charts of one built page (`page`, from the
/// chapter `chapter`), which should draw `charts` in `language`.
fn chart_problems(
    chapter: &str,
    html: &str,
    charts: &[(usize, ChartSpec)],
    language: &Language,
) -> Vec<String> {
    let nodes = nodes(html);
    // Each chart: from its `<div class="chart">` to the end of its table.
    let starts: Vec<usize> = (0..nodes.len())
        .filter(|&i| matches!(&nodes[i], Node::Open(tag) if is(tag, "div", "chart")))
        .collect();
    let mut problems = Vec::new();
    if starts.len() != charts.len() {
        problems.push(format!(
            "{chapter}: {} chart directives, but the page has {} charts",
            charts.len(),
            starts.len()
        ));
    }
    if html.contains("{{#chart") {
        problems.push(format!("{chapter}: a {{{{#chart}}}} is left on the page"));
    }
    let words = &language.charts;
    for ((line, spec), &start) in charts.iter().zip(&starts) {
        let end = (start..nodes.len())
            .find(|&i| matches!(&nodes[i], Node::Close(name) if name == "details"))
            .unwrap_or(nodes.len());
        let chart = &nodes[start..end];
        let at = format!("{chapter}:{line} ({} of {})", spec.y, spec.file);
        let open = |name: &str| {
            chart.iter().enumerate().find_map(|(i, node)| match node {
                Node::Open(tag) if tag.name == name => Some((i, tag.clone())),
                _ => None,
            })
        };
        let Some((_, svg)) = open("svg") else {
            problems.push(format!("{at}: no <svg>"));
            continue;
        };
        if svg.attribute("role") != Some("img") {
            problems.push(format!("{at}: the <svg> has no role=\"img\""));
        }
        let labelled_by: Vec<String> = svg
            .attribute("aria-labelledby")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if svg.attribute("viewbox").is_none() || svg.attribute("width") != Some("100%") {
            problems.push(format!(
                "{at}: the <svg> does not scale with the page (viewBox, width 100%)"
            ));
        }
        for (name, must_hold) in [("title", None), ("desc", words.column(&spec.y))] {
            let found = open(name).filter(|(_, tag)| {
                tag.attribute("id")
                    .is_some_and(|id| labelled_by.iter().any(|l| l == id))
            });
            match found {
                None => problems.push(format!(
                    "{at}: no <{name}> that the <svg>'s aria-labelledby names"
                )),
                Some((i, _)) => {
                    let text = text_in(chart, i, name);
                    if text.is_empty() {
                        problems.push(format!("{at}: an empty <{name}>"));
                    }
                    if let Some(label) = must_hold
                        && !text.contains(label)
                    {
                        problems.push(format!(
                            "{at}: the <{name}> does not name the column in {} ({label:?}): {text}",
                            language.code
                        ));
                    }
                }
            }
        }
        if open("figcaption").is_none_or(|(i, _)| text_in(chart, i, "figcaption").is_empty()) {
            problems.push(format!("{at}: no <figcaption>"));
        }
        let folded = chart
            .iter()
            .any(|node| matches!(node, Node::Open(tag) if is(tag, "details", "chart-figures")));
        let summary = open("summary").map(|(i, _)| text_in(chart, i, "summary"));
        if !folded || summary.as_deref() != Some(words.figures) {
            problems.push(format!(
                "{at}: the figures are not folded under the chart in a <details> whose summary \
                 is {:?} (found {summary:?})",
                words.figures
            ));
        }
        let cells = chart
            .iter()
            .filter(|node| matches!(node, Node::Open(tag) if tag.name == "td"))
            .count();
        if open("table").is_none() || cells == 0 {
            problems.push(format!("{at}: no table of the figures"));
        }
    }
    problems
}

#[test]
fn every_chart_of_every_language_is_drawn_in_the_built_site() {
    let site = site_dir();
    let mut problems = Vec::new();
    for code in languages(&repo_root().join("src")).expect("the book's languages") {
        let language = book_languages::language(&code).unwrap_or_else(|err| panic!("{err}"));
        // Every page has the charts' styles (mdBook adds a hash to the
        // name: theme/charts-1a2b3c4d.css), chart or not.
        let index = fs::read_to_string(site.join(&code).join("index.html")).unwrap();
        if !index.contains("href=\"theme/charts-") && !index.contains("href=\"theme/charts.css") {
            problems.push(format!("{code}/index.html does not link theme/charts.css"));
        }
        for (chapter, charts) in charts_of(&code) {
            let file = Path::new(&chapter).with_extension("html");
            let page = site.join(&code).join(file.file_name().unwrap());
            let html = fs::read_to_string(&page)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", page.display()));
            problems.extend(chart_problems(&chapter, &html, &charts, language));
        }
    }
    assert!(
        problems.is_empty(),
        "the charts of the built site ({}):\n{}",
        site.display(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Colours: every series colour at 3:1 against each theme's background.

/// The page background of mdBook 0.5.4's themes (`--bg` in its
/// front-end/css/variables.css, as #rrggbb): light hsl(0, 0%, 100%), rust
/// hsl(60, 9%, 87%), coal hsl(200, 7%, 8%), navy hsl(226, 23%, 11%), ayu
/// hsl(210, 25%, 8%).
const BACKGROUNDS: [(&str, &str); 5] = [
    ("light", "#ffffff"),
    ("rust", "#e1e1db"),
    ("coal", "#131516"),
    ("navy", "#161923"),
    ("ayu", "#0f141a"),
];

/// Every series colour of `css` (theme/charts.css) under 3:1 against its
/// theme's background, or missing.
fn chart_contrast_problems(css: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (theme, vars) in palettes(css, &["--chart-"]) {
        let bg = BACKGROUNDS
            .iter()
            .find(|(name, _)| *name == theme)
            .map(|(_, bg)| *bg)
            .expect("a background per theme");
        for n in 1..=SERIES_COLOURS {
            let name = format!("--chart-{n}");
            match vars
                .get(&name)
                .and_then(|fg| contrast(fg, bg).map(|r| (fg, r)))
            {
                Some((_, ratio)) if ratio >= 3.0 => {}
                Some((fg, ratio)) => problems.push(format!(
                    "{theme}: {name} {fg} on {bg} has a contrast of {ratio:.2}:1, under 3:1"
                )),
                None => problems.push(format!("{theme}: no {name} as #rrggbb")),
            }
        }
    }
    problems
}

#[test]
fn the_chart_colours_stand_out_in_every_theme() {
    let css = fs::read_to_string(repo_root().join("theme/charts.css")).unwrap();
    let problems = chart_contrast_problems(&css);
    assert!(
        problems.is_empty(),
        "theme/charts.css, the series colours (WCAG 1.4.11: 3:1 for graphics):\n{}",
        problems.join("\n")
    );
    for n in 1..=SERIES_COLOURS {
        assert!(
            css.contains(&format!(".chart-series-{n} {{ color: var(--chart-{n}); }}")),
            "theme/charts.css gives .chart-series-{n} no colour"
        );
    }
}

#[test]
fn check_a_faint_or_missing_chart_colour_is_named() {
    let css = fs::read_to_string(repo_root().join("theme/charts.css")).unwrap();
    let faint = css.replacen("--chart-3: #7ee787;", "--chart-3: #2a3a2a;", 1);
    let problems = chart_contrast_problems(&faint);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("coal: --chart-3 #2a3a2a on #131516")),
        "{problems:?}"
    );
    let missing = css.replacen("--chart-8: #57606a;", "", 1);
    let problems = chart_contrast_problems(&missing);
    assert!(
        problems.contains(&"light: no --chart-8 as #rrggbb".to_string()),
        "{problems:?}"
    );
}

// ---------------------------------------------------------------------------
// Scratch books: the committed data drawn in each language, and charts
// that cannot be drawn.

/// A scratch book in `language` whose one chapter is `chapter`, with the
/// book's committed data under bench/data/.
pub(crate) fn book_with_data(language: &'static str, tag: &str, chapter: &str) -> ScratchBook {
    let book = ScratchBook::in_language(language, tag, &[("one.md", chapter)]);
    copy_dir(
        &repo_root().join("bench/data"),
        &book.dir.path().join("bench/data"),
    );
    book
}

const TWO_CHARTS: &str = "# One {#one}\n\nText.\n\n\
    {{#chart lines bench/data/servers.csv x=connections y=p99_us log-x}}\n\n\
    {{#chart bars bench/data/servers.csv y=requests_per_second where=connections:16}}\n";

#[test]
fn check_the_committed_data_is_charted_in_every_language() {
    let charts: Vec<(usize, ChartSpec)> = scan(TWO_CHARTS)
        .into_iter()
        .filter_map(|found| match found.directive {
            Ok(Directive::Chart(spec)) => Some((found.line, spec)),
            _ => None,
        })
        .collect();
    assert_eq!(charts.len(), 2);
    for language in LANGUAGES {
        let book = book_with_data(
            language.code,
            &format!("charts-{}", language.code),
            TWO_CHARTS,
        );
        let out = book.build().unwrap_or_else(|err| panic!("{err}"));
        let page = out.join(language.code).join("one.html");
        let html = fs::read_to_string(&page).unwrap();
        let problems = chart_problems("one.md", &html, &charts, language);
        assert!(
            problems.is_empty(),
            "{}:\n{}",
            language.code,
            problems.join("\n")
        );
        if language.code == "en" {
            // The check can fail: the same page without its alt text.
            let desc = html.find("<desc").unwrap();
            let end = html[desc..].find("</desc>").unwrap() + desc + "</desc>".len();
            let without = format!("{}{}", &html[..desc], &html[end..]);
            let problems = chart_problems("one.md", &without, &charts, language);
            assert!(
                problems
                    .iter()
                    .any(|p| p.contains("no <desc> that the <svg>'s aria-labelledby names")),
                "{problems:?}"
            );
        }
    }
}

#[test]
fn check_a_chart_that_cannot_be_drawn_stops_the_build_naming_chapter_and_line() {
    let book = book_with_data(
        "en",
        "charts-broken",
        "# One {#one}\n\nText.\n\n\
         {{#chart lines bench/data/servers.csv x=connections y=p98_us}}\n\n\
         {{#chart lines bench/data/odd.csv x=connections y=requests_per_second}}\n\n\
         {{#chart bars bench/data/none.csv y=requests_per_second}}\n",
    );
    fs::write(
        book.dir.path().join("bench/data/odd.csv"),
        "threads,workers,connections,requests_per_second\nturbo,2,1,5\n",
    )
    .unwrap();
    let err = book.build().unwrap_err();
    for says in [
        "src/en/one.md:5: {{#chart lines bench/data/servers.csv x=connections y=p98_us}}\n    \
         bench/data/servers.csv has no column `p98_us` (y=); its columns are: server, threads",
        "src/en/one.md:7: {{#chart lines bench/data/odd.csv x=connections \
         y=requests_per_second}}\n    the chart words of en have no entry `turbo`",
        "to `series` under `charts` in the en entry of languages/src/table.rs",
        "src/en/one.md:9: {{#chart bars bench/data/none.csv y=requests_per_second}}\n    \
         cannot read the data file bench/data/none.csv",
    ] {
        assert!(err.contains(says), "expected {says:?} in:\n{err}");
    }
}
