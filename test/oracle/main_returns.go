// main returning ends the program; other goroutines are discarded.
package main

import (
	"fmt"
	"time"
)

func main() {
	go func() {
		time.Sleep(time.Millisecond)
		fmt.Print("never")
	}()
	fmt.Print("main returns")
}
