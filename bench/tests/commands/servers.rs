//! The `servers` command run for real, as small as it goes: listings built
//! in debug (a release build of every server would not fit the suite's time
//! budget), one connection, one second. The figures are not checked, only
//! that each file gets its rows, columns and comment lines: absolute speeds
//! belong in the data, never in a test. Also the command line: both
//! commands' usage texts and exit statuses (the `tuning` command itself
//! builds chapter 12's seven servers: too slow for the suite; its parts are
//! unit-tested).

use std::{
    env,
    ffi::OsString,
    path::{Path, PathBuf},
    process::{Command, Output},
};

use crate::common::{Data, nginx_or_skip, path_without_nginx};

/// The comment lines every `servers` file begins with.
const COMMENTS: [&str; 3] = ["# machine: ", "# date: ", "# regenerate: "];

fn book_bench(args: &[&str], path: Option<&OsString>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_book-bench"));
    command.args(args);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.output().expect("book-bench runs")
}

/// A file for this test's output, removed first.
fn out(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// `servers` measuring `only` in the sweep alone, as small as it goes,
/// into `out`.
fn tiny_sweep<'a>(only: &'a str, out: &'a Path) -> [&'a str; 12] {
    [
        "servers",
        "--only",
        only,
        "--sweep-only",
        "--connections",
        "1",
        "--duration",
        "1",
        "--profile",
        "dev",
        "--out",
        text(out),
    ]
}

#[test]
fn measures_a_pool_in_the_sweep_and_in_the_mix() {
    let (servers, mix) = (out("tiny-servers.csv"), out("tiny-mix.csv"));
    let run = book_bench(
        &[
            "servers",
            "--only",
            "pool-2",
            "--connections",
            "1",
            "--duration",
            "1",
            "--slow-in-flight",
            "1",
            "--mix-duration",
            "1",
            "--profile",
            "dev",
            "--out",
            text(&servers),
            "--mix-out",
            text(&mix),
        ],
        None,
    );
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "book-bench failed: {said}");

    let servers = Data::read(&servers, &COMMENTS);
    assert_eq!(servers.rows.len(), 1, "one row:\n{}", servers.csv);
    assert_eq!(servers.get(0, "server"), "ch11-02-workers-checked");
    assert_eq!(servers.get(0, "threads"), "pool");
    assert_eq!(servers.get(0, "workers"), "2");
    assert_eq!(servers.get(0, "connections"), "1");
    assert!(servers.number(0, "answered") > 0.0, "{}", servers.csv);
    assert_eq!(servers.get(0, "failed"), "0", "{}", servers.csv);
    assert!(servers.number(0, "p50_us") <= servers.number(0, "max_us"));

    let mix = Data::read(&mix, &COMMENTS);
    assert_eq!(mix.rows.len(), 1, "one row:\n{}", mix.csv);
    assert_eq!(mix.get(0, "workers"), "2");
    assert_eq!(mix.get(0, "slow_in_flight"), "1");
    assert_eq!(mix.get(0, "slow_rate"), "0.5");
    // The slow loop's schedule is 3 s at 0.5 per second: two requests, each
    // answered after the 2 s sleep.
    assert_eq!(mix.get(0, "slow_answered"), "2", "{}", mix.csv);
    assert_eq!(mix.get(0, "slow_failed"), "0", "{}", mix.csv);
    assert!(mix.number(0, "slow_p50_us") >= 2e6, "{}", mix.csv);
    assert!(
        mix.number(0, "slow_in_flight_measured") > 0.0,
        "{}",
        mix.csv
    );
    assert_eq!(mix.get(0, "fast_connections"), "4");
    assert!(mix.number(0, "fast_answered") > 0.0, "{}", mix.csv);
}

/// nginx's workers whose master is gone: each nginx process by what it
/// calls itself (`nginx: master process …`, `nginx: worker process`), and
/// a worker's parent. Other nginx servers may run meanwhile (the `models`
/// test starts one at the same time), each worker under its master: only
/// an orphan tells of a run that did not stop its own.
fn orphaned_nginx_workers() -> Vec<String> {
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let name = |pid: &str| std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    processes
        .flatten()
        .map(|process| process.file_name().to_string_lossy().into_owned())
        .filter(|pid| name(pid).starts_with(b"nginx: worker process"))
        .filter(|pid| {
            // `PID (COMMAND) STATE PPID …`; the command may hold spaces, not `)`.
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let parent = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .unwrap_or_default()
                .to_string();
            !name(&parent).starts_with(b"nginx: master process")
        })
        .collect()
}

#[test]
fn measures_nginx_and_stops_it() {
    if !nginx_or_skip() {
        return;
    }
    let servers = out("nginx-servers.csv");
    let child = Command::new(env!("CARGO_BIN_EXE_book-bench"))
        .args(tiny_sweep("nginx", &servers))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("book-bench runs");
    let pid = child.id();
    let run = child.wait_with_output().expect("book-bench ends");
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "book-bench failed: {said}");

    let data = Data::read(&servers, &COMMENTS);
    assert_eq!(data.rows.len(), 1, "one row:\n{}", data.csv);
    assert_eq!(data.get(0, "server"), "nginx");
    assert_eq!(data.get(0, "threads"), "nginx");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(data.get(0, "workers"), cores.to_string());
    assert!(data.number(0, "answered") > 0.0, "{}", data.csv);
    assert_eq!(data.get(0, "failed"), "0", "{}", data.csv);
    assert!(
        data.csv
            .lines()
            .any(|line| line.starts_with("# nginx: nginx/")),
        "{}",
        data.csv
    );

    // Stopped after: its folder is gone, no process runs from it, and no
    // worker outlives its master.
    let orphans = orphaned_nginx_workers();
    assert!(
        orphans.is_empty(),
        "nginx workers left running: {orphans:?}"
    );
    let folder = format!("book-bench-nginx-{pid}-");
    let left: Vec<_> = std::fs::read_dir(env::temp_dir())
        .expect("the temporary folder")
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&folder))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    if let Ok(processes) = std::fs::read_dir("/proc") {
        for process in processes.flatten() {
            let command = std::fs::read(process.path().join("cmdline")).unwrap_or_default();
            assert!(
                !String::from_utf8_lossy(&command).contains(&folder),
                "still running: {}",
                String::from_utf8_lossy(&command)
            );
        }
    }
}

#[test]
fn without_nginx_one_line_says_so_and_the_rest_goes_on() {
    let servers = out("no-nginx-servers.csv");
    let run = book_bench(
        &tiny_sweep("one,nginx", &servers),
        Some(&path_without_nginx()),
    );
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "book-bench failed: {said}");
    let line = "nginx not found on PATH: skipped; apt-get install nginx to compare";
    assert_eq!(said.matches(line).count(), 1, "{said}");
    let data = Data::read(&servers, &COMMENTS);
    assert_eq!(data.rows.len(), 1, "one row:\n{}", data.csv);
    assert_eq!(data.get(0, "server"), "ch03-01-slow-route");
    assert!(!data.csv.contains("nginx"), "{}", data.csv);
}

/// The usage texts: each command's, and the one that lists the commands.
const SERVERS_USAGE: &str = "usage: book-bench servers [--only";
const TUNING_USAGE: &str = "usage: book-bench tuning [--duration";
const ATTACKS_USAGE: &str = "usage: book-bench attacks [--duration";
const FLOOD_USAGE: &str = "usage: book-bench flood [--duration";
const MODELS_USAGE: &str = "usage: book-bench models [--only";
const COMMANDS_USAGE: &str = "usage: book-bench all\n       book-bench servers [OPTION...]\n       \
     book-bench tuning [OPTION...]";

#[test]
fn bad_input_exits_with_status_2_and_says_why() {
    for (args, said, usage) in [
        (
            &["servers", "--connections", "0"][..],
            "`--connections` takes",
            SERVERS_USAGE,
        ),
        (
            &["servers", "--only", "pool-3"][..],
            "not `pool-3`",
            SERVERS_USAGE,
        ),
        (
            &["servers", "--slow-in-flight", "1,x"][..],
            "`--slow-in-flight` takes whole numbers from 0 to 100, not `x`",
            SERVERS_USAGE,
        ),
        (
            &["tuning", "--rounds", "0"][..],
            "`--rounds` takes whole numbers from 1 to 100, not `0`",
            TUNING_USAGE,
        ),
        (
            &["tuning", "--profile", "fast"][..],
            "`release` or `dev`",
            TUNING_USAGE,
        ),
        (
            &["tuning", "--only", "x"][..],
            "unknown option `--only`",
            TUNING_USAGE,
        ),
        (
            &["attacks", "--duration", "0"][..],
            "`--duration` takes whole numbers from 1 to 600, not `0`",
            ATTACKS_USAGE,
        ),
        (
            &["flood", "--out"][..],
            "`--out` needs a value",
            FLOOD_USAGE,
        ),
        (
            &["models", "--only", "fibers"][..],
            "not `fibers`",
            MODELS_USAGE,
        ),
        (
            &[][..],
            "give a command: `all`, `servers`, `tuning`, `attacks`, `flood` or `models`",
            COMMANDS_USAGE,
        ),
        (
            &["all", "--duration", "1"][..],
            "`all` takes no option (`--duration`)",
            COMMANDS_USAGE,
        ),
        (
            &["benchmark"][..],
            "unknown command `benchmark`",
            COMMANDS_USAGE,
        ),
    ] {
        let run = book_bench(args, None);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        let (error, _) = stderr.split_once("\n\n").unwrap_or_default();
        assert!(
            error.starts_with("error: ") && error.contains(said),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(usage), "{args:?}: {stderr}");
    }
}

#[test]
fn help_prints_the_usage_and_exits_with_status_0() {
    for (args, usage) in [
        (&["--help"][..], COMMANDS_USAGE),
        (&["-h"][..], COMMANDS_USAGE),
        (&["help"][..], COMMANDS_USAGE),
        (&["servers", "--help"][..], SERVERS_USAGE),
        (&["tuning", "-h"][..], TUNING_USAGE),
        (&["attacks", "--help"][..], ATTACKS_USAGE),
        (&["flood", "-h"][..], FLOOD_USAGE),
        (&["models", "--help"][..], MODELS_USAGE),
        (&["all", "--help"][..], COMMANDS_USAGE),
    ] {
        let run = book_bench(args, None);
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert_eq!(run.status.code(), Some(0), "{args:?}");
        assert!(stdout.starts_with(usage), "{args:?}: {stdout}");
    }
}
