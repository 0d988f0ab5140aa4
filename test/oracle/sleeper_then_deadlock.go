// A pending timer suppresses the deadlock report until it fires.
package main

import "time"

func main() {
	go func() { time.Sleep(300 * time.Millisecond) }()
	var c chan int
	<-c
}
