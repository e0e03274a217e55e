use std::{
    collections::VecDeque,
    panic::{self, AssertUnwindSafe},
    sync::{Arc, Condvar, Mutex},
    thread::{self, JoinHandle},
};

/// A job is any closure a thread may run once: boxed, so that closures of
/// different types can wait in one queue.
type Job = Box<dyn FnOnce() + Send + 'static>;

// ANCHOR: queue
/// The jobs waiting for a worker, and whether more may come.
struct Queue {
    jobs: VecDeque<Job>,
    closed: bool,
}

/// What the pool and its workers share: the queue behind its lock, and a
/// condition variable on which idle workers sleep until there is a job.
struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
}
// ANCHOR_END: queue

/// A fixed set of threads that run the jobs handed to them.
pub struct ThreadPool {
    workers: Vec<Worker>,
    shared: Arc<Shared>,
    /// How many jobs may wait in the queue at once.
    limit: usize,
}

impl ThreadPool {
    // ANCHOR: new
    /// Creates a pool of `size` threads, whose queue holds at most `limit`
    /// jobs waiting for a worker.
    ///
    /// # Panics
    ///
    /// Panics if `size` is zero: with no worker, no job would ever run.
    pub fn new(size: usize, limit: usize) -> ThreadPool {
        assert!(size > 0, "a thread pool needs at least one thread");

        // One queue for the whole pool: every worker takes jobs from it.
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                jobs: VecDeque::new(),
                closed: false,
            }),
            ready: Condvar::new(),
        });

        let mut workers = Vec::with_capacity(size);
        for id in 0..size {
            workers.push(Worker::new(id, Arc::clone(&shared)));
        }
        ThreadPool {
            workers,
            shared,
            limit,
        }
    }
    // ANCHOR_END: new

    // ANCHOR: execute
    /// Queues `job`, for the first idle worker to run with `input`, unless
    /// the queue is full: then hands `input` back, untouched, to the caller.
    pub fn try_execute<T, F>(&self, input: T, job: F) -> Result<(), T>
    where
        T: Send + 'static,
        F: FnOnce(T) + Send + 'static,
    {
        let mut queue = self.shared.queue.lock().unwrap();
        if queue.jobs.len() >= self.limit {
            return Err(input);
        }
        // Only now do the two become one job: nothing is handed back after this.
        queue.jobs.push_back(Box::new(move || job(input)));
        // Let go of the lock before waking a worker, so it can take it at once.
        drop(queue);
        // Wake one idle worker, if one sleeps; a busy one finds the job
        // when it comes back for the next.
        self.shared.ready.notify_one();
        Ok(())
    }
    // ANCHOR_END: execute
}

// ANCHOR: drop
impl Drop for ThreadPool {
    fn drop(&mut self) {
        // Closing the queue tells the workers that no job will ever come;
        // they finish the jobs already queued, then leave.
        self.shared.queue.lock().unwrap().closed = true;
        self.shared.ready.notify_all();

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
    fn new(id: usize, shared: Arc<Shared>) -> Worker {
        // The thread's whole life: wait for a job, run it, and leave once
        // the queue is closed and empty.
        let thread = thread::spawn(move || {
            loop {
                let mut queue = shared.queue.lock().unwrap();
                // `wait` lets go of the lock while it sleeps, and takes it
                // back before it returns.
                while queue.jobs.is_empty() && !queue.closed {
                    queue = shared.ready.wait(queue).unwrap();
                }
                let Some(job) = queue.jobs.pop_front() else {
                    println!("worker {id} leaving");
                    break;
                };
                // The job runs without the lock, so other workers can take theirs.
                drop(queue);
                // A job that panics ends here, not the thread: the worker
                // goes back to the queue for the next one. Nothing of the job
                // is left to see after a panic: it was moved in, and is gone.
                if panic::catch_unwind(AssertUnwindSafe(job)).is_err() {
                    eprintln!("worker {id}: the job panicked; taking the next one");
                }
            }
        });
        Worker { id, thread }
    }
    // ANCHOR_END: worker
}
