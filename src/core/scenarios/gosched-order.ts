// gosched-order: runtime.Gosched sends the G to the tail of the *global* queue (goschedImpl), not
// its local queue. With GOMAXPROCS=1 three goroutines that print and yield run g2 (runnext) first,
// then g0, g1 from the ring; each Gosched appends to the global queue; when the local queue is
// empty, globrunqget pulls the batch back in FIFO order.
//
// Expectations (seed 1, 1 P): exit 'main-returned'; output exactly
// "g2.0 g0.0 g1.0 g2.1 g0.1 g1.1 " (runtime-facts §5, observed with Go 1.19.8).
import * as A from '../engine/actions';
import { siteFinder } from './sites';
import type { Scenario } from './types';

const file = 'gosched-order.go';
const source = `package main

import (
	"fmt"
	"runtime"
	"sync"
)

// Run with GOMAXPROCS=1.
func main() {
	var wg sync.WaitGroup
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2; i++ {
				fmt.Printf("g%d.%d ", g, i)
				runtime.Gosched()
			}
		}(g)
	}
	wg.Wait()
}
`;
const at = siteFinder(file, source);
const S = {
  main: at('func main()', 'main.main'),
  wg: at('var wg sync.WaitGroup', 'main.main'),
  add: at('wg.Add(1)', 'main.main'),
  go: at('go func(g int)', 'main.main'),
  printf: at('fmt.Printf(', 'main.main.func1'),
  gosched: at('runtime.Gosched()', 'main.main.func1'),
  done: at('defer wg.Done()', 'main.main.func1'),
  wait: at('wg.Wait()', 'main.main'),
};

export const GOSCHED_ORDER_OUTPUT = 'g2.0 g0.0 g1.0 g2.1 g0.1 g1.1 ';

export const goschedOrder: Scenario = {
  name: 'gosched-order',
  title: 'runtime.Gosched goes through the global queue',
  description:
    'With one P, three goroutines each print and call runtime.Gosched twice. The last created runs first (runnext), then ' +
    'the other two from the local ring: "g2.0 g0.0 g1.0". Gosched puts the caller at the tail of the global run queue ' +
    '(goschedImpl), so when the local queue is empty globrunqget takes them back in FIFO order: "g2.1 g0.1 g1.1".',
  source,
  file,
  defaultProcs: 1,
  mainSite: S.main,
  main: function* () {
    const wg = (yield A.waitgroup(S.wg)) as A.WaitGroupRef;
    for (let g = 0; g < 3; g++) {
      yield A.wgAdd(wg, 1, S.add);
      yield A.go(function* () {
        for (let i = 0; i < 2; i++) {
          yield A.print(`g${g}.${i} `, S.printf);
          yield A.gosched(S.gosched);
        }
        yield A.wgDone(wg, S.done);
      }, S.go, 'main.main.func1');
    }
    yield A.wgWait(wg, S.wait);
  },
};
