// Extension-host test fixture: main sleeps 50 ms of virtual time, then prints.
package main

import (
	"fmt"
	"time"
)

func main() {
	time.Sleep(50 * time.Millisecond)
	fmt.Println("woke up")
}
