use std::{
    sync::mpsc::{self, Receiver, Sender},
    thread::{self, JoinHandle},
};

// ANCHOR: job
/// A job is any closure a thread may run once: boxed, so that closures of
/// different types can travel through one channel.
type Job = Box<dyn FnOnce() + Send + 'static>;
// ANCHOR_END: job

/// A fixed set of threads that run the jobs handed to them.
pub struct ThreadPool {
    workers: Vec<Worker>,
    sender: Sender<Job>,
}

impl ThreadPool {
    // ANCHOR: new
    /// Creates a pool of `size` threads.
    ///
    /// # Panics
    ///
    /// Panics if `size` is zero: a pool without threads would accept jobs
    /// and never run them.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a thread pool needs at least one thread");

        let (sender, receiver) = mpsc::channel();

        let mut workers = Vec::with_capacity(size);
        for id in 0..size {
            workers.push(Worker::new(id, &receiver));
        }
        ThreadPool { workers, sender }
    }
    // ANCHOR_END: new

    // ANCHOR: execute
    /// Queues `job`; the first idle worker runs it.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        // Sending fails only once every worker has stopped receiving.
        if self.sender.send(Box::new(job)).is_err() {
            eprintln!("no worker is left to run the job");
        }
    }
    // ANCHOR_END: execute
}

/// One of the pool's threads, with a number to tell it apart in messages.
struct Worker {
    id: usize,
    thread: JoinHandle<()>,
}

impl Worker {
    // ANCHOR: worker
    // Following the note: borrow the receiver instead of taking it.
    fn new(id: usize, receiver: &Receiver<Job>) -> Worker {
        let thread = thread::spawn(move || {
            for job in receiver {
                job();
            }
        });
        Worker { id, thread }
    }
    // ANCHOR_END: worker
}
