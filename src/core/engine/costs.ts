// Virtual-time costs of runtime operations, in nanoseconds. Each is a named constant with where
// the figure comes from (runtime-facts.md §18). They are order-of-magnitude models of a 2-vCPU
// Linux machine running Go 1.19, not measurements of the user's machine.

/** `go f()`: newproc + the new G's first run and exit: 0.54–1.2 µs per goroutine (§18.2, wg.Done bench). */
export const GO_CREATE_NS = 250;
/** schedule() → execute(): one goroutine switch, ~50–200 ns (§18.2 Gosched / ping-pong benches). */
export const SWITCH_NS = 100;
/** A channel send/receive that does not block: 32–75 ns buffered (§18.2); ~50 ns (proc.go runqgrab comment). */
export const CHAN_OP_NS = 50;
/** sync.Mutex/WaitGroup fast path: an atomic CAS, a few ns. */
export const ATOMIC_OP_NS = 20;
/** Waking a parked OS thread (futex wake + the thread getting a CPU): ~5 µs (§18.3: 1–10 µs). */
export const THREAD_WAKE_NS = 5_000;
/** Creating a new OS thread (clone + first schedule): ~15 µs; an order of magnitude over a wake. */
export const THREAD_CREATE_NS = 15_000;
/** entersyscall/exitsyscall bookkeeping around a system call: ~100 ns. */
export const SYSCALL_ENTRY_NS = 100;
/** Stop-the-world + procresize for runtime.GOMAXPROCS: tens of µs on a small machine. */
export const STW_NS = 30_000;
/** stealWork: before taking a running victim's runnext the thief sleeps 3 µs (proc.go runqgrab usleep(3)). */
export const STEAL_RUNNEXT_BACKOFF_NS = 3_000;
/** fmt.Print* through os.Stdout: a write(2) that returns at once; modelled as CPU time, not a blocking syscall. */
export const PRINT_NS = 1_000;

// Runtime constants (not costs): values from the Go source.
/** forcePreemptNS: a G running for 10 ms is preempted by sysmon (proc.go retake). */
export const FORCE_PREEMPT_NS = 10_000_000;
/** sysmon starts with a 20 µs sleep … */
export const SYSMON_MIN_DELAY_NS = 20_000;
/** … doubling after 50 idle cycles, up to 10 ms (proc.go sysmon). */
export const SYSMON_MAX_DELAY_NS = 10_000_000;
export const SYSMON_IDLE_CYCLES_BEFORE_BACKOFF = 50;
/** sysmon polls the network if nobody has for 10 ms. */
export const SYSMON_NETPOLL_NS = 10_000_000;
/** sysmon deep sleep: at most forcegcperiod/2 = 60 s. */
export const SYSMON_DEEP_SLEEP_NS = 60_000_000_000;
/** Syscall retake: a P with no local work is left alone for 10 ms if someone else can take new work. */
export const SYSCALL_RETAKE_GRACE_NS = 10_000_000;
/** Local run queue ring size (runtime2.go p.runq). */
export const LOCAL_RUNQ_SIZE = 256;
/** Fairness: every 61st schedtick a P looks at the global queue first (findRunnable). */
export const GLOBAL_FAIRNESS_TICKS = 61;
/** stealWork makes 4 passes over all Ps. */
export const STEAL_TRIES = 4;
/** Default sched.maxmcount (debug.SetMaxThreads). */
export const MAX_THREADS = 10_000;
/** Goroutine ids are handed to each P in batches of 16 (_GoidCacheBatch). */
export const GOID_BATCH = 16;
/** netpoll returns at most 128 ready events per call (netpoll_epoll.go). */
export const NETPOLL_BATCH = 128;
/** sync.Mutex: a waiter that waited more than 1 ms switches the mutex to starvation mode. */
export const MUTEX_STARVATION_NS = 1_000_000;
