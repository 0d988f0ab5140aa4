// A sender blocked on a channel that gets closed panics.
package main

import "time"

func main() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	time.Sleep(time.Millisecond)
	close(ch)
	time.Sleep(time.Millisecond)
}
