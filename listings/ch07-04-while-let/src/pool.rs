use std::{
    sync::{
        Arc, Mutex,
        mpsc::{self, Receiver, Sender},
    },
    thread::{self, JoinHandle},
};

/// A job is any closure a thread may run once: boxed, so that closures of
/// different types can travel through one channel.
type Job = Box<dyn FnOnce() + Send + 'static>;

// ANCHOR: pool
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
    /// Panics if `size` is zero: with no worker, no job would ever run.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a thread pool needs at least one thread");

        // One channel for the whole pool: every worker takes jobs from it.
        let (sender, receiver) = mpsc::channel();
        // One receiver, many workers: share it, and let one worker at a time use it.
        let receiver = Arc::new(Mutex::new(receiver));

        let mut workers = Vec::with_capacity(size);
        for id in 0..size {
            workers.push(Worker::new(id, Arc::clone(&receiver)));
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
// ANCHOR_END: pool

/// One of the pool's threads, with a number to tell it apart in messages.
struct Worker {
    id: usize,
    thread: JoinHandle<()>,
}

impl Worker {
    // ANCHOR: worker
    fn new(id: usize, receiver: Arc<Mutex<Receiver<Job>>>) -> Worker {
        // The thread's whole life: wait for a job, run it, wait for the next.
        let thread = thread::spawn(move || {
            // Runs jobs for as long as `recv` returns `Ok`.
            while let Ok(job) = receiver.lock().unwrap().recv() {
                println!("worker {id} runs a job");
                job();
            }
        });
        Worker { id, thread }
    }
    // ANCHOR_END: worker
}
