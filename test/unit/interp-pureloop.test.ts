// Pure loops (src/core/golang/interp/pureloop.ts): the compiled fast path and the closed-form
// fast-forward must give exactly what interpreting every iteration gives — values, virtual time,
// steps — and a loop without an exact closed form is interpreted, visibly.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseGo } from '../../src/core/golang/parser';
import { lowerGoSource } from '../../src/core/golang/interp';
import type { Stmt } from '../../src/core/golang/interp/ast';
import { fastForward, purePlan, type ForStmt } from '../../src/core/golang/interp/pureloop';
import { loadParser, runGo } from './interp-helpers';
import { computeStats } from '../../src/core/trace/stats';
import { isSpinHang } from '../../src/core/trace/events';

// ---- random pure loops

const lit = fc.integer({ min: -9, max: 9 }).map((n) => (n < 0 ? `(${n})` : String(n)));
const modulus = fc.integer({ min: 1, max: 12 }).map(String);
const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant('i'), fc.constant('k'), lit,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('e'), modulus).map(([a, m]) => `(${a} % ${m})`),
    fc.tuple(tie('e'), fc.constantFrom('/', '%', '&', '|', '^', '>>'), fc.integer({ min: 1, max: 5 })).map(([a, op, b]) => `(${a} ${op} ${b})`),
  ),
})).e as fc.Arbitrary<string>;

const stmt = fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('+=', '-=', '=', '++', '--', '*=', 'x'), expr).map(([v, op, e]) =>
  op === '++' || op === '--' ? `${v}${op}` : op === 'x' ? `${v} = ${v}*3 + ${e}` : `${v} ${op} ${e}`);

const loop = fc.record({
  i0: fc.integer({ min: -40, max: 40 }),
  cmp: fc.constantFrom('<', '<=', '>', '>=', '!='),
  bound: fc.integer({ min: -60, max: 60 }),
  post: fc.constantFrom('i++', 'i--', 'i += 2', 'i -= 3', 'i += k'),
  k: fc.integer({ min: -5, max: 7 }),
  body: fc.array(stmt, { minLength: 1, maxLength: 3 }),
});
type Loop = typeof loop extends fc.Arbitrary<infer T> ? T : never;

const program = (l: Loop) => `package main

import "fmt"

func main() {
	a, b, c, k := 1, -2, 3, ${l.k}
	n := 0
	for i := ${l.i0}; i ${l.cmp} ${l.bound}; ${l.post} {
		${l.body.join('\n\t\t')}
		n++
		if n > 2000 {
			break
		}
	}
	fmt.Println(a, b, c, n)
}
`;

/** The same loop without the iteration cap (which makes it impure), for the fast-forward itself. */
const bareLoop = (l: Loop) => `package main

func main() {
	for i := ${l.i0}; i ${l.cmp} ${l.bound}; ${l.post} {
		${l.body.join('\n\t\t')}
	}
}
`;

function forStmt(src: string): ForStmt {
  const main = lowerGoSource(src, parseGo).funcs.get('main')!;
  const f = main.body.find((s: Stmt) => s.k === 'for');
  return f as ForStmt;
}

/** Go's int64 arithmetic for the closures (the interpreter's intOp has the same contract). */
function intOp(op: string, x: number, y: number): number {
  const X = BigInt(x), Y = BigInt(y);
  const w = (r: bigint) => Number(BigInt.asIntN(64, r));
  switch (op) {
    case '+': return w(X + Y);
    case '-': return w(X - Y);
    case '*': return w(X * Y);
    case '/': if (y === 0) throw new Error('divide by zero'); return w(X / Y);
    case '%': if (y === 0) throw new Error('divide by zero'); return w(X % Y);
    case '&': return w(X & Y);
    case '|': return w(X | Y);
    case '^': return w(X ^ Y);
    case '>>': return w(X >> Y);
    default: throw new Error(op);
  }
}

describe('pure loops: compiled and fast-forwarded like interpreted', function () {
  this.timeout(120_000);
  before(() => loadParser());

  it('the closed-form final values equal running every iteration, whenever a closed form is used', () => {
    let exact = 0;
    fc.assert(fc.property(loop, (l) => {
      const s = forStmt(bareLoop(l));
      const plan = purePlan(s);
      assert.ok(plan, 'a loop of integer arithmetic is pure');
      plan.rt.intOp = (op, x, y) => intOp(op, x, y);
      const init: Record<string, number> = { a: 1, b: -2, c: 3, k: l.k, i: l.i0 };
      const v = plan.names.map((n) => init[n]!);
      let ff;
      try { ff = fastForward(plan, v.slice(), (k) => plan.names[k]!); } catch { return; }
      if (!ff) return;
      if (ff.n > 3000) return;
      const w = v.slice();
      let n = 0;
      try {
        while (plan.cond!(w)) { plan.iter(w); n++; }
      } catch { return; }
      assert.equal(ff.n, n, 'trip count');
      if (ff.values) {
        exact++;
        assert.deepEqual(ff.values, w, `${bareLoop(l)}\nnames ${plan.names}`);
      }
    }), { numRuns: 400, seed: 42 });
    assert.ok(exact > 50, `only ${exact} loops had a closed form`);
  });

  it('a program gives the same output, exit and virtual time compiled or fast-forwarded as interpreted', () => {
    fc.assert(fc.property(loop, (l) => {
      const src = program(l).replace('\t\tn++\n\t\tif n > 2000 {\n\t\t\tbreak\n\t\t}\n', '');
      // Without the cap the loop may not end: both runs stop at the same (small) step budget then.
      const a = runGo(src, { pureLoops: 'off', maxSteps: 20_000 }).result;
      const b = runGo(src, { pureLoops: 'compiled', maxSteps: 20_000 }).result;
      assert.equal(b.output, a.output, src);
      assert.equal(b.exit.reason, a.exit.reason, src);
      // (At the step budget the compiled loop stops at the end of the iteration the interpreter stops in.)
      if (a.exit.reason !== 'budget') {
        assert.equal(b.exit.timeNs, a.exit.timeNs, src);
        assert.equal(b.exit.message, a.exit.message, src);
        // Skipping iterations in closed form between scheduling points changes nothing either.
        const c = runGo(src, { maxSteps: 20_000 }).result;
        assert.equal(c.output, a.output, src);
        assert.equal(c.exit.timeNs, a.exit.timeNs, src);
        assert.equal(c.exit.message, a.exit.message, src);
      }
    }), { numRuns: 60, seed: 7 });
  });

  it('a loop of 1 000 000 000 iterations is fast-forwarded: exact result, a note at its line, its CPU time charged', () => {
    const src = (n: number) => `package main

import "fmt"

func main() {
	s := 0
	for i := 0; i < ${n}; i++ {
		s += i % 2
	}
	fmt.Println(s)
}
`;
    const r = runGo(src(1_000_000_000));
    assert.equal(r.result.output, '500000000\n');
    assert.equal(r.result.exit.reason, 'main-returned');
    assert.ok(r.notes.some((n) => /^main\.go:7: loop of 1 000 000 000 iterations fast-forwarded/.test(n)), r.notes.join('\n'));
    // The same virtual time as running it: compare a smaller loop fast-forwarded and compiled.
    const ff = runGo(src(3_000_000)).result;
    const compiled = runGo(src(3_000_000), { pureLoops: 'compiled' }).result;
    assert.equal(ff.output, compiled.output);
    assert.equal(ff.exit.timeNs, compiled.exit.timeNs);
    assert.ok(r.result.exit.timeNs > 300 * ff.exit.timeNs, 'a thousand times the iterations, hundreds of times the time');
  });

  it('a huge loop without an exact closed form is interpreted, and says so', () => {
    const r = runGo(`package main

import "fmt"

func main() {
	x := 1
	for i := 0; i < 1200000; i++ {
		x = x*3 + i
		x = x % 1000003
	}
	fmt.Println(x)
}
`);
    assert.ok(r.notes.some((n) => /^main\.go:7: loop of 1 200 000 iterations not fast-forwarded \(x.s new value depends on variables the loop changes\)/.test(n)), r.notes.join('\n'));
    assert.equal(r.result.exit.reason, 'main-returned');
    assert.match(r.result.output, /^\d+\n$/);
  });

  it('an endless pure loop is skipped in closed form between scheduling points: preempted like the real one, shared values exact', () => {
    const src = `package main

import (
	"fmt"
	"runtime"
	"time"
)

var x int

func main() {
	runtime.GOMAXPROCS(1)
	go func() {
		for {
			x += 3
		}
	}()
	time.Sleep(time.Millisecond)
	fmt.Println(x > 0, x%3)
}
`;
    const ff = runGo(src).result;
    assert.equal(ff.output, 'true 0\n');
    assert.ok(ff.notes.some((n) => /loop fast-forwarded between scheduling points/.test(n)), ff.notes.join('\n'));
    // sysmon preempts the spinner after its 10 ms slice; only then does main run again.
    assert.equal(ff.exit.reason, 'main-returned');
    assert.ok(ff.exit.timeNs >= 10e6, String(ff.exit.timeNs));
  });

  it('an empty `for {}` and a spinner that only discards values (`_ = i`) reach their scheduling points: main wakes from its sleep and prints, as in Go', () => {
    for (const spin of ['for {\n\t\t}', 'for i := 0; ; i++ {\n\t\t\t_ = i * 7\n\t\t}']) {
      const src = `package main

import (
	"fmt"
	"time"
)

func main() {
	go func() {
		${spin}
	}()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("main woke")
}
`;
      for (const pureLoops of ['off', undefined] as const) {
        const r = runGo(src, { gomaxprocs: 1, pureLoops, maxSteps: pureLoops === 'off' ? 500_000 : undefined }).result;
        if (pureLoops === 'off') {
          // Interpreted iteration by iteration: a budget, never a hang (the empty loop costs its jump back).
          assert.ok(r.exit.reason === 'budget' || r.output === 'main woke\n', `${spin}: ${r.exit.message}`);
        } else {
          assert.equal(r.output, 'main woke\n', `${spin}: ${r.exit.message}`);
          assert.equal(r.exit.reason, 'main-returned');
          // One P: sysmon preempts the spinner after 10 ms; main's 20 ms timer is then served.
          assert.ok(r.exit.timeNs >= 20e6, String(r.exit.timeNs));
        }
      }
    }
  });

  it('a discarded division is not skipped in closed form (it may panic at some iteration)', () => {
    const src = `package main

func main() {
	d := 5
	for i := 0; i < 2000000; i++ {
		_ = 10 / (d - i)
	}
}
`;
    const r = runGo(src).result;
    assert.equal(r.exit.reason, 'panic');
    assert.match(r.exit.message, /integer divide by zero/);
  });

  it('a division by zero inside a pure loop panics at the same iteration either way', () => {
    const src = `package main

import "fmt"

func main() {
	s := 0
	d := 5
	for i := 0; i < 2000000; i++ {
		s += 10 / (d - i)
	}
	fmt.Println(s)
}
`;
    const a = runGo(src, { pureLoops: 'off' }).result;
    const b = runGo(src).result;
    assert.equal(a.exit.reason, 'panic');
    assert.equal(b.exit.message, a.exit.message);
    assert.equal(b.exit.timeNs, a.exit.timeNs);
  });

  it('a loop is endless only without a condition and with nothing that could panic (division, remainder, shift by a variable)', () => {
    const plan = (body: string) => purePlan(forStmt(`package main\n\nfunc main() {\n\tx, d := 1, 2\n\t${body}\n\t_, _ = x, d\n}\n`));
    assert.equal(plan('for {\n\t}')!.endless, true);
    assert.equal(plan('for {\n\t\tx++\n\t}')!.endless, true);
    assert.equal(plan('for {\n\t\tx = x*3 + d<<2 - x/7 + x%5\n\t}')!.endless, true);
    assert.equal(plan('for ; ; x++ {\n\t\tx -= d\n\t}')!.endless, true);
    assert.equal(plan('for x < 10 {\n\t\tx *= 2\n\t}')!.endless, false);
    assert.equal(plan('for {\n\t\tx = 10 / d\n\t}')!.endless, false);
    assert.equal(plan('for {\n\t\tx %= d\n\t}')!.endless, false);
    assert.equal(plan('for {\n\t\t_ = x / 0\n\t}')!.endless, false);
    assert.equal(plan('for {\n\t\tx = x << d\n\t}')!.endless, false);
  });
});

describe('a program that only spins in endless loops ends at once as hang', function () {
  this.timeout(60_000);
  before(loadParser);

  const spinAlone = 'package main\n\nfunc main() {\n\tfor {\n\t}\n}\n';
  const spinCounting = 'package main\n\nfunc main() {\n\tx := 0\n\tfor {\n\t\tx++\n\t}\n}\n';
  const spinBesideSelect = `package main

import "fmt"

func main() {
	go func() {
		for {
		}
	}()
	fmt.Println("started")
	select {}
}
`;

  it('main spinning alone, counting or not, and a goroutine spinning while main blocks in select {}: hang within 100 ms of virtual time, naming each spinner\'s line', () => {
    for (const [src, g, line] of [[spinAlone, 1, 4], [spinCounting, 1, 5], [spinBesideSelect, '\\d+', 7]] as const) {
      for (const procs of [1, 4]) {
        const r = runGo(src, { gomaxprocs: procs }).result;
        assert.equal(r.exit.reason, 'hang', r.exit.message);
        assert.ok(isSpinHang(r.exit), r.exit.message);
        assert.ok(r.exit.timeNs < 100e6, String(r.exit.timeNs));
        assert.match(r.exit.message, new RegExp(`G${g} spins in an endless loop at main\\.go:${line} that nothing can stop`));
        assert.match(r.exit.message, /Go does not report a deadlock while a goroutine is running/);
      }
    }
    const sel = runGo(spinBesideSelect).result;
    assert.equal(sel.output, 'started\n');
    assert.match(sel.exit.message, /G1 \[select \(no cases\)\] at main\.go:11/);
  });

  it('every spinner is listed, and the Ticker nobody receives from does not keep the run going', () => {
    const src = `package main

import "time"

func spin() {
	for {
	}
}

func main() {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	go spin()
	go spin()
	select {}
}
`;
    const r = runGo(src, { gomaxprocs: 2 }).result;
    assert.equal(r.exit.reason, 'hang', r.exit.message);
    assert.ok(r.exit.timeNs < 100e6, String(r.exit.timeNs));
    assert.match(r.exit.message, /G\d+ \(main\.go:6\) and G\d+ \(main\.go:6\) spin in endless loops/);
    assert.match(r.exit.message, /keeping 2 CPUs busy/);
  });

  it('while another goroutine can still run or be woken, the run goes on: main sleeps 30 ms beside a spinner and returns, after several preemptions', () => {
    const src = `package main

import (
	"fmt"
	"time"
)

func main() {
	go func() {
		for {
		}
	}()
	time.Sleep(30 * time.Millisecond)
	fmt.Println("done")
}
`;
    for (const procs of [1, 2]) {
      const r = runGo(src, { gomaxprocs: procs }).result;
      assert.equal(r.exit.reason, 'main-returned', r.exit.message);
      assert.equal(r.output, 'done\n');
      assert.ok(r.exit.timeNs >= 30e6, String(r.exit.timeNs));
      // One P: sysmon preempts the spinner at ~10 and ~20 ms (and main's timer is served at the next schedule).
      const pre = computeStats(r.log).preemptions;
      assert.ok(pre >= (procs === 1 ? 2 : 1), String(pre));
    }
    // A goroutine waiting on a timer's channel can be woken too.
    const timer = src.replace('time.Sleep(30 * time.Millisecond)', '<-time.After(30 * time.Millisecond)');
    const t = runGo(timer).result;
    assert.equal(t.exit.reason, 'main-returned', t.exit.message);
  });

  it('a spinning loop that may panic is not endless: it runs on to the budget as before', () => {
    const src = 'package main\n\nfunc main() {\n\tx, d := 0, 3\n\tfor {\n\t\tx = 10 / d\n\t}\n}\n';
    const r = runGo(src, { sim: { maxVirtualTimeNs: 200e6 } }).result;
    assert.equal(r.exit.reason, 'budget', r.exit.message);
    assert.ok(computeStats(r.log).preemptions >= 10);
  });
});
