/// A fixed set of threads that run the jobs handed to them.
struct ThreadPool;
