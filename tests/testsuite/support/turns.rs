//! Compiling and measuring take turns.
//!
//! Many tests time a server: answers per CPU second, `/` beside slow
//! requests, a pool stalled by idle clients. On two cores, a rustc running
//! beside them is what they measure instead (on a cold run, a pool that idle
//! connections should stall answered thousands of requests; a tuned pool
//! spent as much CPU per request as the untuned one). So a server running
//! for a test is a measurement, and cargo compiling for a test (a listing's
//! build, `cargo test` or `cargo clippy` in a listing) waits until no
//! server runs. Servers run beside each other, and compiles beside each
//! other, as before.
//!
//! A test that already has a server running and asks for a build gets it
//! at once: waiting for its own server to stop would never end; so does a
//! thread a test started, for the same reason. On a warm run the builds
//! are all done first, and little waits.

use std::{
    sync::{Condvar, Mutex, MutexGuard},
    thread::{self, ThreadId},
};

struct State {
    /// The servers running, each as the thread of the test that started it.
    measuring: Vec<ThreadId>,
    compiling: usize,
    waiting_to_compile: usize,
}

impl State {
    fn measures(&self, thread: ThreadId) -> bool {
        self.measuring.contains(&thread)
    }
}

static STATE: Mutex<State> = Mutex::new(State {
    measuring: Vec::new(),
    compiling: 0,
    waiting_to_compile: 0,
});
static CHANGED: Condvar = Condvar::new();

fn state() -> MutexGuard<'static, State> {
    // A test that panicked while holding the lock left the counts whole.
    STATE.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn wait_until(mut ready: impl FnMut(&State) -> bool) -> MutexGuard<'static, State> {
    let mut state = state();
    while !ready(&state) {
        state = CHANGED
            .wait(state)
            .unwrap_or_else(|poison| poison.into_inner());
    }
    state
}

/// Runs `work`, which compiles, once no server runs (or at once, if this
/// thread has one running or is a test's helper); no new server starts
/// meanwhile. For what other tests wait for: the listings' programs.
pub fn compile<T>(work: impl FnOnce() -> T) -> T {
    compile_after(true, work)
}

/// Runs `work`, which compiles, at the first moment no server runs (or at
/// once, if this thread has one running or is a test's helper), without
/// holding new servers back meanwhile. For a check of its own that no other test waits for
/// (`cargo test` or `cargo clippy` in a listing): on a warm run it has
/// almost nothing to compile, and holding every server back until the
/// longest running one had stopped cost the suite 15 s.
pub fn compile_when_idle<T>(work: impl FnOnce() -> T) -> T {
    compile_after(false, work)
}

fn compile_after<T>(hold_servers_back: bool, work: impl FnOnce() -> T) -> T {
    let me = thread::current().id();
    {
        let mut state = state();
        // A thread a test started for work of its own (libtest names the
        // threads it runs tests on; `thread::scope`'s threads have none)
        // may have that test waiting for it with a server running, whose
        // stop it would wait for forever: a filtered run, whose listings
        // are not all built first, hung so (`mix`'s slow generator, built
        // beside the server it loads).
        if state.measures(me) || thread::current().name().is_none() {
            drop(state);
            return work();
        }
        if hold_servers_back {
            state.waiting_to_compile += 1;
        }
    }
    let mut state = wait_until(|state| state.measuring.is_empty());
    if hold_servers_back {
        state.waiting_to_compile -= 1;
    }
    state.compiling += 1;
    drop(state);
    let _done = Done(|state: &mut State| state.compiling -= 1);
    work()
}

/// Held while a server runs: no compile starts meanwhile.
pub struct Measuring {
    started_by: ThreadId,
}

/// Waits until nothing compiles and no compile waits (unless this thread
/// measures already), then counts a server as running until the guard is
/// dropped.
pub fn measuring() -> Measuring {
    let me = thread::current().id();
    let mut state = wait_until(|state| {
        state.measures(me) || (state.compiling == 0 && state.waiting_to_compile == 0)
    });
    state.measuring.push(me);
    Measuring { started_by: me }
}

impl Drop for Measuring {
    fn drop(&mut self) {
        let started_by = self.started_by;
        let _done = Done(move |state: &mut State| {
            let at = state
                .measuring
                .iter()
                .position(|&thread| thread == started_by);
            state
                .measuring
                .swap_remove(at.expect("counted when started"));
        });
    }
}

/// Changes the counts and wakes the waiters when dropped, even by a panic.
struct Done<F: FnMut(&mut State)>(F);

impl<F: FnMut(&mut State)> Drop for Done<F> {
    fn drop(&mut self) {
        (self.0)(&mut state());
        CHANGED.notify_all();
    }
}
