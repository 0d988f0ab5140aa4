// Extension-host test fixture: main waits on a channel nobody sends on, and a goroutine sends on a
// channel nobody receives from. Real Go (GOMAXPROCS=1) prints:
//   fatal error: all goroutines are asleep - deadlock!
//   goroutine 1 [chan receive]: …
//   goroutine 6 [chan send]: …
package main

import "fmt"

func main() {
	results := make(chan int)
	done := make(chan bool)
	go func() {
		done <- true
	}()
	v := <-results
	fmt.Println(v)
}
