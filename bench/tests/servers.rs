//! The `servers` command run for real, as small as it goes: the final pool
//! only, one connection, one second, listings built in debug (a release
//! build of every server would not fit the suite's time budget).

use std::{path::Path, process::Command};

fn book_bench(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_book-bench"))
        .args(args)
        .output()
        .expect("book-bench runs")
}

#[test]
fn measures_the_final_pool_and_writes_one_row() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("book-bench-servers.csv");
    let _ = std::fs::remove_file(&out);
    let run = book_bench(&[
        "servers",
        "--only",
        "ch08-09-close-listener-first",
        "--connections",
        "1",
        "--duration",
        "1",
        "--profile",
        "dev",
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert!(
        run.status.success(),
        "book-bench failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );

    let csv = std::fs::read_to_string(&out).expect("the CSV was written");
    let comments: Vec<&str> = csv.lines().filter(|line| line.starts_with('#')).collect();
    assert!(
        comments.iter().any(|line| line.starts_with("# machine: ")),
        "{csv}"
    );
    assert!(
        comments.iter().any(|line| line.starts_with("# date: ")),
        "{csv}"
    );
    let table: Vec<Vec<&str>> = csv
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split(',').collect())
        .collect();
    assert_eq!(table.len(), 2, "a header and one row:\n{csv}");
    let (header, row) = (&table[0], &table[1]);
    assert_eq!(header.len(), row.len(), "{csv}");
    let column = |name: &str| {
        let index = header.iter().position(|&column| column == name);
        row[index.unwrap_or_else(|| panic!("no column {name}:\n{csv}"))]
    };
    assert_eq!(column("server"), "ch08-09-close-listener-first");
    assert_eq!(column("connections"), "1");
    let answered: u64 = column("answered").parse().expect("a count");
    assert!(answered > 0, "{csv}");
    assert_eq!(column("failed"), "0", "{csv}");
    let per_second: f64 = column("requests_per_second").parse().expect("a rate");
    assert!(per_second > 0.0, "{csv}");
    let p50: u64 = column("p50_us").parse().expect("a latency");
    let max: u64 = column("max_us").parse().expect("a latency");
    assert!(p50 <= max, "{csv}");
}

#[test]
fn bad_input_exits_with_status_2_and_says_why() {
    for (args, said) in [
        (
            &["servers", "--connections", "0"][..],
            "`--connections` takes",
        ),
        (&["servers", "--only", "ch99-nope"][..], "not `ch99-nope`"),
        (&["benchmark"][..], "unknown command `benchmark`"),
    ] {
        let run = book_bench(args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
        assert!(stderr.contains("usage: book-bench servers"), "{stderr}");
    }
}
