mod pool;
mod report;
mod request;

use std::{
    borrow::Cow,
    env, fs,
    io::{self, BufReader, Read, Write},
    net::{Shutdown, TcpListener, TcpStream},
    panic, process,
    sync::{
        Arc, LazyLock,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use pool::ThreadPool;
use request::{HeadError, Method, ParseError, parse_request_line, read_head};

/// Where the server listens unless the `ADDR` environment variable says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:7070";

// ANCHOR: slow_request
/// How long `/slow` takes unless the `SLOW_MS` environment variable says
/// otherwise: a stand-in for a slow database or a big file.
const DEFAULT_SLOW_REQUEST: Duration = Duration::from_secs(2);

/// How long `/slow` takes: read from `SLOW_MS` the first time it is used,
/// which `main` makes happen before the server listens.
static SLOW_REQUEST: LazyLock<Duration> =
    LazyLock::new(|| milliseconds("SLOW_MS", DEFAULT_SLOW_REQUEST));
// ANCHOR_END: slow_request

/// How many workers the pool gets unless the `WORKERS` environment variable says otherwise.
const DEFAULT_WORKERS: usize = 4;

/// The most workers `WORKERS` may ask for: each is a thread with its own stack.
const MAX_WORKERS: usize = 1024;

// ANCHOR: queue_limit
/// How many jobs may wait per worker: a job that finds the queue full is
/// turned away instead, so none waits behind more than this many per worker.
const QUEUE_PER_WORKER: usize = 4;
// ANCHOR_END: queue_limit

// ANCHOR: pauses
/// How long the accept loop waits after a failure, the first time in a row;
/// each failure in a row doubles it, up to `LONGEST_PAUSE`.
const FIRST_PAUSE: Duration = Duration::from_millis(5);
const LONGEST_PAUSE: Duration = Duration::from_secs(1);
// ANCHOR_END: pauses

// ANCHOR: backlog
/// How many connections the system completes and keeps waiting for `accept`
/// at most: the backlog `TcpListener::bind` asks for.
const BACKLOG: usize = 128;
// ANCHOR_END: backlog

/// How long a client may take to send its request's head, unless the
/// `HEAD_TIMEOUT_MS` environment variable says otherwise.
const DEFAULT_HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest time a setting in milliseconds may ask for: ten minutes.
const MAX_MILLISECONDS: u64 = 600_000;

/// The answer to a client that did not send its request's head in time.
const REQUEST_TIMEOUT: &str =
    "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

// ANCHOR: refusals
/// The answer to a request line longer than the server reads.
const URI_TOO_LONG: &str =
    "HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// The answer to a head longer than the server reads.
const HEADERS_TOO_LARGE: &str = "HTTP/1.1 431 Request Header Fields Too Large\r\n\
                                 Content-Length: 0\r\nConnection: close\r\n\r\n";

/// The answer to a request that is not HTTP, or not all of it.
const BAD_REQUEST: &str =
    "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
// ANCHOR_END: refusals

// ANCHOR: more_refusals
/// The answer to a method the server does not answer, with the ones it does.
const METHOD_NOT_ALLOWED: &str = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n\
                                  Content-Length: 0\r\nConnection: close\r\n\r\n";

/// The answer to a version of HTTP other than 1.0 and 1.1.
const VERSION_NOT_SUPPORTED: &str = "HTTP/1.1 505 HTTP Version Not Supported\r\n\
                                     Content-Length: 0\r\nConnection: close\r\n\r\n";
// ANCHOR_END: more_refusals

// ANCHOR: internal_server_error
/// The answer to a client whose request made the server panic: the fault is ours.
const INTERNAL_SERVER_ERROR: &str =
    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
// ANCHOR_END: internal_server_error

// ANCHOR: service_unavailable
/// The answer to a client that came while every worker was busy and the
/// queue full: not now, try again in a second.
const SERVICE_UNAVAILABLE: &str = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\
                                   Content-Length: 0\r\nConnection: close\r\n\r\n";
// ANCHOR_END: service_unavailable

// ANCHOR: main
fn main() {
    // Settings first: a bad one stops the program before it listens.
    let size = workers();
    let head_timeout = milliseconds("HEAD_TIMEOUT_MS", DEFAULT_HEAD_TIMEOUT);
    LazyLock::force(&SLOW_REQUEST);
    // Read once, shared by every job: the last owner frees them.
    let pages = Arc::new(Pages::read());
    let listener = bind();
    let pool = ThreadPool::new(size, size * QUEUE_PER_WORKER);

    // ANCHOR: handler
    // Set on Ctrl-C or SIGTERM; the loop reads it after each connection.
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = Arc::clone(&stop);
    let addr = listener
        .local_addr()
        .expect("a bound socket has an address");
    // How many times a signal came: the handler's own, changed on every call.
    let mut signals = 0;
    let handler = move || {
        signals += 1;
        // The stop may wait a head timeout and a slow request: a second
        // signal is an operator who will not wait.
        if signals > 1 {
            eprintln!("Stopping now, without waiting for the requests in flight.");
            process::exit(130);
        }
        handler_stop.store(true, Ordering::SeqCst);
        // `accept` may be waiting in the loop: a connection of our own wakes
        // it up. Once the listener is closed, this fails, and nothing waits.
        let _ = TcpStream::connect(addr);
    };
    if let Err(err) = ctrlc::set_handler(handler) {
        eprintln!("error: cannot handle Ctrl-C: {err}");
        process::exit(1);
    }
    // ANCHOR_END: handler

    // ANCHOR: accept
    // How many connections `accept` has handed us, for the last line.
    let mut accepted: u64 = 0;
    // How long to wait after a failed `accept`: zero until one fails.
    let mut pause = Duration::ZERO;
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                pause = Duration::ZERO;
                accepted += 1;
                hand_over(&pool, stream, &pages, head_timeout);
            }
            // Most likely out of file descriptors (EMFILE): the client
            // waits in the backlog, and an `accept` at once fails at once.
            Err(err) => {
                pause = (pause * 2).clamp(FIRST_PAUSE, LONGEST_PAUSE);
                eprintln!("connection failed: {err}; accepting again in {pause:?}");
                thread::sleep(pause);
            }
        }
        // Read after the connection is handed over: under load, the one
        // `accept` returned is most likely a client's, not our own.
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    // ANCHOR_END: accept

    // ANCHOR: stop
    // The clients waiting in the backlog are connected, as far as they
    // know, and may have sent their requests: take them too.
    accepted += drain(&listener, &pool, &pages, head_timeout);
    // Closed, the listening socket refuses new clients at once.
    drop(listener);
    println!(
        "Stopping after {accepted} connections: no new ones; finishing the requests in flight."
    );
    // Here `pool` goes out of scope, and its `drop` waits for the workers.
    // ANCHOR_END: stop
}
// ANCHOR_END: main

// ANCHOR: pages
/// The two pages the server sends, read once, when it starts.
struct Pages {
    index: String,
    not_found: String,
}

impl Pages {
    /// Reads both pages from the working directory; a page that cannot be
    /// read stops the server before it listens.
    fn read() -> Pages {
        let read = |page| {
            fs::read_to_string(page).unwrap_or_else(|err| {
                eprintln!("error: cannot read {page}: {err}");
                process::exit(1);
            })
        };
        Pages {
            index: read("index.html"),
            not_found: read("not-found.html"),
        }
    }
}
// ANCHOR_END: pages

// ANCHOR: hand_over
/// Queues a connection for a worker to serve, or, when the queue is full,
/// turns it away at once.
fn hand_over(pool: &ThreadPool, stream: TcpStream, pages: &Arc<Pages>, head_timeout: Duration) {
    let pages = Arc::clone(pages);
    let job = move |stream| serve(stream, &pages, head_timeout);
    // A full queue hands the stream back: answer on it at once.
    if let Err(stream) = pool.try_execute(stream, job) {
        turn_away(stream);
    }
}
// ANCHOR_END: hand_over

// ANCHOR: drain
/// Accepts, without waiting, the connections the system has already
/// completed for us, and hands each over; returns how many it handed over.
fn drain(
    listener: &TcpListener,
    pool: &ThreadPool,
    pages: &Arc<Pages>,
    head_timeout: Duration,
) -> u64 {
    // Without waiting: an empty backlog is `WouldBlock`, and the end.
    if let Err(err) = listener.set_nonblocking(true) {
        eprintln!("cannot take the backlog: {err}");
        return 0;
    }
    let mut accepted = 0;
    // No more than the backlog could hold when the stop began: clients that
    // keep coming must not keep the server from stopping.
    for _ in 0..BACKLOG {
        let Ok((stream, _)) = listener.accept() else {
            break;
        };
        // On some systems a stream accepted this way does not wait either;
        // the worker's reads must.
        if stream.set_nonblocking(false).is_ok() {
            accepted += 1;
            hand_over(pool, stream, pages, head_timeout);
        }
    }
    accepted
}
// ANCHOR_END: drain

// ANCHOR: turn_away
/// Tells a client that the server is full, on the accept loop's thread: the
/// answer is small enough for the socket's empty send buffer, so the write
/// does not wait. Nothing is printed: under a flood, that would be a line
/// per client.
fn turn_away(mut stream: TcpStream) {
    let _ = stream.write_all(SERVICE_UNAVAILABLE.as_bytes());
    // The request is never read, and closing a socket with bytes unread
    // resets the connection instead of ending it: a client reading to the
    // end meets the reset. Send the end (a FIN) first, then close.
    let _ = stream.shutdown(Shutdown::Write);
}
// ANCHOR_END: turn_away

// ANCHOR: serve
/// Answers one connection. A failure concerns this client only: report it and go on.
fn serve(mut stream: TcpStream, pages: &Pages, head_timeout: Duration) {
    // A panic while answering stops here, where the stream is still ours:
    // the client hears that the server failed, instead of nothing.
    let answered = panic::catch_unwind(|| respond(&stream, pages, head_timeout))
        .unwrap_or_else(|_| stream.write_all(INTERNAL_SERVER_ERROR.as_bytes()));
    if let Err(err) = answered {
        eprintln!("error while answering: {err}");
    }
}

fn respond(mut stream: &TcpStream, pages: &Pages, head_timeout: Duration) -> io::Result<()> {
    let reader = BufReader::new(Deadline {
        stream,
        deadline: Instant::now() + head_timeout,
    });
    let line = match read_head(reader) {
        Ok(line) => line,
        // Too slow, too long or cut short: say so, and let the client go.
        Err(HeadError::TimedOut) => return stream.write_all(REQUEST_TIMEOUT.as_bytes()),
        Err(HeadError::LineTooLong) => return stream.write_all(URI_TOO_LONG.as_bytes()),
        Err(HeadError::TooLarge) => return stream.write_all(HEADERS_TOO_LARGE.as_bytes()),
        Err(HeadError::Incomplete) => return stream.write_all(BAD_REQUEST.as_bytes()),
        Err(HeadError::Io(err)) => return Err(err),
    };
    let request = match parse_request_line(&line) {
        Ok(request) => request,
        Err(ParseError::Malformed) => return stream.write_all(BAD_REQUEST.as_bytes()),
        Err(ParseError::VersionNotSupported) => {
            return stream.write_all(VERSION_NOT_SUPPORTED.as_bytes());
        }
    };
    if request.method == Method::Other {
        return stream.write_all(METHOD_NOT_ALLOWED.as_bytes());
    }

    let (status, body) = route(request.target, pages);
    let mut response = format!(
        "HTTP/1.1 {status}\r\n\
         Content-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\n\
         Connection: close\r\n\
         \r\n",
        body.len()
    );
    // HEAD asks for the answer GET would get, without its body.
    if request.method == Method::Get {
        response.push_str(&body);
    }
    stream.write_all(response.as_bytes())
}

// ANCHOR: route
/// Chooses the status line and the page that answer a request's target:
/// one of the pages read at the start, borrowed, or one made for this
/// request, owned.
fn route<'p>(target: &str, pages: &'p Pages) -> (&'static str, Cow<'p, str>) {
    match target {
        // The page at `/` is `index.html`: some clients ask for it by name.
        "/" | "/index.html" => ("200 OK", Cow::Borrowed(&pages.index)),
        "/slow" => {
            thread::sleep(*SLOW_REQUEST);
            ("200 OK", Cow::Borrowed(&pages.index))
        }
        // Work for the processor: a page computed for every request.
        "/report" => ("200 OK", Cow::Owned(report::render())),
        // A stand-in for a bug: a handler that panics.
        "/panic" => panic!("a bug in a handler"),
        _ => ("404 Not Found", Cow::Borrowed(&pages.not_found)),
    }
}
// ANCHOR_END: route
// ANCHOR_END: serve

// ANCHOR: deadline
/// A connection read against a deadline: each read may wait only for the
/// time left, so a client cannot stretch the head by sending it slowly.
struct Deadline<'s> {
    stream: &'s TcpStream,
    deadline: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        // A read timeout of zero is an error, not "no time": say it ourselves.
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buffer)
    }
}
// ANCHOR_END: deadline

// ANCHOR: workers
/// The pool's size: `WORKERS` if it is set, `DEFAULT_WORKERS` if not. A
/// value that is not a size the pool can have ends the program with a message.
fn workers() -> usize {
    let text = match env::var("WORKERS") {
        Ok(text) => text,
        Err(env::VarError::NotPresent) => return DEFAULT_WORKERS,
        Err(env::VarError::NotUnicode(text)) => {
            usage_error(&format!("WORKERS is not valid Unicode: {text:?}"))
        }
    };
    match text.parse() {
        Ok(workers) if (1..=MAX_WORKERS).contains(&workers) => workers,
        _ => usage_error(&format!(
            "WORKERS takes a whole number from 1 to {MAX_WORKERS}, not `{text}`"
        )),
    }
}

// ANCHOR: milliseconds
/// A time setting: the environment variable `name`, a whole number of
/// milliseconds, if it is set; `default` if not. A value that is not such a
/// time ends the program with a message.
fn milliseconds(name: &str, default: Duration) -> Duration {
    let text = match env::var(name) {
        Ok(text) => text,
        Err(env::VarError::NotPresent) => return default,
        Err(env::VarError::NotUnicode(text)) => {
            usage_error(&format!("{name} is not valid Unicode: {text:?}"))
        }
    };
    match text.parse() {
        Ok(millis) if (1..=MAX_MILLISECONDS).contains(&millis) => Duration::from_millis(millis),
        _ => usage_error(&format!(
            "{name} takes a whole number of milliseconds from 1 to {MAX_MILLISECONDS}, \
             not `{text}`"
        )),
    }
}
// ANCHOR_END: milliseconds

/// Reports a setting the server cannot run with, and exits with status 2.
fn usage_error(message: &str) -> ! {
    eprintln!("error: {message}");
    process::exit(2);
}
// ANCHOR_END: workers

/// Opens the listening socket, or says why it cannot and exits.
fn bind() -> TcpListener {
    let addr = env::var("ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_string());
    match TcpListener::bind(&addr) {
        Ok(listener) => {
            // With a port of 0 the system picks a free one: print the real address.
            let local = listener
                .local_addr()
                .expect("a bound socket has an address");
            println!("Listening on http://{local}");
            listener
        }
        Err(err) => {
            eprintln!("error: cannot listen on {addr}: {err}");
            process::exit(1);
        }
    }
}
