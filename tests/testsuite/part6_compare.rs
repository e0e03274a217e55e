//! Chapter 22, choosing a model: what its comparison rests on, checked
//! with real processes on loopback (the figures themselves are
//! `book-bench models`' and live in bench/data/models-*.csv).
//!
//! - The generator's `--keep-alive` (`ch22-01-keep-alive`) really keeps
//!   connections: against a server of the test's own, which counts what
//!   it accepts, two clients make two connections for many requests, and
//!   without the option a connection per request; a kept connection that
//!   the server closes between requests is opened again, and no request
//!   fails for it; against Part 5's pool, which closes every connection,
//!   the option changes nothing.
//! - Every model serves the same pages: `/` and the page not found, byte
//!   for byte, from Part 5's pool, the event loop, and tokio on one thread
//!   and on many; chapter 21's server keeps connections alive.
//! - Idle connections (300 here; the benchmark opens 10,000) leave Part
//!   5's pool unable to answer `/`, which it turns away, while every async
//!   server answers it, with none failed.

use std::{
    io::{BufRead, BufReader, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    thread,
};

use crate::support::{
    attack::Attack,
    http,
    listings::Listing,
    loadgen::{Report, generate, report_of},
    server::Server,
};

/// The generator with `--keep-alive`.
const GENERATOR: &str = "ch22-01-keep-alive";

/// Each model's final server: the same names as `book-bench models`'
/// table (bench/src/models/servers.rs).
const POOL: &str = "ch17-03-second-signal";
const EVENT_LOOP: &str = "ch19-06-timers";
const ASYNC_ONE: &str = "ch20-07-tokio-sleep";
const ASYNC_MANY: &str = "ch21-05-keep-alive";

/// The async models, and all of them.
const ASYNC: [&str; 3] = [EVENT_LOOP, ASYNC_ONE, ASYNC_MANY];
const MODELS: [&str; 4] = [POOL, EVENT_LOOP, ASYNC_ONE, ASYNC_MANY];

/// The attack tool, whose idle mode holds connections that send nothing.
const ATTACK: &str = "ch14-01-oversized-and-invalid";

/// A run of the generator, and its `connections: N opened for M requests`.
struct Counted {
    report: Report,
    opened: u64,
    requests: u64,
}

/// The generator's arguments for the runs that keep connections alive:
/// `connections` clients, one second, against `url`.
fn kept_for_a_second<'a>(connections: &'a str, url: &'a str) -> [&'a str; 6] {
    [
        "--keep-alive",
        "--connections",
        connections,
        "--duration",
        "1",
        url,
    ]
}

/// What follows `connections: ` in a generator's output: both generators
/// (`--keep-alive`'s and the Your turn's) print one such line.
fn connections_line(stdout: &str) -> &str {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("connections: "))
        .unwrap_or_else(|| panic!("no `connections:` line:\n{stdout}"))
}

fn counted(args: &[&str]) -> Counted {
    let run = generate(GENERATOR, args);
    let report = report_of(&run);
    let line = connections_line(&run.stdout);
    let words: Vec<&str> = line.split(' ').collect();
    let [opened, "opened", "for", requests, "requests"] = words[..] else {
        panic!("the connections line is not `N opened for M requests`: {line}")
    };
    Counted {
        opened: opened.parse().expect("a count"),
        requests: requests.parse().expect("a count"),
        report,
    }
}

/// A server of the test's own that keeps connections alive, as HTTP/1.1
/// allows: it answers each request with a short page and its length, and
/// closes a connection only when the request says `Connection: close`, or,
/// without a word, after `closes_after` answers (if given). It counts the
/// connections it accepted and the requests it answered.
struct KeepAliveServer {
    addr: SocketAddr,
    accepted: Arc<AtomicU64>,
    answered: Arc<AtomicU64>,
}

impl KeepAliveServer {
    fn start(closes_after: Option<u64>) -> KeepAliveServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let addr = listener.local_addr().expect("its address");
        let accepted = Arc::new(AtomicU64::new(0));
        let answered = Arc::new(AtomicU64::new(0));
        let (counted, done) = (Arc::clone(&accepted), Arc::clone(&answered));
        // The threads end with the test binary: the listener is never closed.
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                counted.fetch_add(1, Ordering::SeqCst);
                let done = Arc::clone(&done);
                thread::spawn(move || serve(stream, closes_after, &done));
            }
        });
        KeepAliveServer {
            addr,
            accepted,
            answered,
        }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::SeqCst)
    }

    fn answered(&self) -> u64 {
        self.answered.load(Ordering::SeqCst)
    }
}

/// One connection of `KeepAliveServer`: request after request.
fn serve(stream: TcpStream, closes_after: Option<u64>, answered: &AtomicU64) {
    let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
    let mut writer = stream;
    let mut answers = 0;
    loop {
        let mut close = false;
        let mut head_lines = 0;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            head_lines += 1;
            close |= line.eq_ignore_ascii_case("connection: close\r\n");
        }
        if head_lines == 0 {
            return;
        }
        let connection = if close { "close" } else { "keep-alive" };
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: {connection}\r\n\r\nhello"
        );
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
        answered.fetch_add(1, Ordering::SeqCst);
        answers += 1;
        if close || closes_after == Some(answers) {
            return;
        }
    }
}

#[test]
fn keep_alive_makes_a_connection_per_client_not_per_request() {
    let server = KeepAliveServer::start(None);
    let url = server.url();
    let kept = counted(&kept_for_a_second("2", &url));
    assert_eq!(kept.report.failed, 0, "{}", kept.report.failures);
    assert_eq!(kept.requests, kept.report.answered);
    assert_eq!(kept.opened, 2, "two clients, two connections");
    assert_eq!(server.accepted(), 2, "the server accepted two connections");
    assert!(
        kept.requests > 10 * kept.opened,
        "{} requests on {} connections",
        kept.requests,
        kept.opened
    );
    assert!(server.answered() >= kept.report.answered);

    // Without the option: `Connection: close`, a connection per request.
    let server = KeepAliveServer::start(None);
    let url = server.url();
    let closed = counted(&["--connections", "2", "--duration", "1", &url]);
    assert_eq!(closed.report.failed, 0, "{}", closed.report.failures);
    assert_eq!(closed.opened, closed.requests);
    assert_eq!(server.accepted(), closed.requests);
}

#[test]
fn a_kept_connection_the_server_closes_is_opened_again() {
    // Every third answer, the server closes the connection without a word:
    // the next request finds it closed, and goes again on a new one.
    let server = KeepAliveServer::start(Some(3));
    let url = server.url();
    let kept = counted(&kept_for_a_second("1", &url));
    assert_eq!(kept.report.failed, 0, "{}", kept.report.failures);
    assert!(kept.requests > 6, "{} requests", kept.requests);
    assert_eq!(kept.opened, server.accepted());
    // Three requests a connection, the last one perhaps fewer.
    assert_eq!(
        kept.opened,
        kept.requests.div_ceil(3),
        "{} requests",
        kept.requests
    );
}

#[test]
fn against_a_server_that_closes_every_connection_keep_alive_changes_nothing() {
    let pool = Server::start(POOL, &[]);
    let url = format!("http://{}/", pool.addr());
    let kept = counted(&kept_for_a_second("2", &url));
    assert_eq!(kept.report.failed, 0, "{}", kept.report.failures);
    assert!(kept.report.answered > 0);
    assert_eq!(kept.opened, kept.requests, "a connection per request");
}

#[test]
fn chapter_21_s_server_keeps_connections_alive() {
    let server = Server::start(ASYNC_MANY, &[]);
    let url = format!("http://{}/", server.addr());
    let kept = counted(&kept_for_a_second("2", &url));
    assert_eq!(kept.report.failed, 0, "{}", kept.report.failures);
    assert_eq!(kept.opened, 2, "{} requests", kept.requests);
    assert!(
        kept.requests > 10 * kept.opened,
        "{} requests",
        kept.requests
    );
}

#[test]
fn every_model_serves_the_same_pages() {
    let pages = Listing::named(POOL).dir;
    let index = std::fs::read_to_string(pages.join("index.html")).expect("the pool's index.html");
    let missing =
        std::fs::read_to_string(pages.join("not-found.html")).expect("the pool's not-found.html");
    for listing in MODELS {
        let server = Server::start(listing, &[]);
        let root = http::get(server.addr(), "/");
        assert_eq!(root.status_line, "HTTP/1.1 200 OK", "{listing}");
        assert!(
            root.body == index,
            "{listing}: / is not the pool's index.html"
        );
        let nothing = http::get(server.addr(), "/nothing");
        assert_eq!(nothing.status_line, "HTTP/1.1 404 Not Found", "{listing}");
        assert!(
            nothing.body == missing,
            "{listing}: /nothing is not the pool's not-found.html"
        );
    }
}

/// `/` for a second on two connections while 300 idle connections are
/// open: what the generator saw. The attack is stopped once the generator
/// is done, so it may last far longer than that: on a busy machine, a
/// request of the generator's once got into the pool's queue before the
/// last idle ones did, waited there until a 4 s attack ended and let the
/// workers go, and was answered.
fn root_beside_idle_connections(server: &Server) -> Report {
    let idle = Attack::start(ATTACK, &["idle", "--interval", "60000"], 300, 60, server);
    let url = format!("http://{}/", server.addr());
    let run = generate(GENERATOR, &["--connections", "2", "--duration", "1", &url]);
    drop(idle);
    report_of(&run)
}

#[test]
fn idle_connections_leave_the_pool_unable_to_answer_but_not_the_async_servers() {
    // The deadline long enough that no idle connection is let go meanwhile.
    let env = [("WORKERS", "2"), ("HEAD_TIMEOUT_MS", "60000")];
    let pool = Server::start_with_env(POOL, &env);
    let report = root_beside_idle_connections(&pool);
    assert_eq!(report.answered, 0, "{POOL}: {report:?}");
    // A request queued before the idle ones filled the queue times out
    // (the generator gives up after 10 s); the others are shed.
    assert!(
        report.failures.contains("shed "),
        "{POOL} turns / away: {report:?}"
    );
    for listing in ASYNC {
        let server = Server::start_with_env(listing, &env);
        let report = root_beside_idle_connections(&server);
        assert_eq!(report.failed, 0, "{listing}: {report:?}");
        assert!(report.answered > 0, "{listing}: {report:?}");
    }
}

/// The Your turn's generator: `connections: N opened for M requests, R
/// after the server closed one`, as three counts.
fn reopened(args: &[&str]) -> (Report, [u64; 3]) {
    let run = generate(REOPENED, args);
    let line = connections_line(&run.stdout);
    let words: Vec<&str> = line.split(' ').collect();
    let [
        n,
        "opened",
        "for",
        m,
        "requests,",
        r,
        "after",
        "the",
        "server",
        "closed",
        "one",
    ] = words[..]
    else {
        panic!("the connections line is not `N opened for M requests, R after …`: {line}")
    };
    let count = |text: &str| text.parse::<u64>().expect("a count");
    (report_of(&run), [count(n), count(m), count(r)])
}

/// The Your turn's answer that counts the second tries.
const REOPENED: &str = "ch22-90-reopened";

#[test]
fn the_second_tries_are_counted() {
    let server = KeepAliveServer::start(Some(3));
    let url = server.url();
    let (report, [n, m, r]) = reopened(&kept_for_a_second("1", &url));
    assert_eq!(report.failed, 0, "{}", report.failures);
    assert!(m > 6, "{m} requests");
    assert_eq!(n, m.div_ceil(3), "{m} requests");
    assert_eq!(
        r,
        n - 1,
        "every connection but the first replaced a closed one"
    );

    let server = Server::start(ASYNC_MANY, &[]);
    let url = format!("http://{}/", server.addr());
    let (report, [n, m, r]) = reopened(&kept_for_a_second("2", &url));
    assert_eq!(report.failed, 0, "{}", report.failures);
    assert!(m > 20, "{m} requests");
    assert_eq!((n, r), (2, 0), "{m} requests");
}
