// Extension-host test fixture: wg.Add inside the goroutine it counts (Wait may see zero).
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		go func(id int) {
			wg.Add(1)
			defer wg.Done()
			fmt.Println(id)
		}(i)
	}
	wg.Wait()
}
