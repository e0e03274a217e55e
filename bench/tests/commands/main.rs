//! `book-bench` run for real, as small as it goes, and its command line.
//! One test binary: cargo runs test binaries one after the other, and
//! these tests mostly wait (for a run of one second, for a server to
//! stop), so in one binary they wait at the same time.

mod common;
mod models;
mod servers;
