use std::{
    env,
    io::{self, BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    process,
};

/// Where the server listens unless the `ADDR` environment variable says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:7070";

fn main() {
    let listener = bind();

    for stream in listener.incoming() {
        match stream {
            Ok(stream) => serve(stream),
            Err(err) => eprintln!("connection failed: {err}"),
        }
    }
}

// ANCHOR: respond
/// Answers one connection. A failure concerns this client only: report it and go on.
fn serve(stream: TcpStream) {
    if let Err(err) = respond(stream) {
        eprintln!("error while answering: {err}");
    }
}

fn respond(mut stream: TcpStream) -> io::Result<()> {
    let request = read_request(&stream)?;
    println!("The client sent: {request:#?}");

    // A status line, the one header this server must send, and the blank
    // line that ends the headers. No body.
    stream.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
}
// ANCHOR_END: respond

/// Reads the request line and the headers, up to the blank line that ends them.
fn read_request(stream: &TcpStream) -> io::Result<Vec<String>> {
    let mut lines = Vec::new();
    for line in BufReader::new(stream).lines() {
        let line = line?;
        if line.is_empty() {
            break;
        }
        lines.push(line);
    }
    Ok(lines)
}

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
