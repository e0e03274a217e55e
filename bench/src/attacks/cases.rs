//! The cases `attacks` measures: chapter 12's tuned pool and chapter 13's
//! deadline, without an attack and under one, with the deadline's length
//! and then the pool's size changed one at a time; and Part 5's last server
//! under the same attack.

use crate::{csv, report::Report};
use listings_contract::attack::AttackReport;

/// Part 4's tuned pool: no deadline.
pub const TUNED: &str = "ch12-07-queue-and-condvar";

/// Chapter 13's last server: a deadline for the head, and 408.
pub const DEADLINE: &str = "ch13-05-request-timeout";

/// Part 5's last server: every fix of the part.
pub const HARDENED: &str = "ch17-03-second-signal";

/// The attack of chapter 13's measurement: 16 idle clients and 8
/// trickling ones.
const IDLE: u64 = 16;
const TRICKLING: u64 = 8;

/// The trickle's pace: a byte a second, the tool's default.
pub const TRICKLE_INTERVAL_MS: u64 = 1000;

/// One server, its settings, and the attack it meets.
pub struct Case {
    pub listing: &'static str,
    pub workers: u64,
    /// `HEAD_TIMEOUT_MS`; `None` for the server that has no deadline.
    pub head_timeout_ms: Option<u64>,
    pub idle: u64,
    pub trickling: u64,
}

const fn case(listing: &'static str, workers: u64, head_timeout_ms: Option<u64>) -> Case {
    Case {
        listing,
        workers,
        head_timeout_ms,
        idle: IDLE,
        trickling: TRICKLING,
    }
}

/// In the chapter's order, which is the rows' order.
pub const CASES: &[Case] = &[
    Case {
        idle: 0,
        trickling: 0,
        ..case(TUNED, 4, None)
    },
    Case {
        idle: 0,
        trickling: 0,
        ..case(DEADLINE, 4, Some(10_000))
    },
    case(TUNED, 4, None),
    case(DEADLINE, 4, Some(10_000)),
    case(DEADLINE, 4, Some(1_000)),
    case(DEADLINE, 4, Some(100)),
    case(DEADLINE, 32, Some(1_000)),
    case(HARDENED, 32, Some(1_000)),
];

impl Case {
    /// The server's environment: its pool's size, and its deadline.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![("WORKERS", self.workers.to_string())];
        if let Some(ms) = self.head_timeout_ms {
            env.push(("HEAD_TIMEOUT_MS", ms.to_string()));
        }
        env
    }

    /// One line for the progress output and for errors.
    pub fn describe(&self) -> String {
        let deadline = self.head_timeout_ms.map_or_else(
            || "no deadline".to_string(),
            |ms| format!("a {ms} ms deadline"),
        );
        format!(
            "{} with {} workers and {deadline}, {} idle and {} trickling clients",
            self.listing, self.workers, self.idle, self.trickling
        )
    }

    /// Little's law's longest wait for `/`, in seconds: every attacker ahead
    /// of it holds a worker for a whole deadline, and the pool gets through
    /// `workers` of them per deadline. `None` when there is no deadline, no
    /// attack, or a worker for every attacker (no wait).
    pub fn wait_bound_seconds(&self) -> Option<f64> {
        let attackers = self.idle + self.trickling;
        let deadline_ms = self.head_timeout_ms?;
        (attackers >= self.workers && attackers > 0)
            .then(|| (attackers * deadline_ms) as f64 / self.workers as f64 / 1000.0)
    }

    /// The case's row: its settings, what `/` got, and the attacks' reports
    /// added up.
    pub fn row(&self, root: &Report, attacks: &[AttackReport]) -> Vec<String> {
        let sum = |count: fn(&AttackReport) -> u64| -> String {
            if attacks.is_empty() {
                String::new()
            } else {
                attacks.iter().map(count).sum::<u64>().to_string()
            }
        };
        let mut row = vec![
            self.listing.to_string(),
            self.workers.to_string(),
            csv::optional(self.head_timeout_ms),
            self.idle.to_string(),
            self.trickling.to_string(),
            csv::optional(self.wait_bound_seconds().map(|s| format!("{s:.1}"))),
        ];
        row.extend(csv::outcome(root));
        row.extend([
            sum(|a| a.total),
            sum(|a| a.held),
            sum(|a| a.closed),
            sum(|a| a.reset),
            sum(|a| a.answered_with("408")),
        ]);
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_is_attackers_times_deadline_over_workers() {
        let bound = |listing, workers, ms| case(listing, workers, ms).wait_bound_seconds();
        assert_eq!(bound(DEADLINE, 4, Some(10_000)), Some(60.0));
        assert_eq!(bound(DEADLINE, 4, Some(100)), Some(0.6));
        // No deadline: no bound; more workers than attackers: no wait.
        assert_eq!(bound(TUNED, 4, None), None);
        assert_eq!(bound(DEADLINE, 32, Some(1_000)), None);
    }

    #[test]
    fn a_case_without_an_attack_leaves_the_attack_columns_empty() {
        let report = crate::report::parse(
            "requests: 10 answered, 0 failed, in 1.00 s\nthroughput: 10.0 answered per second\n\
             failures: none\nlatency (µs): p50 1, p90 2, p99 3, max 4\n",
        )
        .unwrap();
        let row = CASES[0].row(&report, &[]);
        assert_eq!(row.len(), super::super::columns().len());
        assert_eq!(
            row[..6],
            ["ch12-07-queue-and-condvar", "4", "", "0", "0", ""]
        );
        assert!(row[14..].iter().all(String::is_empty), "{row:?}");
    }
}
