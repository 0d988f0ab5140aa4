// syscall-handoff: a blocking system call takes its thread with it, not its P. Eight goroutines
// read files (read(2) on a regular file is not pollable, so it blocks the M for ≈ 5 ms) while two
// goroutines compute. entersyscall leaves the P in _Psyscall (Go 1.26: still wired to the M);
// sysmon's retake takes it back after at least one sysmon tick when it has work, nobody is
// spinning or idle, or 10 ms passed, and handoffp gives it to another M — a new thread if no M
// is idle. So the thread count grows with the number of goroutines blocked in syscalls.
//
// Expectations (seed 1, --procs 2): exit 'main-returned'; output ends "loaded 8 files\n";
// handoffs > 0; peakThreads > procs + 2 (M0, sysmon, and an M per blocked reader);
// syscalls = 8 × (open + 3 reads + close) = 40.
import * as A from '../engine/actions';
import { siteFinder } from './sites';
import type { Scenario } from './types';

const file = 'syscall-handoff.go';
const source = `package main

import (
	"fmt"
	"os"
	"sync"
)

// load reads a file in three parts. read(2) on a regular file blocks the
// thread (here about 5 ms each): the runtime cannot park the goroutine in
// the netpoller as it does for sockets.
func load(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	f, err := os.Open(fmt.Sprintf("data/%d.bin", id))
	if err != nil {
		return
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for part := 0; part < 3; part++ {
		f.Read(buf)
	}
}

func step(i, n int) int {
	return (i ^ n) & 7
}

// compute keeps a P busy for 20 ms.
func compute(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	sum := 0
	for i := 0; i < 10_000_000; i++ {
		sum += step(i, id)
	}
	_ = sum
	fmt.Println("compute", id, "done")
}

func main() {
	var wg sync.WaitGroup
	for id := 0; id < 8; id++ {
		wg.Add(1)
		go load(id, &wg)
	}
	for id := 0; id < 2; id++ {
		wg.Add(1)
		go compute(id, &wg)
	}
	wg.Wait()
	fmt.Println("loaded 8 files")
}
`;
const at = siteFinder(file, source);
const S = {
  main: at('func main()', 'main.main'),
  wg: at('var wg sync.WaitGroup', 'main.main'),
  addLoad: at('wg.Add(1)', 'main.main', 1),
  goLoad: at('go load(id, &wg)', 'main.main'),
  addCompute: at('wg.Add(1)', 'main.main', 2),
  goCompute: at('go compute(id, &wg)', 'main.main'),
  open: at('os.Open(', 'main.load'),
  read: at('f.Read(buf)', 'main.load'),
  close: at('defer f.Close()', 'main.load'),
  loadDone: at('defer wg.Done()', 'main.load', 1),
  loop: at('sum += step(i, id)', 'main.compute'),
  computePrint: at('fmt.Println("compute"', 'main.compute'),
  computeDone: at('defer wg.Done()', 'main.compute', 2),
  wait: at('wg.Wait()', 'main.main'),
  println: at('fmt.Println("loaded', 'main.main'),
};

/** How long one blocking read keeps its thread. */
export const READ_NS = 5e6;

export const syscallHandoff: Scenario = {
  name: 'syscall-handoff',
  title: 'Blocking syscalls: the P is handed off, threads grow',
  description:
    'Eight goroutines read files while two compute. A read(2) on a regular file blocks its thread (M) for ~5 ms; ' +
    'entersyscall leaves the P behind (in _Psyscall; since Go 1.26 still wired to the M). sysmon\'s retake takes the P back once the call outlives a sysmon tick ' +
    'and the P has work (or nobody else could take new work, or 10 ms passed), and handoffp gives it to another M — ' +
    'a new OS thread when no M is idle. Goroutines blocked in syscalls each hold a thread; when a call returns, ' +
    'exitsyscall tries to get its old P back (fast path), then any idle P, else the G goes to the global queue.',
  source,
  file,
  defaultProcs: 2,
  mainSite: S.main,
  main: function* () {
    const wg = (yield A.waitgroup(S.wg)) as A.WaitGroupRef;
    for (let id = 0; id < 8; id++) {
      yield A.wgAdd(wg, 1, S.addLoad);
      yield A.go(function* () {
        yield A.syscall(30e3, 'openat', S.open);
        for (let part = 0; part < 3; part++) yield A.syscall(READ_NS, 'read', S.read);
        yield A.syscall(5e3, 'close', S.close);
        yield A.wgDone(wg, S.loadDone);
      }, S.goLoad, 'main.load');
    }
    for (let id = 0; id < 2; id++) {
      yield A.wgAdd(wg, 1, S.addCompute);
      yield A.go(function* () {
        yield A.work(20e6, S.loop);
        yield A.print(`compute ${id} done\n`, S.computePrint);
        yield A.wgDone(wg, S.computeDone);
      }, S.goCompute, 'main.compute');
    }
    yield A.wgWait(wg, S.wait);
    yield A.print('loaded 8 files\n', S.println);
  },
};
