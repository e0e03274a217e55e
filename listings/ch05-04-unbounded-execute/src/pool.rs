use std::thread;

/// A fixed set of threads that run the jobs handed to them.
pub struct ThreadPool;

impl ThreadPool {
    /// Creates a pool of `size` threads.
    pub fn new(size: usize) -> ThreadPool {
        ThreadPool
    }

    // ANCHOR: execute
    /// Runs `job` on another thread.
    pub fn execute<F>(&self, job: F) {
        thread::spawn(job);
    }
    // ANCHOR_END: execute
}
