use std::thread::{self, JoinHandle};

/// A fixed set of threads that run the jobs handed to them.
pub struct ThreadPool {
    workers: Vec<Worker>,
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

        let mut workers = Vec::with_capacity(size);
        for id in 0..size {
            workers.push(Worker::new(id));
        }
        ThreadPool { workers }
    }

    /// Runs `job` on another thread.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        thread::spawn(job);
    }
}

// ANCHOR: worker
/// One of the pool's threads, with a number to tell it apart in messages.
struct Worker {
    id: usize,
    thread: JoinHandle<()>,
}

impl Worker {
    fn new(id: usize) -> Worker {
        // Still nothing to run: the next chapter gives workers their jobs.
        let thread = thread::spawn(|| {});
        Worker { id, thread }
    }
}
// ANCHOR_END: worker
