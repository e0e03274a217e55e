use std::{
    env, fs,
    io::{self, Read, Write},
    net::{TcpListener, TcpStream},
    process,
};

/// Where the server listens unless the `ADDR` environment variable says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:7070";

// ANCHOR: main
fn main() {
    let page = fs::read_to_string("index.html").unwrap_or_else(|err| {
        eprintln!("error: cannot read index.html: {err}");
        process::exit(1);
    });
    let addr = env::var("ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_string());
    let listener = TcpListener::bind(&addr).unwrap_or_else(|err| {
        eprintln!("error: cannot listen on {addr}: {err}");
        process::exit(1);
    });
    println!("Listening on http://{}", listener.local_addr().unwrap());
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );

    // `accept` no longer waits for a client: with none there, it says so.
    listener
        .set_nonblocking(true)
        .expect("a listener can stop blocking");
    // Each connection, and the bytes of its head so far.
    let mut connections: Vec<(TcpStream, Vec<u8>)> = Vec::new();
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                stream
                    .set_nonblocking(true)
                    .expect("a connection can stop blocking");
                connections.push((stream, Vec::new()));
            }
            // No one waiting: fine, look at the connections instead.
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {}
            Err(err) => eprintln!("connection failed: {err}"),
        }
        // Keep the connections still waiting for their head; answer the others.
        connections.retain_mut(|(stream, head)| {
            let mut chunk = [0; 1024];
            match stream.read(&mut chunk) {
                Ok(0) => false,
                Ok(read) => {
                    head.extend_from_slice(&chunk[..read]);
                    if head.ends_with(b"\r\n\r\n") {
                        // A small answer fits in the socket's empty buffer.
                        let _ = stream.write_all(response.as_bytes());
                        return false;
                    }
                    true
                }
                // Nothing yet: try again on the next turn of the loop.
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => true,
                Err(_) => false,
            }
        });
    }
}
// ANCHOR_END: main
