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

/// A fixed set of threads that run the jobs handed to them.
pub struct ThreadPool {
    workers: Vec<Worker>,
    // `None` once `drop` has closed the channel.
    sender: Option<Sender<Job>>,
}

impl ThreadPool {
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
        ThreadPool {
            workers,
            sender: Some(sender),
        }
    }

    /// Queues `job`; the first idle worker runs it.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        // Sending fails once every worker has stopped receiving, and there is
        // no channel at all while the pool is being dropped.
        let sent = match &self.sender {
            Some(sender) => sender.send(Box::new(job)).is_ok(),
            None => false,
        };
        if !sent {
            eprintln!("no worker is left to run the job");
        }
    }
}

// ANCHOR: drop
impl Drop for ThreadPool {
    fn drop(&mut self) {
        // Closing the channel tells the workers that no job will ever come.
        // `take` leaves `None` behind, so we may drop the sender from `&mut self`.
        drop(self.sender.take());

        // `drain` hands us each worker by value, so we may consume its handle.
        for worker in self.workers.drain(..) {
            println!("Waiting for worker {} to finish", worker.id);
            if worker.thread.join().is_err() {
                eprintln!("worker {} had panicked", worker.id);
            }
        }
    }
}
// ANCHOR_END: drop

/// One of the pool's threads, with a number to tell it apart in messages.
struct Worker {
    id: usize,
    thread: JoinHandle<()>,
}

impl Worker {
    // ANCHOR: worker
    fn new(id: usize, receiver: Arc<Mutex<Receiver<Job>>>) -> Worker {
        // The thread's whole life: wait for a job, run it, and leave once
        // the channel is closed.
        let thread = thread::spawn(move || {
            loop {
                // The guard is a temporary, released at the end of the statement.
                let message = receiver.lock().unwrap().recv();
                match message {
                    Ok(job) => job(),
                    // `recv` fails once the channel is closed and empty.
                    Err(_) => {
                        println!("worker {id} leaving");
                        break;
                    }
                }
            }
        });
        Worker { id, thread }
    }
    // ANCHOR_END: worker
}
