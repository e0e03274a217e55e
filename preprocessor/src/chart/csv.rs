//! The benchmark's data files: `#` comment lines (where the figures came
//! from), a header, then rows of comma-separated fields. A field holding a
//! comma or a quote is quoted as RFC 4180 says (book-bench's writer does
//! so), so quotes are read back too.

/// A data file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The comment lines, without their `#` and the space after it.
    pub comments: Vec<String>,
    /// The column names.
    pub header: Vec<String>,
    /// The rows, each as long as the header.
    pub rows: Vec<Row>,
}

/// One row, with its 1-based line in the file (for messages).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Table {
    /// Reads `text`; `shown` names the file in messages.
    pub fn parse(text: &str, shown: &str) -> Result<Table, String> {
        let mut comments = Vec::new();
        let mut header: Option<(usize, Vec<String>)> = None;
        let mut rows = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line_number = index + 1;
            let line = line.trim_end_matches('\r');
            if let Some(comment) = line.strip_prefix('#') {
                comments.push(comment.trim().to_string());
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let cells = fields(line).map_err(|why| format!("{shown}:{line_number}: {why}"))?;
            match &header {
                None => {
                    check_header(&cells).map_err(|why| format!("{shown}:{line_number}: {why}"))?;
                    header = Some((line_number, cells));
                }
                Some((header_line, names)) => {
                    if cells.len() != names.len() {
                        return Err(format!(
                            "{shown}:{line_number}: this row has {} fields, but the header \
                             (line {header_line}) names {} columns; every row needs one field \
                             per column (an empty one is written as nothing between two commas)",
                            cells.len(),
                            names.len()
                        ));
                    }
                    rows.push(Row {
                        line: line_number,
                        cells,
                    });
                }
            }
        }
        let Some((_, header)) = header else {
            return Err(format!(
                "{shown} has no header line: after its `#` comments it needs a line of column \
                 names, then one row per measurement"
            ));
        };
        Ok(Table {
            comments,
            header,
            rows,
        })
    }

    /// The index of a column, or `None`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|column| column == name)
    }

    /// The value of a `# key: value` comment, if the file has one.
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|comment| {
            let (k, value) = comment.split_once(':')?;
            (k.trim() == key)
                .then_some(value.trim())
                .filter(|v| !v.is_empty())
        })
    }
}

fn check_header(names: &[String]) -> Result<(), String> {
    for (i, name) in names.iter().enumerate() {
        if name.trim().is_empty() {
            return Err(format!(
                "column {} of the header has no name; every column needs one",
                i + 1
            ));
        }
        if names[..i].contains(name) {
            return Err(format!("the header names the column `{name}` twice"));
        }
    }
    Ok(())
}

/// The fields of one line: split at commas, a quoted field's quotes
/// removed and its doubled quotes made single.
fn fields(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    if !matches!(chars.peek(), None | Some(',')) {
                        return Err(
                            "a quoted field goes on after its closing quote; write a quote \
                             inside a quoted field as two quotes (\"\")"
                                .to_string(),
                        );
                    }
                }
            }
            '"' if at_start => quoted = true,
            ',' if !quoted => {
                fields.push(std::mem::take(&mut field));
                at_start = true;
                continue;
            }
            c => field.push(c),
        }
        at_start = false;
    }
    if quoted {
        return Err("a quoted field is never closed (a field cannot span lines)".to_string());
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# machine: 2 cores, Linux\n# date: 2026-12-02T02:39:55Z\n\
                        server,threads,workers,connections,rps\n\
                        a,one,,1,10.5\n\n\
                        b,pool,4,1,\"1,000\"\r\n";

    #[test]
    fn comments_header_and_rows_are_read() {
        let table = Table::parse(FILE, "d.csv").unwrap();
        assert_eq!(table.comment("machine"), Some("2 cores, Linux"));
        assert_eq!(table.comment("date"), Some("2026-12-02T02:39:55Z"));
        assert_eq!(table.comment("nothing"), None);
        assert_eq!(table.header.len(), 5);
        assert_eq!(table.column("workers"), Some(2));
        assert_eq!(table.column("p99_us"), None);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].line, 4);
        assert_eq!(table.rows[0].cells, ["a", "one", "", "1", "10.5"]);
        assert_eq!(table.rows[1].line, 6);
        assert_eq!(table.rows[1].cells[4], "1,000");
    }

    #[test]
    fn quotes_are_read_as_rfc_4180_writes_them() {
        assert_eq!(
            fields(r#""say ""hi""",,"a,b",x"#).unwrap(),
            ["say \"hi\"", "", "a,b", "x"]
        );
        assert_eq!(fields("a\"b,c").unwrap(), ["a\"b", "c"]);
        assert!(fields("\"open,").unwrap_err().contains("never closed"));
        assert!(
            fields("\"a\"b,c")
                .unwrap_err()
                .contains("after its closing quote")
        );
    }

    #[test]
    fn a_malformed_file_is_named_with_its_line() {
        for (text, says) in [
            ("# only comments\n", "d.csv has no header line"),
            (
                "a,b\n1,2,3\n",
                "d.csv:2: this row has 3 fields, but the header (line 1) names 2",
            ),
            ("a,b\n1\n", "d.csv:2: this row has 1 fields"),
            ("a,,b\n", "d.csv:1: column 2 of the header has no name"),
            ("a,b,a\n", "d.csv:1: the header names the column `a` twice"),
            ("a,b\n\"1,2\n", "d.csv:2: a quoted field is never closed"),
        ] {
            let err = Table::parse(text, "d.csv").unwrap_err();
            assert!(err.contains(says), "{text:?}: {err}");
        }
    }
}
