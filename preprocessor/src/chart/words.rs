//! A chart's words in the book's language, from the book's one table of
//! languages (`languages/src/table.rs`): labels, templates and numbers as
//! that language writes them. A word the table lacks is an error that
//! names it and the file to add it to.

use book_languages::{Charts, Language, TABLE_FILE};

/// The chart words of one language.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub code: &'static str,
    pub charts: &'static Charts,
}

impl Words {
    /// The words of `language`, the entry the book's `book.language` matched;
    /// `None` (a language the table does not have) is an error naming `tag`.
    pub fn of(language: Option<&'static Language>, tag: &str) -> Result<Words, String> {
        let language = language.ok_or_else(|| {
            format!(
                "the book's language `{tag}` (book.language) has no entry in {TABLE_FILE}, so \
                 its charts have no words: add the language's entry, with its `charts` words \
                 (series kinds, column labels, the alt text's sentences), to LANGUAGES there"
            )
        })?;
        Ok(Words {
            code: language.code,
            charts: &language.charts,
        })
    }

    /// The words of the book whose `book.language` is `tag` (the default
    /// language's without one).
    pub fn for_tag(tag: Option<&str>) -> Result<Words, String> {
        match tag {
            None => Words::of(Some(book_languages::DEFAULT), ""),
            Some(tag) => Words::of(book_languages::matching_tag(tag), tag),
        }
    }

    /// The label of a series whose rows say `threads` = `kind` and
    /// `workers` = `workers`.
    pub fn series(&self, kind: &str, workers: &str, context: &str) -> Result<String, String> {
        let template = self.charts.series(kind).ok_or_else(|| {
            self.missing(
                "series",
                kind,
                &format!("the `threads` value of rows in {context}"),
                "\"{n} …\"",
            )
        })?;
        if template.contains("{n}") && workers.is_empty() {
            return Err(format!(
                "{context}: rows with threads `{kind}` have no `workers` value, but the label \
                 of that kind, {template:?} ({} in {TABLE_FILE}), needs one for {{n}}",
                self.code
            ));
        }
        Ok(template.replace("{n}", &self.integer_text(workers)))
    }

    /// The label of a column, without its unit.
    pub fn column(&self, name: &str, context: &str) -> Result<&'static str, String> {
        self.charts.column(name).ok_or_else(|| {
            self.missing("columns", name, &format!("a column of {context}"), "\"…\"")
        })
    }

    fn missing(&self, field: &str, key: &str, what: &str, example: &str) -> String {
        format!(
            "the chart words of {code} have no entry `{key}` ({what}): add \
             (\"{key}\", {example}) to `{field}` under `charts` in the {code} entry of \
             {TABLE_FILE}, and the same key in every other language's entry",
            code = self.code
        )
    }

    /// `value` as this language writes it: its decimal point, its digits
    /// grouped in threes, and no more decimals than it needs.
    pub fn number(&self, value: f64) -> String {
        self.localize(&shortest(value))
    }

    /// `value` with exactly `decimals` decimals (an axis's tick labels).
    pub fn fixed(&self, value: f64, decimals: usize) -> String {
        let text = format!("{value:.decimals$}");
        // -0 reads as 0.
        let text = if text
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            text.trim_start_matches('-').to_string()
        } else {
            text
        };
        self.localize(&text)
    }

    /// A whole number written in the data file ("4"), grouped if long.
    fn integer_text(&self, text: &str) -> String {
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => self.number(value),
            _ => text.to_string(),
        }
    }

    fn localize(&self, plain: &str) -> String {
        let (sign, digits) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain),
        };
        let (whole, decimals) = match digits.split_once('.') {
            Some((whole, decimals)) => (whole, Some(decimals)),
            None => (digits, None),
        };
        let mut grouped = String::new();
        if whole.len() >= self.charts.grouped_from {
            for (i, digit) in whole.chars().enumerate() {
                if i > 0 && (whole.len() - i) % 3 == 0 {
                    grouped.push_str(self.charts.thousands_separator);
                }
                grouped.push(digit);
            }
        } else {
            grouped.push_str(whole);
        }
        match decimals {
            Some(decimals) => format!("{sign}{grouped}{}{decimals}", self.charts.decimal_point),
            None => format!("{sign}{grouped}"),
        }
    }

    /// `label` with `unit`, if it has one: "p99 latency (ms)".
    pub fn with_unit(&self, label: &str, unit: Option<&str>) -> String {
        match unit {
            Some(unit) => fill(self.charts.with_unit, &[("label", label), ("unit", unit)]),
            None => label.to_string(),
        }
    }

    /// A value followed by its unit, if any: "0.727 ms".
    pub fn quantity(&self, value: f64, unit: Option<&str>) -> String {
        match unit {
            Some(unit) => format!("{}\u{a0}{unit}", self.number(value)),
            None => self.number(value),
        }
    }
}

/// The shortest decimal text that reads back as `value`, without exponent.
fn shortest(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    format!("{value}")
}

/// `template` with each `{key}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

/// `text` with its first letter in upper case (a title from a label).
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// How a column's values are shown: divided by `divisor`, followed by
/// `symbol`. Columns whose name ends in `_us` hold microseconds: they are
/// shown in µs, ms or s, whichever keeps the largest value shown between
/// 1 and 1000; other columns as they are, without a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub divisor: f64,
    pub symbol: Option<&'static str>,
}

impl Unit {
    pub fn for_column(column: &str, largest: f64, words: &Words) -> Unit {
        if !column.ends_with("_us") {
            return Unit {
                divisor: 1.0,
                symbol: None,
            };
        }
        let [micro, milli, seconds] = words.charts.units;
        let (divisor, symbol) = if largest >= 1_000_000.0 {
            (1_000_000.0, seconds)
        } else if largest >= 1_000.0 {
            (1_000.0, milli)
        } else {
            (1.0, micro)
        };
        Unit {
            divisor,
            symbol: Some(symbol),
        }
    }

    pub fn show(&self, value: f64) -> f64 {
        value / self.divisor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(code: &str) -> Words {
        Words::of(book_languages::find(code), code).unwrap()
    }

    #[test]
    fn numbers_are_written_as_each_language_writes_them() {
        let (en, pt, es) = (words("en"), words("pt-BR"), words("es"));
        assert_eq!(en.number(15077.3), "15,077.3");
        assert_eq!(pt.number(15077.3), "15.077,3");
        assert_eq!(es.number(15077.3), "15\u{a0}077.3");
        assert_eq!(es.number(7049.7), "7049.7");
        assert_eq!(en.number(7049.7), "7,049.7");
        assert_eq!(en.number(1234567.0), "1,234,567");
        assert_eq!(en.number(0.727), "0.727");
        assert_eq!(en.number(-1500.0), "-1,500");
        assert_eq!(en.number(0.0), "0");
        assert_eq!(en.fixed(2.5, 1), "2.5");
        assert_eq!(pt.fixed(20000.0, 0), "20.000");
        assert_eq!(en.fixed(-0.0, 1), "0.0");
        assert_eq!(en.quantity(0.727, Some("ms")), "0.727\u{a0}ms");
    }

    #[test]
    fn series_and_columns_come_from_the_table() {
        let (en, es) = (words("en"), words("es"));
        assert_eq!(en.series("pool", "4", "d.csv").unwrap(), "pool of 4");
        assert_eq!(es.series("one", "", "d.csv").unwrap(), "un hilo");
        assert_eq!(en.column("connections", "d.csv").unwrap(), "connections");
        let err = es.series("turbo", "2", "bench/data/x.csv").unwrap_err();
        assert!(
            err.contains("no entry `turbo`")
                && err
                    .contains("`series` under `charts` in the es entry of languages/src/table.rs"),
            "{err}"
        );
        let err = en.column("p42_us", "bench/data/x.csv").unwrap_err();
        assert!(err.contains("`columns`") && err.contains("p42_us"), "{err}");
        let err = en.series("pool", "", "bench/data/x.csv").unwrap_err();
        assert!(err.contains("no `workers` value"), "{err}");
    }

    #[test]
    fn a_language_without_an_entry_is_named() {
        let err = Words::for_tag(Some("fr")).unwrap_err();
        assert!(err.contains("`fr`") && err.contains(TABLE_FILE), "{err}");
        assert_eq!(Words::for_tag(None).unwrap().code, "en");
        assert_eq!(Words::for_tag(Some("pt")).unwrap().code, "pt-BR");
    }

    #[test]
    fn microseconds_are_shown_in_the_unit_that_reads_best() {
        let en = words("en");
        let unit = |column, largest| Unit::for_column(column, largest, &en).symbol;
        assert_eq!(unit("p99_us", 999.0), Some("µs"));
        assert_eq!(unit("p99_us", 24_063.0), Some("ms"));
        assert_eq!(unit("max_us", 2_500_000.0), Some("s"));
        assert_eq!(unit("requests_per_second", 24_063.0), None);
        assert_eq!(Unit::for_column("p99_us", 24_063.0, &en).show(727.0), 0.727);
    }

    #[test]
    fn templates_are_filled_and_titles_capitalized() {
        assert_eq!(
            fill("{y} against {x}", &[("y", "a"), ("x", "b")]),
            "a against b"
        );
        assert_eq!(capitalized("latência p99"), "Latência p99");
        assert_eq!(capitalized(""), "");
    }
}
