// Benchmarks (npm run bench): printed figures, not timed tests.
//   1. events per second on a mixed channel/worker program;
//   2. main spawning 1 000 000 goroutines that each do a little work and wg.Done(), simulated to
//      completion with the full event log: wall time and peak RSS.
// Targets on a 2-core machine: ≥ 5 M events/s; the million-goroutine run ≤ 3 s and ≤ 1.5 GB.
// (The real Go runtime runs that program in about 0.4 s here.)
import { join } from 'node:path';
import * as A from '../src/core/engine/actions';
import { Scheduler } from '../src/core/engine/scheduler';
import { computeStats } from '../src/core/trace/stats';
import { benchExtension } from './extension';
import { benchFrontEnd } from './frontend';

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
function rssNow(): number {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return peakRss;
}
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;

function pingPongWorkers(): () => A.Body {
  return function* () {
    const jobs = (yield A.makechan(64)) as A.ChanRef;
    const results = (yield A.makechan(64)) as A.ChanRef;
    const wg = (yield A.waitgroup()) as A.WaitGroupRef;
    yield A.wgAdd(wg, 8);
    for (let w = 0; w < 8; w++) {
      yield A.go(function* () {
        for (;;) {
          const j = (yield A.recv(jobs)) as A.RecvResult;
          if (!j.ok) break;
          yield A.work(200);
          yield A.send(results, j.value);
        }
        yield A.wgDone(wg);
      });
    }
    yield A.go(function* () { for (let i = 0; i < 200_000; i++) yield A.send(jobs, i); yield A.close(jobs); });
    for (let i = 0; i < 200_000; i++) yield A.recv(results);
    yield A.wgWait(wg);
  };
}

/** Two goroutines passing a value back and forth over unbuffered channels: every operation is a park and a goready. */
function pingPong(rounds: number): () => A.Body {
  return function* () {
    const ping = (yield A.makechan(0)) as A.ChanRef;
    const pong = (yield A.makechan(0)) as A.ChanRef;
    yield A.go(function* () { for (let i = 0; i < rounds; i++) { yield A.recv(ping); yield A.send(pong, i); } });
    for (let i = 0; i < rounds; i++) { yield A.send(ping, i); yield A.recv(pong); }
  };
}

function million(n: number): () => A.Body {
  return function* () {
    const wg = (yield A.waitgroup()) as A.WaitGroupRef;
    yield A.wgAdd(wg, n);
    for (let i = 0; i < n; i++) {
      yield A.go(function* () {
        yield A.work(100);
        yield A.wgDone(wg);
      });
    }
    yield A.wgWait(wg);
  };
}

function bench(name: string, main: () => A.Body, procs: number, maxGoroutines = 1_000_000): void {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  peakRss = before;
  const t0 = process.hrtime.bigint();
  const sched = new Scheduler({ gomaxprocs: procs, maxEvents: 50_000_000, maxGoroutines: maxGoroutines + 10, maxVirtualTimeNs: 3600e9 });
  const r = sched.run(main);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const s = computeStats(r.log);
  console.log(`${name} (GOMAXPROCS=${procs})`);
  console.log(`  outcome           ${r.exit.reason}`);
  console.log(`  wall time         ${wall.toFixed(2)} s`);
  console.log(`  logged events     ${s.events.toLocaleString('en-US')}  → ${(s.events / wall / 1e6).toFixed(2)} M events/s`);
  console.log(`  engine work       ${sched.dispatched.toLocaleString('en-US')} clock events, ${sched.actions.toLocaleString('en-US')} goroutine actions → ${((sched.dispatched + sched.actions) / wall / 1e6).toFixed(2)} M/s`);
  console.log(`  goroutines        ${s.goroutinesCreated.toLocaleString('en-US')} created, peak ${s.peakGoroutines.toLocaleString('en-US')}`);
  console.log(`  virtual time      ${(s.virtualTimeNs / 1e6).toFixed(1)} ms; steals ${s.steals}, threads ${s.peakThreads}`);
  console.log(`  event log         ${mb(r.log.byteSize())}`);
  console.log(`  peak RSS          ${mb(rssNow())} (start ${mb(before)})`);
}

bench('unbuffered ping-pong: 500 000 round trips', pingPong(500_000), 2);
bench('worker pool: 200 000 jobs through 8 workers', pingPongWorkers(), 4);
bench('1 000 000 goroutines: work + wg.Done', million(1_000_000), 2, 1_000_000);
bench('1 000 000 goroutines: work + wg.Done', million(1_000_000), 8, 1_000_000);
clearInterval(sampler);
// The bundle lives in out/: the repository root is one level up.
// The extension figures need the parser the front-end benchmark loads.
void benchFrontEnd(join(__dirname, '..')).then(() => benchExtension(join(__dirname, '..')));
