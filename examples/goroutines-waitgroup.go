//go:build ignore

// Goroutines and a WaitGroup.
//
// What to look at in the panel (GMP Tutor: Simulate Scheduler):
//   - each `go` puts the new G in the runnext slot of the P that ran it; the G that was in runnext
//     moves to the tail of that P's local run queue;
//   - idle Ps are woken (wakep) and their Ms steal half of the busy P's run queue;
//   - main parks in wg.Wait (wait reason "sync.WaitGroup.Wait" since Go 1.24, "semacquire" before)
//     and the last Done readies it.
// Try "Re-run with GOMAXPROCS…" with 1: no stealing, the workers run one after another.
package main

import (
	"fmt"
	"sync"
)

func work(id int, results []int) {
	sum := 0
	for i := 0; i < 200_000; i++ {
		sum += i % (id + 1)
	}
	results[id] = sum
}

func main() {
	const workers = 8
	results := make([]int, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1) // before the go statement, never inside the goroutine
		go func(id int) {
			defer wg.Done()
			work(id, results)
		}(i)
	}
	wg.Wait()
	fmt.Println("results:", results)
}
