//! The attack tool as the benchmark runs it (the process itself is
//! `listings_contract::attack`'s, shared with the test suite).

/// The attack tool as chapter 13 leaves it.
pub const ATTACK: &str = "ch13-01-idle-and-trickle";
