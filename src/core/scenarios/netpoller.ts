// netpoller: network I/O does not cost a thread. An accept loop takes 200 connections; each gets a
// goroutine that reads a request (waiting 2–7 ms for the client), computes a reply and writes it.
// A goroutine waiting on a socket parks in the netpoller (IO wait) and gives its M back to the
// scheduler; Ms poll (findRunnable's non-blocking netpoll, one M blocked in epoll_wait, sysmon
// every 10 ms) and ready Gs are injected into run queues (injectglist), never into runnext.
//
// Expectations (seed 1, 4 Ps): exit 'main-returned'; output "served 200 connections\n";
// peakGoroutines ≥ 30 (many connections open at once) while peakThreads stays ≤ procs + 3;
// no syscalls (GoSysEnter) at all; Netpoll events > 0.
import * as A from '../engine/actions';
import { siteFinder } from './sites';
import type { Scenario } from './types';

const file = 'netpoller.go';
const source = `package main

import (
	"bytes"
	"fmt"
	"net"
	"sync"
)

// render makes a reply from a request.
func render(req []byte) []byte {
	return bytes.Repeat(req, 64)
}

// handle serves one connection: read a request, compute a reply, write it.
func handle(c net.Conn, wg *sync.WaitGroup) {
	defer wg.Done()
	defer c.Close()
	buf := make([]byte, 4096)
	n, err := c.Read(buf) // waits in the netpoller, not on a thread
	if err != nil {
		return
	}
	reply := render(buf[:n]) // about 200 µs of CPU
	c.Write(reply)           // a big reply: waits for the client to drain it
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:8080")
	if err != nil {
		panic(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the accept loop
		defer wg.Done()
		for i := 0; i < 200; i++ {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go handle(conn, &wg)
		}
	}()
	wg.Wait()
	fmt.Println("served 200 connections")
}
`;
const at = siteFinder(file, source);
const S = {
  main: at('func main()', 'main.main'),
  wg: at('var wg sync.WaitGroup', 'main.main'),
  addLoop: at('wg.Add(1)', 'main.main', 1),
  goLoop: at('go func() { // the accept loop', 'main.main'),
  accept: at('ln.Accept()', 'main.main.func1'),
  addConn: at('wg.Add(1)', 'main.main.func1', 2),
  goHandle: at('go handle(conn, &wg)', 'main.main.func1'),
  loopDone: at('defer wg.Done()', 'main.main.func1', 2),
  read: at('c.Read(buf)', 'main.handle'),
  render: at('render(buf[:n])', 'main.handle'),
  write: at('c.Write(reply)', 'main.handle'),
  handleDone: at('defer wg.Done()', 'main.handle', 1),
  wait: at('wg.Wait()', 'main.main'),
  println: at('fmt.Println(', 'main.main'),
};

export const CONNECTIONS = 200;
/** A new client connects every 100 µs. */
const ACCEPT_GAP_NS = 100e3;

export const netpoller: Scenario = {
  name: 'netpoller',
  title: 'The netpoller: many connections, a few threads',
  description:
    'An accept loop serves 200 connections, one goroutine each. A goroutine that reads from a socket with no data parks ' +
    'in the netpoller (wait reason "IO wait") and its M goes on to run other goroutines: no thread per connection. ' +
    'When the data arrives, a poll (findRunnable before stealing, the one M blocked in epoll_wait, or sysmon every 10 ms) ' +
    'returns the ready goroutines and injectglist puts them on run queues. Compare with syscall-handoff, where every ' +
    'blocked goroutine holds a thread.',
  source,
  file,
  defaultProcs: 4,
  mainSite: S.main,
  main: function* () {
    const wg = (yield A.waitgroup(S.wg)) as A.WaitGroupRef;
    yield A.wgAdd(wg, 1, S.addLoop);
    yield A.go(function* () {
      for (let i = 0; i < CONNECTIONS; i++) {
        yield A.netio(ACCEPT_GAP_NS, 'accept', S.accept);
        yield A.wgAdd(wg, 1, S.addConn);
        // The client's request arrives 2–7 ms after it connects.
        const requestLatency = 2e6 + ((i * 7) % 6) * 1e6;
        yield A.go(function* () {
          yield A.netio(requestLatency, 'read', S.read);
          yield A.work(200e3, S.render);
          yield A.netio(50e3, 'write', S.write);
          yield A.wgDone(wg, S.handleDone);
        }, S.goHandle, 'main.handle');
      }
      yield A.wgDone(wg, S.loopDone);
    }, S.goLoop, 'main.main.func1');
    yield A.wgWait(wg, S.wait);
    yield A.print(`served ${CONNECTIONS} connections\n`, S.println);
  },
};
