mod request;

use std::{
    env, fs, io, process,
    sync::{Arc, LazyLock, Mutex},
    thread,
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    time,
};

use request::{
    HeadError, MAX_HEAD, MAX_REQUEST_LINE, Method, ParseError, parse_request_line, read_head,
};

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

// ANCHOR: pauses
/// How long the accept loop waits after a failure, the first time in a row;
/// each failure in a row doubles it, up to `LONGEST_PAUSE`.
const FIRST_PAUSE: Duration = Duration::from_millis(5);
const LONGEST_PAUSE: Duration = Duration::from_secs(1);
// ANCHOR_END: pauses

// ANCHOR: report_every
/// How often the server looks at how many connections it holds, and says
/// so if the number changed.
const REPORT_EVERY: Duration = Duration::from_secs(1);
// ANCHOR_END: report_every

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

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Settings first: a bad one stops the program before it listens.
    let head_timeout = milliseconds("HEAD_TIMEOUT_MS", DEFAULT_HEAD_TIMEOUT);
    LazyLock::force(&SLOW_REQUEST);
    // Read once, shared by every task: the last owner frees them.
    let pages = Arc::new(Pages::read());
    let listener = bind().await;

    // ANCHOR: load
    // How many connections are open: every task counts its own.
    let load = Arc::new(Mutex::new(Load::default()));
    tokio::spawn(report(Arc::clone(&load)));
    // ANCHOR_END: load

    // ANCHOR: accept
    // How long to wait after a failed `accept`: zero until one fails.
    let mut pause = Duration::ZERO;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                pause = Duration::ZERO;
                let pages = Arc::clone(&pages);
                // ANCHOR: spawn
                let load = Arc::clone(&load);
                tokio::spawn(async move {
                    load.lock().unwrap().opened();
                    serve(stream, &pages, head_timeout).await;
                    load.lock().unwrap().closed();
                });
                // ANCHOR_END: spawn
            }
            // Most likely out of file descriptors (EMFILE): the client
            // waits in the backlog, and an `accept` at once fails at once.
            Err(err) => {
                pause = (pause * 2).clamp(FIRST_PAUSE, LONGEST_PAUSE);
                eprintln!("connection failed: {err}; accepting again in {pause:?}");
                time::sleep(pause).await;
            }
        }
    }
    // ANCHOR_END: accept
}
// ANCHOR_END: main

// ANCHOR: load_type
/// The connections the server holds: how many now, and the most at once.
#[derive(Clone, Copy, Default, PartialEq)]
struct Load {
    open: usize,
    most: usize,
}

impl Load {
    fn opened(&mut self) {
        self.open += 1;
        self.most = self.most.max(self.open);
    }

    fn closed(&mut self) {
        self.open -= 1;
    }
}
// ANCHOR_END: load_type

// ANCHOR: report
/// Says how many connections are open, every `REPORT_EVERY`, when the
/// number changed since the last time: an idle server prints nothing.
async fn report(load: Arc<Mutex<Load>>) {
    let mut last = Load::default();
    loop {
        // A copy, taken under the lock: the guard ends with this statement.
        let now = *load.lock().unwrap();
        if now != last {
            println!("Connections: {} open, {} at most", now.open, now.most);
            last = now;
        }
        time::sleep(REPORT_EVERY).await;
    }
}
// ANCHOR_END: report

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
async fn serve(mut stream: TcpStream, pages: &Pages, head_timeout: Duration) {
    if let Err(err) = respond(&mut stream, pages, head_timeout).await {
        eprintln!("error while answering: {err}");
    }
}

async fn respond(stream: &mut TcpStream, pages: &Pages, head_timeout: Duration) -> io::Result<()> {
    // ANCHOR: timeout
    // The whole head within its time, or `408`: the deadline of chapter 13.
    let Ok(head) = time::timeout(head_timeout, receive_head(stream)).await else {
        return stream.write_all(REQUEST_TIMEOUT.as_bytes()).await;
    };
    // ANCHOR_END: timeout
    // Chapter 14's parser reads the bytes as it read the socket.
    let line = match read_head(&head?[..]) {
        Ok(line) => line,
        // Too long or cut short: say so, and let the client go.
        Err(HeadError::LineTooLong) => return stream.write_all(URI_TOO_LONG.as_bytes()).await,
        Err(HeadError::TooLarge) => return stream.write_all(HEADERS_TOO_LARGE.as_bytes()).await,
        Err(HeadError::Incomplete) => return stream.write_all(BAD_REQUEST.as_bytes()).await,
        // A slice of bytes neither times out nor fails.
        Err(HeadError::TimedOut) => return stream.write_all(REQUEST_TIMEOUT.as_bytes()).await,
        Err(HeadError::Io(err)) => return Err(err),
    };
    let request = match parse_request_line(&line) {
        Ok(request) => request,
        Err(ParseError::Malformed) => return stream.write_all(BAD_REQUEST.as_bytes()).await,
        Err(ParseError::VersionNotSupported) => {
            return stream.write_all(VERSION_NOT_SUPPORTED.as_bytes()).await;
        }
    };
    if request.method == Method::Other {
        return stream.write_all(METHOD_NOT_ALLOWED.as_bytes()).await;
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
        response.push_str(body);
    }
    stream.write_all(response.as_bytes()).await
}

// ANCHOR: route
/// Chooses the status line and the page that answer a request's target.
fn route<'p>(target: &str, pages: &'p Pages) -> (&'static str, &'p str) {
    match target {
        // The page at `/` is `index.html`: some clients ask for it by name.
        "/" | "/index.html" => ("200 OK", &pages.index),
        "/slow" => {
            thread::sleep(*SLOW_REQUEST);
            ("200 OK", &pages.index)
        }
        _ => ("404 Not Found", &pages.not_found),
    }
}
// ANCHOR_END: route
// ANCHOR_END: serve

// ANCHOR: receive_head
/// Reads from the connection until the bytes hold a whole head, or more
/// than `read_head` reads, or the client stops sending: `read_head` then
/// finds in them what it finds in a socket.
async fn receive_head(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut chunk = [0; 1024];
    while !enough(&head) {
        let read = stream.read(&mut chunk).await?;
        // The end of the stream: the client will send no more.
        if read == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..read]);
    }
    Ok(head)
}

/// Whether `head` is enough for `read_head` to decide: a blank line ends
/// it, or it is as long as a head may be, or its first line is as long as
/// a request line may be and has not ended.
fn enough(head: &[u8]) -> bool {
    let line_ended = head
        .iter()
        .take(MAX_REQUEST_LINE as usize)
        .any(|&byte| byte == b'\n');
    let blank_line = head.windows(2).any(|pair| pair == b"\n\n")
        || head.windows(3).any(|three| three == b"\n\r\n");
    blank_line
        || head.len() as u64 >= MAX_HEAD
        || (!line_ended && head.len() as u64 >= MAX_REQUEST_LINE)
}
// ANCHOR_END: receive_head

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

// ANCHOR: bind
/// Opens the listening socket, or says why it cannot and exits.
async fn bind() -> TcpListener {
    let addr = env::var("ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_string());
    match TcpListener::bind(&addr).await {
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
// ANCHOR_END: bind
