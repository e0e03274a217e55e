//! A line diff between two versions of a listing's file, as a unified diff:
//! what a reader would see with `diff -u` or `git diff`, without the file
//! headers (the caption around it says which files they are).
//!
//! Listings are small (a few hundred lines), so the longest common
//! subsequence of lines is found with the plain dynamic programme, O(n·m)
//! time and space. Within a run of changes, removed lines come before added
//! ones, as `git diff` shows them.

/// One line of the edit script, by 0-based line index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    /// The line is in both: `old[.0] == new[.1]`.
    Keep(usize, usize),
    /// `old[.0]` is removed.
    Remove(usize),
    /// `new[.0]` is added.
    Add(usize),
}

/// The shortest edit script from `old` to `new`: a longest common
/// subsequence of lines is kept, everything else removed or added.
fn edits(old: &[&str], new: &[&str]) -> Vec<Edit> {
    // Lines equal at both ends are kept without entering the table.
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );

    // lcs[i][j]: length of a longest common subsequence of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }

    let mut out: Vec<Edit> = (0..prefix).map(|i| Edit::Keep(i, i)).collect();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(Edit::Keep(prefix + i, prefix + j));
            i += 1;
            j += 1;
        } else if j == b.len()
            || (i < a.len() && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
        {
            out.push(Edit::Remove(prefix + i));
            i += 1;
        } else {
            out.push(Edit::Add(prefix + j));
            j += 1;
        }
    }
    out.extend((0..suffix).map(|k| Edit::Keep(prefix + a.len() + k, prefix + b.len() + k)));
    out
}

/// The unified diff from `old` to `new` with `context` unchanged lines
/// around each change, or `None` if the two have the same lines. Each hunk
/// starts with `@@ -START,COUNT +START,COUNT @@` (1-based line numbers, as
/// `diff -u` writes them; the count is always written, which is what
/// highlight.js recognises), then one line per line of the hunk:
/// ` ` kept, `-` removed, `+` added. A file's last line break, or its
/// absence, is not a difference.
pub(crate) fn unified(old: &str, new: &str, context: usize) -> Option<String> {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let script = edits(&old, &new);
    let changed: Vec<usize> = script
        .iter()
        .enumerate()
        .filter(|(_, e)| !matches!(e, Edit::Keep(..)))
        .map(|(at, _)| at)
        .collect();
    let first = *changed.first()?;

    // Hunks: ranges of the script, each change with `context` lines around
    // it, merged when they touch or overlap.
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    let mut start = first.saturating_sub(context);
    let mut end = first + 1;
    for &at in &changed[1..] {
        if at.saturating_sub(context) <= end + context {
            end = at + 1;
        } else {
            hunks.push((start, (end + context).min(script.len())));
            start = at - context;
            end = at + 1;
        }
    }
    hunks.push((start, (end + context).min(script.len())));

    let mut out = String::new();
    for (start, end) in hunks {
        let hunk = &script[start..end];
        // Where the hunk starts in each file: the first line it shows from
        // that file, or, if it shows none, the line it comes after.
        let (mut old_at, mut new_at) = (0, 0);
        for edit in &script[..start] {
            match edit {
                Edit::Keep(..) => {
                    old_at += 1;
                    new_at += 1;
                }
                Edit::Remove(_) => old_at += 1,
                Edit::Add(_) => new_at += 1,
            }
        }
        let old_count = hunk.iter().filter(|e| !matches!(e, Edit::Add(_))).count();
        let new_count = hunk
            .iter()
            .filter(|e| !matches!(e, Edit::Remove(_)))
            .count();
        let shown = |at: usize, count: usize| if count == 0 { at } else { at + 1 };
        out.push_str(&format!(
            "@@ -{},{old_count} +{},{new_count} @@\n",
            shown(old_at, old_count),
            shown(new_at, new_count)
        ));
        for edit in hunk {
            let (sign, line) = match *edit {
                Edit::Keep(_, j) => (' ', new[j]),
                Edit::Remove(i) => ('-', old[i]),
                Edit::Add(j) => ('+', new[j]),
            };
            out.push(sign);
            out.push_str(line);
            out.push('\n');
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: usize) -> String {
        (1..=n).map(|i| format!("line {i}\n")).collect()
    }

    /// The `@@` line of each hunk of the diff (with 3 lines of context),
    /// and the whole diff to show when they are not the ones expected.
    fn hunk_headers(old: &str, new: &str) -> (Vec<String>, String) {
        let diff = unified(old, new, 3).unwrap();
        let headers = diff
            .lines()
            .filter(|l| l.starts_with("@@"))
            .map(String::from)
            .collect();
        (headers, diff)
    }

    #[test]
    fn the_same_lines_make_no_diff() {
        assert_eq!(unified("a\nb\n", "a\nb\n", 3), None);
        assert_eq!(
            unified("a\nb", "a\nb\n", 3),
            None,
            "only the last line break differs"
        );
        assert_eq!(unified("", "", 3), None);
    }

    #[test]
    fn one_changed_line_shows_three_lines_of_context_each_side() {
        let old = lines(10);
        let new = old.replace("line 5\n", "line five\n");
        assert_eq!(
            unified(&old, &new, 3).unwrap(),
            "@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n \
             line 8\n"
        );
    }

    #[test]
    fn context_stops_at_the_ends_of_the_file() {
        let old = "a\nb\nc\n";
        let new = "A\nb\nc\nd\n";
        assert_eq!(
            unified(old, new, 3).unwrap(),
            "@@ -1,3 +1,4 @@\n-a\n+A\n b\n c\n+d\n"
        );
    }

    #[test]
    fn distant_changes_make_separate_hunks_and_near_ones_merge() {
        let old = lines(20);
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 18\n", "line eighteen\n");
        let (headers, diff) = hunk_headers(&old, &new);
        assert_eq!(headers, ["@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@"], "{diff}");

        // Six unchanged lines between two changes: the contexts touch, one hunk.
        let new = old
            .replace("line 5\n", "line five\n")
            .replace("line 12\n", "line twelve\n");
        let (headers, diff) = hunk_headers(&old, &new);
        assert_eq!(headers, ["@@ -2,14 +2,14 @@"], "{diff}");

        // Seven: two hunks.
        let new = old
            .replace("line 5\n", "line five\n")
            .replace("line 13\n", "line thirteen\n");
        let (headers, diff) = hunk_headers(&old, &new);
        assert_eq!(headers, ["@@ -2,7 +2,7 @@", "@@ -10,7 +10,7 @@"], "{diff}");
    }

    #[test]
    fn pure_additions_and_removals_number_their_hunks_like_diff_u() {
        assert_eq!(
            unified("a\nb\n", "a\nb\nc\n", 0).unwrap(),
            "@@ -2,0 +3,1 @@\n+c\n"
        );
        assert_eq!(
            unified("a\nb\nc\n", "a\nc\n", 0).unwrap(),
            "@@ -2,1 +1,0 @@\n-b\n"
        );
        assert_eq!(unified("", "x\n", 3).unwrap(), "@@ -0,0 +1,1 @@\n+x\n");
        assert_eq!(unified("x\n", "", 3).unwrap(), "@@ -1,1 +0,0 @@\n-x\n");
    }

    #[test]
    fn removed_lines_come_before_added_ones() {
        assert_eq!(
            unified(
                "keep\nold 1\nold 2\nkeep\n",
                "keep\nnew 1\nnew 2\nkeep\n",
                3
            )
            .unwrap(),
            "@@ -1,4 +1,4 @@\n keep\n-old 1\n-old 2\n+new 1\n+new 2\n keep\n"
        );
    }

    #[test]
    fn the_diff_keeps_a_longest_common_subsequence() {
        // A change inside a block: the unchanged lines around it stay kept.
        let old = "fn f() {\n    a();\n    b();\n}\n";
        let new = "fn f() {\n    a();\n    x();\n    b();\n}\n\nfn g() {}\n";
        assert_eq!(
            unified(old, new, 1).unwrap(),
            "@@ -2,3 +2,6 @@\n     a();\n+    x();\n     b();\n }\n+\n+fn g() {}\n"
        );
        // Moving a line is one removal and one addition.
        let diff = unified("a\nb\nc\n", "b\nc\na\n", 3).unwrap();
        assert_eq!(diff, "@@ -1,3 +1,3 @@\n-a\n b\n c\n+a\n");
    }

    #[test]
    fn applying_the_edit_script_gives_the_new_file() {
        let old: Vec<&str> = "a b c a b b a".split(' ').collect();
        let new: Vec<&str> = "c b a b a c".split(' ').collect();
        let script = edits(&old, &new);
        let kept = script
            .iter()
            .filter(|e| matches!(e, Edit::Keep(..)))
            .count();
        assert_eq!(kept, 4, "the LCS of these two has four lines: {script:?}");
        let rebuilt: Vec<&str> = script
            .iter()
            .filter_map(|e| match *e {
                Edit::Keep(i, j) => {
                    assert_eq!(old[i], new[j]);
                    Some(new[j])
                }
                Edit::Add(j) => Some(new[j]),
                Edit::Remove(_) => None,
            })
            .collect();
        assert_eq!(rebuilt, new);
        let removed_or_kept: Vec<&str> = script
            .iter()
            .filter_map(|e| match *e {
                Edit::Keep(i, _) | Edit::Remove(i) => Some(old[i]),
                Edit::Add(_) => None,
            })
            .collect();
        assert_eq!(removed_or_kept, old);
    }
}
