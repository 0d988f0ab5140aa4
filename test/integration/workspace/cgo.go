// Extension-host test fixture: one call into C from main.
package main

/*
static int work(int n) { return n * 2; }
*/
import "C"

import "fmt"

func main() {
	r := C.work(21)
	fmt.Println(r)
}
