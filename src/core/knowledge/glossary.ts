// Short definitions of the scheduler's vocabulary, for hovers, the panel's legend and the CLI.
// Facts follow runtime-facts.md (Go 1.19 source as the reference, later changes noted).

export interface GlossaryEntry {
  /** The term as the tutor writes it. */
  readonly term: string;
  /** Other spellings a user may look up. */
  readonly aliases: readonly string[];
  /** One to three sentences. */
  readonly definition: string;
  /** Names in the runtime source (runtime2.go / proc.go) a reader can search for. */
  readonly runtimeNames: readonly string[];
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    term: 'G',
    aliases: ['goroutine'],
    definition:
      'A goroutine: a function running concurrently, with its own stack (at least 2 KiB to start, growing by copying) and a status ' +
      '(runnable, running, syscall, waiting, dead). Creating one costs about a microsecond; it is not an OS thread.',
    runtimeNames: ['g', 'newproc', '_Grunnable', '_Grunning', '_Gwaiting'],
  },
  {
    term: 'M',
    aliases: ['machine', 'thread', 'OS thread'],
    definition:
      'An OS thread. An M must hold a P to run Go code. Ms are created on demand (limit 10 000, debug.SetMaxThreads) and are ' +
      'not destroyed when idle: they park on the idle-M list for reuse.',
    runtimeNames: ['m', 'newm', 'startm', 'stopm', 'sched.midle'],
  },
  {
    term: 'P',
    aliases: ['processor'],
    definition:
      'A processor: the token an M needs to run Go code. There are exactly GOMAXPROCS Ps. Each owns a local run queue, a runnext ' +
      'slot and a timer heap.',
    runtimeNames: ['p', 'allp', 'acquirep', 'releasep', 'sched.pidle'],
  },
  {
    term: 'GOMAXPROCS',
    aliases: ['gomaxprocs'],
    definition:
      'The number of Ps, so the number of goroutines that run Go code at the same time. It defaults to the number of CPUs the ' +
      'process may use (since Go 1.25 also the cgroup CPU limit); runtime.GOMAXPROCS(n) changes it with a stop-the-world.',
    runtimeNames: ['gomaxprocs', 'procresize'],
  },
  {
    term: 'runnext',
    aliases: ['run next'],
    definition:
      'A one-G slot on each P that is run before the local run queue. A new goroutine (go statement) and a goroutine woken by a ' +
      'channel or lock go there, bumping the previous occupant to the tail of the local queue. A G taken from runnext inherits ' +
      'the current time slice.',
    runtimeNames: ['p.runnext', 'runqput', 'runqget'],
  },
  {
    term: 'local run queue',
    aliases: ['local queue', 'LRQ', 'runq'],
    definition:
      'Each P\'s ring of up to 256 runnable Gs (plus runnext). When it is full, runqputslow moves the oldest 128 plus the new G to ' +
      'the global run queue. An M whose P runs out of work may steal half of it (rounded up).',
    runtimeNames: ['p.runq', 'runqput', 'runqputslow', 'runqget'],
  },
  {
    term: 'global run queue',
    aliases: ['global queue', 'GRQ'],
    definition:
      'One unbounded FIFO of runnable Gs shared by all Ps. Gosched, preemption, local-queue overflow and a syscall exit without a ' +
      'free P put Gs there. A P looks at it when its local queue is empty, and every 61st schedule first, so it cannot starve.',
    runtimeNames: ['sched.runq', 'globrunqput', 'globrunqget'],
  },
  {
    term: 'sysmon',
    aliases: ['system monitor'],
    definition:
      'A runtime thread that runs without a P. It wakes every 20 µs to 10 ms and preempts Gs that have run 10 ms, retakes Ps from ' +
      'Ms blocked in syscalls, polls the network if nobody has for 10 ms, and forces a GC every 2 minutes.',
    runtimeNames: ['sysmon', 'retake', 'preemptone'],
  },
  {
    term: 'netpoller',
    aliases: ['network poller', 'netpoll', 'epoll'],
    definition:
      'The runtime\'s wrapper around epoll/kqueue/IOCP. A goroutine waiting on a socket parks in it ([IO wait]) without holding a ' +
      'thread; Ms poll it while looking for work (and one M may block in it), and ready goroutines are put back on run queues.',
    runtimeNames: ['netpoll', 'netpollblock', 'injectglist'],
  },
  {
    term: 'spinning M',
    aliases: ['spinning thread', 'spinning'],
    definition:
      'An M that holds a P but has no G and is actively looking for work (other Ps\' queues, the global queue, the netpoller). ' +
      'At most half the busy Ps have one; a spinner that finds work wakes another (wakep), so threads start one at a time.',
    runtimeNames: ['m.spinning', 'sched.nmspinning', 'wakep', 'resetspinning'],
  },
  {
    term: 'hand-off',
    aliases: ['handoff', 'P hand-off', 'handoffp'],
    definition:
      'Giving a P to another M when its own M cannot use it: sysmon retakes the P of an M stuck in a syscall or cgo call, and ' +
      'handoffp starts (or creates) an M for it if there is work. This is why blocking syscalls make the thread count grow.',
    runtimeNames: ['handoffp', 'retake', 'entersyscall', 'exitsyscall'],
  },
  {
    term: 'work stealing',
    aliases: ['steal', 'stealing'],
    definition:
      'An M with an empty P takes half (rounded up) of another P\'s local run queue, visiting the Ps in random order for up to 4 ' +
      'passes; a P\'s runnext is taken only on the last pass.',
    runtimeNames: ['stealWork', 'runqsteal', 'runqgrab'],
  },
  {
    term: 'preemption',
    aliases: ['preempt', 'async preemption', 'time slice'],
    definition:
      'Stopping a goroutine that has run 10 ms so others get the CPU. sysmon asks; since Go 1.14 it also sends the thread a signal ' +
      '(SIGURG) so even a loop without function calls stops (asynchronous preemption) — unless it is at an unsafe point (runtime ' +
      'code, holding a runtime lock): then it stops at the next safe point. The preempted G goes to the global queue.',
    runtimeNames: ['preemptone', 'forcePreemptNS', 'asyncPreempt', 'gopreempt_m'],
  },
  {
    term: 'deadlock',
    aliases: ['all goroutines are asleep'],
    definition:
      'When every M is idle and every goroutine is blocked with no timer pending, checkdead stops the program with "fatal error: all ' +
      'goroutines are asleep - deadlock!". A goroutine waiting on the network or in a syscall, or a cgo-linked binary hides it: ' +
      'the program just hangs; so does a running Ticker before Go 1.23. A pending one-shot timer only delays the report until it fires.',
    runtimeNames: ['checkdead'],
  },
];

/** The entry for a term or one of its aliases (case-insensitive), if any. */
export function lookupTerm(term: string): GlossaryEntry | undefined {
  const t = term.trim().toLowerCase();
  return GLOSSARY.find((e) => e.term.toLowerCase() === t || e.aliases.some((a) => a.toLowerCase() === t));
}
