mod request;

use std::{
    cmp::Reverse,
    collections::{BinaryHeap, HashMap},
    env, fs,
    io::{self, Read, Write},
    mem, net, process,
    time::{Duration, Instant},
};

use mio::{
    Events, Interest, Poll, Registry, Token,
    net::{TcpListener, TcpStream},
};

use request::{HeadError, MAX_HEAD, Method, ParseError, parse_request_line, read_head};

/// Where the server listens unless the `ADDR` environment variable says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:7070";

/// How long `/slow` takes unless the `SLOW_MS` environment variable says
/// otherwise: a stand-in for a slow database or a big file.
const DEFAULT_SLOW_REQUEST: Duration = Duration::from_secs(2);

/// How long a client may take to send its request's head, unless the
/// `HEAD_TIMEOUT_MS` environment variable says otherwise.
const DEFAULT_HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest time a setting in milliseconds may ask for: ten minutes.
const MAX_MILLISECONDS: u64 = 600_000;

// ANCHOR: tokens
/// The listener's token; each connection gets the next number up.
const LISTENER: Token = Token(0);

/// How many events one call to `poll` may hand back at most; more wait
/// for the next call.
const EVENTS_PER_POLL: usize = 1024;
// ANCHOR_END: tokens

/// The answer to a client that did not send its request's head in time.
const REQUEST_TIMEOUT: &str =
    "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// The answer to a request line longer than the server reads.
const URI_TOO_LONG: &str =
    "HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// The answer to a head longer than the server reads.
const HEADERS_TOO_LARGE: &str = "HTTP/1.1 431 Request Header Fields Too Large\r\n\
                                 Content-Length: 0\r\nConnection: close\r\n\r\n";

/// The answer to a request that is not HTTP, or not all of it.
const BAD_REQUEST: &str =
    "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// The answer to a method the server does not answer, with the ones it does.
const METHOD_NOT_ALLOWED: &str = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n\
                                  Content-Length: 0\r\nConnection: close\r\n\r\n";

/// The answer to a version of HTTP other than 1.0 and 1.1.
const VERSION_NOT_SUPPORTED: &str = "HTTP/1.1 505 HTTP Version Not Supported\r\n\
                                     Content-Length: 0\r\nConnection: close\r\n\r\n";

// ANCHOR: main
fn main() {
    // Settings first: a bad one stops the program before it listens.
    let head_timeout = milliseconds("HEAD_TIMEOUT_MS", DEFAULT_HEAD_TIMEOUT);
    let slow = milliseconds("SLOW_MS", DEFAULT_SLOW_REQUEST);
    let pages = Pages::read();
    let mut listener = bind();
    let mut poll = Poll::new().unwrap_or_else(|err| fail("cannot create a poll", err));
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)
        .unwrap_or_else(|err| fail("cannot watch the listener", err));

    let mut events = Events::with_capacity(EVENTS_PER_POLL);
    let mut connections: HashMap<Token, Connection> = HashMap::new();
    // ANCHOR: timers
    // When each connection next needs the clock, soonest first: its head's
    // deadline, or the moment `/slow`'s answer is due.
    let mut timers: BinaryHeap<Reverse<Timer>> = BinaryHeap::new();
    // ANCHOR_END: timers
    // Never reused: a token in a timer names one connection, or none left.
    let mut next_token = LISTENER.0 + 1;
    // ANCHOR: event_loop
    loop {
        // ANCHOR: wait
        // Wait for readiness, but no longer than until the soonest timer.
        let timeout = timers
            .peek()
            .map(|Reverse(timer)| timer.due.saturating_duration_since(Instant::now()));
        if let Err(err) = poll.poll(&mut events, timeout) {
            // A signal interrupted the wait: nothing happened, wait again.
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            fail("cannot wait for events", err);
        }
        // ANCHOR_END: wait
        let now = Instant::now();
        for event in events.iter() {
            let token = event.token();
            if token == LISTENER {
                // ANCHOR: accept
                // Every connection waiting, until there is none: the next
                // event comes only when a new one arrives.
                loop {
                    let mut stream = match listener.accept() {
                        Ok((stream, _)) => stream,
                        Err(err) if err.kind() == io::ErrorKind::WouldBlock => break,
                        Err(err) => {
                            eprintln!("connection failed: {err}");
                            break;
                        }
                    };
                    let token = Token(next_token);
                    next_token += 1;
                    let interest = Interest::READABLE | Interest::WRITABLE;
                    if let Err(err) = poll.registry().register(&mut stream, token, interest) {
                        eprintln!("cannot watch a connection: {err}");
                        continue;
                    }
                    let head_deadline = now + head_timeout;
                    connections.insert(token, Connection::new(stream, head_deadline));
                    timers.push(Reverse(Timer {
                        token,
                        due: head_deadline,
                    }));
                }
                // ANCHOR_END: accept
            } else {
                // ANCHOR: ready
                // An event for a connection already closed is old news.
                let Some(connection) = connections.get_mut(&token) else {
                    continue;
                };
                if let Some(due) = connection.advance(now, &pages, slow) {
                    timers.push(Reverse(Timer { token, due }));
                }
                if connection.is_done() {
                    close(poll.registry(), &mut connections, token);
                }
                // ANCHOR_END: ready
            }
        }
        // ANCHOR: due
        // The timers that are due: each connection finds out for itself
        // what its time means (a deadline passed, an answer due, or nothing).
        let now = Instant::now();
        while let Some(Reverse(timer)) = timers.peek() {
            if timer.due > now {
                break;
            }
            let token = timer.token;
            timers.pop();
            let Some(connection) = connections.get_mut(&token) else {
                continue;
            };
            connection.advance(now, &pages, slow);
            if connection.is_done() {
                close(poll.registry(), &mut connections, token);
            }
        }
        // ANCHOR_END: due
    }
    // ANCHOR_END: event_loop
}
// ANCHOR_END: main

// ANCHOR: timer
/// A connection that needs the clock, and when.
#[derive(Eq, Ord, PartialEq, PartialOrd)]
struct Timer {
    token: Token,
    due: Instant,
}
// ANCHOR_END: timer

// ANCHOR: close
/// Takes a finished connection out of the map, and out of the poll's
/// watch; dropping it closes the socket.
fn close(registry: &Registry, connections: &mut HashMap<Token, Connection>, token: Token) {
    if let Some(mut connection) = connections.remove(&token) {
        if let Err(err) = registry.deregister(&mut connection.stream) {
            eprintln!("cannot stop watching a connection: {err}");
        }
    }
}
// ANCHOR_END: close

// ANCHOR: state
/// Where a connection is in its one exchange: a request, then its answer.
enum State {
    /// Reading the request's head: the bytes that have come so far.
    Reading(Vec<u8>),
    /// The answer is ready, but not due until `until` (`/slow`).
    Waiting { until: Instant, response: Vec<u8> },
    /// Writing the answer: its bytes, and how many the client has taken.
    Writing { response: Vec<u8>, written: usize },
    /// Answered, or failed: nothing left but to close it.
    Done,
}

/// A connection the loop serves, and what it has done with it so far.
struct Connection {
    stream: TcpStream,
    state: State,
    /// When the head must have come by: after that, the answer is a 408.
    head_deadline: Instant,
}
// ANCHOR_END: state

// ANCHOR: advance
impl Connection {
    fn new(stream: TcpStream, head_deadline: Instant) -> Connection {
        Connection {
            stream,
            state: State::Reading(Vec::new()),
            head_deadline,
        }
    }

    fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// Takes the connection as far as it can go now without waiting: reads
    /// what has come, answers once the head is in (or its time is up),
    /// writes what the client takes. Returns when the loop must come back
    /// to it, if it has just started to wait for that time.
    fn advance(&mut self, now: Instant, pages: &Pages, slow: Duration) -> Option<Instant> {
        let mut due = None;
        if let State::Reading(head) = &mut self.state {
            match read_available(&mut self.stream, head) {
                Ok(ended) => match answer(head, ended, pages, slow) {
                    Some((response, wait)) if wait.is_zero() => {
                        self.state = State::Writing {
                            response,
                            written: 0,
                        };
                    }
                    Some((response, wait)) => {
                        due = Some(now + wait);
                        self.state = State::Waiting {
                            until: now + wait,
                            response,
                        };
                    }
                    // Not all of the head yet, and no more time for it.
                    None if now >= self.head_deadline => {
                        self.state = State::Writing {
                            response: REQUEST_TIMEOUT.into(),
                            written: 0,
                        };
                    }
                    None => {}
                },
                Err(err) => {
                    eprintln!("error while answering: {err}");
                    self.state = State::Done;
                }
            }
        }
        // ANCHOR: waiting
        if let State::Waiting { until, response } = &mut self.state
            && now >= *until
        {
            // The answer moves out of the old state into the new one; the
            // old one keeps an empty vector, for a moment.
            self.state = State::Writing {
                response: mem::take(response),
                written: 0,
            };
        }
        // ANCHOR_END: waiting
        if let State::Writing { response, written } = &mut self.state {
            match write_available(&mut self.stream, response, written) {
                Ok(true) => self.state = State::Done,
                // The client has not taken it all: a writable event will come.
                Ok(false) => {}
                Err(err) => {
                    eprintln!("error while answering: {err}");
                    self.state = State::Done;
                }
            }
        }
        due
    }
}
// ANCHOR_END: advance

// ANCHOR: read_available
/// Reads what the client has sent so far, without waiting, adding it to
/// `head`, but never past `MAX_HEAD` bytes in all. Returns whether the
/// client has ended its side of the connection.
fn read_available(stream: &mut TcpStream, head: &mut Vec<u8>) -> io::Result<bool> {
    let mut chunk = [0; 4096];
    loop {
        let room = (MAX_HEAD as usize - head.len()).min(chunk.len());
        if room == 0 {
            return Ok(false);
        }
        match stream.read(&mut chunk[..room]) {
            Ok(0) => return Ok(true),
            Ok(read) => head.extend_from_slice(&chunk[..read]),
            // Nothing more for now: the next readable event says when.
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(false),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
}
// ANCHOR_END: read_available

// ANCHOR: write_available
/// Writes as much of `response` as the client takes now, from `written`
/// on, and counts it there. Returns whether all of it is written.
fn write_available(
    stream: &mut TcpStream,
    response: &[u8],
    written: &mut usize,
) -> io::Result<bool> {
    while *written < response.len() {
        match stream.write(&response[*written..]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(count) => *written += count,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(false),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(true)
}
// ANCHOR_END: write_available

// ANCHOR: answer
/// What the head read so far calls for: nothing yet (`None`: it has not
/// all come, and the client is still sending), or an answer and how long
/// it must wait before it is written. Part 5's parser decides, on the bytes
/// in memory.
fn answer(head: &[u8], ended: bool, pages: &Pages, slow: Duration) -> Option<(Vec<u8>, Duration)> {
    let refusal = |response: &str| Some((response.into(), Duration::ZERO));
    let line = match read_head(head) {
        Ok(line) => line,
        Err(HeadError::Incomplete) if !ended => return None,
        Err(HeadError::LineTooLong) => return refusal(URI_TOO_LONG),
        Err(HeadError::TooLarge) => return refusal(HEADERS_TOO_LARGE),
        // Cut short: the client ended its side before the head did.
        Err(HeadError::Incomplete | HeadError::TimedOut) => return refusal(BAD_REQUEST),
        // Bytes in memory cannot fail to be read; the parser, made for
        // sockets too, has the case all the same.
        Err(HeadError::Io(err)) => {
            eprintln!("error while reading a head: {err}");
            return refusal(BAD_REQUEST);
        }
    };
    let request = match parse_request_line(&line) {
        Ok(request) => request,
        Err(ParseError::Malformed) => return refusal(BAD_REQUEST),
        Err(ParseError::VersionNotSupported) => return refusal(VERSION_NOT_SUPPORTED),
    };
    if request.method == Method::Other {
        return refusal(METHOD_NOT_ALLOWED);
    }

    let (status, body, wait) = route(request.target, pages, slow);
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
    Some((response.into_bytes(), wait))
}

// ANCHOR: route
/// Chooses the status line and the page that answer a request's target,
/// and how long the answer waits: `/slow` takes its time without holding
/// the thread, which goes on serving everyone else meanwhile.
fn route<'p>(target: &str, pages: &'p Pages, slow: Duration) -> (&'static str, &'p str, Duration) {
    match target {
        // The page at `/` is `index.html`: some clients ask for it by name.
        "/" | "/index.html" => ("200 OK", &pages.index, Duration::ZERO),
        "/slow" => ("200 OK", &pages.index, slow),
        _ => ("404 Not Found", &pages.not_found, Duration::ZERO),
    }
}
// ANCHOR_END: route
// ANCHOR_END: answer

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

/// Reports a setting the server cannot run with, and exits with status 2.
fn usage_error(message: &str) -> ! {
    eprintln!("error: {message}");
    process::exit(2);
}

/// Reports what the server cannot do without, and exits with status 1.
fn fail(what: &str, err: io::Error) -> ! {
    eprintln!("error: {what}: {err}");
    process::exit(1);
}

// ANCHOR: bind
/// Opens the listening socket, as Part 5 did, then hands it to mio; or says
/// why it cannot and exits.
fn bind() -> TcpListener {
    let addr = env::var("ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_string());
    let listener = net::TcpListener::bind(&addr)
        .unwrap_or_else(|err| fail(&format!("cannot listen on {addr}"), err));
    // mio's sockets never wait: an `accept` with no one there says `WouldBlock`.
    listener
        .set_nonblocking(true)
        .unwrap_or_else(|err| fail("cannot make the listener non-blocking", err));
    // With a port of 0 the system picks a free one: print the real address.
    let local = listener
        .local_addr()
        .expect("a bound socket has an address");
    println!("Listening on http://{local}");
    TcpListener::from_std(listener)
}
// ANCHOR_END: bind
