//! The `models` command run for real, as small as it goes: Part 5's pool
//! (and nginx, when it is installed) built in debug, two connections, one
//! round, one second per run, 20 idle connections. The figures are not
//! checked, only that each file gets its rows, columns and comment lines,
//! and the counts that do not depend on the machine: the generator opens a
//! connection per request against a server that closes each one, and far
//! fewer against nginx, which keeps them; the idle connections are held by
//! nginx (absolute speeds belong in the data, never in a test).

mod common;

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use common::Data;

/// The comment lines every `models` file begins with.
const COMMENTS: [&str; 4] = [
    "# machine: ",
    "# open files: ",
    "# date: ",
    "# regenerate: ",
];

/// A folder for this test's files, emptied first.
fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tiny-models");
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn nginx_on_path() -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| dir.join("nginx").is_file())
}

#[test]
fn measures_the_pool_and_nginx_in_every_file() {
    let dir = out_dir();
    let with_nginx = nginx_on_path();
    let only = if with_nginx { "pool,nginx" } else { "pool" };
    let run = Command::new(env!("CARGO_BIN_EXE_book-bench"))
        .args([
            "models",
            "--only",
            only,
            "--connections",
            "2",
            "--rounds",
            "1",
        ])
        .args(["--duration", "1", "--slow-in-flight", "1", "--idle", "20"])
        .args(["--profile", "dev", "--out-dir"])
        .arg(&dir)
        .output()
        .expect("book-bench runs");
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "book-bench failed: {said}");
    let models = if with_nginx { 2 } else { 1 };

    for mode in ["close", "keep-alive"] {
        let data = Data::read(&dir.join(format!("models-{mode}.csv")), &COMMENTS);
        let pool = data.row("pool");
        assert_eq!(data.rows.len(), models, "{}", data.csv);
        assert_eq!(data.get(pool, "server"), "ch17-03-second-signal");
        assert_eq!(data.get(pool, "mode"), mode);
        assert!(data.number(pool, "answered") > 0.0, "{}", data.csv);
        // The pool closes every connection: one per request, kept alive or not.
        let requests = data.number(pool, "answered") + data.number(pool, "failed");
        assert_eq!(
            data.number(pool, "connections_opened"),
            requests,
            "{}",
            data.csv
        );
        if with_nginx {
            let nginx = data.row("nginx");
            assert_eq!(data.get(nginx, "server"), "nginx");
            let requests = data.number(nginx, "answered") + data.number(nginx, "failed");
            let opened = data.number(nginx, "connections_opened");
            if mode == "close" {
                assert_eq!(opened, requests, "{}", data.csv);
            } else {
                // nginx keeps each client's connection, for up to 1000
                // requests (its `keepalive_requests`).
                assert!(opened * 100.0 < requests, "{}", data.csv);
            }
        }
    }

    let slow = Data::read(&dir.join("models-slow.csv"), &COMMENTS);
    assert_eq!(slow.rows.len(), 1, "nginx has no /slow:\n{}", slow.csv);
    let pool = slow.row("pool");
    assert_eq!(slow.get(pool, "slow_in_flight"), "1");
    assert!(slow.number(pool, "answered") > 0.0, "{}", slow.csv);

    let idle = Data::read(&dir.join("models-idle.csv"), &COMMENTS);
    assert_eq!(idle.rows.len(), models, "{}", idle.csv);
    let pool = idle.row("pool");
    assert_eq!(idle.get(pool, "idle_connections"), "20");
    assert!(idle.number(pool, "rss_before_kb") > 0.0, "{}", idle.csv);
    // Twenty are fewer than a hundred: one attack process, opened whatever
    // the server does with them.
    assert_eq!(idle.get(pool, "idle_opened"), "20", "{}", idle.csv);
    if with_nginx {
        let nginx = idle.row("nginx");
        assert_eq!(idle.get(nginx, "held_by_server"), "20", "{}", idle.csv);
        assert!(idle.number(nginx, "answered") > 0.0, "{}", idle.csv);
    }
}

#[test]
fn without_nginx_one_line_says_so_and_the_models_are_measured() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tiny-models-no-nginx");
    let _ = std::fs::remove_dir_all(&dir);
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept = std::env::split_paths(&path).filter(|dir| !dir.join("nginx").is_file());
    let run = Command::new(env!("CARGO_BIN_EXE_book-bench"))
        .args(["models", "--only", "pool,nginx", "--connections", "1"])
        .args(["--rounds", "1", "--duration", "1", "--slow-in-flight", "1"])
        .args(["--idle", "5", "--profile", "dev", "--out-dir"])
        .arg(&dir)
        .env(
            "PATH",
            std::env::join_paths(kept).expect("the PATH's own folders"),
        )
        .output()
        .expect("book-bench runs");
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "book-bench failed: {said}");
    let line = "nginx not found on PATH: skipped; apt-get install nginx to compare";
    assert_eq!(said.matches(line).count(), 1, "{said}");
    for file in [
        "models-close.csv",
        "models-keep-alive.csv",
        "models-idle.csv",
    ] {
        let data = Data::read(&dir.join(file), &COMMENTS);
        let pool = data.row("pool");
        assert_eq!(data.rows.len(), 1, "{}", data.csv);
        assert_eq!(data.get(pool, "model"), "pool");
        // No row, nor the line that describes it.
        assert!(!data.csv.contains("\nnginx,"), "{}", data.csv);
        assert!(!data.csv.contains("# nginx: "), "{}", data.csv);
    }
}
