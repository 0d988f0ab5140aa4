// Teaching moments without a browser: what the diagram marks at an event follows from the log
// alone — the step an event belongs to, only what has happened by the playhead, and the figures
// (how many were stolen, how long the G ran, which M took the P) read from the events' fields.
import { strict as assert } from 'node:assert';
import * as A from '../../src/core/engine/actions';
import { simulate } from '../../src/core/engine/scheduler';
import { findScenario, runScenario } from '../../src/core/scenarios';
import { Ev, EventLog, Loc, PollWho, SysExit, Why } from '../../src/core/trace/events';
import { anchorOf, momentAt, type Mark } from '../../webview/moments';

const run = (name: string) => runScenario(findScenario(name)!, { seed: 1 }).log;
const find = (log: EventLog, pred: (i: number) => boolean, from = 0) => {
  for (let i = from; i < log.length; i++) if (pred(i)) return i;
  return -1;
};
const on = (marks: Mark[], key: 'g' | 'p' | 'm' | 'box', id: number | string) => marks.filter((m) => (m.target as Record<string, unknown>)[key] === id);

describe('panel teaching moments (moments.ts)', () => {
  it('a steal: one step from the Steal to the last GoEnqueue of its batch; the marked Gs grow as they land', () => {
    const log = run('work-stealing');
    const steal = find(log, (i) => log.kind(i) === Ev.Steal && log.a(i) >= 3);
    const n = log.a(steal), thief = log.p(steal), victim = log.b(steal);
    const last = steal + n - 1;
    for (let j = steal; j <= last; j++) assert.equal(anchorOf(log, j), steal, `event ${j}`);
    const at = momentAt(log, steal)!;
    assert.equal(on(at.marks, 'p', thief)[0]!.caption, `⇐ stole ${n} from P${victim} (stealWork: half)`);
    assert.equal(on(at.marks, 'p', victim)[0]!.effect, 'victim');
    assert.equal(at.marks.filter((m) => m.effect === 'stolen').length, 1, 'at the Steal only the G it runs has moved');
    const end = momentAt(log, last)!;
    const stolen = end.marks.filter((m) => m.effect === 'stolen' && 'g' in m.target).map((m) => (m.target as { g: number }).g);
    const enqueued: number[] = [];
    for (let j = steal + 1; j <= last; j++) if (log.kind(j) === Ev.GoEnqueue && log.b(j) === Why.Steal) enqueued.push(log.g(j));
    assert.deepEqual(stolen, [log.g(steal), ...enqueued]);
    assert.equal(stolen.length, n);
    assert.deepEqual(at.arrows, [{ from: { p: victim }, to: { p: thief }, effect: 'thief', label: `runqsteal: ${n} Gs` }], 'one arrow, victim → thief');
  });

  it('a retake: the P is handed off to the M named by the MCreate that follows, once that has happened', () => {
    const log = run('syscall-handoff');
    const retake = find(log, (i) => log.kind(i) === Ev.SysmonRetake && log.kind(i + 2) === Ev.MCreate);
    const p = log.p(retake), newM = log.m(retake + 2);
    assert.equal(on(momentAt(log, retake)!.marks, 'p', p)[0]!.caption, 'retaken by sysmon: handed off (handoffp)');
    const after = momentAt(log, retake + 2)!;
    assert.equal(after.anchor, retake);
    assert.equal(on(after.marks, 'p', p)[0]!.caption, `retaken by sysmon: handed off (handoffp) → M${newM}`);
    assert.equal(on(after.marks, 'm', newM)[0]!.caption, `new thread M${newM} (newm)`);
    assert.equal(on(after.marks, 'm', log.m(retake))[0]!.effect, 'syscall');
    assert.deepEqual(momentAt(log, retake)!.arrows, [], 'no arrow before the new M is known');
    assert.deepEqual(after.arrows, [{ from: { m: log.m(retake) }, to: { p }, effect: 'handoff', label: `P${p} → M${newM}` }]);
  });

  it('entersyscall: before Go 1.26 the P is left in _Psyscall; Go 1.26 keeps it wired to the M', () => {
    const log = run('syscall-handoff');
    const enter = find(log, (i) => log.kind(i) === Ev.GoSysEnter);
    const p = log.p(enter), m = log.m(enter);
    assert.equal(on(momentAt(log, enter, 22)!.marks, 'p', p)[0]!.caption, 'left in _Psyscall, no M: sysmon may retake it (after ≥ 20 µs)');
    assert.match(on(momentAt(log, enter, 26)!.marks, 'p', p)[0]!.caption, new RegExp(`^stays with M${m} \\(Go 1.26 has no _Psyscall\\)`));
    assert.equal(on(momentAt(log, enter)!.marks, 'm', m)[0]!.caption, `entersyscall: M${m} blocks in the kernel with G${log.g(enter)}`);
  });

  it('exitsyscall: the fast path and the slow path say different things; the slow G is marked on its way to the global queue', () => {
    const log = run('syscall-handoff');
    const fast = find(log, (i) => log.kind(i) === Ev.GoSysExit && log.a(i) === SysExit.FastOldP);
    const slow = find(log, (i) => log.kind(i) === Ev.GoSysExit && log.a(i) === SysExit.Slow);
    assert.equal(on(momentAt(log, fast)!.marks, 'g', log.g(fast))[0]!.caption, `exitsyscall fast path: got P${log.p(fast)} back`);
    const s = momentAt(log, slow + 1)!;
    assert.equal(s.anchor, slow);
    assert.equal(on(s.marks, 'g', log.g(slow))[0]!.effect, 'slow');
  });

  it('a preemption: the G is marked with how long it ran, measured from its GoStart', () => {
    const log = run('tight-loop-preemption');
    const pre = find(log, (i) => log.kind(i) === Ev.SysmonPreempt);
    const g = log.g(pre);
    let start = pre;
    while (!(log.kind(start) === Ev.GoStart && log.g(start) === g)) start--;
    const ranMs = (log.t(pre) - log.t(start)) / 1e6;
    assert.ok(ranMs >= 10, 'sysmon preempts after 10 ms');
    const cap = on(momentAt(log, pre + 1)!.marks, 'g', g)[0]!.caption;
    assert.match(cap, new RegExp(`^preempted after ${+ranMs.toFixed(1)}`));
  });

  it('a full local queue: the runqputslow batch is marked on the P and the global queue with the count from the event', () => {
    const log = runScenario(findScenario('goroutines-1000')!, { seed: 1, gomaxprocs: 1 }).log;
    const ov = find(log, (i) => log.kind(i) === Ev.Overflow);
    assert.ok(ov > 0, 'the queue overflows');
    const anchor = anchorOf(log, ov);
    const mo = momentAt(log, ov)!;
    // The overflow is part of the newproc that found the queue full, or its own step.
    const marks = on(mo.marks, 'p', log.p(ov));
    assert.ok(marks.some((x) => x.effect === 'overflow' && x.caption === `local queue full → ${log.a(ov)} Gs to the global queue (runqputslow)`), `anchor ${anchor}: ${JSON.stringify(mo.marks)}`);
    assert.deepEqual(mo.arrows.filter((x) => x.effect === 'overflow'), [{ from: { p: log.p(ov) }, to: { box: 'globalq' }, effect: 'overflow', label: `runqputslow: ${log.a(ov)} Gs` }]);
  });

  it('a thread started after a netpoll is injectglist\'s startm, one started after a go statement is wakep\'s', () => {
    const log = new EventLog();
    log.push(100, Ev.Netpoll, -1, 0, 0, 2, PollWho.Sysmon, -1);
    log.push(100, Ev.GoEnqueue, 5, -1, 1, Loc.GlobalTail, Why.Inject, -1);
    log.push(100, Ev.MWake, -1, 2, 1, 0, -1, -1);
    const caps = momentAt(log, 2)!.marks.filter((m) => m.effect === 'newm').map((m) => m.caption);
    assert.ok(caps.includes('startm: idle M2 woken'), JSON.stringify(caps));
    assert.ok(!caps.some((c) => /wakep/.test(c)), JSON.stringify(caps));
    const go = new EventLog();
    go.push(100, Ev.GoCreate, 6, 0, 0, 1, -1, -1);
    go.push(100, Ev.GoEnqueue, 6, 0, 0, Loc.Runnext, Why.Create, -1);
    go.push(100, Ev.MCreate, -1, 3, 1, 1, -1, -1);
    assert.ok(momentAt(go, 2)!.marks.some((m) => m.caption === 'wakep: new thread M3, spinning'));
  });

  it('ordinary events mark nothing, and a deadlock exit carries the checkdead banner while a normal exit does not', () => {
    const log = run('deadlock');
    const exit = find(log, (i) => log.kind(i) === Ev.Exit);
    assert.match(momentAt(log, exit)!.banner!, /^checkdead: .*all goroutines are asleep/);
    const start = find(log, (i) => log.kind(i) === Ev.GoStart);
    assert.equal(momentAt(log, start), null);
    const ok = simulate(function* () { yield A.work(1000); }, { gomaxprocs: 1, seed: 1 }).log;
    assert.equal(momentAt(ok, find(ok, (i) => ok.kind(i) === Ev.Exit)), null);
    assert.equal(momentAt(ok, -1), null);
  });
});
