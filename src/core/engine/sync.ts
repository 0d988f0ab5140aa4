// sync.Mutex, RWMutex, WaitGroup, Once and Cond on top of the runtime's semaphores
// (runtime-facts §10). Waiters queue FIFO; a semrelease readies the waiter into the releaser's
// runnext (goready). Mutex starvation mode (a waiter that waited > 1 ms gets the lock handed to
// it, and the releaser yields) is modelled; active spinning (≤ 4 × 30 PAUSE, < 1 µs) is not.
import { GoPanic } from './actions';
import { Deque } from './deque';
import { G, Wait, type WaitCode } from './entities';
import { MUTEX_STARVATION_NS } from './costs';

export interface SyncHost {
  readonly now: number;
  ready(g: G, waker: G | null, objId: number): void;
  park(g: G, reason: WaitCode, objId: number): void;
  /** goyield: the current G goes to the tail of its P's local queue (after a starvation hand-off). */
  yieldCurrent(g: G): void;
  /** A runtime `throw` (fatal error, not recoverable). */
  fatal(msg: string): void;
}

export const enum SyncOp { Done = 0, Blocked = 1 }

export class Mutex {
  locked = false;
  starving = false;
  readonly waiters = new Deque<G>();
  constructor(readonly id: number) {}
}

/** Returns Done when the lock is held, Blocked when g parked (it retries Lock when woken, unless handed the lock). */
export function mutexLock(host: SyncHost, g: G, mu: Mutex, reason: WaitCode = Wait.MutexLock): SyncOp {
  if (!mu.locked && !(mu.starving && mu.waiters.length > 0)) {
    mu.locked = true;
    if (g.mutexWaitStart >= 0) {
      // A woken waiter acquired it: leave starvation mode if it waited < 1 ms or is the last waiter.
      if (mu.starving && (host.now - g.mutexWaitStart < MUTEX_STARVATION_NS || mu.waiters.length === 0)) mu.starving = false;
      g.mutexWaitStart = -1;
    }
    return SyncOp.Done;
  }
  if (g.mutexWaitStart >= 0) {
    // A re-waiter queues at the front (LIFO) and may switch the mutex to starvation mode.
    if (host.now - g.mutexWaitStart > MUTEX_STARVATION_NS) mu.starving = true;
    mu.waiters.unshift(g);
  } else {
    g.mutexWaitStart = host.now;
    mu.waiters.push(g);
  }
  host.park(g, reason, mu.id);
  return SyncOp.Blocked;
}

/** Unlock. In starvation mode ownership goes straight to the first waiter and the unlocker yields (unless canYield is false). */
export function mutexUnlock(host: SyncHost, g: G, mu: Mutex, canYield = true): void {
  if (!mu.locked) {
    host.fatal('sync: unlock of unlocked mutex');
    return;
  }
  const w = mu.waiters.shift();
  if (!w) {
    mu.locked = false;
    return;
  }
  if (mu.starving) {
    // Starvation mode: hand ownership to the first waiter and yield so it runs at once.
    w.mutexWaitStart = -1;
    w.retry = null;
    if (mu.waiters.length === 0) mu.starving = false;
    host.ready(w, g, mu.id);
    if (canYield) host.yieldCurrent(g);
    return;
  }
  mu.locked = false;
  host.ready(w, g, mu.id);
}

export class RWMutex {
  readers = 0;
  /** A writer holds the writer lock (w) — it is pending until readers drain, then active. */
  writerHeld = false;
  writerActive = false;
  pendingWriter: G | null = null;
  readerWait = 0;
  readonly readerQ = new Deque<G>();
  readonly writerQ = new Deque<G>();
  constructor(readonly id: number) {}
}

export function rwRLock(host: SyncHost, g: G, rw: RWMutex): SyncOp {
  if (rw.writerHeld) {
    rw.readerQ.push(g);
    host.park(g, Wait.RWMutexRLock, rw.id);
    return SyncOp.Blocked;
  }
  rw.readers++;
  return SyncOp.Done;
}

export function rwRUnlock(host: SyncHost, g: G, rw: RWMutex): void {
  if (rw.readers <= 0) {
    host.fatal('sync: RUnlock of unlocked RWMutex');
    return;
  }
  rw.readers--;
  if (rw.pendingWriter && rw.readerWait > 0 && --rw.readerWait === 0) {
    const w = rw.pendingWriter;
    rw.pendingWriter = null;
    rw.writerActive = true;
    host.ready(w, g, rw.id);
  }
}

export function rwLock(host: SyncHost, g: G, rw: RWMutex): SyncOp {
  if (rw.writerHeld) {
    rw.writerQ.push(g);
    host.park(g, Wait.RWMutexLock, rw.id);
    return SyncOp.Blocked;
  }
  return rwAnnounce(host, g, rw);
}

function rwAnnounce(host: SyncHost, g: G, rw: RWMutex): SyncOp {
  rw.writerHeld = true;
  if (rw.readers > 0) {
    // Wait for the active readers to leave; new readers block behind the pending writer.
    rw.readerWait = rw.readers;
    rw.pendingWriter = g;
    host.park(g, Wait.RWMutexLock, rw.id);
    return SyncOp.Blocked;
  }
  rw.writerActive = true;
  return SyncOp.Done;
}

export function rwUnlock(host: SyncHost, g: G, rw: RWMutex): void {
  if (!rw.writerActive) {
    host.fatal('sync: Unlock of unlocked RWMutex');
    return;
  }
  rw.writerActive = false;
  rw.writerHeld = false;
  // Readers that arrived while the writer held the lock go first.
  while (rw.readerQ.length) {
    const r = rw.readerQ.shift()!;
    rw.readers++;
    host.ready(r, g, rw.id);
  }
  const w = rw.writerQ.shift();
  if (w) {
    // The next writer takes the writer lock and waits for the readers just admitted.
    rw.writerHeld = true;
    if (rw.readers > 0) {
      rw.readerWait = rw.readers;
      rw.pendingWriter = w;
      // It stays parked (now as the pending writer); the last RUnlock readies it.
    } else {
      rw.writerActive = true;
      host.ready(w, g, rw.id);
    }
  }
}

export class WaitGroup {
  counter = 0;
  readonly waiters = new Deque<G>();
  constructor(readonly id: number) {}
}

export function wgAdd(host: SyncHost, g: G, wg: WaitGroup, delta: number): void {
  wg.counter += delta;
  if (wg.counter < 0) throw new GoPanic('sync: negative WaitGroup counter');
  if (wg.counter === 0) {
    // One semrelease per waiter, FIFO: each goready goes to runnext, bumping the previous one.
    while (wg.waiters.length) host.ready(wg.waiters.shift()!, g, wg.id);
  }
}

export function wgWait(host: SyncHost, g: G, wg: WaitGroup): SyncOp {
  if (wg.counter === 0) return SyncOp.Done;
  wg.waiters.push(g);
  host.park(g, Wait.WaitGroupWait, wg.id);
  return SyncOp.Blocked;
}

export class Once {
  done = false;
  running: G | null = null;
  readonly waiters = new Deque<G>();
  constructor(readonly id: number) {}
}

/** Returns true if g must run f; false if f already ran; null if g parked until f finishes. */
export function onceBegin(host: SyncHost, g: G, o: Once): boolean | null {
  if (o.done) return false;
  if (o.running) {
    // Once.Do's slow path waits on its internal Mutex.
    o.waiters.push(g);
    host.park(g, Wait.MutexLock, o.id);
    return null;
  }
  o.running = g;
  return true;
}

export function onceDone(host: SyncHost, g: G, o: Once): void {
  o.done = true;
  o.running = null;
  while (o.waiters.length) {
    const w = o.waiters.shift()!;
    w.resume = false;
    host.ready(w, g, o.id);
  }
}

export class Cond {
  readonly waiters = new Deque<G>();
  constructor(readonly id: number, readonly mutexId: number) {}
}
