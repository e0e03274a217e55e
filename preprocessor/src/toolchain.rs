//! The pinned compiler, as far as the book's pages show it.

/// The commit of the rustc that `rust-toolchain.toml` pins (1.95.0), as
/// `rustc -vV` prints it on its `commit-hash:` line. rustc names the
/// standard library's files under `/rustc/COMMIT/library/`, and a reader's
/// compiler prints that path; trybuild writes `$RUST/` for it in the
/// snapshots. When the pin moves, a test (`the_commit_is_the_pinned_rustcs`)
/// fails with the new value to put here.
pub const RUSTC_COMMIT_HASH: &str = "59807616e1fa2540724bfbac14d7976d7e4a3860";

/// Where trybuild's snapshots put the standard library's sources.
const TRYBUILD_STD: &str = "$RUST/";

/// `text` with the standard library's paths as the reader's rustc prints
/// them: `$RUST/std/src/thread/functions.rs` becomes
/// `/rustc/COMMIT/library/std/src/thread/functions.rs`. (rustc also prints
/// `:LINE:COL` after it; trybuild leaves those out, and so does the book.)
pub fn std_paths_as_printed(text: &str) -> String {
    text.replace(
        TRYBUILD_STD,
        &format!("/rustc/{RUSTC_COMMIT_HASH}/library/"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    #[test]
    fn std_paths_are_the_readers_compilers() {
        assert_eq!(
            std_paths_as_printed("  --> $RUST/std/src/thread/functions.rs\n --> src/main.rs\n"),
            format!(
                "  --> /rustc/{RUSTC_COMMIT_HASH}/library/std/src/thread/functions.rs\n \
                 --> src/main.rs\n"
            )
        );
    }

    /// The pinned toolchain's `rustc -vV`, run from the book's root so that
    /// rustup picks `rust-toolchain.toml`'s pin.
    #[test]
    fn the_commit_is_the_pinned_rustcs() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let pin = std::fs::read_to_string(root.join("rust-toolchain.toml")).unwrap();
        let output = Command::new("rustc")
            .arg("-vV")
            .current_dir(&root)
            .env_remove("RUSTUP_TOOLCHAIN")
            .output()
            .expect("rustc -vV runs");
        let version = String::from_utf8_lossy(&output.stdout);
        let field = |name: &str| {
            version
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .map(str::trim)
                .unwrap_or_else(|| panic!("no `{name}` line in rustc -vV:\n{version}"))
        };
        let commit = field("commit-hash:");
        assert_eq!(
            commit,
            RUSTC_COMMIT_HASH,
            "rust-toolchain.toml pins a rustc ({} from `rustc -vV`) whose commit is {commit}, \
             but the book shows the standard library's paths as /rustc/{RUSTC_COMMIT_HASH}/…: \
             set RUSTC_COMMIT_HASH in preprocessor/src/toolchain.rs to \"{commit}\" (and, as \
             for any move of the pin, regenerate the snapshots: README, \"Toolchain\").\n\
             rust-toolchain.toml:\n{pin}",
            field("release:"),
        );
    }
}
