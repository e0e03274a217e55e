//! The `models` command run for real, as small as it goes: debug builds,
//! two connections, one round, one second per run, 20 idle connections.
//! Two runs at once, each about half the work of one with both: Part 5's
//! pool with nginx hidden from the PATH (so also the line that says it is
//! missing), and nginx alone, when it is installed. The figures are not
//! checked, only that each file gets its rows, columns and comment lines,
//! and the counts that do not depend on the machine: the generator opens a
//! connection per request against a server that closes each one, and far
//! fewer against nginx, which keeps them; the idle connections are held by
//! nginx (absolute speeds belong in the data, never in a test).

use std::{
    ffi::OsString,
    path::{Path, PathBuf},
    process::Command,
};

use crate::common::{Data, nginx_or_skip, path_without_nginx};

/// The comment lines every `models` file begins with.
const COMMENTS: [&str; 4] = [
    "# machine: ",
    "# open files: ",
    "# date: ",
    "# regenerate: ",
];

/// Runs `book-bench models --only ONLY` as small as it goes, with `path`
/// for PATH when given, into a folder of its own (emptied first), and
/// returns the folder and what the command printed on standard error.
fn tiny_models(only: &str, path: Option<OsString>) -> (PathBuf, String) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("tiny-models-{only}"));
    let _ = std::fs::remove_dir_all(&dir);
    let mut command = Command::new(env!("CARGO_BIN_EXE_book-bench"));
    command
        .args(["models", "--only", only, "--connections", "2"])
        .args(["--rounds", "1", "--duration", "1", "--slow-in-flight", "1"])
        .args(["--idle", "20", "--profile", "dev", "--out-dir"])
        .arg(&dir);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let run = command.output().expect("book-bench runs");
    let said = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "book-bench failed: {said}");
    (dir, said)
}

/// Every request on a connection of its own: answered and failed together
/// are the connections the generator opened.
fn a_connection_per_request(data: &Data, row: usize) {
    let requests = data.number(row, "answered") + data.number(row, "failed");
    assert_eq!(
        data.number(row, "connections_opened"),
        requests,
        "{}",
        data.csv
    );
}

#[test]
fn without_nginx_one_line_says_so_and_the_pool_is_measured_in_every_file() {
    let (dir, said) = tiny_models("pool,nginx", Some(path_without_nginx()));
    let line = "nginx not found on PATH: skipped; apt-get install nginx to compare";
    assert_eq!(said.matches(line).count(), 1, "{said}");
    let read = |file: &str| {
        let data = Data::read(&dir.join(file), &COMMENTS);
        assert_eq!(data.rows.len(), 1, "the pool's row alone:\n{}", data.csv);
        // No row, nor the line that describes it.
        assert!(!data.csv.contains("\nnginx,"), "{}", data.csv);
        assert!(!data.csv.contains("# nginx: "), "{}", data.csv);
        data
    };

    for mode in ["close", "keep-alive"] {
        let data = read(&format!("models-{mode}.csv"));
        let pool = data.row("pool");
        assert_eq!(data.get(pool, "server"), "ch17-03-second-signal");
        assert_eq!(data.get(pool, "mode"), mode);
        assert!(data.number(pool, "answered") > 0.0, "{}", data.csv);
        // The pool closes every connection, kept alive or not.
        a_connection_per_request(&data, pool);
    }

    let slow = read("models-slow.csv");
    let pool = slow.row("pool");
    assert_eq!(slow.get(pool, "slow_in_flight"), "1");
    assert!(slow.number(pool, "answered") > 0.0, "{}", slow.csv);

    let idle = read("models-idle.csv");
    let pool = idle.row("pool");
    assert_eq!(idle.get(pool, "idle_connections"), "20");
    assert!(idle.number(pool, "rss_before_kb") > 0.0, "{}", idle.csv);
    // Twenty are fewer than a hundred: one attack process, opened whatever
    // the server does with them.
    assert_eq!(idle.get(pool, "idle_opened"), "20", "{}", idle.csv);
}

#[test]
fn nginx_keeps_connections_and_holds_the_idle_ones() {
    if !nginx_or_skip() {
        return;
    }
    let (dir, said) = tiny_models("nginx", None);
    for mode in ["close", "keep-alive"] {
        let data = Data::read(&dir.join(format!("models-{mode}.csv")), &COMMENTS);
        assert_eq!(data.rows.len(), 1, "{}", data.csv);
        let nginx = data.row("nginx");
        assert_eq!(data.get(nginx, "server"), "nginx");
        assert!(data.number(nginx, "answered") > 0.0, "{}", data.csv);
        assert!(data.csv.contains("# nginx: "), "{}", data.csv);
        if mode == "close" {
            a_connection_per_request(&data, nginx);
        } else {
            // nginx keeps each client's connection, for up to 1000
            // requests (its `keepalive_requests`).
            let requests = data.number(nginx, "answered") + data.number(nginx, "failed");
            let opened = data.number(nginx, "connections_opened");
            assert!(opened * 100.0 < requests, "{}", data.csv);
        }
    }

    // nginx has no /slow: nothing measured, no file written, and it says so.
    let slow = dir.join("models-slow.csv");
    assert!(!slow.exists(), "{}", slow.display());
    let line = format!("nothing measured for {}: left as it was", slow.display());
    assert_eq!(said.matches(&line).count(), 1, "{said}");

    let idle = Data::read(&dir.join("models-idle.csv"), &COMMENTS);
    assert_eq!(idle.rows.len(), 1, "{}", idle.csv);
    let nginx = idle.row("nginx");
    assert_eq!(idle.get(nginx, "idle_connections"), "20");
    assert_eq!(idle.get(nginx, "held_by_server"), "20", "{}", idle.csv);
    assert!(idle.number(nginx, "answered") > 0.0, "{}", idle.csv);
}
