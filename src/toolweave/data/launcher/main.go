// Command toolweave-toolexec is the drop-in driver's launcher: the go command runs it for
// every tool call of a build (-toolexec). It answers what needs no Python from a plan that
// toolweave wrote ahead (data, in the cache) and hands everything else to
// `toolweave toolexec`, which it execs with the same arguments:
//
//	tool -V=full      the tool's own line plus the plan's fingerprint, when the plan is fresh
//	compile           the tool as given when no aspect of the plan can match the package
//	                  (package gates and file prefilters, both data); else Python
//	link              Python (one per binary; it completes the importcfg)
//	anything else     the tool as given
//
// A plan is fresh when every file it was made from has the size and modification time it
// recorded (aspects, toolweave.yml or its absence, go.mod, toolweave's runtime module).
// Anything unexpected (no plan, a stale one, a file it cannot read) means Python decides:
// the launcher only ever skips work that Python would also skip.
//
// It runs hundreds of times per build, so it is written for start-up: standard library only,
// no encoding/json, fmt or os/exec (their size and initialisation are paid on every call),
// and it reads nothing a decision does not need (plan.go, compile.go).
package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// commandFile, beside the launcher: the command that runs `toolweave toolexec`, its
// arguments separated by NUL, the first one absolute (driver/launcher.py writes it).
const commandFile = "command"

// Environment shared with driver/launcher.py and driver/timings.py.
const (
	envPlan   = "TOOLWEAVE_LAUNCHER_PLAN" // Python writes the plan for this call's key here
	envNested = "TOOLWEAVE_NESTED_VERB"
	envTiming = "TOOLWEAVE_TIMINGS"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: go build -toolexec <this program> …")
	}
	tool, args := os.Args[1], os.Args[2:]
	name := strings.TrimSuffix(filepath.Base(tool), ".exe")
	switch {
	case len(args) == 1 && args[0] == "-V=full":
		version(tool, args)
	case name == "compile":
		compile(tool, args)
	case name == "link":
		toPython("")
	}
	run(tool, args)
}

// run replaces this process with the tool: its output and exit status are the tool's. With
// TOOLWEAVE_TIMINGS=FILE it runs the tool as a child and records the call in FILE.
func run(tool string, args []string) {
	if path := os.Getenv(envTiming); path != "" {
		os.Exit(timed(path, tool, args))
	}
	err := syscall.Exec(tool, append([]string{tool}, args...), os.Environ())
	fail(tool + ": " + err.Error())
}

// toPython hands the call to `toolweave toolexec`, asking it to write the plan at planPath.
func toPython(planPath string) {
	self, err := os.Executable()
	var data []byte
	if err == nil {
		data, err = os.ReadFile(filepath.Join(filepath.Dir(self), commandFile))
	}
	argv := strings.Split(string(data), "\x00")
	if err != nil || !filepath.IsAbs(argv[0]) {
		fail("cannot read the command beside the launcher (" + commandFile + "); run `toolweave env` again")
	}
	env := os.Environ()
	if planPath != "" {
		env = append(env, envPlan+"="+planPath)
	}
	err = syscall.Exec(argv[0], append(argv, os.Args[1:]...), env)
	fail(argv[0] + ": " + err.Error() + "; reinstall toolweave, then run `toolweave env` again")
}

func fail(msg string) {
	os.Stderr.WriteString("toolweave-toolexec: " + msg + "\n")
	os.Exit(1)
}
