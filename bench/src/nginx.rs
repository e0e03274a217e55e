//! nginx, the server readers know, measured beside the book's: when it is
//! on the PATH, it runs from a configuration written for the run into a
//! folder of its own (loopback only, a free port, in the foreground, as
//! many worker processes as there are cores, no access log, its error log
//! on standard error, every file it writes inside that folder, so any user
//! can run it), serving the same `index.html` as the book's servers. It is
//! stopped after, also when something fails (`process::Server`).

use std::{
    env,
    ffi::OsStr,
    fs::Permissions,
    net::TcpListener,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::Command,
    thread,
};

use crate::process::{Scratch, Server};

/// What the command says when nginx is not there; the rest goes on.
pub const NOT_FOUND: &str = "nginx not found on PATH: skipped; apt-get install nginx to compare";

/// How many times a port that another program took in the meantime is
/// replaced by a new one.
const ATTEMPTS: usize = 3;

/// The `nginx` program on the PATH, if any.
pub fn find() -> Option<PathBuf> {
    find_in(&env::var_os("PATH")?)
}

/// The first `nginx` that is a file in one of the folders of `path` (a
/// PATH-like list).
fn find_in(path: &OsStr) -> Option<PathBuf> {
    env::split_paths(path)
        .map(|dir| dir.join("nginx"))
        .find(|program| program.is_file())
}

/// `nginx/1.22.1`, as `nginx -v` says it (on standard error).
pub fn version(program: &Path) -> String {
    Command::new(program)
        .arg("-v")
        .output()
        .ok()
        .and_then(|output| {
            let said = String::from_utf8_lossy(&output.stderr).into_owned();
            said.lines()
                .find_map(|line| line.strip_prefix("nginx version: "))
                .map(str::to_string)
        })
        .unwrap_or_else(|| "nginx, version unknown".to_string())
}

/// What a data file's `nginx:` comment line starts with: the version and
/// how it ran (the line goes on with what the file says about its answers).
pub fn setup(version: &str) -> String {
    format!(
        "nginx: {version}, worker_processes {} (one per core), serving the same index.html",
        worker_processes()
    )
}

/// nginx's worker processes: one per core, as nginx's `auto` would.
pub fn worker_processes() -> u32 {
    thread::available_parallelism().map_or(1, |cores| cores.get() as u32)
}

/// The connections each worker process may hold (`worker_connections`),
/// unless a command asks for more.
pub const WORKER_CONNECTIONS: u32 = 1024;

/// Starts nginx serving the `index.html` of `pages` on a free loopback port
/// with `workers` worker processes, and waits until it answers `GET /`.
///
/// nginx serves a copy, in its own scratch folder: started by root, its
/// workers run as `nobody`, who may not be allowed into the repository's
/// folders (a clone under a private temporary folder, for one).
pub fn start(program: &Path, pages: &Path, workers: u32) -> Result<Server, String> {
    start_with(program, pages, workers, WORKER_CONNECTIONS)
}

/// `start`, with each worker process able to hold `connections` at once
/// (it needs as many open files: the process's limit must allow them).
pub fn start_with(
    program: &Path,
    pages: &Path,
    workers: u32,
    connections: u32,
) -> Result<Server, String> {
    let mut last_error = String::new();
    for _ in 0..ATTEMPTS {
        let scratch = Scratch::new("nginx")?;
        let port = free_port()?;
        let root = copy_page(pages, scratch.path())?;
        let conf = scratch.path().join("nginx.conf");
        std::fs::write(
            &conf,
            config(scratch.path(), port, &root, workers, connections)?,
        )
        .map_err(|err| format!("cannot write {}: {err}", conf.display()))?;
        // `-e stderr`: the log nginx writes before it has read the
        // configuration goes to standard error too, not to /var/log.
        let with_conf = |command: &mut Command| {
            command
                .arg("-e")
                .arg("stderr")
                .arg("-p")
                .arg(scratch.path())
                .arg("-c")
                .arg(&conf);
        };
        let mut run = Command::new(program);
        with_conf(&mut run);
        let mut stop = Command::new(program);
        with_conf(&mut stop);
        stop.args(["-s", "stop"]);
        match Server::start_at(
            "nginx",
            &mut run,
            format!("127.0.0.1:{port}"),
            stop,
            scratch,
        ) {
            Ok(server) => return Ok(server),
            // Another program took the port between our look and nginx's bind.
            Err(error) if error.contains("Address already in use") => last_error = error,
            Err(error) => return Err(error),
        }
    }
    Err(last_error)
}

/// Copies `pages`'s index.html into `dir`/www, readable by everyone (and
/// `dir` open to everyone, whatever the umask), and returns that folder.
fn copy_page(pages: &Path, dir: &Path) -> Result<PathBuf, String> {
    let www = dir.join("www");
    let (from, to) = (pages.join("index.html"), www.join("index.html"));
    std::fs::set_permissions(dir, Permissions::from_mode(0o755))
        .and_then(|()| std::fs::create_dir(&www))
        .and_then(|()| std::fs::copy(&from, &to))
        .and_then(|_| std::fs::set_permissions(&www, Permissions::from_mode(0o755)))
        .and_then(|()| std::fs::set_permissions(&to, Permissions::from_mode(0o644)))
        .map_err(|err| {
            format!(
                "cannot copy {} into {} for nginx: {err}",
                from.display(),
                www.display()
            )
        })?;
    Ok(www)
}

/// A port on 127.0.0.1 that nobody listens on now.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|err| format!("cannot find a free port: {err}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|err| format!("cannot find a free port: {err}"))
}

/// The configuration: every path nginx writes is inside `dir`.
pub fn config(
    dir: &Path,
    port: u16,
    root: &Path,
    workers: u32,
    connections: u32,
) -> Result<String, String> {
    let root = quoted(root)?;
    let inside = |name: &str| quoted(&dir.join(name));
    Ok(format!(
        "\
# Written by book-bench for one run, and removed after it.
daemon off;
worker_processes {workers};
pid {pid};
error_log stderr;

events {{
    worker_connections {connections};
}}

http {{
    access_log off;
    client_body_temp_path {client_body};
    proxy_temp_path {proxy};
    fastcgi_temp_path {fastcgi};
    uwsgi_temp_path {uwsgi};
    scgi_temp_path {scgi};
    types {{
        text/html html;
    }}
    default_type application/octet-stream;

    # The load generator asks for `Connection: close` and nginx honours
    # it: one request per connection, as with the book's servers.
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
",
        pid = inside("nginx.pid")?,
        client_body = inside("client_body")?,
        proxy = inside("proxy")?,
        fastcgi = inside("fastcgi")?,
        uwsgi = inside("uwsgi")?,
        scgi = inside("scgi")?,
    ))
}

/// A path as an nginx string: in double quotes, `"` and `\` escaped.
fn quoted(path: &Path) -> Result<String, String> {
    let text = path
        .to_str()
        .ok_or_else(|| format!("nginx cannot be given the path {}", path.display()))?;
    Ok(format!(
        "\"{}\"",
        text.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_keeps_nginx_on_loopback_and_in_its_folder() {
        let text = config(
            Path::new("/tmp/book-bench-nginx-7-0"),
            8123,
            Path::new("/book/listings/ch11-02-workers-checked"),
            2,
            WORKER_CONNECTIONS,
        )
        .unwrap();
        assert_eq!(
            text,
            r#"# Written by book-bench for one run, and removed after it.
daemon off;
worker_processes 2;
pid "/tmp/book-bench-nginx-7-0/nginx.pid";
error_log stderr;

events {
    worker_connections 1024;
}

http {
    access_log off;
    client_body_temp_path "/tmp/book-bench-nginx-7-0/client_body";
    proxy_temp_path "/tmp/book-bench-nginx-7-0/proxy";
    fastcgi_temp_path "/tmp/book-bench-nginx-7-0/fastcgi";
    uwsgi_temp_path "/tmp/book-bench-nginx-7-0/uwsgi";
    scgi_temp_path "/tmp/book-bench-nginx-7-0/scgi";
    types {
        text/html html;
    }
    default_type application/octet-stream;

    # The load generator asks for `Connection: close` and nginx honours
    # it: one request per connection, as with the book's servers.
    server {
        listen 127.0.0.1:8123;
        root "/book/listings/ch11-02-workers-checked";
        index index.html;
    }
}
"#
        );
    }

    #[test]
    fn paths_are_quoted_for_nginx() {
        assert_eq!(quoted(Path::new("/a b/c")).unwrap(), r#""/a b/c""#);
        assert_eq!(quoted(Path::new(r#"/a"b\c"#)).unwrap(), r#""/a\"b\\c""#);
        let text = config(Path::new("/t\"x"), 1, Path::new("/r"), 1, 1024).unwrap();
        assert!(text.contains(r#"pid "/t\"x/nginx.pid";"#), "{text}");
    }

    #[test]
    fn nginx_is_found_in_the_folders_of_a_path_only() {
        let with = Scratch::new("test-path").unwrap();
        let without = Scratch::new("test-path").unwrap();
        std::fs::write(with.path().join("nginx"), "").unwrap();
        let path = env::join_paths([without.path(), with.path()]).unwrap();
        assert_eq!(find_in(&path), Some(with.path().join("nginx")));
        let path = env::join_paths([without.path()]).unwrap();
        assert_eq!(find_in(&path), None);
        assert_eq!(find_in(OsStr::new("")), None);
    }
}
