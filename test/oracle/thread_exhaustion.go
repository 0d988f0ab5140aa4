// More threads blocked in syscalls than debug.SetMaxThreads allows.
package main

import (
	"runtime/debug"
	"syscall"
	"time"
)

func main() {
	debug.SetMaxThreads(6)
	for i := 0; i < 20; i++ {
		go func() {
			var p [2]int
			syscall.Pipe(p[:])
			buf := make([]byte, 1)
			syscall.Read(p[0], buf) // blocks in read(2): the thread stays with it
		}()
	}
	time.Sleep(time.Second)
}
