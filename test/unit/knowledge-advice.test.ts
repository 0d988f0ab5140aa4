// Diagnostic records (src/core/knowledge/advice.ts) from the facts fixtures and from simulated runs
// of small programs: the code, severity, exact range and the words the user reads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFacts, type Facts } from '../../src/core/golang/facts';
import { parseGo } from '../../src/core/golang/parser';
import { factAdvice, simulationAdvice, type Advice } from '../../src/core/knowledge/advice';
import { loadParser, runGo } from './interp-helpers';

const FACTS = join(__dirname, '..', 'fixtures', 'facts');

function factsOf(text: string): Facts {
  const tree = parseGo(text);
  try {
    return extractFacts(tree, { text });
  } finally {
    tree.delete();
  }
}

/** The source text an advice's range covers. */
function textOf(text: string, a: { range: Advice['range'] }): string {
  const lines = text.split('\n');
  const { start, end } = a.range;
  if (start.line === end.line) return lines[start.line]!.slice(start.col, end.col);
  return [lines[start.line]!.slice(start.col), ...lines.slice(start.line + 1, end.line), lines[end.line]!.slice(0, end.col)].join('\n');
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in the source`);
  return i;
}

function fixture(name: string): { text: string; advice: Advice[] } {
  const text = readFileSync(join(FACTS, name), 'utf8');
  return { text, advice: factAdvice(factsOf(text), text) };
}


/** The advice of a background run of `text` (GOMAXPROCS 2) that must end with main returning. */
function adviceAtMainReturn(text: string) {
  const { result } = runGo(text, { gomaxprocs: 2 });
  assert.equal(result.exit.reason, 'main-returned');
  return simulationAdvice(result, factsOf(text));
}

describe('advice from facts', () => {
  before(loadParser);

  it('every blocking system call: Information on the exact call, in the words of the issue', () => {
    const { text, advice } = fixture('blocking.go');
    const calls = advice.filter((a) => a.code === 'blocking-syscall');
    const facts = factsOf(text).calls.filter((c) => c.kind === 'blocking-syscall');
    assert.equal(calls.length, facts.length);
    assert.ok(calls.length >= 10, `only ${calls.length} blocking calls found in blocking.go`);
    assert.equal(calls.filter((a) => /does not tell the scheduler/.test(a.message)).length, 1, 'the one RawSyscall');
    const read = calls.find((a) => textOf(text, a).startsWith('s.log.WriteString('));
    assert.ok(read, 'the WriteString call has a diagnostic on its own range');
    const short = calls.filter((a) => /is a short system call/.test(a.message)).map((a) => textOf(text, a).replace(/\(.*/s, ''));
    assert.deepEqual(short.sort(), ['f.Close', 'os.Open', 'os.OpenFile', 'os.Pipe', 'os.Remove', 'os.Stat', 'syscall.Open'].sort());
    for (const a of calls) {
      assert.equal(a.severity, 'information');
      if (/RawSyscall/.test(textOf(text, a))) {
        assert.match(a.message, /does not tell the scheduler \(no entersyscall\)/);
      } else if (/^(os\.(Stat|Open|OpenFile|Remove|Pipe)|syscall\.Open|f\.Close)\b/.test(textOf(text, a))) {
        // Metadata calls: shorter than a sysmon tick as a rule, so retake does not see them.
        assert.match(a.message, /is a short system call: its thread is in the kernel \(entersyscall\), usually for less than a sysmon tick/);
      } else {
        assert.match(a.message, /blocks its OS thread; if it lasts, the P is handed off; threads grow with concurrent calls/);
        // proc.go retake: after a sysmon tick only with Gs waiting or no free P; after 10 ms regardless.
        assert.match(a.message, /sysmon retakes the P when Gs wait on it or no other P is free, and after 10 ms in any case/);
      }
    }
  });

  it('cgo calls: Warning in a loop or a goroutine (threads pile up), Information otherwise; conversions are not calls', () => {
    const { text, advice } = fixture('cgo.go');
    const cgo = advice.filter((a) => a.code === 'cgo-call');
    const at = (needle: string) => cgo.filter((a) => a.range.start.line === lineOf(text, needle));
    assert.deepEqual(at('r := C.work(n)').map((a) => a.severity), ['information']);
    assert.deepEqual(at('C.usleep(C.useconds_t').map((a) => a.severity), ['warning']);
    assert.match(at('C.usleep(C.useconds_t')[0]!.message, /in a loop, concurrent C calls each hold a thread/);
    assert.deepEqual(at('C.work(1)').map((a) => a.severity), ['warning']);
    assert.match(at('C.work(1)')[0]!.message, /in a goroutine/);
    assert.deepEqual(at('n := C.int(21)'), []);
    assert.deepEqual(at('s := C.GoString(cs)'), []);
    assert.equal(textOf(text, at('r := C.work(n)')[0]!), 'C.work(n)');
    assert.match(at('r := C.work(n)')[0]!.message, /if it runs past a sysmon tick, sysmon may retake the P and hand it off/);
  });

  it('busy loops: a spin without calls is flagged on its header, counting loops and loops that call are not', () => {
    const { text, advice } = fixture('loops.go');
    const busy = advice.filter((a) => a.code === 'busy-loop');
    const lines = busy.map((a) => a.range.start.line);
    assert.ok(lines.includes(lineOf(text, 'for !*flag {')), 'the spin on *flag');
    const atomicSpins = ['for atomic.LoadInt32(&ready) == 0 {', 'for !stop.Load() {', 'for v.Load() == nil {'];
    for (const l of atomicSpins) assert.ok(lines.includes(lineOf(text, l)), `${l}: atomic loads are inline instructions, not calls`);
    assert.ok(!lines.includes(lineOf(text, 'for !v.CompareAndSwap(nil, 1) {')), 'atomic.Value.CompareAndSwap is a real call');
    assert.ok(!lines.includes(lineOf(text, 'for i := 0; i < n; i++ {')), 'a bounded counting loop is not a spin');
    assert.ok(!lines.includes(lineOf(text, 'for i := 0; i < limit; i++ {')), 'a loop that calls fmt.Println has preemption points');
    const spin = busy.find((a) => a.range.start.line === lineOf(text, 'for !*flag {'))!;
    assert.equal(spin.severity, 'information');
    assert.match(spin.message, /preempts it asynchronously after ~10 ms/);
    assert.equal(textOf(text, spin), 'for !*flag');
  });

  it('an empty infinite loop is a busy loop; one that receives from a channel is not', () => {
    const text = 'package main\n\nfunc main() {\n\tch := make(chan int)\n\tgo func() {\n\t\tfor {\n\t\t}\n\t}()\n\tfor {\n\t\t<-ch\n\t}\n}\n';
    const busy = factAdvice(factsOf(text), text).filter((a) => a.code === 'busy-loop');
    assert.deepEqual(busy.map((a) => a.range.start.line), [5]);
  });

  it('an endless-looking loop that computes and breaks out is not a busy loop; a spin on a flag still is', () => {
    const text = [
      'package main',
      '',
      'var done bool',
      '',
      'func bits(a, b uint) int {',
      '\tn := 8',
      '\tfor {',
      '\t\ta >>= 1',
      '\t\tb >>= 1',
      '\t\tn-- // shifts until equal',
      '\t\tif a == b {',
      '\t\t\tbreak',
      '\t\t}',
      '\t}',
      '\tfor i := 0; ; i++ {',
      '\t\tif i*i > 50 {',
      '\t\t\treturn i',
      '\t\t}',
      '\t}',
      '}',
      '',
      'func wait() {',
      '\tfor {',
      '\t\tif done {',
      '\t\t\tbreak',
      '\t\t}',
      '\t}',
      '\tx := 0',
      '\tfor {',
      '\t\tx++',
      '\t}',
      '}',
      '',
    ].join('\n');
    const busy = factAdvice(factsOf(text), text).filter((a) => a.code === 'busy-loop');
    assert.deepEqual(busy.map((a) => a.range.start.line), [22, 28]);
  });

  it('a compare-and-swap retry loop is not a busy loop; a spin lock on a constant is', () => {
    const text = [
      'package main',
      '',
      'import "sync/atomic"',
      '',
      'var max, lock int64',
      '',
      'func raise(id int64) {',
      '\tfor {',
      '\t\told := atomic.LoadInt64(&max)',
      '\t\tif id <= old || atomic.CompareAndSwapInt64(&max, old, id) {',
      '\t\t\tbreak',
      '\t\t}',
      '\t}',
      '\tfor {',
      '\t\tif atomic.LoadInt64(&lock) == 0 && atomic.CompareAndSwapInt64(&lock, 0, 1) {',
      '\t\t\tbreak',
      '\t\t}',
      '\t}',
      '}',
      '',
    ].join('\n');
    const busy = factAdvice(factsOf(text), text).filter((a) => a.code === 'busy-loop');
    assert.deepEqual(busy.map((a) => a.range.start.line), [13]);
  });

  it('WaitGroup.Add through a method value inside the goroutine is flagged, and named as written', () => {
    const { text, advice } = fixture('lints_wg_method_value.go');
    const wg = advice.filter((a) => a.code === 'waitgroup-add-in-goroutine');
    assert.deepEqual(wg.map((a) => textOf(text, a)), ['add(1)', 'w.Add(1)']);
    assert.match(wg[0]!.message, /^add \(wg\.Add\) is called inside the goroutine it counts: the go statement returns before the new goroutine runs \(it waits/);
    assert.match(textOf(text, wg[0]!.related[0]!), /wg\.Done\(\)/);
  });

  it('WaitGroup.Add inside the goroutine: Warning on the Add, related to its Done; not when Add precedes go', () => {
    const { text, advice } = fixture('lints.go');
    const wg = advice.filter((a) => a.code === 'waitgroup-add-in-goroutine');
    const want = text.split('\n').flatMap((l, i) => (/want-fact: lint wg-add-in-goroutine/.test(l) ? [i] : []));
    assert.deepEqual(wg.map((a) => a.range.start.line), want);
    for (const a of wg) {
      assert.equal(a.severity, 'warning');
      assert.match(textOf(text, a), /^wg\.Add\(1\)/);
      assert.match(a.message, /Call Add before the go statement/);
      assert.equal(a.related.length, 1);
      assert.match(textOf(text, a.related[0]!), /Done/);
    }
  });

  it('time.Sleep as synchronisation: Warning on the Sleep, related to each go statement', () => {
    const { text, advice } = fixture('lints_sleep.go');
    const sleep = advice.filter((a) => a.code === 'sleep-as-sync');
    assert.equal(sleep.length, 1);
    assert.equal(textOf(text, sleep[0]!), 'time.Sleep(100 * time.Millisecond)');
    assert.equal(sleep[0]!.severity, 'warning');
    assert.deepEqual(sleep[0]!.related.map((r) => textOf(text, r)), ['go', 'go']);
  });

  it('a clean file gets no advice', () => {
    const { advice } = fixture('lints_ok.go');
    assert.deepEqual(advice.filter((a) => a.code !== 'blocking-syscall'), []);
  });
});

describe('advice from a simulation', () => {
  before(loadParser);

  function simulate(text: string, goVersion = 19): Advice[] {
    const { result } = runGo(text, { goVersion, gomaxprocs: 2 });
    return simulationAdvice(result, factsOf(text));
  }

  it('a deadlock: an Error at each blocked goroutine with the runtime message and its wait reason, the other side related', () => {
    const text = [
      'package main',
      '',
      'import "fmt"',
      '',
      'func main() {',
      '\tresults := make(chan int)',
      '\tdone := make(chan bool)',
      '\tgo func() {',
      '\t\tdone <- true',
      '\t}()',
      '\tv := <-results',
      '\tfmt.Println(v)',
      '}',
      '',
    ].join('\n');
    const advice = simulate(text);
    assert.deepEqual(advice.map((a) => [a.code, a.severity, a.range.start.line]), [
      ['deadlock', 'error', 8],
      ['deadlock', 'error', 10],
    ]);
    const [send, recv] = advice as [Advice, Advice];
    assert.match(send.message, /^fatal error: all goroutines are asleep - deadlock! Goroutine 6 is blocked here forever \[chan send\]/);
    assert.match(recv.message, /Goroutine 1 is blocked here forever \[chan receive\]/);
    assert.equal(textOf(text, send), 'done <- true');
    // Nobody receives from done, nobody sends on results: the related entries say so.
    assert.match(send.related[0]!.message, /nothing in this file receives from done/);
    assert.match(recv.related[0]!.message, /nothing in this file sends on results or closes it/);
  });

  it('a WaitGroup deadlock points at the Add and Done calls; the wait reason follows the Go version', () => {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'run', 'deadlock-wg.go'), 'utf8');
    const old = simulate(text, 19).find((a) => a.message.includes('Goroutine 1'))!;
    assert.match(old.message, /\[semacquire\]/);
    assert.deepEqual(old.related.map((r) => textOf(text, r)), ['wg.Add(1)', 'wg.Done()']);
    const recent = simulate(text, 24).find((a) => a.message.includes('Goroutine 1'))!;
    assert.match(recent.message, /\[sync\.WaitGroup\.Wait\]/);
  });

  it('a goroutine still blocked when main returns: a goroutine-leak Warning, related to its go statement', () => {
    const text = [
      'package main',
      '',
      'import "time"',
      '',
      'func main() {',
      '\tch := make(chan int)',
      '\tgo func() {',
      '\t\tch <- 1',
      '\t}()',
      '\ttime.Sleep(time.Millisecond)',
      '}',
      '',
    ].join('\n');
    const advice = adviceAtMainReturn(text);
    assert.equal(advice.length, 1);
    const leak = advice[0]!;
    assert.equal(leak.code, 'goroutine-leak');
    assert.equal(leak.severity, 'warning');
    assert.equal(textOf(text, leak), 'ch <- 1');
    assert.match(leak.message, /^goroutine leak: goroutine 5 is still blocked here \[chan send\] when main returns/);
    assert.equal(leak.related[0]!.range.start.line, 6);
    assert.match(leak.related[0]!.message, /goroutine 5 was started here/);
  });

  it('a goroutine asleep when main returns: its timer would wake it, so the warning does not say nothing wakes it', () => {
    const text = [
      'package main',
      '',
      'import "time"',
      '',
      'func main() {',
      '\tgo func() {',
      '\t\ttime.Sleep(time.Hour)',
      '\t}()',
      '\ttime.Sleep(time.Millisecond)',
      '}',
      '',
    ].join('\n');
    const advice = adviceAtMainReturn(text);
    assert.equal(advice.length, 1);
    assert.equal(advice[0]!.code, 'goroutine-leak');
    assert.match(advice[0]!.message, /\[sleep\] when main returns: its timer would wake it, but the program exits first/);
    assert.doesNotMatch(advice[0]!.message, /nothing wakes|Nothing will ever wake/);
  });

  it('a goroutine that never got to run before main returned is not a leak (it is runnable, not blocked)', () => {
    const text = ['package main', '', 'func main() {', '\tch := make(chan int)', '\tgo func() {', '\t\tch <- 1', '\t}()', '}', ''].join('\n');
    const { result } = runGo(text, { gomaxprocs: 1 });
    assert.deepEqual(result.goroutines.map((g) => g.state), ['runnable']);
    assert.deepEqual(simulationAdvice(result, factsOf(text)), []);
  });

  it('blocked forever behind a pending Ticker: blocks-forever Warning saying why the runtime stays silent', () => {
    const text = ['package main', '', 'import "time"', '', 'func main() {', '\tt := time.NewTicker(time.Hour)', '\tdefer t.Stop()', '\tch := make(chan int)', '\t<-ch', '}', ''].join('\n');
    const { result } = runGo(text, { gomaxprocs: 1 });
    assert.equal(result.exit.reason, 'hang', result.exit.message);
    const advice = simulationAdvice(result, factsOf(text));
    assert.equal(advice.length, 1);
    assert.equal(advice[0]!.code, 'blocks-forever');
    assert.equal(advice[0]!.severity, 'warning');
    assert.equal(advice[0]!.range.start.line, 8);
    assert.match(advice[0]!.message, /^blocks forever without a deadlock report: goroutine 1 waits here \[chan receive\]/);
  });

  it('a goroutine spinning forever beside main blocked in select {}: the spinner "never ends", main "blocks forever" and points at the spinner', () => {
    const text = ['package main', '', 'func main() {', '\tgo func() {', '\t\tfor {', '\t\t}', '\t}()', '\tselect {}', '}', ''].join('\n');
    const { result } = runGo(text, { gomaxprocs: 1 });
    assert.equal(result.exit.reason, 'hang', result.exit.message);
    const advice = simulationAdvice(result, factsOf(text));
    assert.equal(advice.length, 2, JSON.stringify(advice));
    const [spin, main] = advice;
    assert.equal(spin!.range.start.line, 4);
    assert.equal(textOf(text, spin!), 'for');
    assert.match(spin!.message, /^never ends: goroutine \d+ spins in this endless loop and nothing can stop it/);
    assert.equal(main!.range.start.line, 7);
    assert.match(main!.message, /^blocks forever without a deadlock report: goroutine 1 waits here \[select \(no cases\)\]/);
    assert.equal(main!.related[0]!.range.start.line, 4);
  });

  it('a program that ends normally gets no simulation advice', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'examples', 'goroutines-waitgroup.go'), 'utf8');
    const { result } = runGo(text, { gomaxprocs: 4, goVersion: 22 });
    assert.equal(result.exit.reason, 'main-returned');
    assert.deepEqual(simulationAdvice(result, factsOf(text)), []);
  });
});
