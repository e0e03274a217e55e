use std::{
    env,
    io::{self, BufRead, BufReader},
    net::{TcpListener, TcpStream},
    process,
};

/// Where the server listens unless the `ADDR` environment variable says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:7070";

fn main() {
    let listener = bind();

    for stream in listener.incoming() {
        match stream {
            Ok(stream) => match read_request(&stream) {
                Ok(request) => println!("The client sent: {request:#?}"),
                Err(err) => eprintln!("could not read the request: {err}"),
            },
            Err(err) => eprintln!("connection failed: {err}"),
        }
    }
}

// ANCHOR: read_request
/// Reads every line the client sends, until it closes the connection.
fn read_request(stream: &TcpStream) -> io::Result<Vec<String>> {
    let mut lines = Vec::new();
    for line in BufReader::new(stream).lines() {
        lines.push(line?);
    }
    Ok(lines)
}
// ANCHOR_END: read_request

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
