use std::{env, io, net::TcpListener, process};

use mio::{Events, Interest, Poll, Token};

/// Where the server listens unless the `ADDR` environment variable says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:7070";

/// The listener's token: the name its events will carry.
const LISTENER: Token = Token(0);

/// How many events one call to `poll` may hand back at most; more wait
/// for the next call.
const EVENTS_PER_POLL: usize = 1024;

// ANCHOR: main
fn main() {
    let mut listener = bind();
    let mut poll = Poll::new().unwrap_or_else(|err| fail("cannot create a poll", err));
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)
        .unwrap_or_else(|err| fail("cannot watch the listener", err));

    let mut events = Events::with_capacity(EVENTS_PER_POLL);
    loop {
        // Wait, for as long as it takes, until something is ready.
        if let Err(err) = poll.poll(&mut events, None) {
            // A signal interrupted the wait: nothing happened, wait again.
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            fail("cannot wait for events", err);
        }
        for event in events.iter() {
            if event.token() == LISTENER {
                println!("a client is waiting to be accepted");
            }
        }
    }
}
// ANCHOR_END: main

/// Reports what the server cannot do without, and exits with status 1.
fn fail(what: &str, err: io::Error) -> ! {
    eprintln!("error: {what}: {err}");
    process::exit(1);
}

/// Opens the listening socket, or says why it cannot and exits.
fn bind() -> TcpListener {
    let addr = env::var("ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_string());
    let listener = TcpListener::bind(&addr)
        .unwrap_or_else(|err| fail(&format!("cannot listen on {addr}"), err));
    // With a port of 0 the system picks a free one: print the real address.
    let local = listener
        .local_addr()
        .expect("a bound socket has an address");
    println!("Listening on http://{local}");
    listener
}
