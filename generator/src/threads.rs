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

use std::thread::{Builder, Scope, ScopedJoinHandle};

/// Spawns `work` on a thread of `scope` made by `builder`, on another CPU than this thread's
/// where it may (see the module docs).
pub(crate) fn spawn_beside<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    builder: Builder,
    work: impl FnOnce() -> T + Send + 'scope,
) -> std::io::Result<ScopedJoinHandle<'scope, T>> {
    #[cfg(target_os = "linux")]
    {
        linux::spawn_beside(scope, builder, work)
    }
    #[cfg(not(target_os = "linux"))]
    {
        builder.spawn_scoped(scope, work)
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use super::{Builder, Scope, ScopedJoinHandle};
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

    pub(super) fn spawn_beside<'scope, T: Send + 'scope>(
        scope: &'scope Scope<'scope, '_>,
        builder: Builder,
        work: impl FnOnce() -> T + Send + 'scope,
    ) -> std::io::Result<ScopedJoinHandle<'scope, T>> {
        match CpuSet::of_this_thread().zip(this_cpu()) {
            Some((allowed, here)) => spawn_away_from(scope, builder, work, allowed, here),
            None => builder.spawn_scoped(scope, work),
        }
    }

    /// [`spawn_beside`] for a thread that may run on `allowed` and runs on CPU `here`.
    ///
    /// The new thread moves itself: a scoped thread's handle does not give the `pthread_t`
    /// that pinning it from here takes. This thread yields to it, so that it runs at once even
    /// when queued here.
    fn spawn_away_from<'scope, T: Send + 'scope>(
        scope: &'scope Scope<'scope, '_>,
        builder: Builder,
        work: impl FnOnce() -> T + Send + 'scope,
        allowed: CpuSet,
        here: usize,
    ) -> std::io::Result<ScopedJoinHandle<'scope, T>> {
        let Some(elsewhere) = allowed.other_than(here) else {
            return builder.spawn_scoped(scope, work);
        };
        let started = Arc::new(AtomicBool::new(false));
        let handle = builder.spawn_scoped(scope, {
            let started = Arc::clone(&started);
            move || {
                started.store(true, Ordering::Release);
                // On failure the thread stays where it is, which is allowed.
                if CpuSet::only(elsewhere).set_for_this_thread() {
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
                // This thread may move meanwhile: where the new one goes follows from `here`.
                let handle = spawn_away_from(scope, Builder::new(), work, allowed, here)
                    .expect("a thread starts");
                crate::joined(handle)
            });
            let set_after = set_after.expect("sched_getaffinity works on Linux");
            let same = |cpu| allowed.contains(cpu) == set_after.contains(cpu);
            assert!((0..libc::CPU_SETSIZE as usize).all(same));
            if let Some(elsewhere) = allowed.other_than(here) {
                assert_eq!(ran_on, Some(elsewhere));
            }
        }
    }
}
