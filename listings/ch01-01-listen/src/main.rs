use std::{env, net::TcpListener, process};

/// Where the server listens unless the `ADDR` environment variable says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:7070";

fn main() {
    let listener = bind();

    // `incoming` yields one item per connection attempt, forever.
    for stream in listener.incoming() {
        match stream {
            Ok(_stream) => println!("A client connected."),
            Err(err) => eprintln!("connection failed: {err}"),
        }
    }
}

// ANCHOR: bind
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
// ANCHOR_END: bind
