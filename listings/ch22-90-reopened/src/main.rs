mod histogram;
mod schedule;

use std::{
    collections::BTreeMap,
    env,
    io::{self, BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpStream, ToSocketAddrs},
    ops::RangeInclusive,
    process, thread,
    time::{Duration, Instant},
};

use histogram::Histogram;

/// How long a request may wait to connect, or for the server to take or
/// send bytes, before it counts as timed out.
const TIMEOUT: Duration = Duration::from_secs(10);

const USAGE: &str = "usage: loadgen [--connections N] [--duration SECONDS] [--rate PER_SECOND] \
                     [--keep-alive] http://HOST[:PORT][/PATH]";

// ANCHOR: rates
/// The lowest `--rate`: one request an hour, the longest run. It keeps every
/// due time a client computes within six weeks of the start.
const MIN_RATE: f64 = 1.0 / 3600.0;

/// The highest `--rate`: a request every microsecond.
const MAX_RATE: f64 = 1_000_000.0;
// ANCHOR_END: rates

// ANCHOR: main
fn main() {
    let options = Options::parse(env::args().skip(1)).unwrap_or_else(|message| {
        eprintln!("error: {message}");
        eprintln!("{USAGE}");
        process::exit(2);
    });
    let target = &options.target;
    let pace = match options.rate {
        Some(rate) => format!("at {rate} requests per second "),
        None => String::new(),
    };
    let kept = if options.keep_alive {
        "kept alive "
    } else {
        ""
    };
    println!(
        "GET http://{}{} on {} connections {kept}{pace}for {} s",
        target.host,
        target.path,
        options.connections,
        options.duration.as_secs()
    );

    // ANCHOR: load
    let started = Instant::now();
    let deadline = started + options.duration;
    let mut clients = Vec::new();
    let connections = options.connections;
    for client in 0..connections {
        let target = target.clone();
        let connection = Connection::new(options.keep_alive);
        clients.push(match options.rate {
            None => thread::spawn(move || run_client(&target, connection, deadline)),
            // Client `client` sends slots client, client + connections, ...
            Some(rate) => thread::spawn(move || {
                run_open_client(
                    &target,
                    connection,
                    started,
                    deadline,
                    rate,
                    client,
                    connections,
                )
            }),
        });
    }
    // Each client hands back what it counted, and only when it is done.
    let mut total = Tally::new();
    for client in clients {
        total.merge(&client.join().expect("a client thread panicked"));
    }
    let seconds = started.elapsed().as_secs_f64();
    report(&total, seconds);
    // ANCHOR_END: load
}
// ANCHOR_END: main

// ANCHOR: client
/// What one client saw: how long each answered request took, and how many
/// requests failed, by kind.
struct Tally {
    latencies: Histogram,
    failures: BTreeMap<Failure, u64>,
    /// How many connections the client opened (or tried to).
    opened: u64,
    /// How many of them replaced a kept connection the server had closed.
    reopened: u64,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            latencies: Histogram::new(),
            failures: BTreeMap::new(),
            opened: 0,
            reopened: 0,
        }
    }

    /// Adds what another client saw to this tally.
    fn merge(&mut self, other: &Tally) {
        self.latencies.merge(&other.latencies);
        self.opened += other.opened;
        self.reopened += other.reopened;
        for (&failure, &count) in &other.failures {
            *self.failures.entry(failure).or_default() += count;
        }
    }
}

/// One connection's worth of load: requests one after another, until the
/// deadline, each on a new connection unless `connection` keeps them
/// alive. The thread owns all that it counts.
fn run_client(target: &Target, mut connection: Connection, deadline: Instant) -> Tally {
    let mut tally = Tally::new();
    while Instant::now() < deadline {
        let sent = Instant::now();
        let outcome = connection.request(target);
        let latency = sent.elapsed();
        match outcome {
            Ok(()) => tally.latencies.record(latency),
            Err(failure) => *tally.failures.entry(failure).or_default() += 1,
        }
    }
    tally.opened = connection.opened;
    tally.reopened = connection.reopened;
    tally
}
// ANCHOR_END: client

// ANCHOR: open
/// One connection's share of a schedule: the slots `first`, `first +
/// stride`, ... of a run at `rate` requests per second, each request sent
/// when it is due, or at once if the client is already late.
fn run_open_client(
    target: &Target,
    mut connection: Connection,
    start: Instant,
    deadline: Instant,
    rate: f64,
    first: u64,
    stride: u64,
) -> Tally {
    let mut tally = Tally::new();
    let mut slot = first;
    loop {
        let due = schedule::due(start, rate, slot);
        if due >= deadline {
            break;
        }
        if let Some(early) = due.checked_duration_since(Instant::now()) {
            thread::sleep(early);
        }
        let outcome = connection.request(target);
        // From when the request was due, not from when it went out.
        let latency = due.elapsed();
        match outcome {
            Ok(()) => tally.latencies.record(latency),
            Err(failure) => *tally.failures.entry(failure).or_default() += 1,
        }
        slot += stride;
    }
    tally.opened = connection.opened;
    tally.reopened = connection.reopened;
    tally
}
// ANCHOR_END: open

// ANCHOR: report
/// Prints what the run measured.
fn report(tally: &Tally, seconds: f64) {
    let latencies = &tally.latencies;
    let answered = latencies.count();
    let failed: u64 = tally.failures.values().sum();
    println!("requests: {answered} answered, {failed} failed, in {seconds:.2} s");
    println!(
        "connections: {} opened for {} requests, {} after the server closed one",
        tally.opened,
        answered + failed,
        tally.reopened
    );
    println!(
        "throughput: {:.1} answered per second",
        answered as f64 / seconds
    );
    if tally.failures.is_empty() {
        println!("failures: none");
    } else {
        let kinds: Vec<String> = tally
            .failures
            .iter()
            .map(|(failure, count)| format!("{} {count}", failure.name()))
            .collect();
        println!("failures: {}", kinds.join(", "));
    }
    let (Some(p50), Some(p90), Some(p99), Some(max)) = (
        latencies.percentile(50.0),
        latencies.percentile(90.0),
        latencies.percentile(99.0),
        latencies.max(),
    ) else {
        println!("latency: no request was answered");
        return;
    };
    println!(
        "latency (µs): p50 {}, p90 {}, p99 {}, max {}",
        p50.as_micros(),
        p90.as_micros(),
        p99.as_micros(),
        max.as_micros()
    );
}
// ANCHOR_END: report

// ANCHOR: options
/// What the command line asks for.
struct Options {
    /// How many connections are open at once: one client thread each.
    connections: u64,
    /// How long the load lasts.
    duration: Duration,
    /// Requests per second for the whole run, on a schedule (open loop);
    /// `None` for a closed loop.
    rate: Option<f64>,
    /// Whether each client keeps its connection open for its next request.
    keep_alive: bool,
    target: Target,
}

impl Options {
    /// Reads `[--connections N] [--duration SECONDS] [--rate PER_SECOND]
    /// [--keep-alive] URL`, in any order.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
        let mut connections = 4;
        let mut duration = Duration::from_secs(10);
        let mut rate = None;
        let mut keep_alive = false;
        let mut url = None;
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--connections" => connections = number(&arg, args.next(), 1..=1000)?,
                "--duration" => {
                    duration = Duration::from_secs(number(&arg, args.next(), 1..=3600)?);
                }
                "--rate" => rate = Some(per_second(&arg, args.next())?),
                "--keep-alive" => keep_alive = true,
                _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`")),
                _ if url.is_some() => return Err(format!("one URL only: `{arg}` is a second")),
                _ => url = Some(arg),
            }
        }
        let url = url.ok_or("give the URL to load")?;
        Ok(Options {
            connections,
            duration,
            rate,
            keep_alive,
            target: Target::parse(&url)?,
        })
    }
}

/// The value that follows `option`, as a whole number within `range`.
fn number(option: &str, value: Option<String>, range: RangeInclusive<u64>) -> Result<u64, String> {
    let value = value.ok_or_else(|| format!("`{option}` needs a value"))?;
    match value.parse() {
        Ok(number) if range.contains(&number) => Ok(number),
        _ => Err(format!(
            "`{option}` takes a whole number from {} to {}, not `{value}`",
            range.start(),
            range.end()
        )),
    }
}

/// The value that follows `option`, as a number of requests per second
/// from `MIN_RATE` to `MAX_RATE`.
fn per_second(option: &str, value: Option<String>) -> Result<f64, String> {
    let value = value.ok_or_else(|| format!("`{option}` needs a value"))?;
    match value.parse::<f64>() {
        // `NaN` and `inf` parse as numbers; the range refuses them.
        Ok(rate) if (MIN_RATE..=MAX_RATE).contains(&rate) => Ok(rate),
        _ => Err(format!(
            "`{option}` takes a number of requests per second from {MIN_RATE} (one an hour) \
             to {MAX_RATE}, not `{value}`"
        )),
    }
}
// ANCHOR_END: options

// ANCHOR: target
/// Where the requests go.
#[derive(Clone)]
struct Target {
    addr: SocketAddr,
    /// The URL's `HOST[:PORT]`, for the `Host` header.
    host: String,
    path: String,
}

impl Target {
    /// Reads `http://HOST[:PORT][/PATH]`; the port is 80 and the path `/`
    /// unless the URL says otherwise.
    fn parse(url: &str) -> Result<Target, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("`{url}` is not an http:// URL"))?;
        let (host, path) = match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, "/"),
        };
        if host.is_empty() {
            return Err(format!("`{url}` names no host"));
        }
        let with_port = if host.contains(':') {
            host.to_string()
        } else {
            format!("{host}:80")
        };
        let addr = with_port
            .to_socket_addrs()
            .map_err(|err| format!("cannot find `{host}`: {err}"))?
            .next()
            .ok_or_else(|| format!("`{host}` has no address"))?;
        Ok(Target {
            addr,
            host: host.to_string(),
            path: path.to_string(),
        })
    }
}
// ANCHOR_END: target

// ANCHOR: request
/// Why a request failed, in the few kinds a report tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Failure {
    /// Nobody listens at the address.
    Refused,
    /// The server reset the connection (or closed it while we wrote).
    Reset,
    /// Connecting, writing or reading took longer than `TIMEOUT`.
    Timeout,
    /// The server was too busy and said so: `503 Service Unavailable`.
    Shed,
    /// An answer came, but not `200 OK`.
    BadStatus,
    /// Any other error.
    Other,
}

impl Failure {
    fn name(self) -> &'static str {
        match self {
            Failure::Refused => "refused",
            Failure::Reset => "reset",
            Failure::Timeout => "timeout",
            Failure::Shed => "shed",
            Failure::BadStatus => "bad status",
            Failure::Other => "other",
        }
    }
}

impl From<io::Error> for Failure {
    fn from(err: io::Error) -> Failure {
        match err.kind() {
            io::ErrorKind::ConnectionRefused => Failure::Refused,
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => Failure::Reset,
            // A read timeout is `WouldBlock` on Unix and `TimedOut` on Windows.
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Failure::Timeout,
            _ => Failure::Other,
        }
    }
}

/// Sends one `GET` on a new connection and reads the whole answer: the
/// book's server closes the connection after each response.
fn request(target: &Target) -> Result<(), Failure> {
    let mut stream = TcpStream::connect_timeout(&target.addr, TIMEOUT)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        target.path, target.host
    );
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    if response.starts_with(b"HTTP/1.1 200 ") {
        Ok(())
    } else if response.starts_with(b"HTTP/1.1 503 ") {
        Err(Failure::Shed)
    } else {
        Err(Failure::BadStatus)
    }
}
// ANCHOR_END: request

// ANCHOR: keep_alive
/// A client's way to the server: a new connection for each request, or,
/// with `--keep-alive`, the connection the last answer left open.
struct Connection {
    keep_alive: bool,
    /// The connection the last answer left open, for the next request.
    kept: Option<BufReader<TcpStream>>,
    /// How many connections the client opened (or tried to).
    opened: u64,
    /// How many of them replaced a kept connection the server had closed.
    reopened: u64,
}

impl Connection {
    fn new(keep_alive: bool) -> Connection {
        Connection {
            keep_alive,
            kept: None,
            opened: 0,
            reopened: 0,
        }
    }

    /// Sends one `GET` and reads its whole answer.
    fn request(&mut self, target: &Target) -> Result<(), Failure> {
        if !self.keep_alive {
            self.opened += 1;
            return request(target);
        }
        if let Some(stream) = self.kept.take() {
            match exchange(stream, target) {
                Exchange::Answered(outcome, kept) => {
                    self.kept = kept;
                    return outcome;
                }
                // The server closed the kept connection before the request
                // reached it (it stops waiting for idle clients at some
                // point): no byte of an answer came back, so the request
                // goes again on a new connection, as browsers do with a GET.
                Exchange::Closed(_) => self.reopened += 1,
            }
        }
        self.opened += 1;
        let stream = TcpStream::connect_timeout(&target.addr, TIMEOUT)?;
        stream.set_read_timeout(Some(TIMEOUT))?;
        stream.set_write_timeout(Some(TIMEOUT))?;
        match exchange(BufReader::new(stream), target) {
            Exchange::Answered(outcome, kept) => {
                self.kept = kept;
                outcome
            }
            Exchange::Closed(failure) => Err(failure),
        }
    }
}

/// What one request on a connection that may stay open came to.
enum Exchange {
    /// An answer, whole or cut short, and the connection if the server
    /// keeps it open for another request.
    Answered(Result<(), Failure>, Option<BufReader<TcpStream>>),
    /// The server closed or reset the connection before sending a byte.
    Closed(Failure),
}

/// Sends a `GET` that asks to keep the connection open, and reads the
/// answer's head and then exactly as many bytes of body as its
/// `Content-Length` says: the server will not close the connection to
/// mark the end.
fn exchange(mut stream: BufReader<TcpStream>, target: &Target) -> Exchange {
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nConnection: keep-alive\r\n\r\n",
        target.path, target.host
    );
    let mut status_line = String::new();
    let sent = stream.get_mut().write_all(request.as_bytes());
    let first = sent.and_then(|()| stream.read_line(&mut status_line));
    match first.map_err(Failure::from) {
        Ok(0) => return Exchange::Closed(Failure::Reset),
        Err(Failure::Reset) => return Exchange::Closed(Failure::Reset),
        Err(failure) => return Exchange::Answered(Err(failure), None),
        Ok(_) => {}
    }
    let outcome = if status_line.starts_with("HTTP/1.1 200 ") {
        Ok(())
    } else if status_line.starts_with("HTTP/1.1 503 ") {
        Err(Failure::Shed)
    } else {
        Err(Failure::BadStatus)
    };
    match read_rest(&mut stream) {
        Ok(true) => Exchange::Answered(outcome, Some(stream)),
        Ok(false) => Exchange::Answered(outcome, None),
        Err(failure) => Exchange::Answered(Err(failure), None),
    }
}

/// Reads the rest of an answer after its status line: the headers, then
/// the body. `Ok(true)` if the connection can carry another request: the
/// answer said how long its body is, and not `Connection: close`.
fn read_rest(stream: &mut BufReader<TcpStream>) -> Result<bool, Failure> {
    let mut length = None;
    let mut close = false;
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line)? == 0 {
            // Closed in the middle of the head.
            return Err(Failure::Reset);
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<u64>().map_err(|_| Failure::Other)?);
        } else if name.eq_ignore_ascii_case("connection") {
            close = value.eq_ignore_ascii_case("close");
        }
    }
    let Some(length) = length else {
        // No length: the body ends where the server closes the connection.
        io::copy(stream, &mut io::sink())?;
        return Ok(false);
    };
    let read = io::copy(&mut stream.take(length), &mut io::sink())?;
    if read < length {
        return Err(Failure::Reset);
    }
    Ok(!close)
}
// ANCHOR_END: keep_alive
