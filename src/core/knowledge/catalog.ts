// The one catalog of library calls the scheduler cares about. Diagnostics, hovers, the facts
// extractor and the interpreter all look calls up here, so the tutor says one thing about each call.
//
// Every `what` sentence paraphrases runtime-facts.md (Go 1.19 as the reference, later changes noted):
// a blocking system call keeps its M (entersyscall) and sysmon may hand its P to another M (§7);
// network I/O parks the G in the netpoller and holds no M (§8); a cgo call is a syscall for the
// scheduler (§7.5); sleeps and timers live in the P's timer heap (§11); sync primitives park on
// runtime semaphores (§10).
//
// Durations are defaults for the simulator when the program gives no better figure: order-of-magnitude
// models of a Linux machine with a warm page cache and a loopback network, not measurements.

/** How a call interacts with the scheduler. */
export type CallKind =
  /** A system call that blocks its OS thread (entersyscall): file and OS operations. */
  | 'syscall'
  /** Network I/O on a pollable fd: the G parks in the netpoller (IO wait), no thread is held. */
  | 'netio'
  /** A call into C through cgocall: entersyscall, the thread runs C code. */
  | 'cgo'
  /** time.Sleep: parks the G on a timer. */
  | 'sleep'
  /** Timers, tickers and timer channels. */
  | 'timer'
  /** Reading the clock (time.Now, time.Since): no parking, no system call. */
  | 'clock'
  /** Channel builtins (close). */
  | 'chan'
  /** sync and sync/atomic. */
  | 'sync'
  /** The runtime package (GOMAXPROCS, Gosched, LockOSThread, …) and process exit. */
  | 'runtime'
  /** Waiting for a child process (os/exec): wait4/waitid block a thread for the child's lifetime. */
  | 'exec-wait'
  /** context: cancellation channels and deadline timers. */
  | 'context';

/**
 * How the fd behind an I/O value behaves: 'file' = blocking system calls (regular files, terminals),
 * 'poll' = registered with the netpoller (sockets, os.Pipe ends).
 */
export type IoNature = 'file' | 'poll';

export interface CatalogEntry {
  /** `pkg.Name` or `pkg.Type.Method`, with the full import path: `os.ReadFile`, `net/http.Client.Do`. */
  readonly id: string;
  /** Import path: `os`, `net/http`, `sync/atomic`; `C` for cgo; '' for builtins. */
  readonly pkg: string;
  /** Function or method name; '*' for "any C function". */
  readonly name: string;
  /** Receiver type name for methods (`File`, `Conn`, `WaitGroup`). */
  readonly receiver?: string;
  readonly kind: CallKind;
  /** What the runtime does, in one or two sentences a learner can check in the runtime source. */
  readonly what: string;
  /** Default simulated duration in ns (time blocked or spent; Infinity = does not return by itself). */
  readonly defaultNs: number;
  /** The argument that gives the duration (time.Sleep(d), C.sleep(s)) and its unit in ns. */
  readonly durationArg?: { readonly index: number; readonly unitNs: number };
  /** The system call(s) underneath, for hovers: `read(2)`, `wait4(2)`. */
  readonly syscall?: string;
  /** false for syscall.RawSyscall: the runtime is not told (no entersyscall, the P is never handed off). */
  readonly entersyscall?: boolean;
  /** Wait reason the goroutine shows while blocked here (Go 1.19 wording). */
  readonly waitReason?: string;
  /** The wait reason newer Go versions print instead, and since when: `"sync.Mutex.Lock" since Go 1.20`. */
  readonly waitReasonLater?: string;
  /** Result types as Go type text with import paths (`*os.File`, `net.Conn`), for type inference. */
  readonly results?: readonly string[];
  /**
   * The kind depends on the I/O value passed in (io.Copy, io.ReadAll): 'args' = classify by the
   * arguments' fds; 'receiver' = by the receiver's underlying fd (bufio over a file or a socket).
   */
  readonly ioFrom?: 'args' | 'receiver';
  /** Said alongside the explanation when the model is an approximation. */
  readonly note?: string;
}

const US = 1e3;
const MS = 1e6;
const S = 1e9;

const RETAKE =
  'if it outlasts a sysmon tick (≥ 20 µs) while Gs wait on its P or no other P is free, or in any case after 10 ms, sysmon ' +
  'retakes the P and hands it off (retake → handoffp)';
const FILE_NOTE =
  'Regular files are not pollable: every read or write is a system call that holds the thread (the netpoller only helps for sockets and pipes).';

const entries: CatalogEntry[] = [];

function add(e: Omit<CatalogEntry, 'id'>): void {
  const id = `${e.pkg === '' ? 'builtin' : e.pkg}.${e.receiver ? e.receiver + '.' : ''}${e.name}`;
  entries.push({ id, ...e });
}

/** A blocking file/OS system call: entersyscall, the thread waits in the kernel. */
function sys(
  pkg: string,
  receiver: string | undefined,
  name: string,
  syscall: string,
  defaultNs: number,
  extra: Partial<CatalogEntry> = {},
): void {
  add({
    pkg,
    name,
    receiver,
    kind: 'syscall',
    syscall,
    defaultNs,
    entersyscall: true,
    what: `${syscall} blocks its OS thread (entersyscall: the G is in _Gsyscall and keeps its M); ${RETAKE}.`,
    ...extra,
  });
}

// ---- os: files and the file system ------------------------------------------------------------
sys('os', undefined, 'Open', 'openat(2)', 10 * US, { results: ['*os.File', 'error'] });
sys('os', undefined, 'Create', 'openat(2) with O_CREAT|O_TRUNC', 15 * US, { results: ['*os.File', 'error'] });
sys('os', undefined, 'OpenFile', 'openat(2)', 10 * US, { results: ['*os.File', 'error'] });
sys('os', undefined, 'ReadFile', 'openat + fstat + read(2) on a regular file', 50 * US, {
  results: ['[]byte', 'error'],
  what:
    `read(2) on a regular file blocks its OS thread (entersyscall); ${RETAKE}, so the thread count can grow.`,
  note: FILE_NOTE,
});
sys('os', undefined, 'WriteFile', 'openat + write(2) on a regular file', 80 * US, { results: ['error'] });
sys('os', 'File', 'Read', 'read(2) on a regular file', 20 * US, { results: ['int', 'error'], note: FILE_NOTE });
sys('os', 'File', 'ReadAt', 'pread64(2)', 20 * US, { results: ['int', 'error'] });
sys('os', 'File', 'Write', 'write(2) on a regular file', 20 * US, { results: ['int', 'error'], note: FILE_NOTE });
sys('os', 'File', 'WriteAt', 'pwrite64(2)', 20 * US, { results: ['int', 'error'] });
sys('os', 'File', 'WriteString', 'write(2)', 20 * US, { results: ['int', 'error'] });
sys('os', 'File', 'ReadFrom', 'copy_file_range/sendfile/read+write', 100 * US, { results: ['int64', 'error'] });
sys('os', 'File', 'Close', 'close(2)', 5 * US, { results: ['error'] });
sys('os', 'File', 'Sync', 'fsync(2) (waits for the disk)', 2 * MS, { results: ['error'] });
sys('os', 'File', 'Seek', 'lseek(2)', 2 * US, { results: ['int64', 'error'] });
sys('os', 'File', 'Stat', 'fstat(2)', 3 * US, { results: ['os.FileInfo', 'error'] });
sys('os', 'File', 'Truncate', 'ftruncate(2)', 10 * US, { results: ['error'] });
sys('os', 'File', 'Chmod', 'fchmod(2)', 5 * US, { results: ['error'] });
sys('os', 'File', 'ReadDir', 'getdents64(2)', 30 * US, { results: ['[]os.DirEntry', 'error'] });
sys('os', 'File', 'Readdir', 'getdents64(2) + lstat(2) per entry', 60 * US, { results: ['[]os.FileInfo', 'error'] });
sys('os', 'File', 'Readdirnames', 'getdents64(2)', 30 * US, { results: ['[]string', 'error'] });
sys('os', undefined, 'Stat', 'newfstatat(2)', 5 * US, { results: ['os.FileInfo', 'error'] });
sys('os', undefined, 'Lstat', 'newfstatat(2) with AT_SYMLINK_NOFOLLOW', 5 * US, { results: ['os.FileInfo', 'error'] });
sys('os', undefined, 'Remove', 'unlinkat(2)', 15 * US, { results: ['error'] });
sys('os', undefined, 'RemoveAll', 'unlinkat(2) per entry', 200 * US, { results: ['error'] });
sys('os', undefined, 'Rename', 'renameat(2)', 15 * US, { results: ['error'] });
sys('os', undefined, 'Mkdir', 'mkdirat(2)', 15 * US, { results: ['error'] });
sys('os', undefined, 'MkdirAll', 'newfstatat + mkdirat(2) per missing directory', 40 * US, { results: ['error'] });
sys('os', undefined, 'MkdirTemp', 'mkdirat(2)', 20 * US, { results: ['string', 'error'] });
sys('os', undefined, 'CreateTemp', 'openat(2) with O_CREAT|O_EXCL', 20 * US, { results: ['*os.File', 'error'] });
sys('os', undefined, 'ReadDir', 'openat + getdents64(2)', 40 * US, { results: ['[]os.DirEntry', 'error'] });
sys('os', undefined, 'Chdir', 'chdir(2)', 5 * US, { results: ['error'] });
sys('os', undefined, 'Chmod', 'fchmodat(2)', 5 * US, { results: ['error'] });
sys('os', undefined, 'Chtimes', 'utimensat(2)', 5 * US, { results: ['error'] });
sys('os', undefined, 'Truncate', 'truncate(2)', 10 * US, { results: ['error'] });
sys('os', undefined, 'Symlink', 'symlinkat(2)', 10 * US, { results: ['error'] });
sys('os', undefined, 'Link', 'linkat(2)', 10 * US, { results: ['error'] });
sys('os', undefined, 'Readlink', 'readlinkat(2)', 5 * US, { results: ['string', 'error'] });
sys('os', undefined, 'Getwd', 'getcwd(2) (after stat calls)', 5 * US, { results: ['string', 'error'] });
add({
  pkg: 'os',
  name: 'Pipe',
  kind: 'syscall',
  syscall: 'pipe2(2)',
  defaultNs: 5 * US,
  entersyscall: true,
  results: ['*os.File@poll', '*os.File@poll', 'error'],
  what:
    'pipe2(2) creates the pipe (a short system call, entersyscall); both ends are set non-blocking and registered with the netpoller, ' +
    'so later reads and writes park the goroutine (IO wait) instead of holding a thread.',
});
add({
  pkg: 'os',
  name: 'Exit',
  kind: 'runtime',
  defaultNs: 0,
  what:
    'exit_group(2): the process ends at once with the given status. Deferred calls do not run and every other goroutine ' +
    'is discarded.',
});

// ---- io and bufio (the kind comes from the fd underneath) ---------------------------------------
const IO_ARGS_NOTE =
  'The cost is that of the underlying reads and writes: on an *os.File each one is a blocking read(2)/write(2) that ' +
  'holds the thread; on a socket or pipe the goroutine parks in the netpoller instead.';
for (const [name, results, ns] of [
  ['ReadAll', ['[]byte', 'error'], 50 * US],
  ['Copy', ['int64', 'error'], 100 * US],
  ['CopyN', ['int64', 'error'], 100 * US],
  ['CopyBuffer', ['int64', 'error'], 100 * US],
  ['ReadFull', ['int', 'error'], 20 * US],
  ['ReadAtLeast', ['int', 'error'], 20 * US],
  ['WriteString', ['int', 'error'], 20 * US],
] as const) {
  sys('io', undefined, name, 'read(2)/write(2) on the file', ns, {
    results,
    ioFrom: 'args',
    what:
      `Loops over the reader's Read (and the writer's Write): on a file each is read(2)/write(2) blocking its OS thread ` +
      `(entersyscall), and ${RETAKE}.`,
    note: IO_ARGS_NOTE,
  });
}
sys('io/ioutil', undefined, 'ReadFile', 'openat + read(2)', 50 * US, { results: ['[]byte', 'error'], note: 'Deprecated alias of os.ReadFile.' });
sys('io/ioutil', undefined, 'WriteFile', 'openat + write(2)', 80 * US, { results: ['error'], note: 'Deprecated alias of os.WriteFile.' });
sys('io/ioutil', undefined, 'ReadAll', 'read(2)', 50 * US, { results: ['[]byte', 'error'], ioFrom: 'args', note: IO_ARGS_NOTE });
sys('io/ioutil', undefined, 'ReadDir', 'getdents64(2)', 40 * US, { results: ['[]os.FileInfo', 'error'] });

const BUFIO_NOTE =
  'Approximate: bufio calls the underlying Read/Write only when its buffer is empty (reads) or full (writes, Flush); ' +
  'most calls are served from the buffer without any system call.';
for (const [recv, name, results] of [
  ['Reader', 'Read', ['int', 'error']],
  ['Reader', 'ReadString', ['string', 'error']],
  ['Reader', 'ReadBytes', ['[]byte', 'error']],
  ['Reader', 'ReadLine', ['[]byte', 'bool', 'error']],
  ['Reader', 'ReadRune', ['rune', 'int', 'error']],
  ['Reader', 'ReadByte', ['byte', 'error']],
  ['Reader', 'ReadSlice', ['[]byte', 'error']],
  ['Reader', 'Peek', ['[]byte', 'error']],
  ['Scanner', 'Scan', ['bool']],
  ['Writer', 'Write', ['int', 'error']],
  ['Writer', 'WriteString', ['int', 'error']],
  ['Writer', 'WriteByte', ['error']],
  ['Writer', 'WriteRune', ['int', 'error']],
  ['Writer', 'Flush', ['error']],
] as const) {
  sys('bufio', recv, name, recv === 'Writer' ? 'write(2) when the buffer is flushed' : 'read(2) when the buffer is empty', 10 * US, {
    results,
    ioFrom: 'receiver',
    note: BUFIO_NOTE,
  });
}

// ---- syscall: direct system calls -------------------------------------------------------------------
sys('syscall', undefined, 'Read', 'read(2)', 20 * US, { results: ['int', 'error'] });
sys('syscall', undefined, 'Write', 'write(2)', 20 * US, { results: ['int', 'error'] });
sys('syscall', undefined, 'Pread', 'pread64(2)', 20 * US, { results: ['int', 'error'] });
sys('syscall', undefined, 'Pwrite', 'pwrite64(2)', 20 * US, { results: ['int', 'error'] });
sys('syscall', undefined, 'Open', 'openat(2)', 10 * US, { results: ['int', 'error'] });
sys('syscall', undefined, 'Close', 'close(2)', 5 * US, { results: ['error'] });
sys('syscall', undefined, 'Fsync', 'fsync(2)', 2 * MS, { results: ['error'] });
sys('syscall', undefined, 'Accept', 'accept(2) on a blocking socket', 1 * MS, { results: ['int', 'syscall.Sockaddr', 'error'] });
sys('syscall', undefined, 'Connect', 'connect(2) on a blocking socket', 100 * US, { results: ['error'] });
sys('syscall', undefined, 'Wait4', 'wait4(2)', 2 * MS, { results: ['int', 'error'] });
sys('syscall', undefined, 'Nanosleep', 'nanosleep(2)', 1 * MS, {
  results: ['error'],
  what: `nanosleep(2) sleeps in the kernel and holds its OS thread (entersyscall), unlike time.Sleep which parks only the goroutine; ${RETAKE}.`,
});
sys('syscall', undefined, 'Syscall', 'the raw system call (trap number in the first argument)', 20 * US, {
  results: ['uintptr', 'uintptr', 'syscall.Errno'],
  what: `Wraps the system call in entersyscall/exitsyscall: the thread waits in the kernel as a G in _Gsyscall; ${RETAKE}.`,
});
sys('syscall', undefined, 'Syscall6', 'the raw system call (trap number in the first argument)', 20 * US, {
  results: ['uintptr', 'uintptr', 'syscall.Errno'],
  what: `Wraps the system call in entersyscall/exitsyscall: the thread waits in the kernel as a G in _Gsyscall; ${RETAKE}.`,
});
for (const name of ['RawSyscall', 'RawSyscall6']) {
  add({
    pkg: 'syscall',
    name,
    kind: 'syscall',
    syscall: 'the raw system call, without telling the runtime',
    defaultNs: 1 * US,
    entersyscall: false,
    results: ['uintptr', 'uintptr', 'syscall.Errno'],
    what:
      'Does NOT enter the scheduler: no entersyscall, so the G stays _Grunning and keeps its P while the thread is in the ' +
      'kernel; sysmon cannot hand the P off. Meant only for calls that never block.',
    note: 'A RawSyscall that blocks stalls its P: the Gs queued on it wait unless another P steals them.',
  });
}

// ---- os/exec: child processes -------------------------------------------------------------------------
const WAIT4 =
  'waits for the child with waitid/wait4(2), a blocking system call that holds its OS thread (entersyscall) for the ' +
  "child's whole lifetime; sysmon retakes its P and hands it off (retake → handoffp) so other goroutines keep running.";
add({
  pkg: 'os/exec',
  receiver: 'Cmd',
  name: 'Run',
  kind: 'exec-wait',
  syscall: 'clone + execve, then waitid/wait4(2)',
  defaultNs: 2 * MS,
  entersyscall: true,
  results: ['error'],
  what: `Starts the child (fork/exec) and ${WAIT4}`,
});
add({
  pkg: 'os/exec',
  receiver: 'Cmd',
  name: 'Output',
  kind: 'exec-wait',
  syscall: 'clone + execve, then waitid/wait4(2)',
  defaultNs: 2 * MS,
  entersyscall: true,
  results: ['[]byte', 'error'],
  what: `Starts the child, reads its stdout through a pipe (netpoller), and ${WAIT4}`,
});
add({
  pkg: 'os/exec',
  receiver: 'Cmd',
  name: 'CombinedOutput',
  kind: 'exec-wait',
  syscall: 'clone + execve, then waitid/wait4(2)',
  defaultNs: 2 * MS,
  entersyscall: true,
  results: ['[]byte', 'error'],
  what: `Starts the child, reads its stdout and stderr through a pipe (netpoller), and ${WAIT4}`,
});
add({
  pkg: 'os/exec',
  receiver: 'Cmd',
  name: 'Wait',
  kind: 'exec-wait',
  syscall: 'waitid/wait4(2)',
  defaultNs: 2 * MS,
  entersyscall: true,
  results: ['error'],
  what: `Waits for a started child: ${WAIT4}`,
});
sys('os/exec', 'Cmd', 'Start', 'clone + execve (fork/exec)', 500 * US, {
  results: ['error'],
  what: `fork/exec of the child: clone(2) and the exec handshake block the thread briefly (entersyscall); ${RETAKE}.`,
});
add({
  pkg: 'os',
  receiver: 'Process',
  name: 'Wait',
  kind: 'exec-wait',
  syscall: 'waitid/wait4(2)',
  defaultNs: 2 * MS,
  entersyscall: true,
  results: ['*os.ProcessState', 'error'],
  what: `Waits for the process: ${WAIT4}`,
});

// ---- net: sockets through the netpoller --------------------------------------------------------------
const PARK = 'parks the goroutine in the netpoller (IO wait); no thread is held';
function net(
  pkg: string,
  receiver: string | undefined,
  name: string,
  what: string,
  defaultNs: number,
  results: readonly string[],
  extra: Partial<CatalogEntry> = {},
): void {
  add({ pkg, receiver, name, kind: 'netio', what, defaultNs, results, waitReason: 'IO wait', ...extra });
}
net('net', undefined, 'Dial', `connect(2) on a non-blocking socket, then ${PARK} until the connection is established.`, 100 * US, ['net.Conn', 'error']);
net('net', undefined, 'DialTimeout', `connect(2) on a non-blocking socket, then ${PARK}, with a deadline timer.`, 100 * US, ['net.Conn', 'error']);
net('net', undefined, 'DialTCP', `connect(2) on a non-blocking socket, then ${PARK}.`, 100 * US, ['*net.TCPConn', 'error']);
net('net', undefined, 'DialUDP', 'socket + connect(2) on a non-blocking UDP socket registered with the netpoller; returns at once.', 20 * US, ['*net.UDPConn', 'error']);
net('net', 'Dialer', 'Dial', `connect(2) on a non-blocking socket, then ${PARK}.`, 100 * US, ['net.Conn', 'error']);
net('net', 'Dialer', 'DialContext', `connect(2) on a non-blocking socket, then ${PARK}; the context can cancel the wait.`, 100 * US, ['net.Conn', 'error']);
const LISTEN =
  'socket + bind + listen(2) on a non-blocking socket registered with the netpoller (epoll_ctl); returns at once, nothing parks.';
net('net', undefined, 'Listen', LISTEN, 30 * US, ['net.Listener', 'error']);
net('net', undefined, 'ListenTCP', LISTEN, 30 * US, ['*net.TCPListener', 'error']);
net('net', undefined, 'ListenUnix', LISTEN, 30 * US, ['*net.UnixListener', 'error']);
net('net', undefined, 'ListenPacket', 'socket + bind(2) on a non-blocking socket registered with the netpoller; returns at once.', 30 * US, ['net.PacketConn', 'error']);
net('net', undefined, 'ListenUDP', 'socket + bind(2) on a non-blocking socket registered with the netpoller; returns at once.', 30 * US, ['*net.UDPConn', 'error']);
const ACCEPT = `accept4(2) on the non-blocking listening socket; with no pending connection it ${PARK} until a client connects.`;
net('net', 'Listener', 'Accept', ACCEPT, 1 * MS, ['net.Conn', 'error'], {
  note: 'The simulator has no real clients: a connection "arrives" after the default delay.',
});
net('net', 'TCPListener', 'AcceptTCP', ACCEPT, 1 * MS, ['*net.TCPConn', 'error']);
net('net', 'Listener', 'Close', 'close(2) on the socket; goroutines parked in Accept in the netpoller are woken with an error.', 5 * US, ['error']);
net('net', 'Conn', 'Read', `read(2) on a non-blocking socket; with no data it ${PARK}.`, 100 * US, ['int', 'error']);
net('net', 'Conn', 'Write', `write(2) on a non-blocking socket; if the send buffer is full it ${PARK}.`, 20 * US, ['int', 'error']);
net('net', 'Conn', 'Close', 'close(2) on the socket; goroutines parked on it in the netpoller are woken with an error.', 5 * US, ['error']);
net('net', 'PacketConn', 'ReadFrom', `recvfrom(2) on a non-blocking socket; with no datagram it ${PARK}.`, 100 * US, ['int', 'net.Addr', 'error']);
net('net', 'PacketConn', 'WriteTo', 'sendto(2) on a non-blocking socket; parks in the netpoller only if the buffer is full.', 20 * US, ['int', 'error']);
const DNS_NOTE =
  'With the pure-Go resolver the queries go through the netpoller; with the cgo resolver (getaddrinfo) the lookup is a cgo ' +
  'call that holds its thread.';
net('net', undefined, 'LookupHost', `A DNS query over UDP/TCP: the goroutine ${PARK.replace('parks the goroutine', 'parks')}.`, 1 * MS, ['[]string', 'error'], { note: DNS_NOTE });
net('net', undefined, 'LookupIP', `A DNS query over UDP/TCP: the goroutine ${PARK.replace('parks the goroutine', 'parks')}.`, 1 * MS, ['[]net.IP', 'error'], { note: DNS_NOTE });
net('net', undefined, 'LookupAddr', `A reverse DNS query: the goroutine ${PARK.replace('parks the goroutine', 'parks')}.`, 1 * MS, ['[]string', 'error'], { note: DNS_NOTE });

// ---- net/http: everything goes through the netpoller ---------------------------------------------
const ROUND_TRIP =
  'A whole HTTP round trip (dial, write the request, read the response headers) through the netpoller: the calling ' +
  'goroutine parks (IO wait, or on the Transport\'s channels while its readLoop/writeLoop goroutines use the connection); ' +
  'no thread is held.';
for (const [recv, name] of [
  [undefined, 'Get'],
  [undefined, 'Post'],
  [undefined, 'PostForm'],
  [undefined, 'Head'],
  ['Client', 'Do'],
  ['Client', 'Get'],
  ['Client', 'Post'],
  ['Client', 'PostForm'],
  ['Client', 'Head'],
] as const) {
  net('net/http', recv, name, ROUND_TRIP, 2 * MS, ['*net/http.Response', 'error']);
}
const SERVE =
  'Loops forever: Accept parks in the netpoller (IO wait) until a client connects, then one goroutine per connection ' +
  '(go c.serve) handles it. It returns only with an error.';
for (const [recv, name] of [
  [undefined, 'ListenAndServe'],
  [undefined, 'ListenAndServeTLS'],
  [undefined, 'Serve'],
  ['Server', 'ListenAndServe'],
  ['Server', 'ListenAndServeTLS'],
  ['Server', 'Serve'],
] as const) {
  net('net/http', recv, name, SERVE, Number.POSITIVE_INFINITY, ['error']);
}
net(
  'net/http',
  'Server',
  'Shutdown',
  'Closes the listeners (goroutines parked in Accept in the netpoller wake with an error), then polls with a timer (at most ' +
    'every 500 ms) until every connection is idle or the context ends.',
  1 * MS,
  ['error'],
);

// ---- time -----------------------------------------------------------------------------------------------
add({
  pkg: 'time',
  name: 'Sleep',
  kind: 'sleep',
  defaultNs: 0,
  durationArg: { index: 0, unitNs: 1 },
  waitReason: 'sleep',
  what:
    'Parks the goroutine (wait reason "sleep") on a timer in its P\'s heap; no thread is held. d ≤ 0 returns at once without ' +
    'yielding. When the timer fires, the goroutine goes into the runnext of the P that ran the timer.',
});
const TIMER_CHAN =
  'Its channel has capacity 1 in Go 1.19 (unbuffered since 1.23). A pending timer keeps checkdead from reporting a ' +
  'deadlock (since 1.23 a channel timer is in a heap only while some goroutine waits on it).';
add({
  pkg: 'time',
  name: 'After',
  kind: 'timer',
  defaultNs: 0,
  durationArg: { index: 0, unitNs: 1 },
  results: ['<-chan time.Time'],
  what: `Starts a timer in the current P's heap and returns its channel, which receives the time after d. ${TIMER_CHAN}`,
});
add({
  pkg: 'time',
  name: 'Tick',
  kind: 'timer',
  defaultNs: 0,
  durationArg: { index: 0, unitNs: 1 },
  results: ['<-chan time.Time'],
  what:
    'A Ticker nobody can stop: its timer re-arms every d in the P\'s heap. In Go 1.19 it is never collected, so it stays a ' +
    'pending timer forever (checkdead never reports a deadlock while it exists); since Go 1.23 it is in a heap only while ' +
    'a goroutine waits on its channel.',
});
add({
  pkg: 'time',
  name: 'NewTimer',
  kind: 'timer',
  defaultNs: 0,
  durationArg: { index: 0, unitNs: 1 },
  results: ['*time.Timer'],
  what: `Starts a timer in the current P's heap; its channel C receives the time when it fires. ${TIMER_CHAN}`,
});
add({
  pkg: 'time',
  name: 'NewTicker',
  kind: 'timer',
  defaultNs: 0,
  durationArg: { index: 0, unitNs: 1 },
  results: ['*time.Ticker'],
  what:
    'A timer that re-arms itself every d; each tick does a non-blocking send on C (cap 1 in Go 1.19, unbuffered since 1.23), ' +
    'so slow receivers drop ticks. Until Stop it is a pending timer (since Go 1.23 only while a goroutine waits on C).',
});
add({
  pkg: 'time',
  name: 'AfterFunc',
  kind: 'timer',
  defaultNs: 0,
  durationArg: { index: 0, unitNs: 1 },
  results: ['*time.Timer'],
  what:
    'Starts a timer that runs f in a new goroutine when it fires. While pending it keeps checkdead from reporting a deadlock.',
});
for (const recv of ['Timer', 'Ticker']) {
  add({
    pkg: 'time',
    receiver: recv,
    name: 'Stop',
    kind: 'timer',
    defaultNs: 0,
    results: recv === 'Timer' ? ['bool'] : [],
    what:
      'Marks the timer deleted (removed lazily from the P\'s heap); once removed it no longer keeps checkdead from reporting a ' +
      'deadlock. Stop does not close the channel.',
  });
  add({
    pkg: 'time',
    receiver: recv,
    name: 'Reset',
    kind: 'timer',
    defaultNs: 0,
    durationArg: { index: 0, unitNs: 1 },
    results: recv === 'Timer' ? ['bool'] : [],
    what: 'Re-arms the timer for d from now in the current P\'s heap.',
  });
}
add({
  pkg: 'time',
  name: 'Now',
  kind: 'clock',
  defaultNs: 50,
  results: ['time.Time'],
  what: 'Reads the wall and monotonic clocks through the vDSO: no system call, no scheduling. The simulator reads its virtual clock.',
});
add({
  pkg: 'time',
  name: 'Since',
  kind: 'clock',
  defaultNs: 50,
  results: ['time.Duration'],
  what: 'time.Now().Sub(t) on the monotonic clock (vDSO): no system call, no scheduling. The simulator reads its virtual clock.',
});

// ---- sync ---------------------------------------------------------------------------------------------------
function syncCall(receiver: string, name: string, what: string, extra: Partial<CatalogEntry> = {}): void {
  add({ pkg: 'sync', receiver, name, kind: 'sync', defaultNs: 20, what, ...extra });
}
syncCall(
  'WaitGroup',
  'Add',
  'Adds delta to the counter (an atomic add). When it reaches zero every goroutine blocked in Wait is readied (goready → ' +
    'runnext). Call it before the go statement it counts, never inside that goroutine.',
);
syncCall('WaitGroup', 'Done', 'Add(-1): when the counter reaches zero, every goroutine blocked in Wait is readied (goready → runnext).');
syncCall(
  'WaitGroup',
  'Wait',
  'Returns at once if the counter is zero; otherwise parks the goroutine on a runtime semaphore (wait reason "semacquire" in ' +
    'Go 1.19, "sync.WaitGroup.Wait" since 1.24) until the counter reaches zero.',
  { waitReason: 'semacquire', waitReasonLater: '"sync.WaitGroup.Wait" since Go 1.24' },
);
syncCall(
  'Mutex',
  'Lock',
  'Fast path: one CAS. Contended: may spin briefly (only on a multicore machine with another P running and an empty ' +
    'local run queue), then parks on a semaphore ' +
    '(wait reason "semacquire" in 1.19, "sync.Mutex.Lock" since 1.20). A waiter that waited over 1 ms switches the mutex ' +
    'to starvation mode: Unlock then hands it straight to the first waiter.',
  { waitReason: 'semacquire', waitReasonLater: '"sync.Mutex.Lock" since Go 1.20' },
);
syncCall(
  'Mutex',
  'Unlock',
  'Releases the lock; if a goroutine waits, one is readied into this P\'s runnext (in starvation mode ownership is handed ' +
    'to it and the unlocker yields).',
);
syncCall('Mutex', 'TryLock', 'Takes the lock only if it is free; never blocks or spins.', { results: ['bool'] });
syncCall(
  'RWMutex',
  'Lock',
  'Blocks new readers, waits for active readers to leave, then owns the lock; waiting parks on a semaphore ' +
    '("semacquire" in 1.19, "sync.RWMutex.Lock" since 1.20).',
  { waitReason: 'semacquire', waitReasonLater: '"sync.RWMutex.Lock" since Go 1.20 ("sync.Mutex.Lock" while another writer holds it)' },
);
syncCall('RWMutex', 'Unlock', 'Releases the write lock and readies every reader that queued behind it.');
syncCall(
  'RWMutex',
  'RLock',
  'An atomic add on the reader count; parks on a semaphore only if a writer holds or waits for the lock ' +
    '("semacquire" in 1.19, "sync.RWMutex.RLock" since 1.20).',
  { waitReason: 'semacquire', waitReasonLater: '"sync.RWMutex.RLock" since Go 1.20' },
);
syncCall('RWMutex', 'RUnlock', 'Leaves the read lock; the last reader out readies a waiting writer.');
syncCall('RWMutex', 'TryLock', 'Takes the write lock only if nobody holds the lock; never blocks.', { results: ['bool'] });
syncCall('RWMutex', 'TryRLock', 'Takes a read lock only if no writer holds or waits for the lock; never blocks.', { results: ['bool'] });
syncCall(
  'Once',
  'Do',
  'The first caller runs f; callers that arrive while f runs block on the Once\'s mutex until it returns; later calls return at once.',
  { waitReason: 'semacquire', waitReasonLater: '"sync.Mutex.Lock" since Go 1.20' },
);
syncCall(
  'Cond',
  'Wait',
  'Unlocks c.L, parks the goroutine on the notify list (wait reason "sync.Cond.Wait"), and re-locks c.L after a Signal or ' +
    'Broadcast wakes it.',
  { waitReason: 'sync.Cond.Wait' },
);
syncCall('Cond', 'Signal', 'Readies the goroutine that has waited longest on the notify list (if any).');
syncCall('Cond', 'Broadcast', 'Readies every goroutine waiting on the notify list.');
add({ pkg: 'sync', name: 'NewCond', kind: 'sync', defaultNs: 20, results: ['*sync.Cond'], what: 'Creates a Cond bound to the Locker l; no scheduling effect.' });

// ---- sync/atomic ------------------------------------------------------------------------------------------
const ATOMIC =
  'One atomic CPU instruction, inlined by the compiler: it never blocks or yields, and a loop around it has no cooperative ' +
  'preemption point (since Go 1.14 sysmon still preempts such a loop asynchronously).';
const ATOMIC_VALUE =
  'Atomic loads, stores or compare-and-swaps of the type and data words of an interface value (the first Store disables ' +
  'preemption while it sets the type): it never parks the goroutine.';
for (const op of ['Add', 'Load', 'Store', 'Swap', 'CompareAndSwap']) {
  for (const t of ['Int32', 'Int64', 'Uint32', 'Uint64', 'Uintptr', 'Pointer']) {
    if (op === 'Add' && t === 'Pointer') continue;
    add({ pkg: 'sync/atomic', name: op + t, kind: 'sync', defaultNs: 10, what: ATOMIC });
  }
}
for (const t of ['Int32', 'Int64', 'Uint32', 'Uint64', 'Uintptr', 'Bool', 'Pointer', 'Value']) {
  for (const m of ['Load', 'Store', 'Swap', 'CompareAndSwap', 'Add']) {
    if (m === 'Add' && (t === 'Bool' || t === 'Pointer' || t === 'Value')) continue;
    add({ pkg: 'sync/atomic', receiver: t, name: m, kind: 'sync', defaultNs: 10, what: t === 'Value' ? ATOMIC_VALUE : ATOMIC });
  }
}

// ---- runtime ---------------------------------------------------------------------------------------------
function rt(name: string, what: string, extra: Partial<CatalogEntry> = {}): void {
  add({ pkg: 'runtime', name, kind: 'runtime', defaultNs: 0, what, ...extra });
}
rt(
  'GOMAXPROCS',
  'Sets the number of Ps and returns the old value. For n ≥ 1 different from the current value: stop-the-world, then ' +
    'procresize (goroutines queued on removed Ps move to the head of the global queue). n < 1 only reports the value.',
  { defaultNs: 30 * US, results: ['int'] },
);
rt(
  'Gosched',
  'Puts the goroutine at the tail of the global run queue and runs the scheduler; Go 1.19 does not wake another M (1.22+ does).',
  { defaultNs: 100 },
);
rt(
  'LockOSThread',
  'Wires the goroutine to its current M: while it is blocked that M runs nothing else (its P is handed off), and waking it ' +
    'costs two thread switches. If it exits still locked, the thread is destroyed.',
);
rt('UnlockOSThread', 'Undoes one LockOSThread; when the count reaches zero the M may run other goroutines again.');
rt('NumGoroutine', 'Counts live user goroutines (runtime goroutines excluded); no scheduling effect.', { results: ['int'] });
rt('NumCPU', 'The number of CPUs in the process\'s affinity mask at start-up; it never changes.', { results: ['int'] });
rt(
  'Goexit',
  'Runs the goroutine\'s deferred calls and ends it. In main, the other goroutines go on; when they have all finished or ' +
    'blocked the runtime reports "no goroutines (main called runtime.Goexit) - deadlock!".',
);
rt('GC', 'Runs a full collection (stop-the-world at start and end of marking) and blocks the caller until it is complete: it ' +
  'waits for marking (wait reason "wait for GC cycle"), then sweeps the rest of the heap itself before returning.', {
  defaultNs: 1 * MS,
});
add({
  pkg: 'runtime/debug',
  name: 'SetMaxThreads',
  kind: 'runtime',
  defaultNs: 0,
  results: ['int'],
  what:
    'Sets the OS-thread limit (default 10 000). A program that needs one more M than that dies with ' +
    '"fatal error: thread exhaustion".',
});

// ---- context -------------------------------------------------------------------------------------------------
function ctx(name: string, what: string, results: readonly string[] = [], receiver?: string): void {
  add({ pkg: 'context', receiver, name, kind: 'context', defaultNs: 50, what, results });
}
ctx('Background', 'An empty context that is never cancelled: no channel, no timer, no goroutine.', ['context.Context']);
ctx('TODO', 'An empty context that is never cancelled: no channel, no timer, no goroutine.', ['context.Context']);
ctx(
  'WithCancel',
  'Derives a context whose Done channel is closed by cancel(). It registers with a standard parent; for any other parent ' +
    'it starts a goroutine that waits on both Done channels.',
  ['context.Context', 'context.CancelFunc'],
);
ctx(
  'WithTimeout',
  'WithCancel plus a timer (AfterFunc) in the current P\'s heap that cancels at the deadline. Until cancel is called or the ' +
    'deadline passes the timer is pending, which keeps checkdead from reporting a deadlock.',
  ['context.Context', 'context.CancelFunc'],
);
ctx(
  'WithDeadline',
  'WithCancel plus a timer (AfterFunc) in the current P\'s heap that cancels at the deadline; while pending it keeps checkdead ' +
    'from reporting a deadlock.',
  ['context.Context', 'context.CancelFunc'],
);
ctx('WithValue', 'Wraps the parent with a key/value pair; no scheduling effect.', ['context.Context']);
ctx(
  'CancelFunc',
  'Closes the Done channel (every goroutine waiting on it is readied), cancels the children and stops the deadline timer. ' +
    'Calls after the first do nothing.',
);
ctx(
  'Done',
  'Returns the channel that is closed on cancellation; receiving from it parks the goroutine ("chan receive", or "select").',
  ['<-chan struct{}'],
  'Context',
);
ctx('Err', 'nil until Done is closed, then Canceled or DeadlineExceeded; never blocks.', ['error'], 'Context');

// ---- cgo -----------------------------------------------------------------------------------------------------
const CGOCALL =
  'cgocall: entersyscall, then the C function runs on the M\'s system stack. The G is in _Gsyscall and keeps its thread, ' +
  `so for scheduling a C call is a blocking system call: ${RETAKE}.`;
add({
  pkg: 'C',
  name: '*',
  kind: 'cgo',
  defaultNs: 10 * US,
  entersyscall: true,
  what: CGOCALL,
  note: 'The C function\'s own running time is unknown; the simulator assumes the default.',
});
for (const [name, unitNs] of [
  ['sleep', S],
  ['usleep', US],
] as const) {
  add({ pkg: 'C', name, kind: 'cgo', defaultNs: 0, durationArg: { index: 0, unitNs }, entersyscall: true, what: `${CGOCALL} ${name}(3) holds the thread for the whole sleep.` });
}
add({
  pkg: 'C',
  name: 'CString',
  kind: 'cgo',
  defaultNs: 1 * US,
  entersyscall: true,
  what: 'Copies a Go string into C memory allocated with malloc, which is itself a cgo call (entersyscall around malloc).',
});
add({
  pkg: 'C',
  name: 'CBytes',
  kind: 'cgo',
  defaultNs: 1 * US,
  entersyscall: true,
  what: 'Copies a Go byte slice into C memory allocated with malloc, itself a cgo call (entersyscall around malloc).',
});

// ---- builtins --------------------------------------------------------------------------------------------------
add({
  pkg: '',
  name: 'close',
  kind: 'chan',
  defaultNs: 50,
  what:
    'Marks the channel closed and readies every waiting receiver (zero value, ok = false) and every waiting sender (which ' +
    'then panics); the first waiter ends up in this P\'s runnext. Closing a nil or closed channel panics.',
});

// ---- lookup ------------------------------------------------------------------------------------------------------

/** Every entry, in catalog order. */
export const CATALOG: readonly CatalogEntry[] = entries;

const byId = new Map<string, CatalogEntry>();
const byKey = new Map<string, CatalogEntry>();
for (const e of entries) {
  byId.set(e.id, e);
  byKey.set(key(e.pkg, e.name, e.receiver), e);
}

function key(pkg: string, name: string, receiver?: string): string {
  return `${pkg}\u0000${receiver ?? ''}\u0000${name}`;
}

/**
 * Concrete types whose methods are those of a catalogued interface or sibling type
 * (`*net.TCPConn` reads like `net.Conn`; `*net.TCPListener` accepts like `net.Listener`).
 */
export const RECEIVER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['net.TCPConn', 'Conn'],
  ['net.UDPConn', 'Conn'],
  ['net.UnixConn', 'Conn'],
  ['net.IPConn', 'Conn'],
  ['net.TCPListener', 'Listener'],
  ['net.UnixListener', 'Listener'],
  ['net.UDPConn/ReadFrom', 'PacketConn'],
  ['net.UDPConn/WriteTo', 'PacketConn'],
]);

/**
 * The catalog entry for a call, or undefined when the scheduler does not care about it.
 * `pkgPath` is the import path (`os`, `net/http`, `C`, '' for builtins); `receiverType` the receiver's
 * type name without package or `*` (`File`, `WaitGroup`).
 */
export function lookupCall(pkgPath: string, name: string, receiverType?: string): CatalogEntry | undefined {
  const direct = byKey.get(key(pkgPath, name, receiverType));
  if (direct) return direct;
  if (receiverType) {
    const alias =
      RECEIVER_ALIASES.get(`${pkgPath}.${receiverType}/${name}`) ?? RECEIVER_ALIASES.get(`${pkgPath}.${receiverType}`);
    if (alias) return byKey.get(key(pkgPath, name, alias));
    return undefined;
  }
  if (pkgPath === 'C') return byKey.get(key('C', '*'));
  return undefined;
}

export function catalogEntry(id: string): CatalogEntry | undefined {
  return byId.get(id);
}

/** Duration the call blocks for, from a constant argument when the entry has one, else its default. */
export function simulatedNs(entry: CatalogEntry, constArgs: readonly (number | null)[] = []): number {
  if (entry.durationArg) {
    const v = constArgs[entry.durationArg.index];
    if (typeof v === 'number' && Number.isFinite(v)) return Math.max(0, v * entry.durationArg.unitNs);
  }
  return entry.defaultNs;
}

// ---- types the facts extractor needs beyond the entries' results -------------------------------------------

/** Result types of constructors that are not scheduler calls themselves (for type inference). */
export const CONSTRUCTOR_RESULTS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['os/exec.Command', ['*os/exec.Cmd']],
  ['os/exec.CommandContext', ['*os/exec.Cmd']],
  ['os/exec.Cmd.StdoutPipe', ['io.ReadCloser@poll', 'error']],
  ['os/exec.Cmd.StderrPipe', ['io.ReadCloser@poll', 'error']],
  ['os/exec.Cmd.StdinPipe', ['io.WriteCloser@poll', 'error']],
  ['os.NewFile', ['*os.File']],
  ['bufio.NewReader', ['*bufio.Reader']],
  ['bufio.NewReaderSize', ['*bufio.Reader']],
  ['bufio.NewWriter', ['*bufio.Writer']],
  ['bufio.NewWriterSize', ['*bufio.Writer']],
  ['bufio.NewScanner', ['*bufio.Scanner']],
  ['net/http.NewRequest', ['*net/http.Request', 'error']],
  ['net/http.NewRequestWithContext', ['*net/http.Request', 'error']],
  ['sync.NewCond', ['*sync.Cond']],
  ['net.Listener.Addr', ['net.Addr']],
  ['net.Conn.LocalAddr', ['net.Addr']],
  ['net.Conn.RemoteAddr', ['net.Addr']],
  ['net.Addr.String', ['string']],
]);

/** Package-level variables with a known type (`os.Stdin` is an *os.File). */
export const PACKAGE_VARS: ReadonlyMap<string, string> = new Map([
  ['os.Stdin', '*os.File'],
  ['os.Stdout', '*os.File'],
  ['os.Stderr', '*os.File'],
  ['net/http.DefaultClient', '*net/http.Client'],
]);

/** Struct fields with a known type (the body of an HTTP response is a network stream). */
export const FIELD_TYPES: ReadonlyMap<string, string> = new Map([
  ['net/http.Response.Body', 'io.ReadCloser@poll'],
  ['net/http.Request.Body', 'io.ReadCloser@poll'],
  ['time.Timer.C', '<-chan time.Time'],
  ['time.Ticker.C', '<-chan time.Time'],
]);

/**
 * `C.name` is a C type: the numeric types cgo predeclares, `struct_…`/`union_…`/`enum_…`/`…_t`
 * names, and `typedefs` declared in the cgo preamble. `C.int(x)` is then a conversion, not a call.
 */
export function isCgoTypeName(name: string, typedefs?: ReadonlySet<string>): boolean {
  if (CGO_TYPES.has(name)) return true;
  if (/^(struct|union|enum)_/.test(name) || /_t$/.test(name)) return true;
  return typedefs?.has(name) ?? false;
}

/**
 * `C.name(x)` that does not call into C: a conversion to a C type, or one of cgo's Go-side helpers
 * (C.GoString, C.GoBytes) that copy memory without a cgocall.
 */
export function isCgoNonCall(name: string, typedefs?: ReadonlySet<string>): boolean {
  return CGO_GO_HELPERS.has(name) || isCgoTypeName(name, typedefs);
}

const CGO_TYPES: ReadonlySet<string> = new Set([
  'char',
  'schar',
  'uchar',
  'short',
  'ushort',
  'int',
  'uint',
  'long',
  'ulong',
  'longlong',
  'ulonglong',
  'float',
  'double',
  'complexfloat',
  'complexdouble',
  'size_t',
  'ssize_t',
  'uintptr_t',
  'intptr_t',
]);

const CGO_GO_HELPERS: ReadonlySet<string> = new Set(['GoString', 'GoStringN', 'GoBytes']);
