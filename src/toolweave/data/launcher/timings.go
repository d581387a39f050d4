package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const timingsFormat = 1 // driver/timings.py's FORMAT

// timed runs the tool and appends a record in driver/timings.py's format (one write with
// O_APPEND, as Python's records): wall time from this process's start, the part before the
// tool started counted as toolweave's own.
func timed(path, tool string, args []string) int {
	started, cpu := processStart()
	before := time.Now().UnixNano()
	code := 1
	proc, err := os.StartProcess(tool, append([]string{tool}, args...),
		&os.ProcAttr{Files: []*os.File{os.Stdin, os.Stdout, os.Stderr}})
	if err != nil {
		os.Stderr.WriteString("toolweave-toolexec: " + tool + ": " + err.Error() + "\n")
	} else if state, err := proc.Wait(); err == nil {
		code = state.ExitCode()
	}
	end := time.Now().UnixNano()
	rec := []string{
		`"v":` + strconv.Itoa(timingsFormat), `"kind":"tool"`,
		`"build":` + jsonString("go-"+strconv.Itoa(os.Getppid())),
		`"tool":` + jsonString(strings.TrimSuffix(filepath.Base(tool), ".exe")),
		`"pkg":` + jsonString(os.Getenv("TOOLEXEC_IMPORTPATH")),
		`"start_ns":` + strconv.FormatInt(started, 10), `"wall_ns":` + strconv.FormatInt(end-started, 10),
		`"exit":` + strconv.Itoa(code), `"woven":false`, `"self_ns":` + strconv.FormatInt(before-started, 10),
		`"res_ns":1`, `"self_cpu_ns":` + strconv.FormatInt(cpu, 10), `"driver":"launcher"`,
	}
	if f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
		f.WriteString("{" + strings.Join(rec, ",") + "}\n")
		f.Close()
	}
	return code
}

// jsonString quotes s for JSON: `"` and `\` escaped, control characters as \u00XX, the rest
// (UTF-8) as it is.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// processStart: when this process started, in Unix nanoseconds, so the time before main
// counts as ours, and the CPU time it has used. From /proc/self/schedstat (nanoseconds on a
// CPU plus waiting for one: a process that has not slept has existed that long), else from
// the start time in /proc/self/stat (clock ticks: 10 ms steps; CPU time then unknown, 0);
// now when the system will not say.
func processStart() (start, cpu int64) {
	now := time.Now().UnixNano()
	if data, err := os.ReadFile("/proc/self/schedstat"); err == nil {
		if f := strings.Fields(string(data)); len(f) >= 2 {
			cpu, err1 := strconv.ParseInt(f[0], 10, 64)
			wait, err2 := strconv.ParseInt(f[1], 10, 64)
			if err1 == nil && err2 == nil && cpu > 0 {
				return now - cpu - wait, cpu
			}
		}
	}
	started, up := startTime("self"), strings.Fields(readString("/proc/uptime"))
	if started == "" || len(up) == 0 {
		return now, 0
	}
	ticks, err1 := strconv.ParseFloat(started, 64)
	secs, err2 := strconv.ParseFloat(up[0], 64)
	if err1 != nil || err2 != nil {
		return now, 0
	}
	age := secs - ticks/100 // USER_HZ is 100 on Linux
	if age < 0 {
		age = 0
	}
	return now - int64(age*1e9), 0
}
