//! Every check of the book, in one test binary (DESIGN.md, "Verification"):
//! the support code compiles once, the site and the listings are built once
//! per run, and the tests that wait (on a server's slow route, on a browser)
//! overlap with the ones that compute.
//!
//! Each module is one kind of check; `cargo test --test testsuite MODULE::`
//! runs one of them (the README lists them).

mod support;

mod book;
mod browser;
mod listings;
mod part1;
mod part2;
mod part2_channel;
mod part3;
mod part4;
mod part4_servers;
mod part4_tuning;
mod part5;
mod part5_limits;
mod part5_overload;
mod part5_panics;
mod part5_stop;
mod part6_async;
mod part6_async_many;
mod part6_compare;
mod part6_event_loop;
mod part6_fork_join;
mod translations;
