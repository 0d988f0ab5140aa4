//go:build ignore

// A deadlock: every goroutine waits for another that never comes.
//
// What to look at in the panel and the editor:
//   - the worker sends on an unbuffered channel nobody receives from: it parks ("chan send");
//   - main waits for the worker's Done, which comes after the send: it parks too;
//   - with no goroutine runnable, no timer pending and nothing in a syscall or the netpoller,
//     checkdead prints "fatal error: all goroutines are asleep - deadlock!" — the editor shows an
//     Error at each blocked line (from a background simulation), with the other side linked.
// Fix: receive from results in main before wg.Wait, or make results buffered.
package main

import (
	"fmt"
	"sync"
)

func main() {
	results := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		results <- 42
	}()
	wg.Wait()
	fmt.Println(<-results)
}
