//! Helpers shared by the integration tests. Each test binary uses only some
//! of them, hence the `dead_code` allowance.
#![allow(dead_code)]

pub mod attack;
pub mod book;
pub mod browser;
pub mod built_site;
pub mod claims;
pub mod hardening;
pub mod html;
pub mod http;
pub mod listings;
pub mod loadgen;
pub mod outline;
pub mod panics;
pub mod part5_answers;
pub mod scratch;
pub mod server;
pub mod summary;
pub mod translation;
pub mod turns;
