/// A fixed set of threads that run the jobs handed to them.
pub struct ThreadPool;
