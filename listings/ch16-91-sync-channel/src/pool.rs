use std::{
    panic::{self, AssertUnwindSafe},
    sync::{
        Arc, Mutex,
        mpsc::{self, Receiver, SyncSender, TrySendError},
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
    sender: Option<SyncSender<Job>>,
}

impl ThreadPool {
    // ANCHOR: new
    /// Creates a pool of `size` threads, whose channel holds at most
    /// `limit` jobs waiting for a worker.
    ///
    /// # Panics
    ///
    /// Panics if `size` is zero: with no worker, no job would ever run.
    pub fn new(size: usize, limit: usize) -> ThreadPool {
        assert!(size > 0, "a thread pool needs at least one thread");

        // A channel with room for `limit` jobs: std's bounded queue.
        let (sender, receiver) = mpsc::sync_channel(limit);
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
    // ANCHOR_END: new

    // ANCHOR: execute
    /// Queues `job`, for the first idle worker to run with `input`, unless
    /// the channel is full: then hands `input` back, untouched, to the caller.
    pub fn try_execute<T, F>(&self, input: T, job: F) -> Result<(), T>
    where
        T: Send + 'static,
        F: FnOnce(T) + Send + 'static,
    {
        let sender = self
            .sender
            .as_ref()
            .expect("the channel is open until drop");
        // `try_send` hands back what it could not send.
        match sender.try_send(Box::new(move || job(input))) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_job)) => Err(input),
            Err(TrySendError::Disconnected(_job)) => panic!("no worker is left to run the job"),
        }
    }
    // ANCHOR_END: execute
}

// ANCHOR: drop
impl Drop for ThreadPool {
    fn drop(&mut self) {
        // Closing the channel tells the workers that no job will ever come;
        // they finish the jobs already in it, then leave.
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
        // the channel is closed and empty.
        let thread = thread::spawn(move || {
            loop {
                // The guard is a temporary, released at the end of the statement.
                let message = receiver.lock().unwrap().recv();
                let Ok(job) = message else {
                    println!("worker {id} leaving");
                    break;
                };
                // A job that panics ends here, not the thread: the worker
                // goes back to the channel for the next one.
                if panic::catch_unwind(AssertUnwindSafe(job)).is_err() {
                    eprintln!("worker {id}: the job panicked; taking the next one");
                }
            }
        });
        Worker { id, thread }
    }
    // ANCHOR_END: worker
}
