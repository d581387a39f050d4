package bootstrap

import (
	"fmt"
	"log"
	"os"
)

// The functions below replace os.Exit and log.Fatal* at call sites in the main module:
// os.Exit skips deferred calls, so the `defer shutdown()` in main never runs on these paths
// and whatever the batchers still hold would be lost. Each flushes first (bounded by
// ShutdownTimeout; nothing to do if Start never ran) and then exits exactly as the original.

// Exit flushes telemetry, then calls os.Exit(code).
func Exit(code int) {
	flush()
	os.Exit(code)
}

// Fatal is log.Fatal: the standard logger's output (its flags and prefix apply, and a
// Lshortfile/Llongfile location names Fatal's caller), then a flush, then os.Exit(1).
func Fatal(v ...any) {
	log.Output(2, fmt.Sprint(v...))
	Exit(1)
}

// Fatalf is log.Fatalf, flushing telemetry before the exit.
func Fatalf(format string, v ...any) {
	log.Output(2, fmt.Sprintf(format, v...))
	Exit(1)
}

// Fatalln is log.Fatalln, flushing telemetry before the exit.
func Fatalln(v ...any) {
	log.Output(2, fmt.Sprintln(v...))
	Exit(1)
}
