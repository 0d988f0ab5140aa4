//go:build ignore

// A blocking system call: reading a regular file.
//
// What to look at in the panel:
//   - os.ReadFile enters the kernel (entersyscall): the G and its M stay in the syscall together;
//   - once the call outlasts a sysmon tick while other Gs wait for the P (or after 10 ms), sysmon
//     retakes the P and hands it to another M (retake → handoffp), so the other goroutines keep
//     running — the thread count grows by one per concurrent call;
//   - when the call returns (exitsyscall) the G tries to get its old P back, else an idle P,
//     else it goes to the global run queue and its M parks.
// The editor shows an Information diagnostic on each blocking call; hover it for the details.
package main

import (
	"fmt"
	"os"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			data, err := os.ReadFile("/etc/hostname")
			fmt.Println(id, len(data), err == nil)
		}(i)
	}
	wg.Wait()
}
