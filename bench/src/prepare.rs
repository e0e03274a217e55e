//! Before anything is measured: every listing found, then built (each
//! once, in a target directory of its own), and nginx looked for.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use listings_contract::Listing;

use crate::{
    loadgen::{self, Loadgen},
    measured::{self, Measured, Source},
    nginx,
    process::Server,
};

/// What is ready to run.
pub struct Prepared {
    pub loadgen: Loadgen,
    /// The selected servers that can run, in the table's order.
    pub servers: Vec<(&'static Measured, Ready)>,
    /// `nginx/1.22.1`, when nginx was selected and found.
    pub nginx: Option<String>,
}

/// A server ready to start.
pub enum Ready {
    Listing {
        binary: PathBuf,
        dir: PathBuf,
        env: &'static [(&'static str, &'static str)],
    },
    Nginx {
        program: PathBuf,
        /// The folder it serves: the pool listing's, with its `index.html`.
        root: PathBuf,
        workers: u32,
    },
}

impl Ready {
    /// Starts the server; dropping what it returns stops it.
    pub fn start(&self, measured: &Measured) -> Result<Server, String> {
        match self {
            Ready::Listing { binary, dir, env } => Server::start(measured.name, binary, dir, env),
            Ready::Nginx {
                program,
                root,
                workers,
            } => nginx::start(program, root, *workers),
        }
    }
}

/// Finds every listing the servers need (all before building any), builds
/// them and the load generator with `profile` under `targets`, and looks
/// for nginx if it is selected (skipped, with one line, if it is missing).
pub fn prepare(
    servers: &[&'static Measured],
    profile: &str,
    targets: &Path,
) -> Result<Prepared, String> {
    let mut listings = BTreeMap::new();
    for name in std::iter::once(loadgen::LISTING).chain(servers.iter().filter_map(|s| s.listing()))
    {
        listings.insert(name, Listing::find(name)?);
    }
    eprintln!(
        "building {} listing(s) ({profile} profile) under {}",
        listings.len(),
        targets.display()
    );
    let mut binaries = BTreeMap::new();
    for (name, listing) in &listings {
        let built = listing.build(&targets.join(name), profile)?;
        binaries.insert(*name, built.binary);
    }

    let mut prepared = Prepared {
        loadgen: Loadgen(binaries[loadgen::LISTING].clone()),
        servers: Vec::new(),
        nginx: None,
    };
    for &server in servers {
        let ready = match server.source {
            Source::Listing { listing, env } => Ready::Listing {
                binary: binaries[listing].clone(),
                dir: listings[listing].dir.clone(),
                env,
            },
            Source::Nginx => {
                let Some(program) = nginx::find() else {
                    eprintln!("{}", nginx::NOT_FOUND);
                    continue;
                };
                prepared.nginx = Some(nginx::version(&program));
                Ready::Nginx {
                    program,
                    root: Listing::find(measured::POOL)?.dir,
                    workers: nginx::worker_processes(),
                }
            }
        };
        prepared.servers.push((server, ready));
    }
    Ok(prepared)
}
