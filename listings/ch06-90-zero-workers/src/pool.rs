use std::{
    cell::Cell,
    sync::mpsc::{self, Receiver, Sender},
    thread::{self, JoinHandle},
};

/// A job is any closure a thread may run once: boxed, so that closures of
/// different types can travel through one channel.
type Job = Box<dyn FnOnce() + Send + 'static>;

// ANCHOR: pool
/// A fixed set of threads that run the jobs handed to them.
pub struct ThreadPool {
    workers: Vec<Worker>,
    senders: Vec<Sender<Job>>,
    /// The worker that gets the next job: a `Cell`, so that `execute`,
    /// which only borrows the pool, can still move it on.
    next: Cell<usize>,
}

impl ThreadPool {
    // ANCHOR: new
    /// Creates a pool of `size` threads.
    pub fn new(size: usize) -> ThreadPool {
        let mut workers = Vec::with_capacity(size);
        let mut senders = Vec::with_capacity(size);
        for id in 0..size {
            // A channel of its own for each worker: the pool keeps the sending end.
            let (sender, receiver) = mpsc::channel();
            senders.push(sender);
            workers.push(Worker::new(id, receiver));
        }
        ThreadPool {
            workers,
            senders,
            next: Cell::new(0),
        }
    }
    // ANCHOR_END: new

    /// Sends `job` to the next worker in turn.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let next = self.next.get();
        self.next.set((next + 1) % self.senders.len());
        // Sending fails only if that worker's thread has ended.
        if self.senders[next].send(Box::new(job)).is_err() {
            eprintln!("worker {next} is gone: its job is dropped");
        }
    }
}
// ANCHOR_END: pool

/// One of the pool's threads, with a number to tell it apart in messages.
struct Worker {
    id: usize,
    thread: JoinHandle<()>,
}

impl Worker {
    fn new(id: usize, receiver: Receiver<Job>) -> Worker {
        // The thread's whole life: wait for a job, run it, wait for the next.
        let thread = thread::spawn(move || {
            for job in receiver {
                println!("worker {id} runs a job");
                job();
            }
        });
        Worker { id, thread }
    }
}
