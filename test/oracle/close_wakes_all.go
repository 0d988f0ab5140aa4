// GOMAXPROCS=1: close readies every receiver; the first-queued one ends up in runnext.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	ch := make(chan int)
	var wg sync.WaitGroup
	wg.Add(3)
	for i := 0; i < 3; i++ {
		go func(i int) {
			_, ok := <-ch
			fmt.Printf("%d:%v ", i, ok)
			wg.Done()
		}(i)
	}
	time.Sleep(time.Millisecond)
	close(ch)
	wg.Wait()
}
