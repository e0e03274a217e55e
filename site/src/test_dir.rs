//! A scratch directory for the unit tests, removed when dropped.

use std::fs;
use std::path::Path;

pub struct TestDir(tempfile::TempDir);

impl TestDir {
    /// A new empty directory, named after `tag` to tell whose it is.
    pub fn new(tag: &str) -> TestDir {
        let dir = tempfile::Builder::new()
            .prefix(&format!("book-site-{tag}-"))
            .tempdir()
            .unwrap();
        TestDir(dir)
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Writes `relative` whole at once, as an editor's atomic save does: a
    /// hidden file renamed over it, so that a server watching the sources
    /// never reads it half written.
    pub fn replace(&self, relative: &str, text: &str) {
        let path = self.path().join(relative);
        let name = path.file_name().unwrap().to_string_lossy();
        let hidden = path.with_file_name(format!(".{name}.saving"));
        fs::write(&hidden, text).unwrap();
        fs::rename(hidden, path).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path().join(relative)).unwrap()
    }
}
