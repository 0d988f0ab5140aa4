// Every goroutine blocked: the runtime reports the deadlock with each one's wait reason.
package main

import (
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	mu.Lock()
	go func() { mu.Lock() }()
	go func() {
		var c chan int
		<-c
	}()
	go func() { select {} }()
	go func() {
		var c chan int
		c <- 1
	}()
	wg.Add(1)
	time.Sleep(time.Millisecond)
	wg.Wait()
}
