// The Go interpreter on the engine: API, notes for what it cannot model, budgets, CPU cost and
// preemption, tracebacks, runtime panics, and version-dependent semantics.
import { strict as assert } from 'node:assert';
import { loadParser, runGo } from './interp-helpers';
import { events, Ev } from './helpers';
import { computeStats } from '../../src/core/trace/stats';

const prog = (body: string, imports = '"fmt"'): string => `package main\n\nimport (${imports.split(' ').join('; ')})\n\n${body}\n`;

describe('Go interpreter: runGoSource', () => {
  before(loadParser);

  it('runs main and returns the engine result with notes', () => {
    const { result, notes, program } = runGo(prog('func main() {\n\tfmt.Println("hello", 1+2)\n}'));
    assert.equal(result.output, 'hello 3\n');
    assert.equal(result.exit.reason, 'main-returned');
    assert.deepEqual(notes, []);
    assert.ok(program.funcs.has('main'));
  });

  it('an unknown package function becomes a visible note at its line; the call yields a zero value and the run goes on', () => {
    const { result, notes } = runGo(prog('func main() {\n\tx := foo.Bar(1)\n\tfmt.Println("after", x)\n}', '"fmt" "example.com/foo"'));
    assert.equal(result.output, 'after <nil>\n');
    assert.ok(notes.some((n) => n.startsWith('main.go:6:') && n.includes('foo.Bar')), notes.join('\n'));
    assert.ok(result.notes.some((n) => n.includes('foo.Bar')), 'notes also reach the SimResult');
  });

  it('unsupported syntax is a note, never an exception; broken code still runs what it can', () => {
    const src = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("ok")\n\tgoto end\nend:\n\tfmt.Println("end")\n\tx := (\n}\n';
    const { result, notes } = runGo(src);
    assert.ok(result.output.startsWith('ok\n'), result.output);
    assert.ok(notes.length > 0);
  });

  it('a program without main says so in a note', () => {
    const { result, notes } = runGo('package main\n\nfunc helper() {}\n');
    assert.equal(result.exit.reason, 'main-returned');
    assert.ok(notes.some((n) => n.includes('no func main')));
  });

  it('a loop that never ends in practice stops at the interpreter step budget with reason "budget" and a note', () => {
    // (A pure `for { x++ }` is known to be endless and ends as a hang; this one has a way out, never taken.)
    const t0 = Date.now();
    const { result, notes } = runGo(prog('func main() {\n\tx := 0\n\tfor {\n\t\tx++\n\t\tif x == -1 {\n\t\t\tbreak\n\t\t}\n\t}\n}', ''), { maxSteps: 200_000 });
    assert.equal(result.exit.reason, 'budget');
    assert.match(result.exit.message, /interpreter ran/);
    assert.ok(notes.some((n) => n.includes('interpreter budget')));
    assert.ok(Date.now() - t0 < 5000);
  });

  it('a slice or a map too large to hold stops the run as "budget", and the message says which and where', () => {
    const big = runGo(prog('func main() {\n\ts := make([]int, 30000000)\n\tfmt.Println(len(s))\n}'));
    assert.equal(big.result.exit.reason, 'budget');
    assert.equal(big.result.exit.message, 'stopped: an allocation of 30,000,000 elements is too large to interpret (limit 20,000,000)');
    assert.ok(big.notes.some((n) => /:6: approximation: an allocation of 30,000,000 elements/.test(n)), big.notes.join('\n'));
    // A map that grows forever: a Go program would run out of memory; the interpreter stops first.
    const grow = runGo(prog('func main() {\n\tm := map[int]int{}\n\tfor i := 0; ; i++ {\n\t\tm[i] = i\n\t}\n\tfmt.Println(len(m))\n}'));
    assert.equal(grow.result.exit.reason, 'budget');
    assert.equal(grow.result.exit.message, 'stopped: a map of 4,000,001 entries is too large to interpret (limit 4,000,000)');
  });

  it('CPU cost advances the virtual clock: a tight loop of 1M iterations takes on the order of a millisecond', () => {
    const { result } = runGo(prog('func main() {\n\ts := 0\n\tfor i := 0; i < 1000000; i++ {\n\t\ts += i % 2\n\t}\n\tfmt.Println(s)\n}'));
    assert.equal(result.output, '500000\n');
    assert.ok(result.exit.timeNs > 0.3e6 && result.exit.timeNs < 5e6, `virtual time ${result.exit.timeNs}`);
  });

  it('a spinning goroutine is preempted by sysmon, so main gets the only P back (async preemption)', () => {
    const src = prog('func main() {\n\truntime.GOMAXPROCS(1)\n\tgo func() {\n\t\tx := 0\n\t\tfor {\n\t\t\tx++\n\t\t}\n\t}()\n\ttime.Sleep(time.Millisecond)\n\tfmt.Println("main ran")\n}', '"fmt" "runtime" "time"');
    const { result } = runGo(src);
    assert.equal(result.output, 'main ran\n');
    assert.ok(events(result, Ev.GoPreempt).length >= 1, 'the spinning goroutine was preempted');
  });

  it('a deadlock traceback names the blocked function, its line and who created it', () => {
    const src = prog('func worker(ch chan int) {\n\tch <- 1\n}\n\nfunc main() {\n\tch := make(chan int)\n\tgo worker(ch)\n\tvar wg sync.WaitGroup\n\twg.Add(1)\n\twg.Wait()\n}', '"sync"');
    const { result } = runGo(src);
    assert.equal(result.exit.reason, 'deadlock');
    const msg = result.exit.message;
    assert.match(msg, /goroutine 1 \[semacquire\]:\nmain\.main\(\)\n\tmain\.go:14/);
    assert.match(msg, /\[chan send\]:\nmain\.worker\(\)\n\tmain\.go:6\ncreated by main\.main\n\tmain\.go:11/);
  });

  it('a panic in a goroutine ends the program with status 2 and that goroutine\'s traceback', () => {
    const src = prog('func main() {\n\tgo func() {\n\t\tvar m map[string]int\n\t\tm["a"] = 1\n\t}()\n\ttime.Sleep(time.Second)\n\tfmt.Println("not reached")\n}', '"fmt" "time"');
    const { result } = runGo(src);
    assert.equal(result.exit.reason, 'panic');
    assert.equal(result.exit.code, 2);
    assert.equal(result.output, '');
    assert.match(result.exit.message, /^panic: assignment to entry in nil map\n/);
    assert.match(result.exit.message, /main\.main\.func1\(\)\n\tmain\.go:8\ncreated by main\.main\n\tmain\.go:6/);
  });

  it('runtime errors: index out of range, nil pointer, integer divide by zero, type assertion', () => {
    const cases: [string, RegExp][] = [
      ['s := []int{1, 2, 3}\n\ti := 5\n\tfmt.Println(s[i])', /^panic: runtime error: index out of range \[5\] with length 3\n/],
      ['var p *struct{ X int }\n\tfmt.Println(p.X)', /^panic: runtime error: invalid memory address or nil pointer dereference\n/],
      ['a, b := 1, 0\n\tfmt.Println(a / b)', /^panic: runtime error: integer divide by zero\n/],
      ['var x interface{} = "s"\n\tfmt.Println(x.(int))', /^panic: interface conversion: interface \{\} is string, not int/],
    ];
    for (const [body, re] of cases) {
      const { result } = runGo(prog(`func main() {\n\t${body}\n}`));
      assert.equal(result.exit.reason, 'panic', body);
      assert.match(result.exit.message, re);
    }
  });

  it('send on a closed channel is a panic that recover can catch', () => {
    const src = prog('func main() {\n\tdefer func() {\n\t\tfmt.Println("recovered:", recover())\n\t}()\n\tch := make(chan int, 1)\n\tclose(ch)\n\tch <- 1\n}');
    const { result } = runGo(src);
    assert.equal(result.output, 'recovered: send on closed channel\n');
    assert.equal(result.exit.reason, 'main-returned');
  });

  it('Go 1.22+: range over an int, per-iteration loop variables; min and max builtins', () => {
    const src = prog('func main() {\n\tvar fs []func() int\n\tfor i := range 3 {\n\t\tfs = append(fs, func() int { return i })\n\t}\n\tfor _, f := range fs {\n\t\tfmt.Print(f(), " ")\n\t}\n\tfmt.Println(min(3, 1, 2), max(2.5, 1.0))\n}');
    assert.equal(runGo(src, { goVersion: 22 }).result.output, '0 1 2 1 2.5\n');
    const old = prog('func main() {\n\tvar fs []func() int\n\tfor i := 0; i < 3; i++ {\n\t\tfs = append(fs, func() int { return i })\n\t}\n\tfor _, f := range fs {\n\t\tfmt.Print(f(), " ")\n\t}\n\tfmt.Println()\n}');
    assert.equal(runGo(old, { goVersion: 21 }).result.output, '3 3 3 \n');
    assert.equal(runGo(old, { goVersion: 22 }).result.output, '0 1 2 \n');
  });

  it('integer conversions wrap like Go; division truncates toward zero and % takes the sign of the dividend', () => {
    const src = prog('func main() {\n\tx := 200\n\ty := 300\n\tbig := 1 << 40\n\tfmt.Println(int8(x), uint8(y), int32(big+5), uint16(70000), -7/2, -7%3, 7%-3, 1<<62*4)\n}');
    assert.equal(runGo(src).result.output, '-56 44 5 4464 -3 -1 1 0\n');
  });

  it('sized integer variables wrap on arithmetic and keep their type (uint8, int8, int32, uint32, rune, named uint8)', () => {
    const src = prog('type Weekday uint8\n\nfunc (d Weekday) String() string { return [...]string{"Sun", "Mon", "Tue"}[d%3] }\n\nfunc main() {\n\tvar a uint8 = 250\n\ta += 10\n\tvar b int8 = 127\n\tb++\n\tvar c int32 = 1 << 30\n\tc *= 4\n\tvar d uint32 = 0\n\td--\n\tvar r rune = \'a\'\n\tr += 2\n\tvar w Weekday = 2\n\tw++\n\tfmt.Println(a, b, c, d, r, string(r), w)\n\tfmt.Printf("%T %T %T %v %d\\n", a, r, w, w, w)\n}');
    assert.equal(runGo(src).result.output, '4 -128 0 4294967295 99 c Sun\nuint8 int32 main.Weekday Sun 3\n');
  });

  it('sync.Once, RWMutex and atomic counters', () => {
    const src = prog('var once sync.Once\nvar rw sync.RWMutex\nvar hits int64\n\nfunc main() {\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 10; i++ {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tonce.Do(func() { fmt.Println("init once") })\n\t\t\trw.RLock()\n\t\t\tatomic.AddInt64(&hits, 1)\n\t\t\trw.RUnlock()\n\t\t}()\n\t}\n\twg.Wait()\n\trw.Lock()\n\tfmt.Println("hits", atomic.LoadInt64(&hits))\n\trw.Unlock()\n}', '"fmt" "sync" "sync/atomic"');
    const { result } = runGo(src, { gomaxprocs: 4 });
    assert.equal(result.output, 'init once\nhits 10\n');
  });

  it('runtime.NumGoroutine and GOMAXPROCS talk to the engine; time.Since reads the virtual clock', () => {
    const src = prog('func main() {\n\tstart := time.Now()\n\tfmt.Println(runtime.GOMAXPROCS(0), runtime.NumGoroutine())\n\tgo func() { select {} }()\n\ttime.Sleep(50 * time.Millisecond)\n\tfmt.Println(runtime.NumGoroutine(), time.Since(start) >= 50*time.Millisecond, time.Since(start) < 51*time.Millisecond)\n}', '"fmt" "runtime" "time"');
    assert.equal(runGo(src, { gomaxprocs: 3 }).result.output, '3 1\n2 true true\n');
  });

  it('recursion deeper than the interpreter can follow is a visible stack overflow, not a crash', () => {
    const src = prog('func depth(n int) int {\n\tif n == 0 {\n\t\treturn 0\n\t}\n\treturn depth(n-1) + 1\n}\n\nfunc main() {\n\tfmt.Println(depth(100))\n\tfmt.Println(depth(1 << 30))\n}');
    const { result, notes } = runGo(src);
    assert.equal(result.output, '100\n');
    assert.equal(result.exit.reason, 'panic');
    assert.match(result.exit.message, /fatal error: stack overflow/);
    assert.ok(notes.some((n) => n.includes('recursion')));
  });

  it('catalog calls: blocking file reads hold threads (syscall), network reads park in the netpoller; results are stand-ins with a note', () => {
    const files = prog('func main() {\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 8; i++ {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tf, err := os.Open("data.txt")\n\t\t\tif err != nil {\n\t\t\t\treturn\n\t\t\t}\n\t\t\tbuf := make([]byte, 10)\n\t\t\tf.Read(buf)\n\t\t\tf.Close()\n\t\t}()\n\t}\n\twg.Wait()\n\tfmt.Println("done")\n}', '"fmt" "os" "sync"');
    const fr = runGo(files, { gomaxprocs: 2 });
    assert.equal(fr.result.output, 'done\n');
    assert.ok(fr.notes.some((n) => n.includes('os.Open is simulated as a blocking system call')), fr.notes.join('\n'));
    assert.ok(fr.notes.some((n) => n.includes('*os.File.Read')), fr.notes.join('\n'));
    assert.ok(computeStats(fr.result.log).syscalls >= 16);
    const net = prog('func main() {\n\tresp, err := http.Get("http://localhost:8080/")\n\tfmt.Println(err == nil, resp != nil)\n}', '"fmt" "net/http"');
    const nr = runGo(net);
    assert.equal(nr.result.output, 'true true\n');
    assert.ok(nr.notes.some((n) => n.includes('netpoller wait')), nr.notes.join('\n'));
  });

  it('map iteration order is randomised by the seed (like Go), fmt prints maps sorted', () => {
    const src = prog('func main() {\n\tm := map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true}\n\tfor k := range m {\n\t\tfmt.Print(k)\n\t}\n\tfmt.Println("", m)\n}');
    const outs = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => runGo(src, { seed }).result.output));
    assert.ok(outs.size > 1, 'different seeds give different orders');
    for (const o of outs) assert.ok(o.endsWith(' map[1:true 2:true 3:true 4:true 5:true]\n'), o);
  });
});
