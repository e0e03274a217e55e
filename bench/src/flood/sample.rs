//! A server's open files and resident memory, read from /proc (Linux): now,
//! and the most seen while a run goes on.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread::{self, JoinHandle},
    time::Duration,
};

use listings_contract::proc;

/// How often the sampler reads /proc while a run goes on.
pub const EVERY: Duration = Duration::from_millis(50);

/// What /proc says about a process at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sample {
    /// Its file descriptors: sockets, each connection and the listener, and
    /// the few every process has.
    pub open_files: u64,
    /// Its resident memory (`VmRSS`), in kB.
    pub rss_kb: u64,
}

/// The process `pid` now; the error names what could not be read.
pub fn now(pid: u32) -> Result<Sample, String> {
    let open_files = proc::open_files(pid).ok_or_else(|| format!("cannot list /proc/{pid}/fd"))?;
    let rss_kb = proc::status_kb(pid, "VmRSS")?;
    Ok(Sample { open_files, rss_kb })
}

/// A thread that samples a process every `EVERY` until stopped, and keeps
/// the most of each figure.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Sample>,
}

impl Sampler {
    pub fn start(pid: u32) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let mut most = Sample::default();
            while !stopped.load(Ordering::Relaxed) {
                // A read that fails (the process ending) is a sample missed.
                if let Ok(sample) = now(pid) {
                    most.open_files = most.open_files.max(sample.open_files);
                    most.rss_kb = most.rss_kb.max(sample.rss_kb);
                }
                thread::sleep(EVERY);
            }
            most
        });
        Sampler { stop, thread }
    }

    /// Stops sampling; the most of each figure seen.
    pub fn stop(self) -> Sample {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("the sampler does not panic")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_files_and_memory() {
        let sample = now(std::process::id()).unwrap();
        assert!(sample.open_files >= 3 && sample.rss_kb > 0, "{sample:?}");
        let most = Sampler::start(std::process::id());
        thread::sleep(EVERY * 2);
        let most = most.stop();
        assert!(most.open_files >= 3 && most.rss_kb > 0, "{most:?}");
        assert!(now(u32::MAX).unwrap_err().starts_with("cannot list /proc/"));
    }
}
