// GOMAXPROCS=1: each Gosched sends the goroutine to the tail of the global queue.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	wg.Add(3)
	for g := 0; g < 3; g++ {
		go func(g int) {
			for i := 0; i < 2; i++ {
				fmt.Printf("g%d.%d ", g, i)
				runtime.Gosched()
			}
			wg.Done()
		}(g)
	}
	wg.Wait()
}
