// Channels, select, sync primitives, deadlock detection and program exit (runtime-facts §9–§12).
import { strict as assert } from 'node:assert';
import { Loc, Why } from '../../src/core/trace/events';
import { A, Ev, events, run } from './helpers';

describe('channels', () => {
  it('a G readied by a channel send runs next on the waker\'s P (goready → runnext)', () => {
    const r = run(function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      yield A.go(function* () { yield A.recv(ch); });
      yield A.sleep(1000);
      yield A.send(ch, 1);
      yield A.work(1e6);
    }, { gomaxprocs: 1 });
    const wake = events(r, Ev.Wake)[0]!;
    assert.equal(wake.g, 1);
    const enq = events(r, Ev.GoEnqueue, (e) => e.i > wake.i)[0]!;
    assert.deepEqual([enq.g, enq.a, enq.b, enq.p], [wake.b, Loc.Runnext, Why.Ready, wake.p]);
  });

  it('blocked receivers are served in FIFO order, each value handed straight to the waiting receiver', () => {
    const r = run(function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      const done = (yield A.makechan(3)) as A.ChanRef;
      for (let i = 0; i < 3; i++) {
        yield A.go(function* () { const v = (yield A.recv(ch)) as A.RecvResult; yield A.print(`r${i}=${v.value} `); yield A.send(done, 0); });
      }
      yield A.sleep(1000);
      for (let i = 0; i < 3; i++) yield A.send(ch, i);
      for (let i = 0; i < 3; i++) yield A.recv(done);
    }, { gomaxprocs: 1 });
    // Receivers blocked in run order 2, 0, 1 (runnext first) and get 0, 1, 2 in that order. Each
    // goready puts the receiver in main's runnext and kicks the previous one to the ring, so they
    // print in the order 1, 2, 0.
    assert.equal(r.output, 'r1=2 r2=0 r0=1 ');
  });

  it('a buffered channel is FIFO and a closed one delivers its buffer before zero values', () => {
    const r = run(function* () {
      const ch = (yield A.makechan(3)) as A.ChanRef;
      for (let i = 1; i <= 3; i++) yield A.send(ch, i);
      yield A.close(ch);
      for (let i = 0; i < 4; i++) { const v = (yield A.recv(ch)) as A.RecvResult; yield A.print(`${String(v.value)}/${v.ok} `); }
    }, { gomaxprocs: 1 });
    assert.equal(r.output, '1/true 2/true 3/true undefined/false ');
  });

  it('a receiver on a full buffered channel gets the head and the waiting sender\'s value goes to the tail', () => {
    const r = run(function* () {
      const ch = (yield A.makechan(1)) as A.ChanRef;
      yield A.send(ch, 'a');
      yield A.go(function* () { yield A.send(ch, 'b'); });
      yield A.sleep(1000);
      for (let i = 0; i < 2; i++) { const v = (yield A.recv(ch)) as A.RecvResult; yield A.print(`${v.value}`); }
    }, { gomaxprocs: 1 });
    assert.equal(r.output, 'ab');
  });

  it('close wakes every waiter: receivers get ok=false and the first-queued receiver ends up in runnext', () => {
    const r = run(function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 3);
      for (let i = 0; i < 3; i++) {
        yield A.go(function* () { const v = (yield A.recv(ch)) as A.RecvResult; yield A.print(`${i}:${v.ok} `); yield A.wgDone(wg); });
      }
      yield A.sleep(1000);
      yield A.close(ch);
      yield A.wgWait(wg);
    }, { gomaxprocs: 1 });
    // Queued in order 2, 0, 1; readied in reverse (1, 0, 2): 2 lands in runnext, then 1, 0 from the ring.
    assert.equal(r.output, '2:false 1:false 0:false ');
  });

  it('a sender blocked on a channel that gets closed panics with "send on closed channel"', () => {
    const r = run(function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      yield A.go(function* () { yield A.send(ch, 1); });
      yield A.sleep(1000);
      yield A.close(ch);
      yield A.sleep(1000);
    }, { gomaxprocs: 1 });
    assert.equal(r.exit.reason, 'panic');
    assert.match(r.exit.message, /^panic: send on closed channel\n\ngoroutine 6 \[running\]:/);
    assert.equal(r.exit.code, 2);
  });

  it('close of a nil or closed channel panics; a recover in the body can catch it', () => {
    for (const [setup, msg] of [[true, 'close of closed channel'], [false, 'close of nil channel']] as const) {
      const r = run(function* () {
        let ch: A.ChanRef | null = null;
        if (setup) { ch = (yield A.makechan(0)) as A.ChanRef; yield A.close(ch); }
        yield A.close(ch);
      });
      assert.equal(r.exit.reason, 'panic');
      assert.match(r.exit.message, new RegExp(`^panic: ${msg}`));
    }
    const rec = run(function* () {
      try { yield A.close(null); } catch (e) { yield A.print(`recovered: ${(e as A.GoPanic).value}`); }
    });
    assert.equal(rec.output, 'recovered: close of nil channel');
    assert.equal(rec.exit.reason, 'main-returned');
  });
});

describe('select', () => {
  it('polls ready cases in a uniformly random order (seeded)', () => {
    let first = 0;
    const n = 200;
    for (let seed = 1; seed <= n; seed++) {
      const r = run(function* () {
        const a = (yield A.makechan(1)) as A.ChanRef;
        const b = (yield A.makechan(1)) as A.ChanRef;
        yield A.send(a, 'a');
        yield A.send(b, 'b');
        const s = (yield A.select([{ dir: 'recv', ch: a }, { dir: 'recv', ch: b }])) as A.SelectResult;
        yield A.print(String(s.index));
      }, { seed });
      if (r.output === '0') first++;
    }
    assert.ok(first > n * 0.35 && first < n * 0.65, `case 0 chosen ${first}/${n}`);
  });

  it('takes default when no case is ready, and select {} blocks with "select (no cases)"', () => {
    const r = run(function* () {
      const a = (yield A.makechan(0)) as A.ChanRef;
      const s = (yield A.select([{ dir: 'recv', ch: a }, { dir: 'send', ch: a, value: 1 }], true)) as A.SelectResult;
      yield A.print(String(s.index));
      yield A.select([]);
    }, { goVersion: 19 });
    assert.equal(r.output, '-1');
    assert.equal(r.exit.reason, 'deadlock');
    assert.match(r.exit.message, /goroutine 1 \[select \(no cases\)\]/);
  });

  it('a blocked select is woken by whichever channel becomes ready, and leaves the other queue', () => {
    const r = run(function* () {
      const a = (yield A.makechan(0)) as A.ChanRef;
      const b = (yield A.makechan(0)) as A.ChanRef;
      yield A.go(function* () { yield A.sleep(1000); yield A.send(b, 'from b'); });
      const s = (yield A.select([{ dir: 'recv', ch: a }, { dir: 'recv', ch: b }])) as A.SelectResult;
      yield A.print(`${s.index} ${s.value}`);
      const st = (yield A.select([{ dir: 'recv', ch: a }], true)) as A.SelectResult;
      yield A.print(` ${st.index}`);
    });
    assert.equal(r.output, '1 from b -1');
  });

  it('one case without default is a plain channel op (wait reason "chan receive", not "select")', () => {
    const r = run(function* () {
      const a = (yield A.makechan(0)) as A.ChanRef;
      yield A.select([{ dir: 'recv', ch: a }]);
    });
    assert.match(r.exit.message, /goroutine 1 \[chan receive\]/);
  });
});

describe('sync', () => {
  it('WaitGroup.Wait returns when the counter reaches zero; a negative counter panics', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 2);
      for (let i = 0; i < 2; i++) yield A.go(function* () { yield A.work(1000); yield A.wgDone(wg); });
      yield A.wgWait(wg);
      yield A.print('done');
      yield A.wgDone(wg);
    });
    assert.equal(r.output, 'done');
    assert.equal(r.exit.reason, 'panic');
    assert.match(r.exit.message, /^panic: sync: negative WaitGroup counter/);
  });

  it('a contended Mutex serialises its holders and wakes waiters in order', () => {
    const r = run(function* () {
      const mu = (yield A.mutex()) as A.MutexRef;
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 4);
      let inside = 0;
      for (let i = 0; i < 4; i++) {
        yield A.go(function* () {
          yield A.lock(mu);
          inside++;
          if (inside > 1) yield A.print('RACE ');
          yield A.work(2e5);
          inside--;
          yield A.unlock(mu);
          yield A.wgDone(wg);
        });
      }
      yield A.wgWait(wg);
      yield A.print('ok');
    }, { gomaxprocs: 4 });
    assert.equal(r.output, 'ok');
  });

  it('a Mutex waiter that waited over 1 ms gets the lock handed to it (starvation mode) and the unlocker yields', () => {
    const r = run(function* () {
      const mu = (yield A.mutex()) as A.MutexRef;
      yield A.go(function* () { yield A.sleep(1000); yield A.lock(mu); yield A.print('waiter got it '); yield A.unlock(mu); });
      for (let i = 0; i < 5; i++) { yield A.lock(mu); yield A.work(2e6); yield A.unlock(mu); }
      yield A.print('main done');
    }, { gomaxprocs: 2 });
    assert.equal(r.output.indexOf('waiter got it') < r.output.indexOf('main done'), true);
    assert.ok(events(r, Ev.GoEnqueue, (e) => e.b === Why.Yield && e.g === 1).length >= 1, 'unlocker yielded');
  });

  it('Unlock of an unlocked Mutex is a fatal error', () => {
    const r = run(function* () {
      const mu = (yield A.mutex()) as A.MutexRef;
      yield A.unlock(mu);
    });
    assert.equal(r.exit.reason, 'panic');
    assert.match(r.exit.message, /^fatal error: sync: unlock of unlocked mutex/);
  });

  it('RWMutex: readers share, a writer waits for them and blocks new readers', () => {
    const r = run(function* () {
      const rw = (yield A.rwmutex()) as A.RWMutexRef;
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 3);
      const reader = (name: string, delay: number) => function* (): A.Body {
        yield A.sleep(delay);
        yield { op: 'rlock', mu: rw };
        yield A.print(`${name}+ `);
        yield A.sleep(1e6);
        yield A.print(`${name}- `);
        yield { op: 'runlock', mu: rw };
        yield A.wgDone(wg);
      };
      yield A.go(reader('r1', 0));
      yield A.go(function* () {
        yield A.sleep(1e5);
        yield { op: 'wlock', mu: rw };
        yield A.print('W+ ');
        yield { op: 'wunlock', mu: rw };
        yield A.wgDone(wg);
      });
      yield A.go(reader('r2', 2e5));
      yield A.wgWait(wg);
    }, { gomaxprocs: 2 });
    assert.equal(r.output, 'r1+ r1- W+ r2+ r2- ');
  });

  it('Once runs its function once; a concurrent caller waits for it to finish', () => {
    const r = run(function* () {
      const o = (yield A.once()) as A.OnceRef;
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 3);
      for (let i = 0; i < 3; i++) {
        yield A.go(function* () {
          yield* A.doOnce(o, function* () { yield A.print('init '); yield A.sleep(1e6); yield A.print('ready '); });
          yield A.print(`use${i} `);
          yield A.wgDone(wg);
        });
      }
      yield A.wgWait(wg);
    }, { gomaxprocs: 2 });
    assert.equal(r.output.match(/init/g)?.length, 1);
    assert.ok(r.output.indexOf('ready') < r.output.indexOf('use'));
  });

  it('Cond: Wait releases the mutex and re-acquires it after Signal', () => {
    const r = run(function* () {
      const mu = (yield A.mutex()) as A.MutexRef;
      const c = (yield A.cond(mu)) as A.CondRef;
      let ready = false;
      yield A.go(function* () {
        yield A.lock(mu);
        while (!ready) yield { op: 'condWait', cond: c, mu };
        yield A.print('woken ');
        yield A.unlock(mu);
      });
      yield A.sleep(1000);
      yield A.lock(mu);
      ready = true;
      yield { op: 'condSignal', cond: c, broadcast: false };
      yield A.unlock(mu);
      yield A.sleep(1000);
      yield A.print('end');
    });
    assert.equal(r.output, 'woken end');
  });
});

describe('deadlock detection and exit', () => {
  const blocked = function* (): A.Body {
    const mu = (yield A.mutex()) as A.MutexRef;
    const wg = (yield A.waitgroup()) as A.WaitGroupRef;
    yield A.lock(mu);
    yield A.go(function* () { yield A.lock(mu); });
    yield A.go(function* () { yield A.recv(null); });
    yield A.wgAdd(wg, 1);
    yield A.sleep(1000);
    yield A.wgWait(wg);
  };

  it('reports "all goroutines are asleep - deadlock!" with every goroutine\'s wait reason (Go 1.19 words)', () => {
    const r = run(blocked, { goVersion: 19 });
    assert.equal(r.exit.reason, 'deadlock');
    assert.equal(r.exit.code, 2);
    const m = r.exit.message;
    assert.match(m, /^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \[semacquire\]:/);
    assert.match(m, /goroutine 6 \[semacquire\]:/);
    assert.match(m, /goroutine 7 \[chan receive \(nil chan\)\]:/);
    assert.match(m, /created by main\.main\n/);
  });

  it('uses the newer wait-reason strings: sync.Mutex.Lock (1.20+), sync.WaitGroup.Wait (1.24+), "in goroutine N" (1.21+)', () => {
    const r = run(blocked, { goVersion: 24 });
    assert.match(r.exit.message, /goroutine 1 \[sync\.WaitGroup\.Wait\]:/);
    assert.match(r.exit.message, /goroutine 6 \[sync\.Mutex\.Lock\]:/);
    assert.match(r.exit.message, /created by main\.main in goroutine 1/);
    const r20 = run(blocked, { goVersion: 20 });
    assert.match(r20.exit.message, /goroutine 1 \[semacquire\]:/);
    assert.match(r20.exit.message, /goroutine 6 \[sync\.Mutex\.Lock\]:/);
  });

  it('a pending timer suppresses the report until it fires (checkdead returns while any P has a timer)', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.sleep(500e6); });
      yield A.recv(null);
    });
    assert.equal(r.exit.reason, 'deadlock');
    assert.ok(r.exit.timeNs >= 500e6, `reported at ${r.exit.timeNs / 1e6} ms`);
  });

  it('a goroutine waiting on the network keeps an M in netpoll: no report, the program hangs', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.netio(Infinity, 'Accept'); });
      yield A.recv(null);
    });
    assert.equal(r.exit.reason, 'hang');
  });

  it('a goroutine in a long syscall keeps its thread running: no report until it returns', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.syscall(50e6, 'read'); });
      yield A.recv(null);
    });
    assert.equal(r.exit.reason, 'deadlock');
    assert.ok(r.exit.timeNs >= 50e6);
  });

  it('a binary that links the cgo runtime never reports a deadlock; it hangs', () => {
    const r = run(function* () { yield A.recv(null); }, { cgoLinked: true });
    assert.equal(r.exit.reason, 'hang');
  });

  it('time.NewTimer nobody waits on keeps Go 1.19 alive but not Go 1.23+', () => {
    const body = function* (): A.Body { yield A.after(1e9); yield A.recv(null); };
    // Nothing can wake main before the timer fires, past the budget: the report comes then.
    const old = run(body, { goVersion: 19, maxVirtualTimeNs: 100e6 });
    assert.equal(old.exit.reason, 'deadlock');
    assert.ok(old.exit.timeNs >= 1e9, String(old.exit.timeNs));
    assert.equal(run(body, { goVersion: 23, maxVirtualTimeNs: 100e6 }).exit.reason, 'deadlock');
  });

  it('main returning ends the program at once; other goroutines are discarded', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.sleep(1e6); yield A.print('never'); });
      yield A.print('main returns');
    });
    assert.equal(r.output, 'main returns');
    assert.equal(r.exit.reason, 'main-returned');
    assert.equal(r.exit.code, 0);
    assert.equal(r.goroutines.length, 1);
  });

  it('runtime.Goexit in main lets the others finish, then "no goroutines (main called runtime.Goexit) - deadlock!"', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.sleep(1e6); yield A.print('other done'); });
      yield A.goexit();
    });
    assert.equal(r.output, 'other done');
    assert.equal(r.exit.reason, 'goexit-deadlock');
    assert.equal(r.exit.message, 'fatal error: no goroutines (main called runtime.Goexit) - deadlock!');
  });

  it('an unrecovered panic in any goroutine ends the program with exit status 2', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.panic('boom'); });
      yield A.sleep(1e6);
      yield A.print('never');
    });
    assert.equal(r.exit.reason, 'panic');
    assert.match(r.exit.message, /^panic: boom\n\ngoroutine 6 \[running\]:/);
    assert.equal(r.output, '');
  });

  it('os.Exit ends the program with its code', () => {
    const r = run(function* () { yield A.osExit(3); yield A.print('never'); });
    assert.deepEqual([r.exit.reason, r.exit.code], ['os-exit', 3]);
  });
});

describe('bad input and budgets', () => {
  it('a body that throws stops the run with a clear reason', () => {
    const r = run(function* () { yield A.go(function* () { throw new TypeError('interpreter bug'); }); yield A.sleep(1e6); });
    assert.equal(r.exit.reason, 'error');
    assert.match(r.exit.message, /goroutine 6's body failed: interpreter bug/);
  });

  it('an action the engine cannot perform (an unknown channel) stops the run with an internal error, not a crash', () => {
    const r = run(function* () { yield A.send({ kind: 'chan', id: 999 }, 1); });
    assert.equal(r.exit.reason, 'error');
    assert.match(r.exit.message, /unknown channel 999/);
  });

  it('a program that spawns forever stops at the goroutine budget', () => {
    const r = run(function* () { for (;;) yield A.go(function* () { yield A.sleep(1e9); }); }, { maxGoroutines: 10_000 });
    assert.equal(r.exit.reason, 'budget');
    assert.match(r.exit.message, /goroutine budget/);
  });

  it('a body that never lets virtual time pass stops at the zero-time step budget', () => {
    const r = run(function* () { for (;;) yield A.work(0); }, { maxZeroTimeSteps: 10_000 });
    assert.equal(r.exit.reason, 'budget');
    assert.match(r.exit.message, /without virtual time passing/);
  });

  it('an endless loop stops at the virtual-time budget; an event flood at the event budget', () => {
    assert.equal(run(function* () { yield A.work(Infinity, undefined, true); }, { maxVirtualTimeNs: 1e9 }).exit.reason, 'budget');
    const r = run(function* () { for (;;) yield A.gosched(); }, { maxEvents: 5000 });
    assert.equal(r.exit.reason, 'budget');
    assert.match(r.exit.message, /event budget/);
  });

  it('a program that prints forever stops once its output passes 16 M characters (a JS string could not hold it all)', () => {
    const line = 'x'.repeat(1 << 20);
    const r = run(function* () { for (;;) yield A.print(line); });
    assert.equal(r.exit.reason, 'budget');
    assert.match(r.exit.message, /printed more than 16 M characters/);
    assert.equal(r.output.length, 16 << 20);
  });
});
