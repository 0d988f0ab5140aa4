import * as A from '../src/core/engine/actions';
import { simulate } from '../src/core/engine/scheduler';
const n = 300_000;
const t0 = Date.now();
const r = simulate(function* () {
    const wg = (yield A.waitgroup()) as A.WaitGroupRef;
    yield A.wgAdd(wg, n);
    for (let i = 0; i < n; i++) yield A.go(function* () { yield A.work(100); yield A.wgDone(wg); });
    yield A.wgWait(wg);
}, { gomaxprocs: 2, maxEvents: 5e7, maxGoroutines: 2e6 });
console.log(r.exit.reason, Date.now() - t0, 'ms', r.log.length);
