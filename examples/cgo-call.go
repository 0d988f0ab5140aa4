//go:build ignore

// cgo: a call into C is a system call for the scheduler.
//
// What to look at in the panel:
//   - each C.usleep goes through cgocall → entersyscall: the M runs C code and holds its thread;
//   - when a C call outlasts a sysmon tick while other Gs wait (or after 10 ms), sysmon hands its P
//     to another M, so with several goroutines calling C at once the number of threads grows (one
//     per concurrent C call);
//   - a binary that links cgo never reports "all goroutines are asleep" (checkdead sees cgo's extra M).
// The editor shows a Warning on C calls made in a goroutine or a loop: that is where threads pile up.
package main

/*
#include <unistd.h>
*/
import "C"

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			C.usleep(2000) // 2 ms in C: the thread is blocked for all of it
		}()
	}
	wg.Wait()
	fmt.Println("all C calls returned")
}
