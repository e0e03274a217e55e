//! Listings share one build directory (see `Listing::build`), and every one
//! of them is a package `server` 0.1.0: each must still get its own program.
//! Without the flag that tells their crates apart, cargo found the second
//! listing "up to date" and handed back the first one's program.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use listings_contract::Listing;

/// A crate `server` in `dir` whose program prints `says`.
fn server_saying(dir: &Path, says: &str) -> Listing {
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n",
    )
    .unwrap();
    fs::write(
        dir.join("src/main.rs"),
        format!("fn main() {{\n    println!(\"{says}\");\n}}\n"),
    )
    .unwrap();
    Listing {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        dir: dir.to_path_buf(),
    }
}

fn output_of(program: &Path) -> String {
    let output = Command::new(program).output().unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn listings_with_one_package_name_get_their_own_programs() {
    // Outside the workspace (cargo would take the crates for its members),
    // and new each run: an earlier run's files would hide the collision.
    let scratch =
        Scratch(std::env::temp_dir().join(format!("listings-shared-build-{}", std::process::id())));
    let scratch = &scratch.0;
    let first = server_saying(&scratch.join("crates/ch01-01-first"), "first");
    let second = server_saying(&scratch.join("crates/ch01-02-second"), "second");
    let targets = scratch.join("targets");
    for round in ["cold", "warm"] {
        let first_built = first.build(&targets, "dev").unwrap();
        let second_built = second.build(&targets, "dev").unwrap();
        assert_eq!(
            (
                output_of(&first_built.binary),
                output_of(&second_built.binary)
            ),
            ("first\n".to_string(), "second\n".to_string()),
            "{round} build: two listings named `server` got the same program"
        );
    }
}

/// A folder removed when the test ends, even when it fails.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
