//! Part 3 (shutting down): what chapter 8 says each server does.

use std::time::Duration;

use crate::support::{
    claims::all_at_once,
    http::{connect_and_leave, get},
    panics::split_panic_reports,
    server::Server,
};

/// Long enough for a server that is going to stop to have stopped.
const STOPS_WITHIN: Duration = Duration::from_secs(10);

fn serve_roots(server: &Server, count: usize) {
    for _ in 0..count {
        let response = get(server.addr(), "/");
        assert_eq!(
            response.status_line, "HTTP/1.1 200 OK",
            "{}",
            server.listing
        );
    }
}

/// Waits for the server to stop by itself, with exit status 0.
fn assert_exits_cleanly(server: &mut Server) {
    let status = server.wait_for_exit(STOPS_WITHIN);
    let code = status.and_then(|status| status.code());
    assert_eq!(code, Some(0), "{}: {:?}", server.listing, server.stderr());
}

/// The last line `main` prints before the pool is dropped.
const STOPPING: &str = "No more connections to serve; stopping.";

/// Serves two requests with a limit of two, then checks that `Drop` starts
/// joining worker 0 and never gets further: the channel is still open.
fn assert_hangs_in_drop(listing: &str) {
    let mut server = Server::start(listing, &["2"]);
    serve_roots(&server, 2);
    let joining = server.wait_for_stdout(
        |line| line == "Waiting for worker 0 to finish",
        Duration::from_secs(5),
    );
    assert!(joining.is_some(), "{listing}: {:?}", server.stdout());
    // The deadline is the test's, not the server's: it would wait forever.
    let status = server.wait_for_exit(Duration::from_secs(3));
    assert_eq!(status, None, "{listing} was expected to hang in Drop");
    let stdout = server.stdout();
    assert!(
        stdout.iter().any(|line| line == STOPPING),
        "{listing}: {stdout:?}"
    );
    let jobs = stdout
        .iter()
        .filter(|line| line.ends_with("runs a job"))
        .count();
    assert_eq!(jobs, 2, "{listing}: {stdout:?}");
    assert!(
        !stdout
            .iter()
            .any(|line| line == "Waiting for worker 1 to finish"),
        "{listing}: worker 0 never finishes, so Drop never gets to worker 1: {stdout:?}"
    );
}

#[test]
fn joining_without_closing_the_channel_hangs() {
    assert_hangs_in_drop("ch08-03-stop-after-n");
}

#[test]
fn dropping_a_clone_of_the_sender_still_hangs() {
    assert_hangs_in_drop("ch08-04a-drop-a-clone");
}

#[test]
fn closing_the_channel_makes_unwrapping_workers_panic() {
    let mut server = Server::start("ch08-05-close-channel", &["2"]);
    serve_roots(&server, 2);
    let status = server.wait_for_exit(STOPS_WITHIN);
    assert!(
        status.is_some(),
        "the server should stop: {:?}",
        server.stdout()
    );
    // Several threads write to stderr at once: take the panic reports
    // apart from the lines `drop` printed (support/panics.rs says why that
    // split is exact).
    let (reports, lines) = split_panic_reports(&server.stderr().join("\n"));
    let expected: Vec<String> = (0..4)
        .map(|id| format!("worker {id} had panicked"))
        .collect();
    assert_eq!(
        lines, expected,
        "what drop printed; whole stderr: {reports:#?}"
    );
    assert_eq!(reports.len(), 4, "one panic per worker: {reports:#?}");
    // The first worker panics on the closed channel while it holds the lock,
    // which poisons the mutex; the three others then panic on `lock()`.
    let recv = reports.iter().filter(|r| r.ends_with("RecvError")).count();
    let poison = reports.iter().filter(|r| r.contains("PoisonError")).count();
    assert_eq!((recv, poison), (1, 3), "{reports:#?}");
}

#[test]
fn the_final_server_stops_after_n_and_every_worker_leaves() {
    let mut server = Server::start("ch08-06-workers-leave", &["3"]);
    serve_roots(&server, 3);
    assert_exits_cleanly(&mut server);
    let stdout = server.stdout();
    assert!(stdout.contains(&STOPPING.to_string()), "{stdout:?}");
    for id in 0..4 {
        for line in [
            format!("worker {id} leaving"),
            format!("Waiting for worker {id} to finish"),
        ] {
            assert!(stdout.contains(&line), "missing {line:?} in {stdout:?}");
        }
    }
    assert!(server.stderr().is_empty(), "{:?}", server.stderr());
}

#[test]
fn queued_jobs_still_run_and_stopping_comes_first() {
    let mut server = Server::start("ch08-06-workers-leave", &["2"]);
    // Both slow requests are accepted before the loop ends; both must be answered.
    all_at_once(&server, "/slow", 2);
    assert_exits_cleanly(&mut server);
    let stdout = server.stdout();
    let stopping = stdout.iter().position(|line| line == STOPPING);
    let first_goodbye = stdout
        .iter()
        .position(|line| line.ends_with("leaving") || line.starts_with("Waiting for worker"));
    assert!(
        stopping.is_some() && stopping < first_goodbye,
        "main's line comes before any worker leaves or is joined: {stdout:?}"
    );
}

#[test]
fn silent_connections_do_not_hurt_the_final_server() {
    let mut server = Server::start("ch08-06-workers-leave", &["6"]);
    for _ in 0..5 {
        connect_and_leave(server.addr());
    }
    serve_roots(&server, 1);
    assert_exits_cleanly(&mut server);
    let leaving = server
        .stdout()
        .iter()
        .filter(|l| l.ends_with("leaving"))
        .count();
    assert_eq!(leaving, 4, "{:?}", server.stdout());
    let panicked = server.stderr().iter().any(|line| line.contains("panicked"));
    assert!(!panicked, "{:?}", server.stderr());
}

#[test]
fn a_request_limit_that_is_not_a_number_is_refused_clearly() {
    let Err(report) = Server::start_at("ch08-06-workers-leave", &["abc"], "127.0.0.1:0") else {
        panic!("the server started with a limit of \"abc\"");
    };
    assert!(report.contains("exit code: Some(2)"), "{report}");
    assert!(
        report.contains(r#"error: expected a number of requests to serve, got \"abc\""#),
        "{report}"
    );
}
