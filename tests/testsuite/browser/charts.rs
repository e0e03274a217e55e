//! A chart in a real browser, in each of mdBook's five themes: its lines
//! take the theme's series colours (theme/charts.css, through their
//! classes), each at 3:1 or more against the page, its text the theme's
//! foreground; and the drawing fits the page.

use crate::book::charts::book_with_data;
use crate::book::contrast;
use crate::support::browser::{Browser, Options};
use book_site::StaticServer;
use serde_json::Value;

const CHAPTER: &str = "# Charts {#charts}\n\n\
    {{#chart lines bench/data/servers.csv x=connections y=requests_per_second log-x}}\n";

/// Each theme's computed colours, as the browser reports them: the page's
/// background, the drawing's text, and every series' colour.
const READ_COLOURS: &str = "(() => {
    const html = document.documentElement;
    const themes = ['light', 'rust', 'coal', 'navy', 'ayu'];
    const drawing = document.querySelector('.chart-drawing');
    const seen = themes.map(theme => {
        html.classList.remove(...themes);
        html.classList.add(theme);
        const series = [...drawing.querySelectorAll('.chart-series')]
            .map(g => getComputedStyle(g).color);
        return {
            theme,
            bg: getComputedStyle(html).backgroundColor,
            fg: getComputedStyle(drawing).color,
            series: [...new Set(series)],
        };
    });
    const main = document.querySelector('main').getBoundingClientRect().width;
    return { seen, width: drawing.getBoundingClientRect().width, main };
})()";

/// `rgb(r, g, b)` as `#rrggbb`.
fn hex(css: &Value) -> String {
    let text = css.as_str().unwrap_or_default();
    let channels: Vec<u8> = text
        .strip_prefix("rgb(")
        .unwrap_or_default()
        .trim_end_matches(')')
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    match channels.as_slice() {
        [r, g, b] => format!("#{r:02x}{g:02x}{b:02x}"),
        _ => panic!("not an opaque rgb() colour: {text}"),
    }
}

#[test]
fn a_chart_takes_its_colours_from_each_theme() {
    let Some(browser) = Browser::for_test("a_chart_takes_its_colours_from_each_theme") else {
        return;
    };
    let book = book_with_data("en", "browser-chart", CHAPTER);
    let out = book.build().unwrap_or_else(|err| panic!("{err}"));
    let server = StaticServer::start(&out, "127.0.0.1:0").unwrap_or_else(|err| panic!("{err}"));
    let page = browser.open(
        &format!("http://{}/en/one.html", server.addr()),
        Options::default(),
    );
    page.wait_until(
        "document.querySelector('.chart-drawing') !== null",
        "the chart",
    );
    let read = page.eval(READ_COLOURS);
    let series_count = page
        .eval("document.querySelectorAll('.chart-drawing > .chart-series').length")
        .as_u64()
        .unwrap_or(0) as usize;
    assert!(
        series_count >= 3,
        "the committed data has several servers: {read}"
    );
    let mut problems = Vec::new();
    for seen in read["seen"].as_array().expect("one entry per theme") {
        let theme = seen["theme"].as_str().unwrap_or_default();
        let bg = hex(&seen["bg"]);
        let fg = hex(&seen["fg"]);
        if contrast(&fg, &bg).is_none_or(|ratio| ratio < 4.5) {
            problems.push(format!("{theme}: the chart's text {fg} on {bg}"));
        }
        let colours: Vec<String> = seen["series"]
            .as_array()
            .expect("series colours")
            .iter()
            .map(hex)
            .collect();
        if colours.len() < series_count.min(mdbook_listings::SERIES_COLOURS) {
            problems.push(format!(
                "{theme}: {series_count} lines in only {} colours: {colours:?}",
                colours.len()
            ));
        }
        if colours.contains(&fg) {
            problems.push(format!(
                "{theme}: a line in the text's colour {fg}: the CSS did not apply"
            ));
        }
        for colour in colours {
            if contrast(&colour, &bg).is_none_or(|ratio| ratio < 3.0) {
                problems.push(format!("{theme}: a line in {colour} on {bg}, under 3:1"));
            }
        }
    }
    let (width, main) = (
        read["width"].as_f64().unwrap_or(0.0),
        read["main"].as_f64().unwrap_or(0.0),
    );
    if !(width > 0.0 && width <= main + 0.5) {
        problems.push(format!(
            "the drawing is {width}px wide in a page of {main}px"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
