// goroutines-1000: goroutines are cheap. main starts 1000 goroutines that each print a line; a
// WaitGroup waits for them. Teaches newproc (runnext + the kicked G to the local tail), wakep
// starting spinning Ms, work stealing spreading the Gs over the Ps, and that 1000 goroutines need
// only a handful of threads.
//
// Expectations (seed 1, 4 Ps): exit 'main-returned'; 1001 lines of output, the last one
// "all 1000 goroutines finished"; goroutinesCreated = 1001 (main included); peakThreads ≤ 2 + 4 + 1
// (M0, sysmon, one M per P, at most one more); steals > 0.
import * as A from '../engine/actions';
import { siteFinder } from './sites';
import type { Scenario } from './types';

const file = 'goroutines-1000.go';
const source = `package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			fmt.Printf("hello from goroutine %d\\n", id)
		}(i)
	}
	wg.Wait()
	fmt.Println("all 1000 goroutines finished")
}
`;
const at = siteFinder(file, source);
const S = {
  main: at('func main()', 'main.main'),
  wg: at('var wg sync.WaitGroup', 'main.main'),
  add: at('wg.Add(1)', 'main.main'),
  go: at('go func(id int)', 'main.main'),
  printf: at('fmt.Printf(', 'main.main.func1'),
  done: at('defer wg.Done()', 'main.main.func1'),
  wait: at('wg.Wait()', 'main.main'),
  println: at('fmt.Println(', 'main.main'),
};

export const goroutines1000: Scenario = {
  name: 'goroutines-1000',
  title: '1000 goroutines, a few threads',
  description:
    'main starts 1000 goroutines that each print a line, and waits for them with a sync.WaitGroup. ' +
    'Each `go` statement puts the new G into its P\'s runnext and bumps the previous one to the local run queue (newproc); ' +
    'wakep starts a spinning M for an idle P, which steals half of a busy P\'s queue. ' +
    'A goroutine costs a 2 KiB stack, not a thread: the program needs only about one thread per P.',
  source,
  file,
  defaultProcs: 4,
  mainSite: S.main,
  main: function* () {
    const wg = (yield A.waitgroup(S.wg)) as A.WaitGroupRef;
    for (let i = 0; i < 1000; i++) {
      yield A.wgAdd(wg, 1, S.add);
      yield A.go(function* () {
        yield A.print(`hello from goroutine ${i}\n`, S.printf);
        yield A.wgDone(wg, S.done);
      }, S.go, 'main.main.func1');
    }
    yield A.wgWait(wg, S.wait);
    yield A.print('all 1000 goroutines finished\n', S.println);
  },
};
