// tight-loop-preemption: a loop without function calls cannot stop the scheduler since Go 1.14.
// With GOMAXPROCS=1, a goroutine spins in `for {}` while main sleeps for 1 ms. The sleep timer
// expires, but the only P is busy; sysmon notices the spinner has run ≥ 10 ms without a
// reschedule (retake) and preempts it asynchronously (SIGURG → asyncPreempt → the global queue).
// The next findRunnable runs P0's expired timer, main goes into runnext, prints and returns.
// With asyncPreemption: false (GODEBUG=asyncpreemptoff=1, or Go ≤ 1.13) the loop has no safe
// point, sysmon's request is never seen, and main never runs again.
//
// Expectations (seed 1, 1 P): exit 'main-returned' after ≈ 10–20 ms of virtual time; output is the
// message below; preemptions ≥ 1. With { asyncPreemption: false, maxVirtualTimeNs: 200e6 }: exit
// 'budget', empty output, preemptions = 0.
import * as A from '../engine/actions';
import { siteFinder } from './sites';
import type { Scenario } from './types';

const file = 'tight-loop-preemption.go';
const source = `package main

import (
	"fmt"
	"time"
)

// Run with GOMAXPROCS=1.
func main() {
	go func() {
		for {
			// no function calls: the loop never checks for preemption itself
		}
	}()
	time.Sleep(time.Millisecond)
	fmt.Println("main ran again: the tight loop was preempted")
}
`;
const at = siteFinder(file, source);
const S = {
  main: at('func main()', 'main.main'),
  go: at('go func()', 'main.main'),
  loop: at('for {', 'main.main.func1'),
  sleep: at('time.Sleep(time.Millisecond)', 'main.main'),
  println: at('fmt.Println(', 'main.main'),
};

export const TIGHT_LOOP_MESSAGE = 'main ran again: the tight loop was preempted\n';

export const tightLoopPreemption: Scenario = {
  name: 'tight-loop-preemption',
  title: 'A tight loop is preempted asynchronously (Go 1.14+)',
  description:
    'GOMAXPROCS=1: a goroutine spins in `for {}` while main sleeps 1 ms. The timer expires but the only P is busy. ' +
    'sysmon sees the same G running for ≥ 10 ms (retake) and preempts it: since Go 1.14 it sends SIGURG and the ' +
    'signal handler stops the loop at an async safe point (asyncPreempt); the G goes to the global queue, the P runs ' +
    'its timers and main continues after ~10–20 ms. With asynchronous preemption off (GODEBUG=asyncpreemptoff=1) a ' +
    'loop without function calls has no safe point and main never runs again.',
  source,
  file,
  defaultProcs: 1,
  // The asyncpreemptoff variant never ends by itself: stop it after 1 s of virtual time.
  config: { maxVirtualTimeNs: 1e9 },
  mainSite: S.main,
  main: function* () {
    yield A.go(function* () {
      yield A.work(Infinity, S.loop, true);
    }, S.go, 'main.main.func1');
    yield A.sleep(1e6, S.sleep);
    yield A.print(TIGHT_LOOP_MESSAGE, S.println);
  },
};
