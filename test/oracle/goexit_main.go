// runtime.Goexit in main: the others finish, then the runtime reports no goroutines.
package main

import (
	"fmt"
	"runtime"
	"time"
)

func main() {
	go func() {
		time.Sleep(time.Millisecond)
		fmt.Print("other done")
	}()
	runtime.Goexit()
}
