// Extension-host test fixture: a goroutine spins without function calls on the only P. Since Go
// 1.14 sysmon preempts it after ~10 ms and main prints; with async preemption off (Go <= 1.13,
// GODEBUG=asyncpreemptoff=1) main never runs again.
package main

import (
	"fmt"
	"runtime"
	"time"
)

func spin() {
	x := 0
	for {
		x++
	}
}

func main() {
	runtime.GOMAXPROCS(1)
	go spin()
	time.Sleep(time.Millisecond)
	fmt.Println("main got the P back")
}
