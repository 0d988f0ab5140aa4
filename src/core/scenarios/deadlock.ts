// deadlock: checkdead finds every goroutine asleep. A helper goroutine waits on a WaitGroup whose
// worker was never started, so it never signals main, which waits on an unbuffered channel.
// When the last M goes idle (stopm → checkdead) no M is running, no goroutine is runnable and no
// timer is pending: the runtime prints "fatal error: all goroutines are asleep - deadlock!" and a
// traceback of every goroutine with its wait reason, and exits with status 2.
//
// Expectations (seed 1): exit 'deadlock', code 2; message contains "goroutine 1 [chan receive]"
// and, for the helper, "[semacquire]" with --go 1.19…1.23 or "[sync.WaitGroup.Wait]" with 1.24+;
// no output.
import * as A from '../engine/actions';
import { siteFinder } from './sites';
import type { Scenario } from './types';

const file = 'deadlock.go';
const source = `package main

import (
	"fmt"
	"sync"
)

func main() {
	done := make(chan bool)
	var wg sync.WaitGroup
	wg.Add(1) // for a worker we forgot to start
	go func() {
		wg.Wait() // never returns: nobody calls wg.Done
		done <- true
	}()
	<-done // never returns: the helper never sends
	fmt.Println("finished")
}
`;
const at = siteFinder(file, source);
const S = {
  main: at('func main()', 'main.main'),
  make: at('done := make(chan bool)', 'main.main'),
  wg: at('var wg sync.WaitGroup', 'main.main'),
  add: at('wg.Add(1)', 'main.main'),
  go: at('go func()', 'main.main'),
  wait: at('wg.Wait()', 'main.main.func1'),
  send: at('done <- true', 'main.main.func1'),
  recv: at('<-done', 'main.main'),
  println: at('fmt.Println(', 'main.main'),
};

export const deadlock: Scenario = {
  name: 'deadlock',
  title: 'Deadlock: all goroutines are asleep',
  description:
    'main waits on a channel that a helper goroutine would send on, but the helper waits on a WaitGroup nobody calls Done on. ' +
    'When the last M parks, checkdead sees no running thread, no runnable goroutine and no pending timer, and the runtime ' +
    'dies with "fatal error: all goroutines are asleep - deadlock!" and a traceback of every goroutine with its wait reason ' +
    '(chan receive; semacquire before Go 1.24, sync.WaitGroup.Wait since). A goroutine blocked on network I/O or in a ' +
    'syscall would hide the deadlock: the program would just hang. A pending timer only delays the report until it fires.',
  source,
  file,
  defaultProcs: 2,
  mainSite: S.main,
  main: function* () {
    const done = (yield A.makechan(0, S.make)) as A.ChanRef;
    const wg = (yield A.waitgroup(S.wg)) as A.WaitGroupRef;
    yield A.wgAdd(wg, 1, S.add);
    yield A.go(function* () {
      yield A.wgWait(wg, S.wait);
      yield A.send(done, true, S.send);
    }, S.go, 'main.main.func1');
    yield A.recv(done, S.recv);
    yield A.print('finished\n', S.println);
  },
};
