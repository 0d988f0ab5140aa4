// Hover texts (src/core/knowledge/hovers.ts) at positions in the facts fixtures: what the runtime
// does there in the diagram's terms, the runtime functions involved, and the cost.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFacts, type Facts } from '../../src/core/golang/facts';
import { parseGo } from '../../src/core/golang/parser';
import { formatNs, hoverAt } from '../../src/core/knowledge/hovers';
import { loadParser } from './interp-helpers';

const FACTS = join(__dirname, '..', 'fixtures', 'facts');

interface Doc {
  text: string;
  facts: Facts;
}

function load(name: string): Doc {
  return inline(readFileSync(join(FACTS, name), 'utf8'));
}

function inline(text: string): Doc {
  const tree = parseGo(text);
  try {
    return { text, facts: extractFacts(tree, { text }) };
  } finally {
    tree.delete();
  }
}

/** The hover at the first occurrence of `needle` (plus `offset` characters into it). */
function hover(doc: Doc, needle: string, offset = 0): { markdown: string; covered: string } | null {
  const at = doc.text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not found`);
  const before = doc.text.slice(0, at + offset);
  const line = before.split('\n').length - 1;
  const col = before.length - before.lastIndexOf('\n') - 1;
  const h = hoverAt(doc.facts, { line, col });
  if (!h) return null;
  const lines = doc.text.split('\n');
  const { start, end } = h.range;
  const covered = start.line === end.line ? lines[start.line]!.slice(start.col, end.col) : lines[start.line]!.slice(start.col);
  return { markdown: h.markdown, covered };
}

describe('hover texts', () => {
  let basics: Doc;
  let blocking: Doc;
  let cgo: Doc;
  let network: Doc;
  let time: Doc;
  before(async () => {
    await loadParser();
    basics = load('basics.go');
    blocking = load('blocking.go');
    cgo = load('cgo.go');
    network = load('network.go');
    time = load('time_runtime.go');
  });

  it('a go statement: a new G in this P\'s runnext (newproc, runqput, wakep) and its cost', () => {
    const h = hover(network, 'go handle(c)')!;
    assert.match(h.markdown, /^\*\*`go`: a new G is created and queued in this P's runnext\*\*/);
    assert.match(h.markdown, /`newproc` → `newproc1`/);
    assert.match(h.markdown, /runqput\(…, next=true\)/);
    assert.match(h.markdown, /`wakep`/);
    assert.match(h.markdown, /`handle`/);
    assert.match(h.markdown, /in a loop inside a goroutine/);
    assert.match(h.markdown, /Cost: about 250 ns to create/);
    assert.equal(h.covered, 'go');
  });

  it('a send and a receive: the G parks on the channel (gopark), a waiting partner goes to runnext', () => {
    const send = hover(basics, 'out <- v * 2')!;
    assert.match(send.markdown, /^\*\*`out <-`: send \(`chan<- int`\)/);
    assert.match(send.markdown, /`chansend`/);
    assert.match(send.markdown, /\*\*parks\*\* \(`gopark`, wait reason "chan send"\)/);
    assert.match(send.markdown, /\*\*runnext\*\*/);
    const recv = hover(basics, 'v := <-out', 5)!;
    assert.match(recv.markdown, /^\*\*`<-out`: receive/);
    assert.match(recv.markdown, /`chanrecv`/);
    assert.match(recv.markdown, /wait reason "chan receive"/);
  });

  it('select: random poll order; with default it never blocks', () => {
    const blockingSelect = hover(basics, 'select { // want-fact: select cases=recv,send,recv')!;
    assert.match(blockingSelect.markdown, /`select` over 3 cases — the G parks until one case can proceed/);
    assert.match(blockingSelect.markdown, /`selectgo`.*random order/s);
    const poll = hover(basics, 'select { // want-fact: select cases=send default=true')!;
    // One case and a default: the compiler emits selectnbsend, not selectgo (walk/select.go).
    assert.match(poll.markdown, /`select` with one case and default — a non-blocking send, never blocks/);
    assert.match(poll.markdown, /`selectnbsend`/);
    assert.doesNotMatch(poll.markdown, /selectgo/);
    // A case's channel operation is explained by its select.
    const inCase = hover(basics, 'case dyn <- "x"', 5)!;
    assert.match(inCase.markdown, /`select` over 3 cases/);
    assert.equal(inCase.covered, 'dyn <- "x"');
  });

  it('a one-case select without default is a plain channel operation: wait reason "chan receive", not "select"', () => {
    const doc = inline('package main\n\nfunc main() {\n\tch := make(chan int)\n\tselect {\n\tcase v := <-ch:\n\t\tprintln(v)\n\t}\n}\n');
    const h = hover(doc, 'select {')!;
    assert.match(h.markdown, /`select` with one case — compiled as a plain channel receive/);
    assert.match(h.markdown, /wait reason "chan receive", not "select"/);
    assert.doesNotMatch(h.markdown, /selectgo` locks/);
  });

  it('a blocking receive names the buffered case: a waiting sender\'s value moves into the freed slot', () => {
    const recv = hover(basics, 'v := <-out', 5)!;
    assert.match(recv.markdown, /the oldest buffered value is taken and the sender's value moves into the freed slot \(full buffer\)/);
  });

  it('a go statement does not promise a 2 KB stack (Go 1.19+ may start larger)', () => {
    const h = hover(network, 'go handle(c)')!;
    assert.match(h.markdown, /a stack of at least 2 KB/);
  });

  it('make(chan): unbuffered is a synchronous hand-off; a constant capacity is shown', () => {
    assert.match(hover(basics, 'make(chan int)  ')!.markdown, /`make\(chan int\)`: unbuffered/);
    assert.match(hover(basics, 'make(chan int, buffer)')!.markdown, /buffered, capacity 8/);
    assert.match(hover(basics, 'make(chan string, n)')!.markdown, /capacity `n`/);
    // A capacity only known at run time may be 0: the buffered rules are said conditionally.
    assert.match(hover(basics, 'make(chan string, n)')!.markdown, /If the capacity is above 0: sends fill the ring buffer/);
  });

  it('a blocking file read: the M blocks in the kernel and the P is handed off, with the system call and its cost', () => {
    const h = hover(blocking, 's.log.Sync()', 6)!;
    assert.match(h.markdown, /^\*\*`s\.log\.Sync`: blocking system call — the M blocks in the kernel; if the call lasts, sysmon retakes the P and hands it off \(`entersyscall` → sysmon `retake` → `handoffp`; `exitsyscall` on return\)\*\*/);
    // retake's conditions (proc.go retake): local work or no free P after a sysmon tick, else 10 ms.
    assert.match(h.markdown, /while Gs wait on its P or no other P is free, or in any case after 10 ms/);
    assert.match(h.markdown, /system call: fsync\(2\)/);
    assert.match(h.markdown, /simulated cost: 2 ms/);
    assert.match(h.markdown, /a new thread if the P is handed off and no M is idle: 15 µs/);
  });

  it('network I/O: the G parks in the netpoller, no thread held', () => {
    const h = hover(network, 'conn.Read(buf)', 5)!;
    assert.match(h.markdown, /network I\/O — the G parks in the netpoller, the M and P run other Gs \(`netpollblock` → `gopark`/);
    assert.match(h.markdown, /wait reason while blocked: "IO wait"/);
    assert.match(h.markdown, /in a loop inside a goroutine/);
  });

  it('a cgo call: the M runs C code; a C sleep costs its argument; a conversion has no hover', () => {
    const work = hover(cgo, 'C.work(n)', 2)!;
    assert.match(work.markdown, /cgo call — the M runs C code, the P is handed off if it takes long \(`cgocall` → `entersyscall`/);
    const sleep = hover(cgo, 'C.sleep(2)', 2)!;
    assert.match(sleep.markdown, /simulated cost: 2 s/);
    assert.equal(hover(cgo, 'C.int(21)', 2), null);
  });

  it('time.Sleep, sync and runtime calls: timers, semaphores, stop-the-world, the global queue', () => {
    const sleep = hover(time, 'time.Sleep(10 * time.Millisecond)', 5)!;
    assert.match(sleep.markdown, /the G parks on a timer, no thread is held \(`timeSleep` → `gopark`/);
    assert.match(sleep.markdown, /simulated cost: 10 ms/);
    const procs = hover(time, 'runtime.GOMAXPROCS(1)', 8)!;
    assert.match(procs.markdown, /stop-the-world \(`stopTheWorldGC`, ≈ 30 µs\) then `procresize`/);
    const wait = hover(load('lints.go'), 'wg.Wait()', 3)!;
    assert.match(wait.markdown, /may park on a runtime semaphore \(`semacquire1` → `gopark`/);
    assert.match(wait.markdown, /wait reason while blocked: "semacquire" in Go 1\.19, "sync\.WaitGroup\.Wait" since Go 1\.24/);
  });

  it('nothing on code the scheduler does not care about', () => {
    assert.equal(hover(basics, 'package main'), null);
    assert.equal(hover(blocking, 'type store struct'), null);
  });

  it('durations read like the runtime docs', () => {
    assert.deepEqual([250, 1_500, 20_000, 2_000_000, 2.5e9, Infinity].map(formatNs), ['250 ns', '1.5 µs', '20 µs', '2 ms', '2.5 s', 'until it fails (never returns by itself)']);
  });
});
