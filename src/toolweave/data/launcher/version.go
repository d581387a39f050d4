package main

import (
	"io"
	"os"
	"strings"
)

// version answers a `-V=full` probe: the tool's own line with the plan's fingerprint, so
// woven and plain archives never share build-cache entries (driver/toolexec.py's _version).
func version(tool string, args []string) {
	p := load(tool)
	r, w, err := os.Pipe()
	if err != nil {
		toPython("")
	}
	proc, err := os.StartProcess(tool, append([]string{tool}, args...),
		&os.ProcAttr{Files: []*os.File{os.Stdin, w, os.Stderr}})
	w.Close()
	if err != nil {
		toPython("")
	}
	out, _ := io.ReadAll(r)
	state, err := proc.Wait()
	if err != nil || !state.Success() {
		os.Stdout.Write(out)
		if err == nil {
			os.Exit(state.ExitCode())
		}
		os.Exit(1)
	}
	os.Stdout.WriteString(withFingerprint(string(out), p.fingerprint) + "\n")
	os.Exit(0)
}

// withFingerprint mirrors driver/toolexec.py's with_fingerprint.
func withFingerprint(line, fp string) string {
	line = strings.TrimSpace(line)
	fields := strings.Fields(line)
	if len(fields) >= 3 && strings.Contains(fields[2], "devel") && strings.HasPrefix(fields[len(fields)-1], "buildID=") {
		return line + ".toolweave-" + fp
	}
	return line + " toolweave=" + fp
}
