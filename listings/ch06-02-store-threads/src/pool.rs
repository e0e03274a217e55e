use std::thread::{self, JoinHandle};

// ANCHOR: pool
/// A fixed set of threads that run the jobs handed to them.
pub struct ThreadPool {
    threads: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// Creates a pool of `size` threads.
    ///
    /// # Panics
    ///
    /// Panics if `size` is zero: a pool without threads would accept jobs
    /// and never run them.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a thread pool needs at least one thread");

        let mut threads = Vec::with_capacity(size);
        for _ in 0..size {
            // `spawn` wants the thread's work now, and we have none yet:
            // these threads start, find nothing to do, and end at once.
            threads.push(thread::spawn(|| {}));
        }
        ThreadPool { threads }
    }
    // ANCHOR_END: pool

    /// Runs `job` on another thread.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        thread::spawn(job);
    }
}
