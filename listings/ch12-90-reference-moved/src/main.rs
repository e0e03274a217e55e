use std::{
    env, fs,
    io::{self, BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    process, thread,
};

/// Where the server listens unless the `ADDR` environment variable says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:7070";

/// As many threads as the pool has workers by default.
const THREADS: usize = 4;

// ANCHOR: main
fn main() {
    let listener = bind();
    // Both answers are built once, before any client comes.
    let found = response("200 OK", "index.html");
    let not_found = response("404 Not Found", "not-found.html");

    let mut threads = Vec::new();
    for _ in 0..THREADS {
        threads.push(thread::spawn(move || {
            // Each thread accepts on the same listener and answers on its own.
            for stream in listener.incoming() {
                match stream {
                    Ok(stream) => {
                        if let Err(err) = answer(stream, &found, &not_found) {
                            eprintln!("error while answering: {err}");
                        }
                    }
                    Err(err) => eprintln!("connection failed: {err}"),
                }
            }
        }));
    }
    // The threads never leave their loop: this waits for as long as the server runs.
    for thread in threads {
        thread.join().unwrap();
    }
}
// ANCHOR_END: main

// ANCHOR: answer
/// Reads the request head, then writes one of the two ready answers.
fn answer(stream: TcpStream, found: &[u8], not_found: &[u8]) -> io::Result<()> {
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The rest of the head, up to the blank line: unread bytes would make
    // the close reset the connection (chapter 1).
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let response = if request_line == "GET / HTTP/1.1\r\n" {
        found
    } else {
        not_found
    };
    (&stream).write_all(response)
}

/// The whole response, status line, headers and page, as bytes. A page that
/// cannot be read stops the server before it serves anyone.
fn response(status: &str, page: &str) -> Vec<u8> {
    let body = fs::read_to_string(page).unwrap_or_else(|err| {
        eprintln!("error: cannot read {page}: {err}");
        process::exit(1);
    });
    format!(
        "HTTP/1.1 {status}\r\n\
         Content-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\n\
         Connection: close\r\n\
         \r\n\
         {body}",
        body.len()
    )
    .into_bytes()
}
// ANCHOR_END: answer

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
