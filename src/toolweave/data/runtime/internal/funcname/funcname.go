// Package funcname names the calling function at run time, for spans and log records of
// function literals: the weave cannot see an enclosing name, the Go runtime can
// ("handler.func1").
package funcname

import (
	"runtime"
	"strings"
)

// Caller returns the short name of the function `skip` frames above Caller's caller
// (skip 0: the function that called Caller): the package path dropped, the receiver and
// literal suffixes kept, e.g. "worker.func1" or "(*Store).Get.func2".
func Caller(skip int) string {
	pcs := make([]uintptr, 1)
	if runtime.Callers(skip+2, pcs) == 0 {
		return "func literal"
	}
	// CallersFrames rather than FuncForPC: it sees through inlining.
	frame, _ := runtime.CallersFrames(pcs).Next()
	return Short(frame.Function)
}

// Short drops the import path and package name from a qualified function name:
// "example.com/svc.(*Store).Get.func1" -> "(*Store).Get.func1".
func Short(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexByte(name, '.'); i >= 0 && i+1 < len(name) {
		name = name[i+1:]
	}
	if name == "" {
		return "func literal"
	}
	return name
}
