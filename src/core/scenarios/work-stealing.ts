// work-stealing: one P makes all the work, the idle Ps take it. main (on P0) starts 64 goroutines
// of 1 ms of work each in a burst; they pile up in P0's local run queue. wakep starts a spinning M
// for an idle P; it finds nothing locally or globally and steals half of P0's queue (stealWork,
// runqsteal); when it finds work it wakes the next spinner (resetspinning → wakep).
//
// Expectations (seed 1, 4 Ps): exit 'main-returned'; output "all 64 done\n"; steals > 0; every
// P runs some of the goroutines; virtual time well under 64 ms (≈ 16–20 ms).
import * as A from '../engine/actions';
import { siteFinder } from './sites';
import type { Scenario } from './types';

const file = 'work-stealing.go';
const source = `package main

import (
	"fmt"
	"sync"
)

func step(i, n int) int {
	return (i ^ n) & 7
}

// task does about 1 ms of work.
func task(n int) int {
	s := 0
	for i := 0; i < 500_000; i++ {
		s += step(i, n)
	}
	return s
}

func main() {
	var wg sync.WaitGroup
	for n := 0; n < 64; n++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			task(n)
		}(n)
	}
	wg.Wait()
	fmt.Println("all 64 done")
}
`;
const at = siteFinder(file, source);
const S = {
  main: at('func main()', 'main.main'),
  wg: at('var wg sync.WaitGroup', 'main.main'),
  add: at('wg.Add(1)', 'main.main'),
  go: at('go func(n int)', 'main.main'),
  loop: at('s += step(i, n)', 'main.task'),
  done: at('defer wg.Done()', 'main.main.func1'),
  wait: at('wg.Wait()', 'main.main'),
  println: at('fmt.Println(', 'main.main'),
};

export const workStealing: Scenario = {
  name: 'work-stealing',
  title: 'Work stealing: idle Ps take half of a busy P\'s queue',
  description:
    'main starts 64 goroutines of 1 ms each; they all land in P0\'s local run queue (runnext, then the ring). ' +
    'wakep starts a spinning M on an idle P; finding nothing in its own queue, the global queue or the netpoller, ' +
    'it steals half of P0\'s queue (stealWork: 4 passes over the Ps in random order, runqsteal takes n − n/2). ' +
    'A spinner that finds work wakes the next one, so the Ps join one at a time.',
  source,
  file,
  defaultProcs: 4,
  mainSite: S.main,
  main: function* () {
    const wg = (yield A.waitgroup(S.wg)) as A.WaitGroupRef;
    for (let n = 0; n < 64; n++) {
      yield A.wgAdd(wg, 1, S.add);
      yield A.go(function* () {
        yield A.work(1e6, S.loop);
        yield A.wgDone(wg, S.done);
      }, S.go, 'main.main.func1');
    }
    yield A.wgWait(wg, S.wait);
    yield A.print('all 64 done\n', S.println);
  },
};
