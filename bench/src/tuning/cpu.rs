//! The CPU time a server has had, from the scheduler's own count.

use std::time::Duration;

/// The CPU time the process `pid` and its children (nginx's workers) have
/// had so far, all threads together, from the scheduler's own count in
/// nanoseconds (`/proc/PID/task/TID/schedstat`); `None` where the system
/// does not say.
pub fn time(pid: u32) -> Option<Duration> {
    // The process itself must be there; a child may end while it is
    // counted (the tests of this crate start and stop servers beside this
    // one), and then it counts no more, as a thread that ends does.
    let mut total = Duration::ZERO;
    let mut task_lists = vec![std::fs::read_dir(format!("/proc/{pid}/task")).ok()?];
    while let Some(tasks) = task_lists.pop() {
        for task in tasks {
            let Ok(task) = task else { continue };
            let task = task.path();
            // A thread that has just ended has no file left: it counts no more.
            let Ok(stat) = std::fs::read_to_string(task.join("schedstat")) else {
                continue;
            };
            let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
            total += Duration::from_nanos(nanos);
            if let Ok(children) = std::fs::read_to_string(task.join("children")) {
                task_lists.extend(
                    children
                        .split_whitespace()
                        .filter_map(|child| std::fs::read_dir(format!("/proc/{child}/task")).ok()),
                );
            }
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_counts_this_process() {
        let before = time(std::process::id()).expect("/proc is there");
        let mut x = 0u64;
        for i in 0..10_000_000 {
            x = x.wrapping_add(i * i);
        }
        assert!(x > 0);
        assert!(time(std::process::id()).unwrap() > before);
        assert!(time(u32::MAX).is_none());
    }
}
