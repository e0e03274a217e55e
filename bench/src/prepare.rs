//! Before anything is measured: every listing found, then built (each
//! once, in a target directory of its own), and nginx looked for.

use std::{
    collections::{BTreeMap, BTreeSet},
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
    profile: &'static str,
    targets: &Path,
) -> Result<Prepared, String> {
    let wanted: Vec<_> = std::iter::once(loadgen::LISTING)
        .chain(servers.iter().filter_map(|s| s.listing()))
        .map(|listing| (listing, profile))
        .collect();
    let built = build(&wanted, targets)?;

    let mut prepared = Prepared {
        loadgen: Loadgen(built.binary(loadgen::LISTING, profile).to_path_buf()),
        servers: Vec::new(),
        nginx: None,
    };
    for &server in servers {
        let ready = match server.source {
            Source::Listing { listing, env } => Ready::Listing {
                binary: built.binary(listing, profile).to_path_buf(),
                dir: built.dir(listing).to_path_buf(),
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

/// Listings built, each once for each profile it was wanted with.
pub struct Built {
    listings: BTreeMap<&'static str, Listing>,
    binaries: BTreeMap<(&'static str, &'static str), PathBuf>,
}

impl Built {
    /// The program of `listing` built with `profile`, a pair `build` was given.
    pub fn binary(&self, listing: &'static str, profile: &'static str) -> &Path {
        &self.binaries[&(listing, profile)]
    }

    /// The listing's folder, where its server reads its pages.
    pub fn dir(&self, listing: &str) -> &Path {
        &self.listings[listing].dir
    }
}

/// Finds every listing `wanted` names (all before building any, so a
/// misspelt name fails at once), then builds each pair of a listing and a
/// profile once, each listing in a target directory of its own under
/// `targets`, all sharing one build of their dependencies there.
pub fn build(wanted: &[(&'static str, &'static str)], targets: &Path) -> Result<Built, String> {
    let mut listings = BTreeMap::new();
    for &(name, _) in wanted {
        if !listings.contains_key(name) {
            listings.insert(name, Listing::find(name)?);
        }
    }
    let profiles: BTreeSet<&str> = wanted.iter().map(|&(_, profile)| profile).collect();
    eprintln!(
        "building {} listing(s) ({}) under {}",
        listings.len(),
        profiles_said(&profiles),
        targets.display()
    );
    let mut binaries = BTreeMap::new();
    for &(name, profile) in wanted.iter().collect::<BTreeSet<_>>() {
        let built = listings[name].build(targets, profile)?;
        binaries.insert((name, profile), built.binary);
    }
    Ok(Built { listings, binaries })
}

/// `release profile`, `dev and release profiles`.
fn profiles_said(profiles: &BTreeSet<&str>) -> String {
    let names: Vec<&str> = profiles.iter().copied().collect();
    match names.as_slice() {
        [one] => format!("{one} profile"),
        [first @ .., last] => format!("{} and {last} profiles", first.join(", ")),
        [] => "no profile".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::Scratch;

    #[test]
    fn every_listing_is_found_before_any_is_built() {
        let targets = Scratch::new("test-build").unwrap();
        let wanted = [(loadgen::LISTING, "dev"), ("ch99-no-such-listing", "dev")];
        let error = build(&wanted, targets.path()).err().unwrap();
        assert!(
            error.contains("no listing named ch99-no-such-listing"),
            "{error}"
        );
        let built: Vec<_> = std::fs::read_dir(targets.path()).unwrap().collect();
        assert!(built.is_empty(), "built before finding all: {built:?}");
    }

    #[test]
    fn the_profiles_are_named_once_each() {
        let said = |profiles: &[&str]| profiles_said(&profiles.iter().copied().collect());
        assert_eq!(said(&["release", "release"]), "release profile");
        assert_eq!(
            said(&["release", "dev", "release"]),
            "dev and release profiles"
        );
    }
}
