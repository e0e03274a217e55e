//! What the command tests share: reading a data file as `book-bench`
//! writes it, comment lines first, then a table with a header row. Each
//! test file says which comment lines its command must write.

use std::path::Path;

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
    /// `servers` files are read by position, so that test never calls it).
    #[allow(dead_code)]
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
