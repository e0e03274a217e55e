//! Part 6, chapter 18: fork/join. A route whose work splits, `/report`,
//! eight sections that each count the primes in a range of their own,
//! computed one after the other, then on threads of a `thread::scope`, then
//! with rayon (`join`, then a parallel iterator).
//!
//! The claims: every version answers the very same page, whole; the scoped
//! version runs a request's sections on threads of their own, at least two
//! at once, and they are gone once the answer is written; the rayon versions
//! start a pool of their own on the first `/report`, a thread per core (or
//! `RAYON_NUM_THREADS`), keep it for the next, and the sections' work runs
//! on those threads while the worker that took the request waits. Threads
//! are counted in `/proc/PID/task`, CPU time in each thread's `schedstat`.
//! No check times anything: the speed-up is a benchmark's figure.

use std::{
    collections::BTreeMap,
    fs,
    thread::{self, available_parallelism},
    time::{Duration, Instant},
};

use crate::support::{
    hardening::start_answering,
    http::{Response, get, send},
    server::Server,
};

/// The sections, one after the other, on the worker that took the request.
const SEQUENTIAL: &str = "ch18-01-report";
/// A thread per section, in a `thread::scope`.
const SCOPED: &str = "ch18-03-scoped";
/// `rayon::join`, halves of halves.
const RAYON_JOIN: &str = "ch18-04-rayon-join";
/// A parallel iterator, `par_iter`.
const PAR_ITER: &str = "ch18-06-par-iter";
/// Your turn: `thread::spawn` again, each thread with owners of its own.
const SPAWN_OWNED: &str = "ch18-90-spawn-owned";

/// How many sections the report has (`SECTIONS` in the listings), and how
/// many primes there are below a million, which they count between them.
const SECTIONS: usize = 8;
const PRIMES_BELOW_A_MILLION: u64 = 78_498;

/// How long a thread count may take to settle: a joined thread leaves
/// `/proc/PID/task` a moment after `join` returns.
const PATIENCE: Duration = Duration::from_secs(5);

/// `GET /report`, checked to be a whole `200`.
fn report(server: &Server) -> Response {
    let answer = get(server.addr(), "/report");
    assert_whole_report(&server.listing, &answer);
    answer
}

fn assert_whole_report(listing: &str, answer: &Response) {
    assert_eq!(
        answer.status_line, "HTTP/1.1 200 OK",
        "{listing}: {answer:?}"
    );
    assert_eq!(
        answer.header("Content-Length"),
        Some(answer.body.len().to_string().as_str()),
        "{listing}: the length announced is not the body's: {answer:?}"
    );
}

/// The threads of process `pid` now, by id (`/proc/PID/task`).
fn threads(pid: u32) -> Vec<u32> {
    fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap_or_else(|err| panic!("cannot list the threads of {pid}: {err}"))
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .collect()
}

/// The CPU time each thread of `pid` has had, in nanoseconds (the first
/// field of `/proc/PID/task/TID/schedstat`).
fn cpu_times(pid: u32) -> BTreeMap<u32, u64> {
    threads(pid)
        .into_iter()
        .filter_map(|tid| {
            let stat = fs::read_to_string(format!("/proc/{pid}/task/{tid}/schedstat")).ok()?;
            Some((tid, stat.split_whitespace().next()?.parse().ok()?))
        })
        .collect()
}

/// Waits up to `PATIENCE` for `pid` to have `count` threads; returns how
/// many it has then.
fn settles_at(pid: u32, count: usize) -> usize {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let now = threads(pid).len();
        if now == count || Instant::now() >= deadline {
            return now;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn every_version_answers_the_same_report() {
    let sequential = start_answering(SEQUENTIAL, &[]);
    let page = report(&sequential).body;
    assert_eq!(
        get(sequential.addr(), "/").status_line,
        "HTTP/1.1 200 OK",
        "{SEQUENTIAL}: `/` after `/report`"
    );
    // The page the chapter shows: a line per section, and the counts add
    // up to the primes below a million.
    let counts: Vec<u64> = page
        .lines()
        .filter_map(|line| {
            let count = line.trim().strip_prefix("<li>")?.split(": ").nth(1)?;
            count.strip_suffix(" primes</li>")?.parse().ok()
        })
        .collect();
    assert_eq!(counts.len(), SECTIONS, "{SEQUENTIAL}: {page}");
    assert_eq!(
        counts.iter().sum::<u64>(),
        PRIMES_BELOW_A_MILLION,
        "{SEQUENTIAL}: {page}"
    );
    assert!(
        page.contains("<li>0 to 124999: 11734 primes</li>")
            && page.contains("<li>875000 to 999999: 9050 primes</li>"),
        "{SEQUENTIAL}: the first and last sections: {page}"
    );
    // Started together, the others compute at once on the machine's cores.
    let others = [SCOPED, RAYON_JOIN, PAR_ITER, SPAWN_OWNED].map(|listing| {
        thread::spawn(move || {
            let server = start_answering(listing, &[]);
            (
                listing,
                report(&server).body,
                get(server.addr(), "/").status_line,
            )
        })
    });
    for other in others {
        let (listing, body, root) = other.join().expect("a version's check panicked");
        assert_eq!(
            body, page,
            "{listing} answers another page than {SEQUENTIAL}"
        );
        assert_eq!(root, "HTTP/1.1 200 OK", "{listing}: `/` after `/report`");
    }
}

#[test]
fn the_scope_runs_the_sections_on_threads_of_their_own_and_joins_them() {
    for (listing, at_least) in [(SEQUENTIAL, 0), (SCOPED, 2)] {
        let server = start_answering(listing, &[]);
        let pid = server.pid();
        let before = threads(pid).len();
        // The most threads seen at once while one `/report` is answered.
        let request = send(server.addr(), "/report");
        let mut most = before;
        while !request.has_ended() {
            most = most.max(threads(pid).len());
            thread::sleep(Duration::from_millis(1));
        }
        assert_whole_report(listing, &request.answer());
        let extra = most - before;
        if at_least == 0 {
            assert_eq!(extra, 0, "{listing}: threads started for a report");
        } else {
            assert!(
                (at_least..=SECTIONS).contains(&extra),
                "{listing}: {extra} threads beside its {before} at most during a report, \
                 expected {at_least} to {SECTIONS}"
            );
        }
        // The scope joined them before `render` returned.
        assert_eq!(
            settles_at(pid, before),
            before,
            "{listing}: threads left after the report"
        );
    }
}

#[test]
fn rayon_starts_a_pool_of_its_own_and_does_the_work_there() {
    let cores = available_parallelism().map_or(1, |cores| cores.get());
    let cases = [
        (RAYON_JOIN, None, cores),
        (PAR_ITER, None, cores),
        (PAR_ITER, Some("3"), 3),
    ];
    for (listing, setting, pool) in cases {
        let env: Vec<(&str, &str)> = setting
            .map(|threads| ("RAYON_NUM_THREADS", threads))
            .into_iter()
            .collect();
        let server = start_answering(listing, &env);
        let pid = server.pid();
        let before = cpu_times(pid);
        report(&server);
        // Started by the first report, and kept for the next.
        assert_eq!(
            settles_at(pid, before.len() + pool),
            before.len() + pool,
            "{listing} with {env:?}: expected rayon's {pool} threads beside the {} before",
            before.len()
        );
        report(&server);
        report(&server);
        let after = cpu_times(pid);
        assert_eq!(
            after.len(),
            before.len() + pool,
            "{listing}: the pool was not kept"
        );
        // CPU time spent during the reports: by rayon's threads, and by
        // the ones that were there before (the worker that took each
        // request hands the sections over, and waits).
        let (mut rayon, mut others) = (0, 0);
        for (tid, time) in &after {
            match before.get(tid) {
                Some(earlier) => others += time - earlier,
                None => rayon += time,
            }
        }
        assert!(
            rayon >= 10 * others,
            "{listing} with {env:?}: rayon's threads ran {rayon} ns, the others {others} ns"
        );
    }
}
