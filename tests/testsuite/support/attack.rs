//! Running a listing of Part 5's attack tool (package `attack`) against a
//! server the test started, as a reader runs it in a second terminal. The
//! process and its report are `listings_contract::attack`'s, which the
//! benchmark shares.

use listings_contract::attack;

use super::{
    listings::{Listing, build_listing, run_listing},
    server::Server,
};

/// What the attack tool reported about its connections.
pub use listings_contract::attack::AttackReport as Outcome;

/// A run of the attack tool, started and holding its connections; dropping
/// it (a failed test) stops the process.
pub struct Attack(attack::Attack);

impl Attack {
    /// Starts `tool`'s program (a listing of package `attack`) as
    /// `attack MODE… --connections N --duration SECONDS URL` against
    /// `server`, and returns once every connection is open.
    pub fn start(
        tool: &str,
        mode: &[&str],
        connections: u64,
        seconds: u64,
        server: &Server,
    ) -> Attack {
        let binary = build_listing(&Listing::named(tool)).unwrap_or_else(|err| panic!("{err}"));
        let url = format!("http://{}", server.addr());
        attack::Attack::start(&binary, mode, connections, seconds, &url)
            .map(Attack)
            .unwrap_or_else(|err| panic!("{tool} {mode:?} against {}: {err}", server.listing))
    }

    /// Waits for the attack to end, and reads its report.
    pub fn outcome(self) -> Outcome {
        self.0.report().unwrap_or_else(|err| panic!("{err}"))
    }
}

/// Runs `tool`'s program with each case's arguments and checks that it
/// refuses them as the book says: nothing on standard output, `error:` and
/// the case's message then `usage` on standard error, and status 2.
pub fn assert_refuses<M: AsRef<str>>(tool: &str, usage: &str, cases: &[(&[&str], M)]) {
    for (args, message) in cases {
        let run = run_listing(tool, args, std::time::Duration::from_secs(20));
        let said = format!("error: {}\n{usage}\n", message.as_ref());
        assert_eq!(
            (run.status.code(), run.stdout.as_str(), run.stderr.as_str()),
            (Some(2), "", said.as_str()),
            "{tool} {args:?}"
        );
    }
}

/// How many connections `listing` answered with `status` (`408`), after
/// checking that every answer it gave was `status` or one of `also` (e.g. a
/// `408` beside a `414`, for a client a busy machine held up past the head
/// timeout before it sent enough).
pub fn answered_only(listing: &str, outcome: &Outcome, status: &str, also: &[&str]) -> u64 {
    let expected: u64 = std::iter::once(status)
        .chain(also.iter().copied())
        .map(|each| outcome.answered_with(each))
        .sum();
    assert_eq!(
        expected,
        outcome.answered_at_all(),
        "{listing}: expected answers {status} and {also:?} only: {outcome:?}"
    );
    outcome.answered_with(status)
}
