use std::thread;

/// A fixed set of threads that run the jobs handed to them.
pub struct ThreadPool;

impl ThreadPool {
    // ANCHOR: new
    /// Creates a pool of `size` threads.
    ///
    /// # Panics
    ///
    /// Panics if `size` is zero: with no worker, no job would ever run.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a thread pool needs at least one thread");
        ThreadPool
    }
    // ANCHOR_END: new

    /// Runs `job` on another thread.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        thread::spawn(job);
    }
}
