//! The worker threads of the queries that use every core (the index
//! build, the day graph, a scan of raw columns): rayon, in a pool of this
//! process's own.
//!
//! Why not rayon's global pool: a process forked after using it (Python's
//! `multiprocessing` on Linux, a Spark worker) inherits a pool whose
//! threads did not survive the fork, and the first parallel call in the
//! child waits forever. The pool here is made again in a process that
//! finds it was made by another. In WebAssembly there are no threads: the
//! work runs on the calling one.

/// Run `f` on this process's workers (rayon's parallel iterators inside
/// `f` use them), or on the calling thread where no pool can be made.
pub(crate) fn on_workers<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    #[cfg(not(target_family = "wasm"))]
    if let Some(pool) = pool() {
        return pool.install(f);
    }
    f()
}

/// The number of threads [`on_workers`] runs on.
pub(crate) fn count() -> usize {
    on_workers(rayon::current_num_threads)
}

#[cfg(not(target_family = "wasm"))]
fn pool() -> Option<std::sync::Arc<rayon::ThreadPool>> {
    use std::sync::{Arc, Mutex};
    /// The pool and the process that made it.
    static POOL: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>> = Mutex::new(None);
    let pid = std::process::id();
    let mut made = POOL.lock().ok()?;
    if made.as_ref().map(|(by, _)| *by) != Some(pid) {
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("precinct-{i}"))
            .build()
            .ok()?;
        // A forked child's old pool has no threads to stop: leave it be.
        if let Some(old) = made.replace((pid, Arc::new(pool))) {
            std::mem::forget(old);
        }
    }
    made.as_ref().map(|(_, pool)| Arc::clone(pool))
}

#[cfg(test)]
mod tests {
    #[test]
    fn work_runs_on_the_pool_and_gives_its_answer() {
        use rayon::prelude::*;
        let sum: u64 = super::on_workers(|| (0..1_000_000u64).into_par_iter().sum());
        assert_eq!(sum, 499_999_500_000);
        assert!(super::count() >= 1);
    }
}
