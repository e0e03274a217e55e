use std::{
    env,
    io::{self, Read, Write},
    net::{SocketAddr, TcpStream, ToSocketAddrs},
    process,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

/// How long a request may wait to connect, or for the server to take or
/// send bytes, before it counts as timed out.
const TIMEOUT: Duration = Duration::from_secs(10);

/// How many connections are open at once: one client thread each.
const CONNECTIONS: usize = 4;

/// How long the load lasts.
const DURATION: Duration = Duration::from_secs(1);

// ANCHOR: main
fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let [url] = args.as_slice() else {
        usage_error("give one URL");
    };
    let target = Target::parse(url).unwrap_or_else(|message| usage_error(&message));

    // ANCHOR: load
    let started = Instant::now();
    let deadline = started + DURATION;
    // Counters that every client may add to, through a shared reference.
    let answered = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::new();
    for _ in 0..CONNECTIONS {
        let target = target.clone();
        let answered = Arc::clone(&answered);
        let failed = Arc::clone(&failed);
        clients.push(thread::spawn(move || {
            while Instant::now() < deadline {
                // Counting needs no ordering: nobody reads the counts before `join`.
                match request(&target) {
                    Ok(()) => answered.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    for client in clients {
        client.join().expect("a client thread panicked");
    }
    let seconds = started.elapsed().as_secs_f64();
    let answered = answered.load(Ordering::Relaxed);
    let failed = failed.load(Ordering::Relaxed);
    println!("requests: {answered} answered, {failed} failed, in {seconds:.2} s");
    println!(
        "throughput: {:.1} answered per second",
        answered as f64 / seconds
    );
    // ANCHOR_END: load
}
// ANCHOR_END: main

/// Says what is wrong with the command line, and exits with status 2.
fn usage_error(message: &str) -> ! {
    eprintln!("error: {message}");
    eprintln!("usage: loadgen http://HOST[:PORT][/PATH]");
    process::exit(2);
}

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
#[derive(Debug, Clone, Copy)]
enum Failure {
    /// Nobody listens at the address.
    Refused,
    /// The server reset the connection (or closed it while we wrote).
    Reset,
    /// Connecting, writing or reading took longer than `TIMEOUT`.
    Timeout,
    /// An answer came, but not `200 OK`.
    BadStatus,
    /// Any other error.
    Other,
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
    } else {
        Err(Failure::BadStatus)
    }
}
// ANCHOR_END: request
