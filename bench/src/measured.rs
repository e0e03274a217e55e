//! The servers `book-bench` measures: one table. To measure another
//! server, add an entry to `SERVERS` (a listing, the environment it is
//! started with, what to call it); the `/` sweep measures every entry, the
//! mix those with `in_mix` (they must have the `/slow` route).

use std::collections::BTreeMap;

/// Part 4's pool server: its size comes from `WORKERS`.
pub const POOL: &str = "ch11-02-workers-checked";

/// Where a measured server comes from.
pub enum Source {
    /// A listing of the book, started in its folder with `env` added.
    Listing {
        listing: &'static str,
        env: &'static [(&'static str, &'static str)],
    },
    /// nginx, when it is on the PATH, serving the pool listing's pages.
    Nginx,
}

/// One server as the data files name it.
pub struct Measured {
    /// What `--only` calls it, and the data files' `server` column for a
    /// server that is not a listing.
    pub name: &'static str,
    pub source: Source,
    /// How it uses threads: `one`, `per-connection`, `pool`, `nginx`, ...
    pub threads: &'static str,
    /// The pool's size; `None` without a pool (nginx: its worker processes,
    /// one per core, known when it runs).
    pub workers: Option<u32>,
    /// Whether the mix measures it (with `/slow` beside `/`).
    pub in_mix: bool,
}

/// The pool listing with `WORKERS` set, which must say `workers`.
const fn pool(
    name: &'static str,
    workers: u32,
    env: &'static [(&'static str, &'static str)],
) -> Measured {
    Measured {
        name,
        source: Source::Listing { listing: POOL, env },
        threads: "pool",
        workers: Some(workers),
        in_mix: true,
    }
}

/// Every measured server, in the order the data files list them.
pub const SERVERS: &[Measured] = &[
    Measured {
        name: "one",
        source: Source::Listing {
            listing: "ch03-01-slow-route",
            env: &[],
        },
        threads: "one",
        workers: None,
        in_mix: true,
    },
    Measured {
        name: "per-connection",
        source: Source::Listing {
            listing: "ch04-01-thread-per-connection",
            env: &[],
        },
        threads: "per-connection",
        workers: None,
        in_mix: true,
    },
    pool("pool-1", 1, &[("WORKERS", "1")]),
    pool("pool-2", 2, &[("WORKERS", "2")]),
    pool("pool-4", 4, &[("WORKERS", "4")]),
    pool("pool-8", 8, &[("WORKERS", "8")]),
    pool("pool-16", 16, &[("WORKERS", "16")]),
    Measured {
        name: "nginx",
        source: Source::Nginx,
        threads: "nginx",
        workers: None,
        in_mix: false,
    },
];

impl Measured {
    /// The listing it runs, if it is one.
    pub fn listing(&self) -> Option<&'static str> {
        match self.source {
            Source::Listing { listing, .. } => Some(listing),
            Source::Nginx => None,
        }
    }

    /// The data files' `server` column: the listing's name, or `nginx`.
    pub fn server(&self) -> &'static str {
        self.listing().unwrap_or(self.name)
    }

    /// The data files' `workers` column.
    pub fn workers(&self) -> Option<u32> {
        match self.source {
            Source::Nginx => Some(crate::nginx::worker_processes()),
            Source::Listing { .. } => self.workers,
        }
    }
}

impl std::fmt::Debug for Measured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// The servers a comma-separated list names, in the table's order: each
/// item is an entry's name (`pool-8`, `nginx`) or a listing's (all of its
/// entries).
pub fn select(list: &str) -> Result<Vec<&'static Measured>, String> {
    let mut chosen = BTreeMap::new();
    for item in list.split(',') {
        let mut found = false;
        for (index, server) in SERVERS.iter().enumerate() {
            if server.name == item || server.listing() == Some(item) {
                chosen.insert(index, server);
                found = true;
            }
        }
        if !found {
            let names: Vec<&str> = SERVERS.iter().map(|server| server.name).collect();
            return Err(format!(
                "`--only` takes servers among {} (or a listing's name), not `{item}`",
                names.join(", ")
            ));
        }
    }
    Ok(chosen.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_pools_get_the_size_they_say() {
        for (index, server) in SERVERS.iter().enumerate() {
            assert!(
                SERVERS[..index]
                    .iter()
                    .all(|other| other.name != server.name),
                "{} twice",
                server.name
            );
            if let Source::Listing { env, .. } = server.source {
                let asked = env.iter().find(|(name, _)| *name == "WORKERS");
                assert_eq!(
                    asked.map(|(_, value)| value.parse::<u32>().unwrap()),
                    server.workers.filter(|_| server.threads == "pool"),
                    "{}",
                    server.name
                );
            }
        }
    }

    #[test]
    fn every_measured_listing_exists() {
        for listing in SERVERS.iter().filter_map(Measured::listing) {
            listings_contract::Listing::find(listing).unwrap();
        }
        listings_contract::Listing::find(crate::loadgen::LISTING).unwrap();
    }

    #[test]
    fn selects_by_name_or_listing_in_the_tables_order() {
        let names =
            |list: &str| -> Vec<&str> { select(list).unwrap().iter().map(|s| s.name).collect() };
        assert_eq!(names("nginx,pool-8,one"), ["one", "pool-8", "nginx"]);
        assert_eq!(
            names(POOL),
            ["pool-1", "pool-2", "pool-4", "pool-8", "pool-16"]
        );
        assert_eq!(names("ch03-01-slow-route,one"), ["one"]);
        let error = select("pool-3").unwrap_err();
        assert!(error.contains("not `pool-3`"), "{error}");
        assert!(error.contains("one, per-connection, pool-1"), "{error}");
        assert!(select("one,").unwrap_err().contains("not ``"));
    }
}
