// cpu-bound: parallelism is bounded by GOMAXPROCS. Four goroutines each do 50 ms of computation.
// With one P they take turns (sysmon preempts each after its 10 ms slice, sending it to the global
// queue) and the program needs ≈ 200 ms of virtual time; with four Ps they run in parallel on four
// threads and it needs ≈ 50 ms.
//
// Expectations (seed 1): exit 'main-returned'; four "worker N done" lines; virtual time with
// --procs 1 ≈ 4× that with --procs 4 (≥ 3.5×); preemptions > 0 with --procs 1.
import * as A from '../engine/actions';
import { siteFinder } from './sites';
import type { Scenario } from './types';

const file = 'cpu-bound.go';
const source = `package main

import (
	"fmt"
	"sync"
)

// mix is one round of FNV-style hashing.
func mix(h, x uint64) uint64 {
	return (h ^ x) * 1099511628211
}

// crunch does about 50 ms of arithmetic (it calls mix, so it has safe points).
func crunch(id int) uint64 {
	var h uint64
	for i := 0; i < 25_000_000; i++ {
		h = mix(h, uint64(i*id))
	}
	return h
}

func main() {
	var wg sync.WaitGroup
	for id := 0; id < 4; id++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			crunch(id)
			fmt.Println("worker", id, "done")
		}(id)
	}
	wg.Wait()
}
`;
const at = siteFinder(file, source);
const S = {
  main: at('func main()', 'main.main'),
  wg: at('var wg sync.WaitGroup', 'main.main'),
  add: at('wg.Add(1)', 'main.main'),
  go: at('go func(id int)', 'main.main'),
  loop: at('h = mix(h, uint64(i*id))', 'main.crunch'),
  println: at('fmt.Println("worker"', 'main.main.func1'),
  done: at('defer wg.Done()', 'main.main.func1'),
  wait: at('wg.Wait()', 'main.main'),
};

/** CPU time of one worker. */
export const CPU_BOUND_WORK_NS = 50e6;

export const cpuBound: Scenario = {
  name: 'cpu-bound',
  title: 'CPU-bound goroutines: GOMAXPROCS sets the parallelism',
  description:
    'Four goroutines each compute for 50 ms. Only an M holding a P runs Go code, so with GOMAXPROCS=1 they share one P: ' +
    'sysmon preempts each after 10–20 ms (forcePreemptNS = 10 ms, seen at sysmon\'s 10 ms period) and it goes to the global queue — about 200 ms in all. ' +
    'With GOMAXPROCS=4 each runs on its own P and thread — about 50 ms. Try --procs 1 and --procs 4.',
  source,
  file,
  defaultProcs: 4,
  mainSite: S.main,
  main: function* () {
    const wg = (yield A.waitgroup(S.wg)) as A.WaitGroupRef;
    for (let id = 0; id < 4; id++) {
      yield A.wgAdd(wg, 1, S.add);
      yield A.go(function* () {
        yield A.work(CPU_BOUND_WORK_NS, S.loop);
        yield A.print(`worker ${id} done\n`, S.println);
        yield A.wgDone(wg, S.done);
      }, S.go, 'main.main.func1');
    }
    yield A.wgWait(wg, S.wait);
  },
};
