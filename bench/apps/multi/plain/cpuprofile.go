//go:build benchprofile

// Built only with -tags benchprofile (bench/profdiff.py): SIGUSR2 starts a CPU profile into
// the file named by MULTI_CPUPROFILE, the next SIGUSR2 stops it and prints "profiled" on
// stdout. The same file in ../plain and ../manual.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func init() {
	path := os.Getenv("MULTI_CPUPROFILE")
	if path == "" {
		return
	}
	usr2 := make(chan os.Signal, 1)
	signal.Notify(usr2, syscall.SIGUSR2)
	go func() {
		for range usr2 {
			f, err := os.Create(path)
			if err == nil {
				err = pprof.StartCPUProfile(f)
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "cpuprofile:", err)
				os.Exit(2)
			}
			<-usr2
			pprof.StopCPUProfile()
			f.Close()
			fmt.Println("profiled")
		}
	}()
}
