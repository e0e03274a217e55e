use std::{
    env, fs,
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

/// Answers one connection. A failure concerns this client only: report it and go on.
fn serve(stream: TcpStream) {
    if let Err(err) = respond(stream) {
        eprintln!("error while answering: {err}");
    }
}

// ANCHOR: respond
fn respond(mut stream: TcpStream) -> io::Result<()> {
    let request = read_request(&stream)?;
    let request_line = request.first().map(String::as_str).unwrap_or("");
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("");

    let (status, page) = route(method, path);
    let body = fs::read_to_string(page)?;
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

// ANCHOR: route
/// Chooses the status line and the page that answer a method and a path.
fn route(method: &str, path: &str) -> (&str, &str) {
    match (method, path) {
        ("GET", "/") => ("200 OK", "index.html"),
        _ => ("404 Not Found", "not-found.html"),
    }
}
// ANCHOR_END: route
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
