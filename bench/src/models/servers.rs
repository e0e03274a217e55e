//! The models `book-bench models` compares: ONE table. Each chapter's
//! final server is one entry; to measure another listing, change its name
//! here and nowhere else.

use std::path::PathBuf;

use crate::{nginx, prepare::Built, process::Server};

/// One model, as its server runs it.
#[derive(Debug)]
pub struct Model {
    /// What `--only` and the data files' `model` column call it.
    pub name: &'static str,
    /// The listing whose server it is; `None`: nginx.
    pub listing: Option<&'static str>,
    /// What the data files' comment lines say about it.
    pub about: &'static str,
    /// Whether it serves `/slow` (nginx does not: it has no such route).
    pub slow_route: bool,
}

/// Part 5's last server, whose pages nginx serves too.
const POOL: &str = "ch17-03-second-signal";

/// Every model, in the order the data files list them.
pub const MODELS: &[Model] = &[
    Model {
        name: "pool",
        listing: Some(POOL),
        about: "Part 5's last server: a pool of 4 threads and a bounded queue (chapter 17)",
        slow_route: true,
    },
    Model {
        name: "event-loop",
        listing: Some("ch19-06-timers"),
        about: "chapter 19's event loop on mio: one thread",
        slow_route: true,
    },
    Model {
        name: "async-one",
        listing: Some("ch20-07-tokio-sleep"),
        about: "chapter 20's tokio server on the current-thread runtime: one thread",
        slow_route: true,
    },
    Model {
        name: "async-many",
        listing: Some("ch21-05-keep-alive"),
        about: "chapter 21's tokio server on the multi-thread runtime: a worker thread per core",
        slow_route: true,
    },
    Model {
        name: "nginx",
        listing: None,
        about: "nginx, when it is on the PATH",
        slow_route: false,
    },
];

/// What every book server is started with: `/slow` sleeps a second, and a
/// head deadline (where the server has one) long enough that the idle
/// connections stay open for the whole measurement.
pub const ENV: &[(&str, &str)] = &[("SLOW_MS", "1000"), ("HEAD_TIMEOUT_MS", "60000")];

/// How long `/slow` takes, in seconds, with `ENV`.
pub const SLOW_SECONDS: u64 = 1;

/// The models `--only` names, in the table's order; the error names the
/// choices.
pub fn select(list: &str) -> Result<Vec<&'static Model>, String> {
    let names: Vec<&str> = list.split(',').collect();
    for name in &names {
        if !MODELS.iter().any(|model| model.name == *name) {
            let known: Vec<&str> = MODELS.iter().map(|model| model.name).collect();
            return Err(format!("`--only` takes {}, not `{name}`", known.join(", ")));
        }
    }
    Ok(MODELS
        .iter()
        .filter(|model| names.contains(&model.name))
        .collect())
}

impl Model {
    /// The data files' `server` column: the listing's name, or `nginx`.
    pub fn server(&self) -> &'static str {
        self.listing.unwrap_or("nginx")
    }
}

/// A model ready to start.
pub enum Ready {
    Listing { binary: PathBuf, dir: PathBuf },
    Nginx { program: PathBuf, root: PathBuf },
}

impl Ready {
    /// Starts the model's server, able to hold `connections` at once;
    /// dropping what it returns stops it.
    pub fn start(&self, model: &Model, connections: u32) -> Result<Server, String> {
        match self {
            Ready::Listing { binary, dir } => Server::start(model.name, binary, dir, ENV),
            Ready::Nginx { program, root } => {
                nginx::start_with(program, root, nginx::worker_processes(), connections)
            }
        }
    }
}

/// A model, ready to start.
pub type Chosen = (&'static Model, Ready);

/// The selected models that can run, each ready (nginx left out, with one
/// line, when it is not installed), and `nginx/VERSION` if it is.
pub fn ready(
    models: &[&'static Model],
    built: &Built,
    profile: &'static str,
) -> Result<(Vec<Chosen>, Option<String>), String> {
    let mut ready = Vec::new();
    let mut version = None;
    for &model in models {
        match model.listing {
            Some(listing) => ready.push((
                model,
                Ready::Listing {
                    binary: built.binary(listing, profile).to_path_buf(),
                    dir: built.dir(listing).to_path_buf(),
                },
            )),
            None => {
                let Some(program) = nginx::find() else {
                    eprintln!("{}", nginx::NOT_FOUND);
                    continue;
                };
                version = Some(nginx::version(&program));
                // The same page as the pool's.
                let root = built.dir(POOL).to_path_buf();
                ready.push((model, Ready::Nginx { program, root }));
            }
        }
    }
    Ok((ready, version))
}

/// The listings the selected models need, each with `profile`.
pub fn wanted(
    models: &[&'static Model],
    profile: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut wanted: Vec<_> = models
        .iter()
        .filter_map(|model| model.listing)
        .map(|listing| (listing, profile))
        .collect();
    // nginx serves the pool's page: its folder must be found.
    if models.iter().any(|model| model.listing.is_none()) {
        wanted.push((POOL, profile));
    }
    wanted
}
