// Extension-host test fixture: four goroutines each read a file (a blocking system call).
// The tests find lines by their text, not by number.
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
		go func(n int) {
			defer wg.Done()
			data, err := os.ReadFile(fmt.Sprintf("in-%d.txt", n))
			fmt.Println(len(data), err)
		}(i)
	}
	wg.Wait()
}
