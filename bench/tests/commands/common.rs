//! What the command tests share: reading a data file as `book-bench`
//! writes it, comment lines first, then a table with a header row (each
//! test file says which comment lines its command must write); and nginx,
//! found on the PATH or hidden from it.

use std::{env, ffi::OsString, path::Path};

/// `PATH` without the folders that hold an `nginx`.
pub fn path_without_nginx() -> OsString {
    let path = env::var_os("PATH").unwrap_or_default();
    let kept = env::split_paths(&path).filter(|dir| !dir.join("nginx").is_file());
    env::join_paths(kept).expect("the PATH's own folders")
}

/// Whether a test that needs nginx can run: nginx is on the PATH. Where it
/// is not, the test says it is skipped, except on CI, which installs nginx
/// (.ci/run) and sets REQUIRE_NGINX: there, a missing nginx fails it.
pub fn nginx_or_skip() -> bool {
    if path_without_nginx() != env::var_os("PATH").unwrap_or_default() {
        return true;
    }
    assert!(
        env::var_os("REQUIRE_NGINX").is_none(),
        "REQUIRE_NGINX is set, but nginx is not on the PATH"
    );
    eprintln!("skipped: nginx is not on the PATH (apt-get install nginx)");
    false
}

/// A data file's comment lines, then its table, each row as its fields by
/// column name.
pub struct Data {
    pub csv: String,
    header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Data {
    /// Reads `path`, checks it has a line beginning with each of
    /// `comments`, and that every row has as many fields as the header.
    pub fn read(path: &Path, comments: &[&str]) -> Data {
        let csv = std::fs::read_to_string(path)
            .unwrap_or_else(|err| panic!("{} was not written: {err}", path.display()));
        for comment in comments {
            assert!(
                csv.lines().any(|line| line.starts_with(comment)),
                "no `{comment}` line:\n{csv}"
            );
        }
        let mut table = csv
            .lines()
            .filter(|line| !line.starts_with('#'))
            .map(|line| line.split(',').map(str::to_string).collect::<Vec<_>>());
        let header = table.next().expect("a header row");
        let rows: Vec<Vec<String>> = table.collect();
        for row in &rows {
            assert_eq!(row.len(), header.len(), "{csv}");
        }
        Data { csv, header, rows }
    }

    /// The row whose `model` column is `model` (`models`' files; the
    /// `servers` files are read by position).
    pub fn row(&self, model: &str) -> usize {
        let column = self.column("model");
        self.rows
            .iter()
            .position(|row| row[column] == model)
            .unwrap_or_else(|| panic!("no row for {model}:\n{}", self.csv))
    }

    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|column| column == name)
            .unwrap_or_else(|| panic!("no column {name}:\n{}", self.csv))
    }

    pub fn get(&self, row: usize, column: &str) -> &str {
        &self.rows[row][self.column(column)]
    }

    pub fn number(&self, row: usize, column: &str) -> f64 {
        let value = self.get(row, column);
        value
            .parse()
            .unwrap_or_else(|_| panic!("{column} is `{value}`, not a number:\n{}", self.csv))
    }
}
