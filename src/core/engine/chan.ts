// Channels and select as chan.go / select.go implement them (runtime-facts §9): FIFO sudog wait
// queues, direct hand-off to a waiting receiver (bypassing the buffer), a buffered ring, close
// waking every waiter, nil channels blocking forever, and select polling cases in random order.
import { GoPanic, type RecvResult, type SelectCase, type SelectResult } from './actions';
import { Deque } from './deque';
import { G, Wait, type WaitCode } from './entities';

export interface Sudog {
  g: G;
  ch: Chan;
  /** Case index for select, -1 for a plain send/recv. */
  caseIndex: number;
  isSelect: boolean;
  isSend: boolean;
  value: unknown;
  /** All sudogs of the same select (to dequeue the losers). */
  group: Sudog[] | null;
}

export class Chan {
  readonly buf = new Deque<unknown>();
  closed = false;
  readonly recvq = new Deque<Sudog>();
  readonly sendq = new Deque<Sudog>();
  /** A 1.23+ timer channel: reports cap 0 but keeps the fired value like a 1-slot buffer. */
  timerChan = false;
  constructor(readonly id: number, readonly cap: number) {}
}

/** What the channel code needs from the scheduler. */
export interface ChanHost {
  /** goready: the woken G goes to the current P's runnext. */
  ready(g: G, waker: G | null, objId: number): void;
  /** Park the current G (it leaves the CPU when the action handler returns). */
  park(g: G, reason: WaitCode, objId: number): void;
  randn(n: number): number;
}

/** Result of a channel operation for the current G. */
export const enum Op { Done = 0, Blocked = 1 }

function dequeue(q: Deque<Sudog>): Sudog | undefined {
  for (;;) {
    const sg = q.shift();
    if (!sg) return undefined;
    // waitq.dequeue: skip a select's sudog whose select was already won by another case.
    if (sg.isSelect && sg.g.selectDone) continue;
    if (sg.isSelect) {
      sg.g.selectDone = true;
      for (const other of sg.group!) {
        if (other !== sg) (other.isSend ? other.ch.sendq : other.ch.recvq).remove(other);
      }
    }
    return sg;
  }
}

function wakeResult(sg: Sudog, value: unknown, ok: boolean): unknown {
  return sg.isSelect ? ({ index: sg.caseIndex, value, ok } satisfies SelectResult) : ({ value, ok } satisfies RecvResult);
}

export function chansend(host: ChanHost, g: G, c: Chan | null, v: unknown): Op {
  if (!c) {
    host.park(g, Wait.ChanSendNil, -1);
    return Op.Blocked;
  }
  if (c.closed) throw new GoPanic('send on closed channel', true);
  const sg = dequeue(c.recvq);
  if (sg) {
    // Direct hand-off into the receiver's slot; the receiver goes to our runnext (goready).
    sg.g.resume = wakeResult(sg, v, true);
    host.ready(sg.g, g, c.id);
    return Op.Done;
  }
  if (c.buf.length < bufCap(c)) {
    c.buf.push(v);
    return Op.Done;
  }
  enqueue(c.sendq, g, c, v, -1, null, true);
  host.park(g, Wait.ChanSend, c.id);
  return Op.Blocked;
}

function bufCap(c: Chan): number {
  return c.timerChan ? 1 : c.cap;
}

function enqueue(q: Deque<Sudog>, g: G, ch: Chan, value: unknown, caseIndex: number, group: Sudog[] | null, isSend: boolean): Sudog {
  const sg: Sudog = { g, ch, caseIndex, isSelect: group !== null, isSend, value, group };
  q.push(sg);
  group?.push(sg);
  return sg;
}

/** Returns the received {value, ok} or Blocked. */
export function chanrecv(host: ChanHost, g: G, c: Chan | null): RecvResult | Op.Blocked {
  if (!c) {
    host.park(g, Wait.ChanReceiveNil, -1);
    return Op.Blocked;
  }
  const r = tryRecv(host, g, c);
  if (r) return r;
  enqueue(c.recvq, g, c, undefined, -1, null, false);
  host.park(g, Wait.ChanReceive, c.id);
  return Op.Blocked;
}

function tryRecv(host: ChanHost, g: G | null, c: Chan): RecvResult | null {
  if (c.closed && c.buf.length === 0) return { value: undefined, ok: false };
  const sg = dequeue(c.sendq);
  if (sg) {
    let value: unknown;
    if (c.buf.length === 0) value = sg.value;
    else {
      // Buffer full: take its head, the sender's value goes to the tail (FIFO kept).
      value = c.buf.shift();
      c.buf.push(sg.value);
    }
    sg.g.resume = sg.isSelect ? ({ index: sg.caseIndex, value: undefined, ok: true } satisfies SelectResult) : undefined;
    host.ready(sg.g, g, c.id);
    return { value, ok: true };
  }
  if (c.buf.length > 0) return { value: c.buf.shift(), ok: true };
  return null;
}

function trySend(host: ChanHost, g: G, c: Chan, v: unknown): boolean {
  if (c.closed) throw new GoPanic('send on closed channel', true);
  const sg = dequeue(c.recvq);
  if (sg) {
    sg.g.resume = wakeResult(sg, v, true);
    host.ready(sg.g, g, c.id);
    return true;
  }
  if (c.buf.length < bufCap(c)) {
    c.buf.push(v);
    return true;
  }
  return false;
}

export function closechan(host: ChanHost, g: G, c: Chan | null): void {
  if (!c) throw new GoPanic('close of nil channel', true);
  if (c.closed) throw new GoPanic('close of closed channel', true);
  c.closed = true;
  // All receivers (FIFO) then all senders are pushed on a stack and readied in pop order, so the
  // first-queued receiver is readied last and ends up in runnext (closechan).
  const glist: G[] = [];
  for (let sg = dequeue(c.recvq); sg; sg = dequeue(c.recvq)) {
    sg.g.resume = wakeResult(sg, undefined, false);
    glist.push(sg.g);
  }
  for (let sg = dequeue(c.sendq); sg; sg = dequeue(c.sendq)) {
    sg.g.resume = undefined;
    sg.g.throwNext = new GoPanic('send on closed channel', true);
    glist.push(sg.g);
  }
  while (glist.length) host.ready(glist.pop()!, g, c.id);
}

/** Non-blocking send from a timer (sendTime): drops the value when the buffer is full. */
export function timerSend(host: ChanHost, c: Chan, v: unknown): void {
  if (c.closed) return;
  trySend(host, null as unknown as G, c, v);
}

/**
 * selectgo. Returns the chosen case's result, or Blocked. The compiler's lowering is honoured:
 * `select {}` blocks with `select (no cases)`; one case without default is a plain channel op.
 */
export function selectgo(
  host: ChanHost, g: G, cases: readonly SelectCase[], hasDefault: boolean, chans: (Chan | null)[],
): SelectResult | Op.Blocked {
  if (cases.length === 0 && !hasDefault) {
    host.park(g, Wait.SelectNoCases, -1);
    return Op.Blocked;
  }
  if (cases.length === 1 && !hasDefault) {
    const c = cases[0]!;
    if (c.dir === 'send') {
      // chansend's hand-off result is a plain value; a select result is expected back.
      const r = chansend(host, g, chans[0]!, c.value);
      if (r === Op.Blocked) {
        markSingleCase(g);
        return Op.Blocked;
      }
      return { index: 0, value: undefined, ok: true };
    }
    const r = chanrecv(host, g, chans[0]!);
    if (r === Op.Blocked) {
      markSingleCase(g);
      return Op.Blocked;
    }
    return { index: 0, value: r.value, ok: r.ok };
  }
  // Poll order: a random permutation of the cases (nil channels never become ready).
  const order: number[] = [];
  for (let i = 0; i < cases.length; i++) {
    if (!chans[i]) continue;
    const j = host.randn(order.length + 1);
    order.push(order[j]!);
    order[j] = i;
  }
  for (const i of order) {
    const c = chans[i]!;
    const cs = cases[i]!;
    if (cs.dir === 'recv') {
      const r = tryRecv(host, g, c);
      if (r) return { index: i, value: r.value, ok: r.ok };
    } else if (trySend(host, g, c, cs.value)) {
      return { index: i, value: undefined, ok: true };
    }
  }
  if (hasDefault) return { index: -1, value: undefined, ok: false };
  g.selectDone = false;
  const group: Sudog[] = [];
  for (let i = 0; i < cases.length; i++) {
    const c = chans[i];
    if (!c) continue;
    const cs = cases[i]!;
    enqueue(cs.dir === 'send' ? c.sendq : c.recvq, g, c, cs.value, i, group, cs.dir === 'send');
  }
  host.park(g, Wait.Select, -1);
  return Op.Blocked;
}

/** A single-case select resumes with a plain result; remember to wrap it as a select result. */
const singleCase = new WeakSet<G>();
function markSingleCase(g: G): void {
  singleCase.add(g);
}
/** Converts the resume value of a G that blocked in a one-case select. */
export function fixSingleCaseResume(g: G): void {
  if (!singleCase.has(g)) return;
  singleCase.delete(g);
  const r = g.resume as RecvResult | undefined;
  g.resume = { index: 0, value: r?.value, ok: r ? r.ok : true } satisfies SelectResult;
}
