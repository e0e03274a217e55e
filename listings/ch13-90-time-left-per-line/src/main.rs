mod pool;

use std::{
    env, fs,
    io::{self, BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    process,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use pool::ThreadPool;

/// Where the server listens unless the `ADDR` environment variable says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:7070";

/// How long `/slow` takes: a stand-in for a slow database or a big file.
const SLOW_REQUEST: Duration = Duration::from_secs(2);

/// How many workers the pool gets unless the `WORKERS` environment variable says otherwise.
const DEFAULT_WORKERS: usize = 4;

/// The most workers `WORKERS` may ask for: each is a thread with its own stack.
const MAX_WORKERS: usize = 1024;

/// How long a client may take to send its request's head, unless the
/// `HEAD_TIMEOUT_MS` environment variable says otherwise.
const DEFAULT_HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest `HEAD_TIMEOUT_MS` may ask for, in milliseconds: ten minutes.
const MAX_HEAD_TIMEOUT_MS: u64 = 600_000;

/// The answer to a client that did not send its request's head in time.
const REQUEST_TIMEOUT: &str =
    "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

// ANCHOR: main
fn main() {
    // Settings first: a bad one stops the program before it listens.
    let size = workers();
    let head_timeout = head_timeout();
    // Read once, shared by every job: the last owner frees them.
    let pages = Arc::new(Pages::read());
    let listener = bind();
    let pool = ThreadPool::new(size);

    // ANCHOR: handler
    // Set on Ctrl-C or SIGTERM; the loop reads it after each connection.
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = Arc::clone(&stop);
    let addr = listener
        .local_addr()
        .expect("a bound socket has an address");
    let handler = move || {
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

    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(stream) => {
                let pages = Arc::clone(&pages);
                pool.execute(move || serve(stream, &pages, head_timeout))
            }
            Err(err) => eprintln!("connection failed: {err}"),
        }
    }

    // ANCHOR: stop
    // Closed, the listening socket refuses new clients at once, instead of
    // letting the system queue them in the backlog until the process exits.
    drop(listener);
    println!("Stopping: no new connections; finishing the requests in flight.");
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

// ANCHOR: serve
/// Answers one connection. A failure concerns this client only: report it and go on.
fn serve(stream: TcpStream, pages: &Pages, head_timeout: Duration) {
    if let Err(err) = respond(stream, pages, head_timeout) {
        eprintln!("error while answering: {err}");
    }
}

fn respond(mut stream: TcpStream, pages: &Pages, head_timeout: Duration) -> io::Result<()> {
    let request = match read_request(&stream, head_timeout) {
        Ok(request) => request,
        // Too slow: say so, and let the client go.
        Err(HeadError::TimedOut) => return stream.write_all(REQUEST_TIMEOUT.as_bytes()),
        Err(HeadError::Io(err)) => return Err(err),
    };
    let request_line = request.first().map(String::as_str).unwrap_or("");

    let (status, body) = route(request_line, pages);
    let response = format!(
        "HTTP/1.1 {status}\r\n\
         Content-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\n\
         Connection: close\r\n\
         \r\n\
         {body}",
        body.len()
    );
    stream.write_all(response.as_bytes())
}

/// Chooses the status line and the page that answer a request line.
fn route<'p>(request_line: &str, pages: &'p Pages) -> (&'static str, &'p str) {
    match request_line {
        "GET / HTTP/1.1" => ("200 OK", &pages.index),
        "GET /slow HTTP/1.1" => {
            thread::sleep(SLOW_REQUEST);
            ("200 OK", &pages.index)
        }
        _ => ("404 Not Found", &pages.not_found),
    }
}
// ANCHOR_END: serve

// ANCHOR: read_request
/// Why a request's head could not be read.
enum HeadError {
    /// The whole head did not arrive within its time.
    TimedOut,
    /// The connection failed.
    Io(io::Error),
}

/// What `?` does with an I/O error while the head is read: a read that
/// waited out its timeout is the deadline passing; anything else, a failure.
impl From<io::Error> for HeadError {
    fn from(err: io::Error) -> HeadError {
        match err.kind() {
            // A read timeout is `WouldBlock` on Unix and `TimedOut` on Windows.
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => HeadError::TimedOut,
            _ => HeadError::Io(err),
        }
    }
}

/// Reads the request line and the headers, up to the blank line that ends
/// them, giving each line, as its read timeout, what is left of
/// `head_timeout` when the line begins.
fn read_request(stream: &TcpStream, head_timeout: Duration) -> Result<Vec<String>, HeadError> {
    let deadline = Instant::now() + head_timeout;
    let mut reader = BufReader::new(stream);
    let mut lines = Vec::new();
    loop {
        // What is left of the time, for the next read: a read timeout of
        // zero is an error, so a deadline reached is a timeout of ours.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::TimedOut);
        }
        stream.set_read_timeout(Some(left))?;
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            // The client closed its side before the blank line.
            break;
        }
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        lines.push(line.to_string());
    }
    Ok(lines)
}
// ANCHOR_END: read_request

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

// ANCHOR: head_timeout
/// How long a client may take to send its request's head:
/// `HEAD_TIMEOUT_MS` milliseconds if it is set, `DEFAULT_HEAD_TIMEOUT` if
/// not. A value that is not such a time ends the program with a message.
fn head_timeout() -> Duration {
    let text = match env::var("HEAD_TIMEOUT_MS") {
        Ok(text) => text,
        Err(env::VarError::NotPresent) => return DEFAULT_HEAD_TIMEOUT,
        Err(env::VarError::NotUnicode(text)) => {
            usage_error(&format!("HEAD_TIMEOUT_MS is not valid Unicode: {text:?}"))
        }
    };
    match text.parse() {
        Ok(millis) if (1..=MAX_HEAD_TIMEOUT_MS).contains(&millis) => Duration::from_millis(millis),
        _ => usage_error(&format!(
            "HEAD_TIMEOUT_MS takes a whole number of milliseconds from 1 to \
             {MAX_HEAD_TIMEOUT_MS}, not `{text}`"
        )),
    }
}
// ANCHOR_END: head_timeout

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
