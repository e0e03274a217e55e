//! `book-bench tuning`: chapter 12's steps, from Part 3's pool to the tuned
//! pool, and the reference server, measured in one run; `tuning.csv`, one
//! row per step and number of connections.
//!
//! ```console
//! cargo run -p book-bench --release -- tuning [--duration SECS] [--rounds N]
//!     [--connections N,N,...] [--out FILE] [--profile release|dev]
//! ```
//!
//! The steps differ by a few per cent, less than the noise of one run on a
//! shared machine; so every server runs the whole time, and the runs take
//! turns: at each number of connections, round after round, each server
//! once. A row adds up its server's rounds.
//!
//! Self-contained on purpose (it uses only `report` and `machine` of this
//! crate): the `servers` command's modules are another chapter's.

use std::{
    env,
    fmt::Write as _,
    io::{BufRead, BufReader, Read},
    net::{TcpListener, TcpStream},
    ops::RangeInclusive,
    path::{Path, PathBuf},
    process::{Child, Command, ExitCode, Stdio},
    sync::mpsc::{self, RecvTimeoutError},
    thread,
    time::{Duration, Instant},
};

use listings_contract::{Listing, running::run_to_end};

use crate::{
    machine,
    report::{self, Report},
};

pub const USAGE: &str = "\
usage: book-bench tuning [--duration SECS] [--rounds N] [--connections N,N,...]
                         [--out FILE] [--profile release|dev]

Builds chapter 12's servers (Part 3's pool in debug and in release, each
tuning step, the reference server) and the load generator, starts them all
(and nginx, serving the same page, if it is on the PATH),
and runs the generator against each server's `/` in turns (closed loop, a
new connection per request): at each number of connections, each round runs
every server once. Writes one CSV row per server and number of connections.

  --duration SECS      how long each run lasts, 1 to 600 (default 1)
  --rounds N           how many turns each server gets, 1 to 100 (default 8)
  --connections LIST   numbers of connections, 1 to 1000 (default 4,16,64)
  --out FILE           where the CSV goes (default bench/data/tuning.csv)
  --profile PROFILE    how the steps are built: release (default) or dev
                       (the first row is always built with dev: the debug build)";

/// One server of the chapter.
struct Step {
    listing: &'static str,
    /// `pool` (Part 3's), `tuned` (a step of chapter 12) or `reference`.
    threads: &'static str,
    /// Built with the `dev` profile whatever `--profile` says: the chapter's
    /// first measurement is debug against release.
    debug: bool,
}

const fn step(listing: &'static str, threads: &'static str) -> Step {
    Step {
        listing,
        threads,
        debug: false,
    }
}

/// In the chapter's order, which is the rows' order.
const STEPS: &[Step] = &[
    Step {
        listing: "ch11-02-workers-checked",
        threads: "pool",
        debug: true,
    },
    step("ch11-02-workers-checked", "pool"),
    step("ch12-03-no-job-line", "tuned"),
    step("ch12-05-pages-shared", "tuned"),
    step("ch12-06-responses-once", "tuned"),
    step("ch12-07-queue-and-condvar", "tuned"),
    step("ch12-02-reference-scoped", "reference"),
];

/// The nginx row's `threads`; its `workers` are its worker processes, one
/// per core.
const NGINX: &str = "nginx";

/// Every server has four threads that answer: the pool's default size, and
/// the reference's `THREADS`.
const WORKERS: u32 = 4;

/// The book's load generator as chapter 10 leaves it.
const LOADGEN: &str = "ch10-03-intended-start";

/// The longest a generator run may take past its duration (it waits up to
/// 10 s for each request in flight).
const GRACE: Duration = Duration::from_secs(30);

/// How long a server may take to print its address.
const STARTUP: Duration = Duration::from_secs(20);

pub const COLUMNS: &[&str] = &[
    "server",
    "threads",
    "workers",
    "connections",
    "duration_s",
    "answered",
    "failed",
    "requests_per_second",
    "p50_us",
    "p90_us",
    "p99_us",
    "max_us",
    "refused",
    "reset",
    "timeout",
    "bad_status",
    "other",
    "profile",
    "cpu_per_request_us",
];

#[derive(Debug)]
struct Options {
    duration: u64,
    rounds: u64,
    connections: Vec<u64>,
    out: PathBuf,
    profile: &'static str,
}

impl Options {
    /// `Ok(None)` asks for the usage text.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
        let mut options = Options {
            duration: 1,
            rounds: 8,
            connections: vec![4, 16, 64],
            out: crate::repo_root().join("bench/data/tuning.csv"),
            profile: "release",
        };
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--help" | "-h" => return Ok(None),
                "--duration" => options.duration = number(&arg, &value()?, 1..=600)?,
                "--rounds" => options.rounds = number(&arg, &value()?, 1..=100)?,
                "--connections" => {
                    options.connections = value()?
                        .split(',')
                        .map(|n| number(&arg, n, 1..=1000))
                        .collect::<Result<_, _>>()?;
                }
                "--out" => options.out = PathBuf::from(value()?),
                "--profile" => {
                    options.profile = match value()?.as_str() {
                        "release" => "release",
                        "dev" => "dev",
                        other => {
                            return Err(format!(
                                "`--profile` takes `release` or `dev`, not `{other}`"
                            ));
                        }
                    };
                }
                _ => return Err(format!("unknown option `{arg}`")),
            }
        }
        Ok(Some(options))
    }
}

fn number(option: &str, value: &str, range: RangeInclusive<u64>) -> Result<u64, String> {
    match value.parse() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "`{option}` takes whole numbers from {} to {}, not `{value}`",
            range.start(),
            range.end()
        )),
    }
}

/// The command: `args` are those after `tuning`.
pub fn main(args: impl Iterator<Item = String>) -> ExitCode {
    let options = match Options::parse(args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let targets = crate::repo_root().join("target/bench-tuning");
    let profile_of = |step: &Step| if step.debug { "dev" } else { options.profile };

    // Every listing is found before anything is built.
    let loadgen = Listing::find(LOADGEN)?;
    let listings: Vec<Listing> = STEPS
        .iter()
        .map(|step| Listing::find(step.listing))
        .collect::<Result<_, _>>()?;
    eprintln!(
        "building {} listings under {}",
        STEPS.len() + 1,
        targets.display()
    );
    let loadgen = loadgen
        .build(&targets.join(LOADGEN), options.profile)?
        .binary;
    let mut servers = Vec::new();
    for (step, listing) in STEPS.iter().zip(&listings) {
        let binary = listing
            .build(&targets.join(&listing.name), profile_of(step))?
            .binary;
        servers.push(Server::start(&listing.name, &binary, &listing.dir)?);
    }
    // nginx serves the reference's folder: the same `index.html`.
    let reference = &listings[STEPS.len() - 1].dir;
    let nginx = match find_nginx() {
        Some(program) => Some(Nginx::start(&program, reference)?),
        None => {
            eprintln!("nginx not found on PATH: no nginx row (apt-get install nginx to compare)");
            None
        }
    };
    // The servers in turn: the chapter's steps, then nginx.
    let mut turns: Vec<(&str, &str, &mut Server)> = STEPS
        .iter()
        .zip(&mut servers)
        .map(|(step, server)| (step.listing, profile_of(step), server))
        .collect();
    let mut nginx = nginx;
    if let Some(nginx) = &mut nginx {
        turns.push((NGINX, "release", &mut nginx.server));
    }

    // reports[turn][connections] holds one report per round.
    let mut reports = vec![vec![Vec::new(); options.connections.len()]; turns.len()];
    for (c, &connections) in options.connections.iter().enumerate() {
        for round in 1..=options.rounds {
            for (s, (name, profile, server)) in turns.iter_mut().enumerate() {
                let pid = server.child.id();
                let cpu_before = cpu_time(pid);
                let what = format!(
                    "loadgen against `{name}` ({profile}) at {connections} connections, round {round}"
                );
                let output = run_to_end(
                    &what,
                    Command::new(&loadgen)
                        .arg("--connections")
                        .arg(connections.to_string())
                        .arg("--duration")
                        .arg(options.duration.to_string())
                        .arg(format!("http://{}/", server.addr)),
                    Duration::from_secs(options.duration) + GRACE,
                )?;
                if !output.status.success() {
                    return Err(format!(
                        "{what} failed ({}); it printed:\n{}{}",
                        output.status, output.stdout, output.stderr
                    ));
                }
                let report = report::parse(&output.stdout)
                    .map_err(|err| format!("cannot read the report of {what}: {err}"))?;
                let cpu = cpu_before
                    .zip(cpu_time(pid))
                    .map(|(before, after)| after - before);
                if server.has_exited() {
                    return Err(format!("{what}: the server exited during the run"));
                }
                eprintln!(
                    "{name:<28} {profile:<7} {connections:>4} connections, round {round}: {:>9.1} requests/s",
                    report.throughput
                );
                reports[s][c].push((report, cpu));
            }
        }
    }
    drop(turns);
    let nginx_version = nginx.as_ref().map(|nginx| nginx.version.clone());
    drop(nginx);
    drop(servers);

    let mut rows = Vec::new();
    for (s, per_connections) in reports.iter().enumerate() {
        for (&connections, rounds) in options.connections.iter().zip(per_connections) {
            rows.push(match STEPS.get(s) {
                Some(step) => row(
                    step.listing,
                    step.threads,
                    WORKERS,
                    profile_of(step),
                    connections,
                    rounds,
                ),
                // The system's nginx package is an optimised build.
                None => row(
                    NGINX,
                    NGINX,
                    nginx_workers(),
                    "release",
                    connections,
                    rounds,
                ),
            });
        }
    }
    let mut header = vec![
        format!(
            "book-bench tuning: chapter 12's servers under the book's load generator ({LOADGEN}), \
             closed loop, GET / on a new connection per request; all servers running at once, \
             measured in turns: at each number of connections, {} rounds of {} s per server; a row \
             adds up its rounds (answered, failed, duration; requests_per_second = answered / \
             duration), p50/p90/p99 are the median of the rounds' and max the largest; listings \
             built with the {} profile, except the rows whose profile says dev; workers: \
             the threads that answer (nginx: its worker processes)",
            options.rounds, options.duration, options.profile
        ),
        "cpu_per_request_us: the CPU time the server's threads (nginx: its processes) had \
         during its turns, from /proc/PID/task/TID/schedstat, divided by the requests it \
         answered; other work on the machine disturbs it far less than requests_per_second"
            .to_string(),
        format!("machine: {}", machine::describe()),
        format!(
            "nginx: {}",
            nginx_version.map_or_else(
                || "not found on PATH, not measured".to_string(),
                |version| format!(
                    "{version}, worker_processes {} (one per core), serving the same index.html \
                     (its response adds the headers Server, Date, Last-Modified, ETag and \
                     Accept-Ranges)",
                    nginx_workers()
                )
            )
        ),
        "the load generator and the servers share the machine's cores: compare figures \
         within one file, from one run"
            .to_string(),
        format!("date: {}", machine::now_utc()),
        "regenerate: cargo run -p book-bench --release -- tuning (see README, Measuring)"
            .to_string(),
    ];
    header.retain(|line| !line.is_empty());
    let text = csv(&header, &rows);
    if let Some(parent) = options.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    std::fs::write(&options.out, text)
        .map_err(|err| format!("cannot write {}: {err}", options.out.display()))?;
    eprintln!(
        "wrote {} rows to {} in {:.0} s",
        rows.len(),
        options.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One row: a server's rounds at one number of connections, added up.
fn row(
    server: &str,
    threads: &str,
    workers: u32,
    profile: &str,
    connections: u64,
    rounds: &[(Report, Option<Duration>)],
) -> Vec<String> {
    // The server's CPU time per answered request, if every round has it.
    let cpu: Option<Duration> = rounds.iter().map(|(_, cpu)| *cpu).sum();
    let rounds: Vec<Report> = rounds.iter().map(|(report, _)| report.clone()).collect();
    let answered: u64 = rounds.iter().map(|r| r.answered).sum();
    let failed: u64 = rounds.iter().map(|r| r.failed).sum();
    let seconds: f64 = rounds.iter().map(|r| r.seconds).sum();
    let sum = |kind: fn(&Report) -> u64| rounds.iter().map(kind).sum::<u64>().to_string();
    let latencies: Vec<_> = rounds.iter().filter_map(|r| r.latency).collect();
    let median = |of: fn(&report::Latency) -> u64| {
        let mut values: Vec<u64> = latencies.iter().map(of).collect();
        values.sort_unstable();
        values
            .get(values.len().saturating_sub(1) / 2)
            .map_or_else(String::new, u64::to_string)
    };
    let max = latencies
        .iter()
        .map(|l| l.max)
        .max()
        .map_or_else(String::new, |max| max.to_string());
    vec![
        server.to_string(),
        threads.to_string(),
        workers.to_string(),
        connections.to_string(),
        format!("{seconds:.2}"),
        answered.to_string(),
        failed.to_string(),
        format!("{:.1}", answered as f64 / seconds),
        median(|l| l.p50),
        median(|l| l.p90),
        median(|l| l.p99),
        max,
        sum(|r| r.failures.refused),
        sum(|r| r.failures.reset),
        sum(|r| r.failures.timeout),
        sum(|r| r.failures.bad_status),
        sum(|r| r.failures.other),
        profile.to_string(),
        cpu.filter(|_| answered > 0)
            .map_or_else(String::new, |cpu| {
                format!("{:.1}", cpu.as_secs_f64() * 1e6 / answered as f64)
            }),
    ]
}

/// The file: the header lines as comments, the columns, the rows (no field
/// here holds a comma or a quote).
fn csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut text = String::new();
    for line in header {
        writeln!(text, "# {line}").unwrap();
    }
    writeln!(text, "{}", COLUMNS.join(",")).unwrap();
    for row in rows {
        assert_eq!(row.len(), COLUMNS.len());
        writeln!(text, "{}", row.join(",")).unwrap();
    }
    text
}

/// A server running for the whole command; dropping it kills it.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// Starts `binary` in `dir` (where it reads its pages) on a port the
    /// system picks, and waits for its `Listening on http://ADDR` line. The
    /// rest of its output is read and thrown away, so it never blocks.
    fn start(name: &str, binary: &Path, dir: &Path) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .env("ADDR", "127.0.0.1:0")
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("cannot start `{name}` ({}): {err}", binary.display()))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let (first_line, listening) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            while matches!(reader.read_line(&mut line), Ok(read) if read > 0) {
                if let Some(addr) = line.trim_end().strip_prefix("Listening on http://") {
                    let _ = first_line.send(addr.to_string());
                    break;
                }
                line.clear();
            }
            let _ = std::io::copy(&mut reader.by_ref(), &mut std::io::sink());
        });
        let mut server = Server {
            child,
            addr: String::new(),
        };
        server.addr = match listening.recv_timeout(STARTUP) {
            Ok(addr) => addr,
            Err(RecvTimeoutError::Timeout) => {
                return Err(format!("`{name}` did not listen within {STARTUP:?}"));
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(format!("`{name}` exited before listening"));
            }
        };
        Ok(server)
    }

    fn has_exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The CPU time the process `pid` and its children (nginx's workers) have
/// had so far, all threads together, from the scheduler's own count in
/// nanoseconds (`/proc/PID/task/TID/schedstat`); `None` where the system
/// does not say.
fn cpu_time(pid: u32) -> Option<Duration> {
    let mut total = Duration::ZERO;
    let mut pids = vec![pid];
    while let Some(pid) = pids.pop() {
        for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
            let task = task.ok()?.path();
            // A thread that has just ended has no file left: it counts no more.
            let Ok(stat) = std::fs::read_to_string(task.join("schedstat")) else {
                continue;
            };
            let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
            total += Duration::from_nanos(nanos);
            if let Ok(children) = std::fs::read_to_string(task.join("children")) {
                pids.extend(
                    children
                        .split_whitespace()
                        .filter_map(|c| c.parse::<u32>().ok()),
                );
            }
        }
    }
    Some(total)
}

/// nginx's worker processes: one per core, as its documentation advises.
fn nginx_workers() -> u32 {
    thread::available_parallelism().map_or(1, |cores| cores.get() as u32)
}

fn find_nginx() -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?)
        .map(|dir| dir.join("nginx"))
        .find(|program| program.is_file())
}

/// nginx in the foreground with a configuration of our own in a folder of
/// its own; dropping it stops nginx (`-s stop`: its workers go with it) and
/// removes the folder.
struct Nginx {
    server: Server,
    program: PathBuf,
    dir: PathBuf,
    version: String,
}

impl Nginx {
    fn start(program: &Path, root: &Path) -> Result<Nginx, String> {
        let dir = env::temp_dir().join(format!("book-bench-tuning-nginx-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
        // A port the system says is free now; nginx binds it a moment later.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|err| format!("cannot find a free port: {err}"))?
            .port();
        let path = |name: &str| format!("\"{}\"", dir.join(name).display());
        let config = format!(
            "daemon off;\nworker_processes {workers};\npid {pid};\nerror_log stderr;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n    access_log off;\n    client_body_temp_path {body};\n    \
             proxy_temp_path {proxy};\n    fastcgi_temp_path {fastcgi};\n    \
             uwsgi_temp_path {uwsgi};\n    scgi_temp_path {scgi};\n    \
             types {{ text/html html; }}\n    \
             server {{ listen 127.0.0.1:{port}; root \"{root}\"; index index.html; }}\n}}\n",
            workers = nginx_workers(),
            pid = path("nginx.pid"),
            body = path("body"),
            proxy = path("proxy"),
            fastcgi = path("fastcgi"),
            uwsgi = path("uwsgi"),
            scgi = path("scgi"),
            root = root.display(),
        );
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config)
            .map_err(|err| format!("cannot write {}: {err}", conf.display()))?;
        let child = Command::new(program)
            .args(["-e", "stderr", "-p"])
            .arg(&dir)
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("cannot start {}: {err}", program.display()))?;
        let version = Command::new(program)
            .arg("-v")
            .output()
            .ok()
            .and_then(|output| {
                String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .find_map(|line| line.strip_prefix("nginx version: "))
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "nginx, version unknown".to_string());
        let mut nginx = Nginx {
            server: Server {
                child,
                addr: format!("127.0.0.1:{port}"),
            },
            program: program.to_path_buf(),
            dir,
            version,
        };
        let deadline = Instant::now() + STARTUP;
        while TcpStream::connect(&nginx.server.addr).is_err() {
            if nginx.server.has_exited() || Instant::now() > deadline {
                return Err(format!("nginx did not listen on {}", nginx.server.addr));
            }
            thread::sleep(Duration::from_millis(50));
        }
        Ok(nginx)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new(&self.program)
            .args(["-e", "stderr", "-p"])
            .arg(&self.dir)
            .arg("-c")
            .arg(self.dir.join("nginx.conf"))
            .args(["-s", "stop"])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + STARTUP;
        while !self.server.has_exited() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(50));
        }
        // `server` is dropped next: if nginx is still there, it is killed.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Failures, Latency};

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        Options::parse(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn options_have_defaults_and_narrow_the_run() {
        let options = parse(&[]).unwrap().unwrap();
        assert_eq!((options.duration, options.rounds), (1, 8));
        assert_eq!(options.connections, [4, 16, 64]);
        assert!(options.out.ends_with("bench/data/tuning.csv"));
        let options = parse(&["--rounds", "1", "--connections", "2", "--profile", "dev"])
            .unwrap()
            .unwrap();
        assert_eq!((options.rounds, options.profile), (1, "dev"));
        assert_eq!(options.connections, [2]);
        assert!(parse(&["--rounds", "0"]).unwrap_err().contains("1 to 100"));
        assert_eq!(parse(&["-x"]).unwrap_err(), "unknown option `-x`");
    }

    #[test]
    fn cpu_time_counts_this_process() {
        let before = cpu_time(std::process::id()).expect("/proc is there");
        let mut x = 0u64;
        for i in 0..10_000_000 {
            x = x.wrapping_add(i * i);
        }
        assert!(x > 0);
        assert!(cpu_time(std::process::id()).unwrap() > before);
        assert!(cpu_time(u32::MAX).is_none());
    }

    #[test]
    fn every_step_is_a_listing_that_builds() {
        for step in STEPS {
            let listing = Listing::find(step.listing).unwrap();
            assert!(!listing.must_fail(), "{} must build", step.listing);
        }
    }

    #[test]
    fn a_row_adds_up_its_rounds() {
        let report = |answered, seconds, p50, max| Report {
            answered,
            failed: 1,
            seconds,
            throughput: answered as f64 / seconds,
            failures: Failures {
                reset: 1,
                ..Failures::default()
            },
            latency: Some(Latency {
                p50,
                p90: p50 * 2,
                p99: p50 * 3,
                max,
            }),
        };
        let ms = Duration::from_millis;
        let rounds = [
            (report(100, 1.0, 30, 900), Some(ms(10))),
            (report(300, 1.0, 10, 700), Some(ms(20))),
            (report(200, 2.0, 20, 800), Some(ms(30))),
        ];
        let row = row(
            STEPS[1].listing,
            STEPS[1].threads,
            4,
            "release",
            16,
            &rounds,
        );
        let expected = "ch11-02-workers-checked,pool,4,16,4.00,600,3,150.0,20,40,60,900,0,3,0,0,0,release,100.0";
        assert_eq!(row.join(","), expected);
        assert_eq!(row.len(), COLUMNS.len());
        // A round without a CPU time leaves the cell empty.
        let mut rounds = rounds;
        rounds[1].1 = None;
        let row = super::row("x", "tuned", 4, "release", 16, &rounds);
        assert_eq!(row.last().unwrap(), "");
    }
}
