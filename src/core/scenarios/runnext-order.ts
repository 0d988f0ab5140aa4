// runnext-order: why GOMAXPROCS=1 prints "4 0 1 2 3". Each `go` statement puts the new G into
// runnext and bumps the previous runnext to the tail of the local run queue (runqput next=true).
// After the loop, runnext holds the last G (4) and the ring holds 0 1 2 3 in creation order; when
// main blocks, runqget takes runnext first.
//
// Expectations (seed 1, 1 P): exit 'main-returned'; output exactly "4 0 1 2 3 " (runtime-facts §2.1).
import * as A from '../engine/actions';
import { siteFinder } from './sites';
import type { Scenario } from './types';

const file = 'runnext-order.go';
const source = `package main

import "fmt"

// Run with GOMAXPROCS=1.
func main() {
	done := make(chan bool)
	for i := 0; i < 5; i++ {
		go func(i int) {
			fmt.Print(i, " ")
			done <- true
		}(i)
	}
	for i := 0; i < 5; i++ {
		<-done
	}
}
`;
const at = siteFinder(file, source);
const S = {
  main: at('func main()', 'main.main'),
  make: at('done := make(chan bool)', 'main.main'),
  go: at('go func(i int)', 'main.main'),
  print: at('fmt.Print(i, " ")', 'main.main.func1'),
  send: at('done <- true', 'main.main.func1'),
  recv: at('<-done', 'main.main'),
};

export const RUNNEXT_ORDER_OUTPUT = '4 0 1 2 3 ';

export const runnextOrder: Scenario = {
  name: 'runnext-order',
  title: 'runnext: why GOMAXPROCS=1 prints 4 0 1 2 3',
  description:
    'With one P, five `go` statements run before any of the new goroutines. newproc puts each new G into runnext and ' +
    'bumps the previous one to the tail of the local run queue, so after the loop runnext holds G for i=4 and the ring ' +
    'holds 0 1 2 3 in order. When main blocks on the channel, runqget takes runnext first: "4 0 1 2 3". ' +
    'Each send then readies main into the sender\'s runnext (goready), so main runs between the workers.',
  source,
  file,
  defaultProcs: 1,
  mainSite: S.main,
  main: function* () {
    const done = (yield A.makechan(0, S.make)) as A.ChanRef;
    for (let i = 0; i < 5; i++) {
      yield A.go(function* () {
        yield A.print(`${i} `, S.print);
        yield A.send(done, true, S.send);
      }, S.go, 'main.main.func1');
    }
    for (let i = 0; i < 5; i++) yield A.recv(done, S.recv);
  },
};
