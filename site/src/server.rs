//! A small static file server, std only: what `book-site serve` and the
//! browser tests serve the built site with.
//!
//! It answers `GET` and `HEAD`, one request per connection, from a fixed
//! number of worker threads; it maps `/` and any directory to its
//! `index.html`, redirects a directory asked for without its final `/` (so
//! that the page's relative links resolve), refuses any `..` in the path,
//! and keeps a log of every request and its status. Like GitHub Pages, it
//! can serve the site under a path (`/repo/…`), and answers a missing
//! file with the site's `404.html`. With live reload on, it also answers
//! `/__livereload` with the current build number and adds a script to
//! every HTML page that reloads it when that number changes.

use crate::url::percent_decode;
use mdbook_listings::html::escape;

use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Where a page asks for the current build number.
pub const LIVE_RELOAD_PATH: &str = "/__livereload";

/// How long a connection may take to send its request, or to take the
/// answer, before its worker gives up on it.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest request head accepted.
const MAX_HEAD: usize = 16 * 1024;

/// The build number that open pages watch: bump it after each rebuild and
/// every page served with it reloads itself.
#[derive(Debug, Clone, Default)]
pub struct LiveReload(Arc<AtomicU64>);

impl LiveReload {
    /// The current build number.
    pub fn build(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    /// A new build: returns its number.
    pub fn bump(&self) -> u64 {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// The script added to HTML pages: it asks for the build number every
    /// second and reloads the page when it is not the one it was served
    /// with. While the server is down it keeps asking, quietly.
    pub fn script(&self) -> String {
        format!(
            "<script>\n(() => {{\n    const served = \"{}\";\n    const check = () => \
             fetch(\"{LIVE_RELOAD_PATH}\", {{ cache: \"no-store\" }})\n        \
             .then((answer) => answer.text())\n        \
             .then((build) => {{ if (build.trim() !== served) location.reload(); }})\n        \
             .catch(() => {{}})\n        .finally(() => setTimeout(check, 1000));\n    \
             setTimeout(check, 1000);\n}})();\n</script>\n",
            self.build()
        )
    }
}

/// How a [`StaticServer`] behaves beyond serving files.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Serve `/__livereload` and add the reload script to HTML pages.
    pub live_reload: Option<LiveReload>,
    /// Worker threads: at most this many connections are served at once;
    /// the others wait their turn. Browsers open connections ahead of need
    /// and may leave them idle until the read timeout, each holding a worker,
    /// so there are many more workers than cores.
    pub threads: usize,
    /// The path the site is served under, as GitHub Pages serves a project
    /// at `https://owner.github.io/repo/`: with `/repo` (or `repo/`), the
    /// folder's `en/index.html` is `/repo/en/index.html`, `/repo` redirects
    /// to `/repo/`, and any path outside `/repo/` is missing. Empty, the
    /// default, serves the site at the root. Live reload is answered at
    /// [`LIVE_RELOAD_PATH`] whatever the prefix.
    pub prefix: String,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            live_reload: None,
            threads: 64,
            prefix: String::new(),
        }
    }
}

/// A running server. It stops, and its threads end, when dropped.
pub struct StaticServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<(String, u16)>>>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves the files under `dir` on `addr` (`127.0.0.1:0` lets the
    /// system pick a port; [`StaticServer::addr`] tells which).
    pub fn start(dir: impl AsRef<Path>, addr: &str) -> io::Result<StaticServer> {
        StaticServer::start_with(dir, addr, ServerOptions::default())
    }

    /// [`StaticServer::start`], with options. A prefix that is not a plain
    /// path is an error.
    pub fn start_with(
        dir: impl AsRef<Path>,
        addr: &str,
        options: ServerOptions,
    ) -> io::Result<StaticServer> {
        let prefix = normalized_prefix(&options.prefix)?;
        let root = fs::canonicalize(dir.as_ref()).map_err(|err| {
            io::Error::new(
                err.kind(),
                format!("cannot serve {}: {err}", dir.as_ref().display()),
            )
        })?;
        let listener = TcpListener::bind(addr)
            .map_err(|err| io::Error::new(err.kind(), format!("cannot listen on {addr}: {err}")))?;
        let addr = listener.local_addr()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let site = Arc::new(Site {
            root,
            prefix,
            live_reload: options.live_reload,
            log: Arc::clone(&log),
        });
        let threads = options.threads.max(1);
        let (sender, receiver) = mpsc::sync_channel::<TcpStream>(threads * 4);
        let receiver = Arc::new(Mutex::new(receiver));
        let workers: Vec<JoinHandle<()>> = (0..threads)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                let site = Arc::clone(&site);
                thread::spawn(move || work(&receiver, &site))
            })
            .collect();
        let acceptor = {
            let stop = Arc::clone(&stop);
            thread::spawn(move || accept(listener, sender, &stop, workers))
        };
        Ok(StaticServer {
            addr,
            log,
            stop,
            acceptor: Some(acceptor),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request so far, in order, as (the path asked for, status).
    /// Live-reload polls are left out.
    pub fn requests(&self) -> Vec<(String, u16)> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The requests so far, emptying the log.
    pub fn take_requests(&self) -> Vec<(String, u16)> {
        std::mem::take(&mut self.log.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The acceptor waits in `accept`: one last connection wakes it to
        // see `stop`. Should even that fail, it is left waiting rather
        // than this drop hanging.
        let woken = TcpStream::connect_timeout(&reachable(self.addr), IO_TIMEOUT).is_ok();
        if let Some(acceptor) = self.acceptor.take()
            && woken
        {
            let _ = acceptor.join();
        }
    }
}

/// Where a client reaches a server listening on `addr`: an unspecified
/// address (`0.0.0.0`, `[::]`) listens on loopback too.
fn reachable(addr: SocketAddr) -> SocketAddr {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
        });
    }
    addr
}

/// Hands connections to the workers until told to stop (and woken by one
/// last connection, see `Drop`); then stops listening, closes the channel
/// (which ends each worker's loop) and waits for the workers to finish what
/// they are serving. Waiting in a blocking `accept`, rather than polling,
/// answers each connection as soon as it comes.
fn accept(
    listener: TcpListener,
    sender: SyncSender<TcpStream>,
    stop: &AtomicBool,
    workers: Vec<JoinHandle<()>>,
) {
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::SeqCst) {
            break;
        }
        match accepted {
            Ok((stream, _)) => {
                if sender.send(stream).is_err() {
                    break;
                }
            }
            // Out of file descriptors, or a connection reset before it was
            // accepted: wait a little instead of spinning.
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
    drop(listener);
    drop(sender);
    for worker in workers {
        let _ = worker.join();
    }
}

/// What the workers share.
struct Site {
    root: PathBuf,
    /// `/repo`, or empty for a site served at the root.
    prefix: String,
    live_reload: Option<LiveReload>,
    log: Arc<Mutex<Vec<(String, u16)>>>,
}

fn work(receiver: &Mutex<Receiver<TcpStream>>, site: &Site) {
    loop {
        let next = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        match next {
            Ok(stream) => {
                // A panic while serving one request must not cost the
                // server a worker.
                let _ = panic::catch_unwind(AssertUnwindSafe(|| serve_connection(&stream, site)));
            }
            Err(_) => return,
        }
    }
}

/// Reads one request from `stream`, answers it and logs it.
fn serve_connection(stream: &TcpStream, site: &Site) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let response = match read_head(stream)? {
        Head::Closed => return Ok(()),
        Head::TooLong => {
            drain(stream);
            Response::text(431, "The request's head is too long.\n")
        }
        Head::Request(line) => {
            let mut parts = line.split_whitespace();
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(method), Some(target), Some(version), None)
                    if version.starts_with("HTTP/") =>
                {
                    let response = respond(site, method, target);
                    if target.split('?').next() != Some(LIVE_RELOAD_PATH) {
                        site.log
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push((target.to_string(), response.status));
                    }
                    let mut writer = stream;
                    return response.write_to(&mut writer, method == "HEAD");
                }
                _ => Response::text(400, "Malformed request line.\n"),
            }
        }
    };
    let mut writer = stream;
    response.write_to(&mut writer, false)
}

/// Reads and drops what the client is still sending, so that closing the
/// connection does not reset it before the client reads the answer.
fn drain(stream: &TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let _ = io::copy(&mut io::Read::take(stream, 1 << 20), &mut io::sink());
}

enum Head {
    /// The client closed the connection without asking anything.
    Closed,
    TooLong,
    /// The request line; the headers are read and ignored.
    Request(String),
}

fn read_head(stream: &TcpStream) -> io::Result<Head> {
    let mut reader = BufReader::new(io::Read::take(stream, MAX_HEAD as u64));
    let mut request_line = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        let read = match reader.read_line(&mut line) {
            Ok(read) => read,
            // Not UTF-8: not a request this server understands.
            Err(err) if err.kind() == io::ErrorKind::InvalidData => {
                return Ok(Head::Request(String::new()));
            }
            Err(err) => return Err(err),
        };
        if read == 0 || !line.ends_with('\n') {
            // The end of the stream, or of what `take` lets through.
            return Ok(if request_line.is_empty() && line.is_empty() {
                Head::Closed
            } else if reader.get_ref().limit() == 0 {
                Head::TooLong
            } else {
                Head::Request(String::new())
            });
        }
        let text = line.trim_end_matches(['\r', '\n']);
        if request_line.is_empty() {
            if text.is_empty() {
                continue; // a stray blank line before the request
            }
            request_line = text.to_string();
        } else if text.is_empty() {
            return Ok(Head::Request(request_line));
        }
    }
}

/// An answer, before it is written.
#[derive(Debug)]
struct Response {
    status: u16,
    content_type: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body,
        }
    }

    fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    fn write_to(&self, out: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        // Always fresh: the site is rebuilt under the server's feet.
        if !self
            .headers
            .iter()
            .any(|(name, _)| *name == "Cache-Control")
        {
            head.push_str("Cache-Control: no-cache\r\n");
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Internal Server Error",
    }
}

/// The answer to `method target`.
fn respond(site: &Site, method: &str, target: &str) -> Response {
    if method != "GET" && method != "HEAD" {
        let mut response = Response::text(405, "Only GET and HEAD are served here.\n");
        response.headers.push(("Allow", "GET, HEAD".to_string()));
        return response;
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or("");
    if path == LIVE_RELOAD_PATH
        && let Some(live_reload) = &site.live_reload
    {
        let mut response = Response::text(200, &live_reload.build().to_string());
        response
            .headers
            .push(("Cache-Control", "no-store".to_string()));
        return response;
    }
    // The path inside the site: after the prefix, if any.
    let inside = if site.prefix.is_empty() {
        path
    } else {
        match path.strip_prefix(site.prefix.as_str()) {
            // `/repo` itself is the site's folder, asked for without its `/`.
            Some("") => "/",
            Some(rest) if rest.starts_with('/') => rest,
            _ => return site.page(404, HTML, plain_not_found(&site.prefix)),
        }
    };
    let Some(segments) = segments(inside) else {
        return Response::text(
            400,
            "Bad path: it must start with `/`, and `..` is not allowed.\n",
        );
    };
    let mut file = site.root.clone();
    file.extend(&segments);
    if file.is_dir() {
        if !path.ends_with('/') {
            // `/en` must become `/en/`, or the page's relative links would
            // resolve from the site's root.
            let mut response = Response::text(302, "Moved: add a final `/`.\n");
            let location = match query {
                Some(query) => format!("{path}/?{query}"),
                None => format!("{path}/"),
            };
            response.headers.push(("Location", location));
            return response;
        }
        file.push("index.html");
    }
    match read_inside(&site.root, &file) {
        Some(body) => {
            let content_type = content_type(&file);
            let mut response = site.page(200, content_type, body);
            // mdBook names its assets after their content (`book-609e4cb8.js`):
            // a rebuild that changes one renames it, so a browser may keep
            // it, instead of asking again for each page. Pages stay fresh.
            if fingerprinted(&file) && !content_type.starts_with("text/html") {
                response
                    .headers
                    .push(("Cache-Control", "max-age=31536000, immutable".to_string()));
            }
            response
        }
        None => not_found(site, &file),
    }
}

/// Whether `file` is named after its content, as mdBook names its assets:
/// `NAME-HASH.EXT`, the hash 8 hexadecimal digits (`clipboard-1626706a.min.js`).
fn fingerprinted(file: &Path) -> bool {
    let name = file
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        hash.len() == 8 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

impl Site {
    /// A response, with the live-reload script added to an HTML page.
    fn page(&self, status: u16, content_type: &'static str, mut body: Vec<u8>) -> Response {
        if let Some(live_reload) = &self.live_reload
            && content_type.starts_with("text/html")
        {
            let script = live_reload.script();
            let at = find_last(&body, b"</body>").unwrap_or(body.len());
            body.splice(at..at, script.bytes());
        }
        Response::new(status, content_type, body)
    }
}

/// The content type of every page this server writes itself.
const HTML: &str = "text/html; charset=utf-8";

/// A missing file: as GitHub Pages does, the site's own `404.html`, if it
/// has one; else the `404.html` of the folder the file would be in (as
/// when serving a single mdBook book, whose 404 page's relative links are
/// right from there); else a plain page.
fn not_found(site: &Site, file: &Path) -> Response {
    let page = read_inside(&site.root, &site.root.join("404.html")).or_else(|| {
        file.parent()
            .and_then(|folder| read_inside(&site.root, &folder.join("404.html")))
    });
    site.page(
        404,
        HTML,
        page.unwrap_or_else(|| plain_not_found(&site.prefix)),
    )
}

/// The answer when the site has no `404.html`, or the path is outside it.
fn plain_not_found(prefix: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>
<html lang=\"en\">
<head><meta charset=\"utf-8\"><title>Not found</title></head>
<body><h1>Not found</h1><p>Nothing here. <a href=\"{}/\">Back to the book</a>.</p></body>
</html>
",
        escape(prefix)
    )
    .into_bytes()
}

/// `prefix` as the server compares paths with it: `/repo`, or empty for
/// none. Refused: anything but plain segments of URL characters.
fn normalized_prefix(prefix: &str) -> io::Result<String> {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    let plain = trimmed.split('/').all(|segment| {
        !matches!(segment, "" | "." | "..")
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b))
    });
    if !plain {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "cannot serve under `{prefix}`: a prefix is a path of plain segments, such as \
                 /repo (no space, `.` or `..` segment, `//`, `%`, `?` or `#`)"
            ),
        ));
    }
    Ok(format!("/{trimmed}"))
}

/// The decoded path segments of `path`, or `None` if it does not start with
/// `/`, is not UTF-8 once decoded, or has a `.`/`..` segment, a backslash,
/// a NUL or a colon in any (no way out of the served folder).
fn segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    let decoded = String::from_utf8(percent_decode(rest)).ok()?;
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        if segment == "." || segment == ".." || segment.contains(['\\', '\0', ':']) {
            return None;
        }
        if !segment.is_empty() {
            segments.push(segment.to_string());
        }
    }
    Some(segments)
}

/// The contents of `file` if it is a file inside `root` once every link
/// is followed.
fn read_inside(root: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = fs::canonicalize(file).ok()?;
    if !real.starts_with(root) || !real.is_file() {
        return None;
    }
    fs::read(real).ok()
}

fn content_type(file: &Path) -> &'static str {
    let extension = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

#[cfg(test)]
mod tests;
