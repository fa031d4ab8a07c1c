//! Threads that work beside the thread starting them, started on another CPU.
//!
//! A scheduler may queue a new thread on its parent's CPU, busy, while another CPU is idle: the
//! 2-vCPU VMs this project is measured on boot with an option that packs threads onto few vCPUs
//! (`sched_vcpu_pack`). The new thread then waits until its parent blocks or the load balancer
//! moves it. The thread that parses the second half of Circle's spec started 2.3 ms after it
//! was spawned (median of 40 runs; the parse itself takes 4 ms); in a test program whose parent
//! went on computing for 3.5 ms, the new thread waited for all of it in 29 and 38 runs of 100.
//! So on Linux such a thread first moves itself to another CPU its parent may use, then takes
//! its parent's whole CPU set back, from which the scheduler moves it as it would any thread
//! (0.3 ms from spawn to start for the parsing thread; 2 and 3 runs of 100 in the test
//! program). Elsewhere, and where the parent may use only one CPU, it is started as usual.

use std::sync::mpsc::{Receiver, RecvError, TryRecvError};
use std::thread::{Builder, Scope, ScopedJoinHandle};
use std::time::{Duration, Instant};

/// Where [`spawn`] starts a thread.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    /// On another CPU than this thread's, where it may: the new thread works beside this one.
    Beside,
    /// On this thread's CPU, for a thread that is to wait next: the new one then runs at once,
    /// where a CPU idle until now would first have to wake (see [`receive`]).
    Here,
}

/// Spawns `work` on a thread of `scope` made by `builder`, started at `place` (see the module
/// docs; elsewhere than on Linux, wherever the scheduler puts it).
pub(crate) fn spawn<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    builder: Builder,
    place: Place,
    work: impl FnOnce() -> T + Send + 'scope,
) -> std::io::Result<ScopedJoinHandle<'scope, T>> {
    #[cfg(target_os = "linux")]
    {
        linux::spawn_on(scope, builder, work, place)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = place;
        builder.spawn_scoped(scope, work)
    }
}

/// How long [`receive`] keeps its CPU busy before it blocks.
const RECEIVE_SPIN: Duration = Duration::from_millis(2);

/// The next value on `rx`, yielding the CPU to any other thread meanwhile but not letting it
/// go idle for the first [`RECEIVE_SPIN`]: on a VM an idle vCPU halts, and a thread woken on it
/// waited for it to wake, 0.3 ms as a rule and several when the host was busy. Two halves of a
/// spec that end close together are the case: the thread that waits takes the other's result
/// at once.
pub(crate) fn receive<T>(rx: &Receiver<T>) -> Result<T, RecvError> {
    let waited = Instant::now();
    while waited.elapsed() < RECEIVE_SPIN {
        match rx.try_recv() {
            Ok(value) => return Ok(value),
            Err(TryRecvError::Disconnected) => return Err(RecvError),
            Err(TryRecvError::Empty) => std::thread::yield_now(),
        }
    }
    rx.recv()
}

#[cfg(target_os = "linux")]
mod linux {
    use super::{Builder, Place, Scope, ScopedJoinHandle};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    /// How long a thread yields to the one it started at most, and how many times: enough for
    /// a new thread queued on this CPU to run and move itself (the first yield, unless the
    /// machine is busy). Queued elsewhere, it starts there without this thread waiting.
    const START_WAIT: Duration = Duration::from_millis(2);
    const START_YIELDS: usize = 8;

    /// A set of CPUs, as the kernel takes it.
    #[derive(Clone, Copy)]
    struct CpuSet(libc::cpu_set_t);

    impl CpuSet {
        /// A set of one CPU.
        fn only(cpu: usize) -> CpuSet {
            // SAFETY: `cpu_set_t` is a plain bit array, for which all zeroes is the empty set;
            // `CPU_SET` ignores a CPU beyond its size.
            #[allow(unsafe_code)]
            unsafe {
                let mut set: libc::cpu_set_t = std::mem::zeroed();
                libc::CPU_SET(cpu, &mut set);
                CpuSet(set)
            }
        }

        /// The CPUs this thread may run on.
        fn of_this_thread() -> Option<CpuSet> {
            let mut set = CpuSet::only(0);
            // SAFETY: the kernel writes at most `size_of::<cpu_set_t>()` bytes into `set.0`,
            // which is that big.
            #[allow(unsafe_code)]
            let status = unsafe {
                libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set.0)
            };
            (status == 0).then_some(set)
        }

        /// Lets this thread run only on these CPUs; the kernel moves it if it runs elsewhere.
        fn set_for_this_thread(&self) -> bool {
            // SAFETY: the kernel reads `size_of::<cpu_set_t>()` bytes from `self.0`, which is
            // that big; 0 is this thread.
            #[allow(unsafe_code)]
            let status = unsafe {
                libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &self.0)
            };
            status == 0
        }

        fn contains(&self, cpu: usize) -> bool {
            // SAFETY: reads a bit of the set; a CPU beyond its size is not in it.
            #[allow(unsafe_code)]
            unsafe {
                libc::CPU_ISSET(cpu, &self.0)
            }
        }

        /// The allowed CPU after `cpu`, wrapping around, if there is one other than `cpu`.
        fn other_than(&self, cpu: usize) -> Option<usize> {
            let size = libc::CPU_SETSIZE as usize;
            (1..size)
                .map(|step| (cpu + step) % size)
                .find(|&other| self.contains(other))
        }
    }

    /// The CPU this thread runs on, if the kernel says.
    fn this_cpu() -> Option<usize> {
        // SAFETY: no arguments; returns a CPU number or -1.
        #[allow(unsafe_code)]
        let cpu = unsafe { libc::sched_getcpu() };
        usize::try_from(cpu).ok()
    }

    pub(super) fn spawn_on<'scope, T: Send + 'scope>(
        scope: &'scope Scope<'scope, '_>,
        builder: Builder,
        work: impl FnOnce() -> T + Send + 'scope,
        place: Place,
    ) -> std::io::Result<ScopedJoinHandle<'scope, T>> {
        let Some((allowed, here)) = CpuSet::of_this_thread().zip(this_cpu()) else {
            return builder.spawn_scoped(scope, work);
        };
        match place {
            Place::Beside => match allowed.other_than(here) {
                Some(other) => spawn_pinned(scope, builder, work, allowed, other),
                None => builder.spawn_scoped(scope, work),
            },
            Place::Here => spawn_inheriting(scope, builder, work, allowed, here),
        }
    }

    /// Spawns a thread that runs `work` on CPU `here`, this thread's, then with the CPU set
    /// `allowed`. A new thread starts with its parent's CPU set, so this thread takes the one
    /// CPU it is on for the moment (which does not move it) and the new one is queued there.
    fn spawn_inheriting<'scope, T: Send + 'scope>(
        scope: &'scope Scope<'scope, '_>,
        builder: Builder,
        work: impl FnOnce() -> T + Send + 'scope,
        allowed: CpuSet,
        here: usize,
    ) -> std::io::Result<ScopedJoinHandle<'scope, T>> {
        let pinned = CpuSet::only(here).set_for_this_thread();
        let handle = builder.spawn_scoped(scope, move || {
            if pinned {
                allowed.set_for_this_thread();
            }
            work()
        });
        if pinned {
            allowed.set_for_this_thread();
        }
        handle
    }

    /// Spawns a thread that runs `work` on CPU `target`, then with the CPU set `allowed`, and
    /// yields to it in case it was queued on this thread's CPU, where it would wait for this
    /// one, busy.
    ///
    /// The new thread moves itself: a scoped thread's handle does not give the `pthread_t`
    /// that pinning it from here takes, and a CPU set inherited from this thread would move
    /// this one.
    fn spawn_pinned<'scope, T: Send + 'scope>(
        scope: &'scope Scope<'scope, '_>,
        builder: Builder,
        work: impl FnOnce() -> T + Send + 'scope,
        allowed: CpuSet,
        target: usize,
    ) -> std::io::Result<ScopedJoinHandle<'scope, T>> {
        let started = Arc::new(AtomicBool::new(false));
        let handle = builder.spawn_scoped(scope, {
            let started = Arc::clone(&started);
            move || {
                started.store(true, Ordering::Release);
                // On failure the thread stays where it is, which is allowed.
                if CpuSet::only(target).set_for_this_thread() {
                    allowed.set_for_this_thread();
                }
                work()
            }
        })?;
        let waited = Instant::now();
        for _ in 0..START_YIELDS {
            if started.load(Ordering::Acquire) || waited.elapsed() >= START_WAIT {
                break;
            }
            std::thread::yield_now();
        }
        Ok(handle)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_next_allowed_cpu_wraps_around_and_is_never_the_same_one() {
            let mut set = CpuSet::only(1);
            #[allow(unsafe_code)]
            // SAFETY: sets a bit of a whole set.
            unsafe {
                libc::CPU_SET(3, &mut set.0);
            }
            assert_eq!(set.other_than(1), Some(3));
            assert_eq!(set.other_than(3), Some(1));
            assert_eq!(set.other_than(2), Some(3));
            assert_eq!(CpuSet::only(0).other_than(0), None);
        }

        /// The thread runs on the CPU after this one (when this one may use two) with its
        /// parent's whole CPU set.
        #[test]
        fn a_thread_beside_runs_elsewhere_and_gets_the_whole_set_back() {
            let allowed = CpuSet::of_this_thread().expect("sched_getaffinity works on Linux");
            let here = this_cpu().expect("sched_getcpu works on Linux");
            let (ran_on, set_after) = std::thread::scope(|scope| {
                let work = || (this_cpu(), CpuSet::of_this_thread());
                // This thread may move meanwhile: the new one goes where it is told.
                let target = allowed.other_than(here).unwrap_or(here);
                let handle = spawn_pinned(scope, Builder::new(), work, allowed, target)
                    .expect("a thread starts");
                crate::joined(handle)
            });
            let set_after = set_after.expect("sched_getaffinity works on Linux");
            let same = |cpu| allowed.contains(cpu) == set_after.contains(cpu);
            assert!((0..libc::CPU_SETSIZE as usize).all(same));
            assert_eq!(ran_on, allowed.other_than(here).or(Some(here)));
        }

        /// A thread started here runs here, with its parent's whole CPU set, which its parent
        /// has back too.
        #[test]
        fn a_thread_started_here_runs_here_and_both_get_the_whole_set_back() {
            let allowed = CpuSet::of_this_thread().expect("sched_getaffinity works on Linux");
            let (ran_on, set_after, here) = std::thread::scope(|scope| {
                let work = || (this_cpu(), CpuSet::of_this_thread());
                let here = this_cpu().expect("sched_getcpu works on Linux");
                let handle = spawn_inheriting(scope, Builder::new(), work, allowed, here)
                    .expect("a thread starts");
                let (ran_on, set_after) = crate::joined(handle);
                (ran_on, set_after, here)
            });
            let same = |set: CpuSet| {
                (0..libc::CPU_SETSIZE as usize)
                    .all(|cpu| allowed.contains(cpu) == set.contains(cpu))
            };
            assert!(same(set_after.expect("sched_getaffinity works on Linux")));
            assert!(same(
                CpuSet::of_this_thread().expect("sched_getaffinity works on Linux")
            ));
            assert_eq!(ran_on, Some(here));
        }
    }
}
