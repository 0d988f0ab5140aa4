// Chrome Trace Event export: structure, tracks that never overlap, names and order on a known
// program, and agreement with stateAt (both are folds of the same log).
import { strict as assert } from 'node:assert';
import * as A from '../../src/core/engine/actions';
import type { SimConfig } from '../../src/core/engine/config';
import { simulate, type SimResult } from '../../src/core/engine/scheduler';
import { PID_MS, PID_PS, toChromeTrace } from '../../src/core/trace/chrome';
import { Ev } from '../../src/core/trace/events';
import { buildIndex } from '../../src/core/trace/state';

interface TE { ph: string; name: string; pid: number; tid: number; ts?: number; dur?: number; s?: string; cat?: string; args?: Record<string, any> }

function run(main: () => A.Body, cfg: Partial<SimConfig>): { r: SimResult; evs: TE[] } {
  const r = simulate(main, { seed: 1, ...cfg });
  const tr = toChromeTrace(r.log);
  assert.equal(tr.displayTimeUnit, 'ns');
  // It must survive JSON (what the CLI writes) unchanged.
  const evs = JSON.parse(JSON.stringify(tr)).traceEvents as TE[];
  assert.equal(evs.length, tr.traceEvents.length);
  return { r, evs };
}

const spans = (evs: TE[], pid: number, tid?: number) =>
  evs.filter((e) => e.ph === 'X' && e.pid === pid && (tid === undefined || e.tid === tid)).sort((a, b) => a.ts! - b.ts!);

/** Structural checks every trace must pass. */
function checkWellFormed(r: SimResult, evs: TE[]): void {
  const end = r.log.t(r.log.length - 1) / 1000;
  for (const e of evs) {
    assert.ok(['M', 'X', 'i', 'C'].includes(e.ph), `phase ${e.ph}`);
    assert.equal(typeof e.name, 'string');
    assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid), 'pid/tid');
    if (e.ph === 'M') continue;
    assert.ok(Number.isFinite(e.ts) && e.ts! >= 0 && e.ts! <= end + 1e-9, `ts ${e.ts}`);
    if (e.ph === 'X') assert.ok(Number.isFinite(e.dur) && e.dur! >= 0 && e.ts! + e.dur! <= end + 1e-9, `dur ${e.dur} of ${e.name}`);
    if (e.ph === 'i') assert.ok(e.s === 't' || e.s === 'g');
    if (e.ph === 'C') assert.ok(Number.isInteger(e.args?.value) && e.args!.value >= 0);
  }
  // Every track that has events is named.
  const named = new Set(evs.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => `${e.pid}:${e.tid}`));
  for (const e of evs) if (e.ph === 'X' || (e.ph === 'i' && e.s === 't')) assert.ok(named.has(`${e.pid}:${e.tid}`), `unnamed track ${e.pid}:${e.tid}`);
  // A P runs one G at a time, an M does one thing at a time: spans on a track never overlap.
  for (const pid of [PID_PS, PID_MS]) {
    const tids = new Set(spans(evs, pid).map((e) => e.tid));
    for (const tid of tids) {
      const s = spans(evs, pid, tid);
      for (let j = 1; j < s.length; j++) {
        assert.ok(s[j - 1]!.ts! + s[j - 1]!.dur! <= s[j]!.ts! + 1e-9, `overlap on ${pid}:${tid}: ${s[j - 1]!.name} then ${s[j]!.name} at ${s[j]!.ts}`);
      }
    }
  }
}

/** At times strictly between events, the G span covering t on each P track is the G stateAt(t) shows running there. */
function checkAgainstState(r: SimResult, evs: TE[]): void {
  const idx = buildIndex(r.log);
  const times: number[] = [];
  for (let i = 1; i < r.log.length && times.length < 400; i += Math.max(1, Math.floor(r.log.length / 400))) {
    const a = r.log.t(i - 1);
    const b = r.log.t(i);
    if (b > a) times.push((a + b) / 2);
  }
  const pSpans = spans(evs, PID_PS);
  for (const t of times) {
    const st = idx.stateAt(t);
    for (const p of st.ps) {
      const m = p.m >= 0 ? st.ms[p.m] : undefined;
      const g = p.status === 'running' && m && m.g >= 0 && st.gs.find((x) => x.id === m.g)?.where === 'running' ? m.g : -1;
      const cover = pSpans.filter((e) => e.tid === p.id && e.ts! * 1000 < t && (e.ts! + e.dur!) * 1000 > t);
      assert.ok(cover.length <= 1);
      assert.equal(cover[0]?.args?.goid ?? -1, g, `P${p.id} at t=${t}`);
    }
  }
}

describe('Chrome trace export', () => {
  it('GOMAXPROCS=1 order program: P0 runs the Gs in the order the log starts them, M0 likewise', () => {
    const { r, evs } = run(function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      for (let i = 0; i < 5; i++) yield A.go(function* () { yield A.print(`${i} `); yield A.send(ch, i); });
      for (let i = 0; i < 5; i++) yield A.recv(ch);
    }, { gomaxprocs: 1 });
    checkWellFormed(r, evs);
    const started: string[] = [];
    for (let i = 0; i < r.log.length; i++) if (r.log.kind(i) === Ev.GoStart && r.log.p(i) === 0) started.push(`G${r.log.g(i)}`);
    const p0 = spans(evs, PID_PS, 0).map((e) => e.name);
    assert.deepEqual(p0, started);
    assert.deepEqual(p0.slice(0, 6), ['G1', 'G10', 'G1', 'G6', 'G1', 'G7']);
    assert.deepEqual(spans(evs, PID_MS, 0).map((e) => e.name), started);
    assert.ok(spans(evs, PID_PS, 0).every((e) => e.cat === 'goroutine' && e.args!.goid === Number(e.name.slice(1))));
    // Main's first span ends when it blocks on the channel; G10's when it exits.
    assert.equal(spans(evs, PID_PS, 0)[0]!.args!.end, 'blocked: chan receive');
    assert.equal(spans(evs, PID_PS, 0)[1]!.args!.end, 'exit');
    // Track names.
    const names = evs.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => `${e.pid}:${e.tid}=${e.args!.name}`);
    assert.deepEqual(names, ['1:0=P0', '2:0=M0', '2:1=M1 (sysmon)']);
    assert.deepEqual(evs.filter((e) => e.name === 'process_name').map((e) => e.args!.name), ['Ps', 'Ms']);
    // Counters: live goroutines go 1 → 6 → 0.
    const live = evs.filter((e) => e.ph === 'C' && e.name === 'goroutines').map((e) => e.args!.value);
    assert.equal(Math.max(...live), 6);
    assert.equal(live.at(-1), 0);
    assert.ok(evs.some((e) => e.ph === 'i' && e.name === 'exit: main-returned' && e.s === 'g'));
    checkAgainstState(r, evs);
  });

  it('spans carry source lines, and a span still open at the end closes at the last event', () => {
    const site = (line: number): A.Site => ({ file: 'main.go', line, fn: 'main.main' });
    const { r, evs } = run(function* () {
      yield A.go(function* () { yield A.work(1e9, site(5), true); }, site(4));
      yield A.sleep(30_000_000, site(7));
    }, { gomaxprocs: 2 });
    checkWellFormed(r, evs);
    const g6 = spans(evs, PID_PS).filter((e) => e.name === 'G6');
    assert.ok(g6.length >= 1);
    assert.equal(g6[0]!.args!.created, 4);
    const last = g6.at(-1)!;
    assert.ok(Math.abs(last.ts! + last.dur! - r.log.t(r.log.length - 1) / 1000) < 1e-9, 'closed at the last event');
  });

  it('syscall and cgo spans on M tracks, with what they called; retakes and hand-offs as instants', () => {
    const { r, evs } = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 3);
      yield A.go(function* () { yield A.syscall(3_000_000, 'read'); yield A.wgDone(wg); });
      yield A.go(function* () { yield A.cgo(50_000, 'C.sqrt'); yield A.wgDone(wg); });
      yield A.go(function* () { yield A.work(4_000_000); yield A.wgDone(wg); });
      yield A.wgWait(wg);
    }, { gomaxprocs: 2 });
    checkWellFormed(r, evs);
    const m = spans(evs, PID_MS);
    const sys = m.find((e) => e.name === 'syscall')!;
    assert.equal(sys.args!.what, 'read');
    assert.ok(sys.dur! >= 3000, `syscall span ${sys.dur} µs`);
    assert.equal(m.find((e) => e.name === 'cgo')?.args?.what, 'C.sqrt');
    assert.ok(evs.some((e) => e.ph === 'i' && e.name === 'retake'));
    assert.ok(evs.some((e) => e.ph === 'i' && e.name === 'handoff' && e.args!.why === 'SysmonRetake'));
    checkAgainstState(r, evs);
  });

  it('spinning, steals, overflow, netpoll, preemption and GOMAXPROCS', () => {
    const { r, evs } = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 302);
      for (let i = 0; i < 300; i++) yield A.go(function* () { yield A.work(20_000); yield A.wgDone(wg); });
      yield A.go(function* () { yield A.netio(2_000_000, 'read'); yield A.wgDone(wg); });
      yield A.go(function* () { yield A.work(25_000_000, undefined, true); yield A.wgDone(wg); });
      yield A.gomaxprocs(4); // the ring overflowed on one P; now idle Ps spin and steal
      yield A.work(3_000_000);
      yield A.gomaxprocs(2);
      yield A.wgWait(wg);
    }, { gomaxprocs: 1 });
    checkWellFormed(r, evs);
    const inst = (prefix: string) => evs.filter((e) => e.ph === 'i' && e.name.startsWith(prefix));
    assert.ok(inst('steal ').length > 0, 'steals');
    assert.ok(inst('overflow 129').length > 0, 'overflow');
    assert.ok(inst('preempt').some((e) => e.args!.how === 'async'), 'async preemption');
    assert.deepEqual(inst('GOMAXPROCS').map((e) => e.name), ['GOMAXPROCS 1 → 4', 'GOMAXPROCS 4 → 2']);
    assert.deepEqual(evs.filter((e) => e.name === 'thread_name' && e.pid === PID_PS).map((e) => e.args!.name), ['P0', 'P1', 'P2', 'P3']);
    assert.ok(spans(evs, PID_MS).some((e) => e.name === 'spinning'));
    assert.ok(spans(evs, PID_MS).some((e) => e.name === 'netpoll'));
    assert.ok(Math.max(...evs.filter((e) => e.ph === 'C' && e.name === 'global runq').map((e) => e.args!.value)) >= 129);
    // P2 and P3 run Gs between the resizes and none after the shrink.
    const resizeAt = inst('GOMAXPROCS')[1]!.ts!;
    assert.ok(spans(evs, PID_PS, 2).length + spans(evs, PID_PS, 3).length > 0);
    for (const tid of [2, 3]) assert.ok(spans(evs, PID_PS, tid).every((e) => e.ts! + e.dur! <= resizeAt + 1e-9));
    checkAgainstState(r, evs);
  });

  it('counters are coalesced: at most one value per counter and timestamp', () => {
    const { evs } = run(function* () {
      for (let i = 0; i < 50; i++) yield A.go(function* () { yield A.work(1_000); });
      yield A.sleep(1_000_000);
    }, { gomaxprocs: 2 });
    const seen = new Set<string>();
    for (const e of evs) {
      if (e.ph !== 'C') continue;
      const k = `${e.name}@${e.ts}`;
      assert.ok(!seen.has(k), k);
      seen.add(k);
    }
  });
});
