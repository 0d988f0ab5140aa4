//go:build ignore

// A TCP server: goroutines park in the netpoller, not on threads.
//
// What to look at in the panel:
//   - Accept and Read on a socket park the G with wait reason "IO wait": no M is held, unlike a
//     blocking file read (compare blocking-syscall.go — the thread count stays low);
//   - when a connection or data arrives, netpoll (called from findRunnable or by sysmon) makes the
//     parked G runnable again (injectglist);
//   - one goroutine per connection, as net/http does.
// The simulator has no real clients: connections and data "arrive" after a modelled delay.
package main

import (
	"fmt"
	"net"
)

func handle(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 512)
	n, err := c.Read(buf)
	if err != nil {
		return
	}
	c.Write(buf[:n])
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:8080")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < 3; i++ {
		c, err := ln.Accept()
		if err != nil {
			fmt.Println(err)
			return
		}
		go handle(c)
	}
	ln.Close()
	fmt.Println("served 3 connections")
}
