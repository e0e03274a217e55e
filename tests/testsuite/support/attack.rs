//! Running Part 5's attack tool (package `attack`) against a server, as a
//! reader runs it in a second terminal, and reading its report back. The
//! process and its report are `listings_contract::attack`'s, shared with the
//! benchmark; here, whatever goes wrong fails the test.

use listings_contract::attack::{Attack as Process, AttackReport};

use super::{
    listings::{Listing, build_listing},
    server::Server,
};

/// What the attack tool reported about its connections.
pub type Outcome = AttackReport;

/// A run of the attack tool, started and holding its connections; dropping
/// it (a failed test) stops the process.
pub struct Attack(Process);

impl Attack {
    /// Starts `tool`'s program (a listing of package `attack`) as
    /// `attack MODE… --connections N --duration SECONDS URL` against
    /// `server`, and returns once every connection is open.
    pub fn start(
        tool: &str,
        mode: &[&str],
        connections: u32,
        seconds: u32,
        server: &Server,
    ) -> Attack {
        let binary = build_listing(&Listing::named(tool)).unwrap_or_else(|err| panic!("{err}"));
        let url = format!("http://{}", server.addr());
        let process = Process::start(&binary, mode, connections.into(), seconds.into(), &url)
            .unwrap_or_else(|err| panic!("{err}"));
        Attack(process)
    }

    /// Waits for the attack to end, and reads its report.
    pub fn outcome(self) -> Outcome {
        self.0.report().unwrap_or_else(|err| panic!("{err}"))
    }
}
