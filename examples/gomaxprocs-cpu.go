//go:build ignore

// GOMAXPROCS and CPU-bound goroutines.
//
// What to look at in the panel:
//   - runtime.GOMAXPROCS(2) stops the world and resizes to 2 Ps (procresize): only two goroutines
//     run at any moment, however many there are;
//   - each CPU-bound G runs until sysmon preempts it after ~10 ms (asynchronous preemption since
//     Go 1.14) and goes to the tail of the global run queue;
//   - the Ps take turns with the global queue (every 61st schedule checks it first).
// Turn off gmpTutor.asyncPreemption to see Go ≤ 1.13: a loop without calls is never preempted.
package main

import (
	"fmt"
	"runtime"
)

func spin(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x += i & 7
	}
	return x
}

func main() {
	runtime.GOMAXPROCS(2)
	done := make(chan int)
	for i := 0; i < 4; i++ {
		go func() {
			done <- spin(3_000_000)
		}()
	}
	total := 0
	for i := 0; i < 4; i++ {
		total += <-done
	}
	fmt.Println("total:", total)
}
