//! Part 3 (shutting down): what chapter 8 says each server does. The
//! servers from ch08-03 on stop on Ctrl-C and SIGTERM; these tests send them
//! the real signals.

use std::{
    io::{ErrorKind, Read, Write},
    net::TcpStream,
    os::unix::process::ExitStatusExt,
    thread,
    time::Duration,
};

use crate::support::{
    http::{InFlight, assert_unanswered, connect_and_leave, get, send, try_exchange},
    panics::split_panic_reports,
    server::Server,
};

/// Long enough for a server that is going to stop to have stopped. Only a
/// bound against hangs: the tests never measure how fast a server stops.
const STOPS_WITHIN: Duration = Duration::from_secs(10);

/// Long enough to be sure a server that hangs is not merely slow.
const HANGS_FOR: Duration = Duration::from_secs(3);

/// The line `main` prints once its loop has ended, before the pool is dropped.
const STOPPING: &str = "Stopping: no new connections; finishing the requests in flight.";

/// The final server: it closes its listener before the pool drains.
const FINAL: &str = "ch08-09-close-listener-first";

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

fn assert_ok(response: InFlight, server: &Server) {
    let response = response.answer();
    assert_eq!(
        response.status_line, "HTTP/1.1 200 OK",
        "{}: a request accepted before the signal is answered",
        server.listing
    );
}

/// Waits for the server to stop by itself, with exit status 0.
fn assert_exits_cleanly(server: &mut Server) {
    server.assert_exit_code(0, STOPS_WITHIN);
}

fn wait_for_line(server: &Server, line: &str) {
    let seen = server.wait_for_stdout(|printed| printed == line, STOPS_WITHIN);
    assert!(
        seen.is_some(),
        "{}: no {line:?} line; stdout: {:?}",
        server.listing,
        server.stdout()
    );
}

/// Sends `/slow` and waits until a worker has started on it.
fn slow_request_in_flight(server: &Server) -> InFlight {
    let slow = send(server.addr(), "/slow");
    let running = server.wait_for_stdout(|line| line.ends_with("runs a job"), STOPS_WITHIN);
    assert!(
        running.is_some(),
        "{}: {:?}",
        server.listing,
        server.stdout()
    );
    slow
}

#[test]
fn ctrl_c_ends_the_server_without_a_handler_and_drop_never_runs() {
    let mut server = Server::start("ch08-02-drain-workers", &[]);
    serve_roots(&server, 1);
    assert!(!server.catches(libc::SIGINT), "ch08-02 sets no handler");
    server.send_signal_at_once(libc::SIGINT);
    let status = server
        .wait_for_exit(STOPS_WITHIN)
        .expect("Ctrl-C ends a server that does not handle it");
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?}");
    let joined = server
        .stdout()
        .into_iter()
        .find(|line| line.starts_with("Waiting for worker"));
    assert_eq!(joined, None, "the process ends without running destructors");
}

/// Ctrl-C ends the loop, and then `Drop` starts joining worker 0 and never
/// gets further: the channel is still open. A second Ctrl-C changes
/// nothing, since the handler only sets the flag again.
fn assert_hangs_in_drop_after_ctrl_c(listing: &str) {
    let mut server = Server::start(listing, &[]);
    serve_roots(&server, 2);
    server.send_signal(libc::SIGINT);
    wait_for_line(&server, "Waiting for worker 0 to finish");
    server.send_signal(libc::SIGINT);
    // The deadline is the test's, not the server's: it would wait forever.
    let status = server.wait_for_exit(HANGS_FOR);
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
fn ctrl_c_ends_the_loop_but_joining_without_closing_the_channel_hangs() {
    assert_hangs_in_drop_after_ctrl_c("ch08-05-stop-on-signal");
}

#[test]
fn closing_the_channel_makes_unwrapping_workers_panic_and_still_exits_0() {
    let mut server = Server::start("ch08-07-close-channel", &[]);
    serve_roots(&server, 2);
    server.send_signal(libc::SIGINT);
    // The panics are on the workers' threads; `main` returns normally.
    assert_exits_cleanly(&mut server);
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
fn with_the_listener_still_open_a_client_that_comes_during_the_drain_is_reset() {
    let mut server = Server::start("ch08-08-workers-leave", &[]);
    let slow = slow_request_in_flight(&server);
    server.send_signal(libc::SIGINT);
    wait_for_line(&server, STOPPING);
    // The system still completes the handshake and queues the connection;
    // nobody accepts it, and when the process ends it is reset.
    let late = try_exchange(server.addr(), "/");
    assert_eq!(
        late.as_ref().map_err(|err| err.kind()).err(),
        Some(ErrorKind::ConnectionReset),
        "a client queued in the backlog during the drain: {late:?}"
    );
    assert_ok(slow, &server);
    assert_exits_cleanly(&mut server);
    assert_busy_worker_leaves_last(&server);
}

/// What Ctrl-C does to a request in flight: the idle workers leave at once,
/// the one running `/slow` only once it is done.
fn assert_busy_worker_leaves_last(server: &Server) {
    let stdout = server.stdout();
    let busy = stdout
        .iter()
        .find_map(|line| line.strip_suffix(" runs a job"))
        .unwrap_or_else(|| panic!("no job ran: {stdout:?}"));
    let last_leaving = stdout.iter().rfind(|line| line.ends_with(" leaving"));
    assert_eq!(
        last_leaving,
        Some(&format!("{busy} leaving")),
        "{}: {stdout:?}",
        server.listing
    );
}

#[test]
fn the_final_server_refuses_a_late_client_and_answers_the_one_in_flight() {
    let mut server = Server::start(FINAL, &[]);
    let slow = slow_request_in_flight(&server);
    server.send_signal(libc::SIGINT);
    // `main` prints this line after `drop(listener)`.
    wait_for_line(&server, STOPPING);
    let late = TcpStream::connect(server.addr()).map(|_| ());
    assert_eq!(
        late.map_err(|err| err.kind()),
        Err(ErrorKind::ConnectionRefused),
        "the listener is closed before the pool drains"
    );
    // A second Ctrl-C during the drain changes nothing: the handler's own
    // connection is refused too, and the request in flight still finishes.
    server.send_signal(libc::SIGINT);
    assert_ok(slow, &server);
    assert_exits_cleanly(&mut server);
    assert_busy_worker_leaves_last(&server);
    assert!(server.stderr().is_empty(), "{:?}", server.stderr());
}

/// The chapter's last run: three requests, then SIGTERM, as a service
/// manager stops a service.
#[test]
fn sigterm_after_three_requests_gives_the_output_the_chapter_describes() {
    let mut server = Server::start(FINAL, &[]);
    serve_roots(&server, 1);
    let missing = get(server.addr(), "/missing");
    assert_eq!(missing.status_line, "HTTP/1.1 404 Not Found");
    serve_roots(&server, 1);
    server.send_signal(libc::SIGTERM);
    assert_exits_cleanly(&mut server);
    let stdout = server.stdout();
    let at = |wanted: &str| stdout.iter().position(|line| line == wanted);
    let stopping = at(STOPPING).unwrap_or_else(|| panic!("no {STOPPING:?} in {stdout:?}"));
    let jobs: Vec<usize> = (0..stdout.len())
        .filter(|&i| stdout[i].ends_with("runs a job"))
        .collect();
    assert_eq!(jobs.len(), 3, "{stdout:?}");
    assert!(jobs.iter().all(|&job| job < stopping), "{stdout:?}");
    let mut joined = Vec::new();
    for id in 0..4 {
        let leaving = format!("worker {id} leaving");
        let count = stdout.iter().filter(|line| **line == leaving).count();
        assert_eq!(count, 1, "{leaving:?} once: {stdout:?}");
        let waiting = at(&format!("Waiting for worker {id} to finish"));
        assert!(
            at(&leaving) > Some(stopping) && waiting > Some(stopping),
            "worker {id} leaves and is joined after main's last line: {stdout:?}"
        );
        joined.push(waiting);
    }
    assert!(
        joined.is_sorted(),
        "drop joins workers 0 to 3 in order: {stdout:?}"
    );
    assert!(server.stderr().is_empty(), "{:?}", server.stderr());
}

/// Ctrl-C with no request in flight, and the other signal the `termination`
/// feature adds, SIGHUP: each stops the server as SIGTERM does.
#[test]
fn ctrl_c_and_sighup_stop_the_final_server_too() {
    for signal in [libc::SIGINT, libc::SIGHUP] {
        let mut server = Server::start(FINAL, &[]);
        serve_roots(&server, 1);
        server.send_signal(signal);
        assert_exits_cleanly(&mut server);
        assert_all_four_workers_left(&server, &format!("signal {signal}"));
    }
}

#[test]
fn queued_jobs_still_run_after_the_signal() {
    let mut server = Server::start(FINAL, &[]);
    // Six slow requests for four workers: four run, two wait in the channel.
    let requests: Vec<InFlight> = (0..6).map(|_| send(server.addr(), "/slow")).collect();
    let running = server.wait_for_lines(|line| line.ends_with("runs a job"), 4, STOPS_WITHIN);
    assert_eq!(running.len(), 4, "{:?}", server.stdout());
    // The loop does nothing but accept and queue: by now it has taken all six.
    thread::sleep(Duration::from_millis(300));
    server.send_signal(libc::SIGINT);
    for request in requests {
        assert_ok(request, &server);
    }
    assert_exits_cleanly(&mut server);
    let stdout = server.stdout();
    let stopping = stdout.iter().position(|line| line == STOPPING);
    let last_job = stdout.iter().rposition(|line| line.ends_with("runs a job"));
    assert!(
        stopping.is_some() && last_job > stopping,
        "the queued jobs start after main's last line, once a worker is free: {stdout:?}"
    );
}

#[test]
fn silent_connections_do_not_hurt_the_final_server() {
    let mut server = Server::start(FINAL, &[]);
    for _ in 0..5 {
        connect_and_leave(server.addr());
    }
    serve_roots(&server, 1);
    server.send_signal(libc::SIGINT);
    assert_exits_cleanly(&mut server);
    assert_all_four_workers_left(&server, "after silent clients");
    let panicked = server.stderr().iter().any(|line| line.contains("panicked"));
    assert!(!panicked, "{:?}", server.stderr());
}

// Your turn (ch08-your-turn).

#[test]
fn a_second_ctrl_c_stops_at_once_with_status_130() {
    let mut server = Server::start("ch08-90-second-ctrl-c", &[]);
    // A request in flight, read on this thread: the answer must not come.
    let mut slow = TcpStream::connect(server.addr()).expect("connect");
    slow.set_read_timeout(Some(STOPS_WITHIN)).unwrap();
    slow.write_all(b"GET /slow HTTP/1.1\r\nConnection: close\r\n\r\n")
        .expect("send /slow");
    let running = server.wait_for_stdout(|line| line.ends_with("runs a job"), STOPS_WITHIN);
    assert!(running.is_some(), "{:?}", server.stdout());
    server.send_signal(libc::SIGINT);
    wait_for_line(&server, STOPPING);
    server.send_signal(libc::SIGINT);
    server.assert_exit_code(130, STOPS_WITHIN);
    assert_eq!(
        server.stderr(),
        ["Stopping now, without waiting for the requests in flight."]
    );
    let mut answer = Vec::new();
    match slow.read_to_end(&mut answer) {
        Ok(_) => assert!(answer.is_empty(), "/slow was answered: {answer:?}"),
        Err(err) => assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}"),
    }
}

#[test]
fn without_its_own_connection_the_handler_waits_for_the_next_client() {
    let mut server = Server::start("ch08-91-no-wake", &[]);
    server.send_signal(libc::SIGINT);
    // The flag is set, but `accept` is still waiting: nothing happens.
    let stopped = server.wait_for_stdout(|line| line == STOPPING, HANGS_FOR);
    assert_eq!(stopped, None, "{:?}", server.stdout());
    assert!(server.is_running());
    // The next client wakes the loop, which sees the flag and leaves
    // without answering it.
    assert_unanswered(server.addr(), "/");
    assert_exits_cleanly(&mut server);
    assert!(server.stdout().contains(&STOPPING.to_string()));
}

#[test]
fn dropping_a_clone_of_the_sender_still_hangs() {
    assert_hangs_in_drop_after_ctrl_c("ch08-92-drop-a-clone");
}

/// Every one of the final server's four workers said it was leaving.
fn assert_all_four_workers_left(server: &Server, context: &str) {
    let leaving = server
        .stdout()
        .iter()
        .filter(|line| line.ends_with("leaving"))
        .count();
    assert_eq!(leaving, 4, "{context}: {:?}", server.stdout());
}
