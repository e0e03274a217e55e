//! The report of the book's attack tool (chapter 13's `attack` package),
//! read back: the test suite and the benchmark both run the tool and count
//! what it saw.

/// How the attack's connections ended, as its report says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttackReport {
    /// Connections opened: the first ones and every one opened again.
    pub total: u64,
    /// Still open when the attack was over.
    pub held: u64,
    /// Closed by the server.
    pub closed: u64,
    /// Reset by the server.
    pub reset: u64,
    /// Failed in another way.
    pub other: u64,
    /// The `answers:` line: `none`, or each status and its count, e.g.
    /// `408 Request Timeout 2`.
    pub answers: String,
}

impl AttackReport {
    /// Reads the report from all the tool printed on standard output; the
    /// error says which line is missing or malformed.
    pub fn parse(stdout: &str) -> Result<AttackReport, String> {
        let line = |prefix: &str| {
            stdout
                .lines()
                .find_map(|line| line.strip_prefix(prefix))
                .ok_or_else(|| format!("no line starting {prefix:?}"))
        };
        // `connections: 2 in all, 0 held to the end, 2 closed by the
        // server, 0 reset, 0 failed otherwise`
        let counts = line("connections: ")?
            .split(", ")
            .map(|part| {
                let count = part.split(' ').next().unwrap_or_default();
                count
                    .parse()
                    .map_err(|_| format!("`{count}` is not a count"))
            })
            .collect::<Result<Vec<u64>, String>>()?;
        let [total, held, closed, reset, other] = counts[..] else {
            return Err(format!(
                "the connections line has {} counts, not five",
                counts.len()
            ));
        };
        Ok(AttackReport {
            total,
            held,
            closed,
            reset,
            other,
            answers: line("answers: ")?.to_string(),
        })
    }

    /// How many times the server answered with `status` (e.g. `408`).
    pub fn answered_with(&self, status: &str) -> u64 {
        self.answers
            .split(", ")
            .filter(|answer| answer.starts_with(&format!("{status} ")))
            .filter_map(|answer| answer.rsplit(' ').next()?.parse::<u64>().ok())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_read_back_count_by_count() {
        let report = AttackReport::parse(
            "idle on 2 connections to 127.0.0.1:1 for 3 s\n2 connections open\n\
             connections: 7 in all, 2 held to the end, 4 closed by the server, 1 reset, \
             0 failed otherwise\nanswers: 408 Request Timeout 3, 400 Bad Request 1\n",
        )
        .unwrap();
        assert_eq!(
            (
                report.total,
                report.held,
                report.closed,
                report.reset,
                report.other
            ),
            (7, 2, 4, 1, 0)
        );
        assert_eq!(report.answered_with("408"), 3);
        assert_eq!(report.answered_with("400"), 1);
        assert_eq!(report.answered_with("500"), 0);
    }

    #[test]
    fn a_missing_or_malformed_line_is_named() {
        let missing = AttackReport::parse("answers: none\n").unwrap_err();
        assert_eq!(missing, "no line starting \"connections: \"");
        let short = AttackReport::parse("connections: 2 in all, 2 held\nanswers: none\n");
        assert_eq!(
            short.unwrap_err(),
            "the connections line has 2 counts, not five"
        );
        let word = AttackReport::parse("connections: two in all\n").unwrap_err();
        assert_eq!(word, "`two` is not a count");
    }
}
