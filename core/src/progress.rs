//! Progress of long work (writing the demo town, replaying a journal,
//! reading a large CSV file, indexing visits), told to whoever listens on
//! the calling thread. Nobody listening costs one thread-local read per
//! report, and reports are made once per thousands of rows, so the work
//! runs at the same speed.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! let mut csv = String::from("person_id,place_id,start,end\n");
//! for i in 0..40_000 {
//!     csv += &format!("p{},m{},{},{}\n", i % 500, i % 40, 1_579_910_400 + i, 1_579_911_400 + i);
//! }
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let log = seen.clone();
//! let visits = precinct::progress::listen(
//!     move |p| log.lock().unwrap().push((p.stage, p.done, p.total)),
//!     || precinct::read_visits(csv.as_bytes(), &precinct::Policy::default()),
//! )
//! .unwrap();
//! let seen = seen.lock().unwrap();
//! assert!(seen.iter().any(|&(stage, bytes, _)| stage == "visits" && bytes > 0));
//! assert_eq!(seen.last(), Some(&("index", 3, Some(3))));
//! assert_eq!(visits.len(), 40_000);
//! ```

use std::cell::RefCell;

/// One report: how far a stage of the work has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// What is being done: `demo town` (chapters of the story), `journal`
    /// (events replayed), `visits` and the other interchange files (bytes
    /// read), `index` (steps of indexing visits).
    pub stage: &'static str,
    /// Units done: chapters, events, bytes or steps, as `stage` says.
    pub done: u64,
    /// Units in all, when known.
    pub total: Option<u64>,
}

type Listener = Box<dyn FnMut(Progress)>;

thread_local! {
    static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

/// Run `work` with `listener` told of its progress (on this thread), and
/// return what `work` returns. Listeners nest: the previous one is back
/// when `work` ends.
pub fn listen<R>(listener: impl FnMut(Progress) + 'static, work: impl FnOnce() -> R) -> R {
    // Work started by a listener itself (it is being told of progress, so
    // the slot is in use) runs without one.
    let Some(previous) = LISTENER.with(|l| {
        l.try_borrow_mut()
            .ok()
            .map(|mut slot| slot.replace(Box::new(listener)))
    }) else {
        return work();
    };
    let _restore = Restore(previous);
    work()
}

/// Puts the previous listener back when dropped, even if the work panics.
struct Restore(Option<Listener>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        LISTENER.with(|l| *l.borrow_mut() = previous);
    }
}

/// Tell the listener, if any, that `stage` is at `done` of `total`: for a
/// caller that knows more than the work does (the size of a text read as a
/// stream), as the work itself tells it.
pub fn tell(stage: &'static str, done: u64, total: Option<u64>) {
    report(stage, done, total);
}

/// Tell the listener, if any, that `stage` is at `done` of `total`.
pub(crate) fn report(stage: &'static str, done: u64, total: Option<u64>) {
    LISTENER.with(|l| {
        // A listener that reports progress itself is not called again.
        if let Ok(mut l) = l.try_borrow_mut() {
            if let Some(listener) = l.as_mut() {
                listener(Progress { stage, done, total });
            }
        }
    });
}

/// Every how many rows or events a long loop reports.
pub(crate) const EVERY: u64 = 1 << 14;

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn work_started_by_a_listener_runs_without_one_and_the_listener_stays() {
        let told = Rc::new(Cell::new(0));
        let inner = told.clone();
        listen(
            move |_| {
                inner.set(inner.get() + 1);
                // A listener that starts work that reports progress itself.
                listen(|_| unreachable_listener(), || report("inner", 1, None));
            },
            || {
                report("outer", 1, None);
                report("outer", 2, None);
            },
        );
        assert_eq!(told.get(), 2);
        // Nobody listens afterwards.
        report("after", 1, None);
        assert_eq!(told.get(), 2);
    }

    fn unreachable_listener() {
        panic!("the inner listener is never installed");
    }
}
