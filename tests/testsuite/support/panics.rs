//! Reading a program's standard error when several of its threads panic at
//! once.
//!
//! Two writers share that stream, and they do not interleave alike:
//! - std's default panic hook formats its whole report (`thread '…' panicked
//!   at …:` and the message line) into a buffer first and hands it to the
//!   stream in one write; a write of under 4 KiB to a pipe is atomic, so a
//!   report arrives whole. So does the one-line `note: run with
//!   RUST_BACKTRACE=1…` that follows the first report (a single literal).
//! - `eprintln!` writes its pieces one by one (`worker `, `0`, ` had
//!   panicked`, the newline), and the hook does not take the lock that
//!   `eprintln!` holds, so a report can land in the middle of such a line.
//!
//! What is guaranteed, then: take the reports out, and every line the
//! program printed itself is whole again.

/// The panic reports in `stderr`, each as its two lines joined by a newline,
/// and what is left once they (and the backtrace note) are taken out, line
/// by line, blank lines dropped.
pub fn split_panic_reports(stderr: &str) -> (Vec<String>, Vec<String>) {
    const NOTE: &str =
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
    const HEAD: &str = "thread '";
    let mut text = stderr.replace(NOTE, "");
    let mut reports = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(HEAD) {
        let start = from + found;
        let headline_end = text[start..].find('\n').map(|i| start + i);
        let is_report = headline_end.is_some_and(|end| text[start..end].contains(" panicked at "));
        let (true, Some(headline_end)) = (is_report, headline_end) else {
            from = start + HEAD.len();
            continue;
        };
        // The report is the headline and one message line.
        let end = text[headline_end + 1..]
            .find('\n')
            .map_or(text.len(), |i| headline_end + 1 + i + 1);
        reports.push(text[start..end].trim_end().to_string());
        // The hook starts its report with a newline of its own.
        let start = if text[..start].ends_with('\n') {
            start - 1
        } else {
            start
        };
        text.replace_range(start..end, "");
        from = start;
    }
    let rest = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_string)
        .collect();
    (reports, rest)
}

#[cfg(test)]
mod tests {
    use super::split_panic_reports;

    #[test]
    fn a_report_in_the_middle_of_a_line_is_taken_out_whole() {
        let stderr = "worker 0 had panicked\nworker \nthread '<unnamed>' (7) panicked at src/pool.rs:9:5:\n\
                      called `Result::unwrap()` on an `Err` value: PoisonError { .. }\n1 had panicked\n\
                      note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        let (reports, rest) = split_panic_reports(stderr);
        assert_eq!(
            reports,
            [
                "thread '<unnamed>' (7) panicked at src/pool.rs:9:5:\ncalled `Result::unwrap()` on an `Err` value: PoisonError { .. }"
            ]
        );
        assert_eq!(rest, ["worker 0 had panicked", "worker 1 had panicked"]);
    }

    #[test]
    fn text_that_only_looks_like_a_report_stays() {
        let (reports, rest) = split_panic_reports("thread 'main' says hello\n");
        assert!(reports.is_empty());
        assert_eq!(rest, ["thread 'main' says hello"]);
    }
}
