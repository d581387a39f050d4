// A service that reads files named by its clients and runs a command built from a client's
// input, written without a thought for either: toolweave's security aspects are what stand
// between its clients and the file system. It serves on loopback, makes its own requests,
// prints what each one answered, and exits.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNoSuchReport is a sentinel callers compare with ==, errors.Is and errors.As.
var ErrNoSuchReport = errors.New("no such report")

// ReportError is a typed error callers unwrap with errors.As.
type ReportError struct{ Name string }

func (e *ReportError) Error() string { return "report " + e.Name + " is unreadable" }

func read(w http.ResponseWriter, r *http.Request) {
	data, err := os.ReadFile(filepath.Join("reports", r.URL.Query().Get("name")))
	switch {
	case errors.Is(err, fs.ErrPermission):
		http.Error(w, "refused: "+err.Error(), http.StatusForbidden)
	case err != nil:
		http.Error(w, err.Error(), http.StatusNotFound)
	default:
		w.Write(data)
	}
}

func grep(w http.ResponseWriter, r *http.Request) {
	out, err := exec.CommandContext(r.Context(), "sh", "-c", "grep -c "+r.URL.Query().Get("q")+" reports/q1.txt").Output()
	if err != nil {
		http.Error(w, "refused: "+err.Error(), http.StatusForbidden)
		return
	}
	w.Write(out)
}

// lookup fails three ways; its caller checks that each still reads as it was returned.
func lookup(ctx context.Context, name string) error {
	switch name {
	case "sentinel":
		return ErrNoSuchReport
	case "typed":
		return &ReportError{Name: name}
	}
	return fmt.Errorf("lookup %s: %w", name, ErrNoSuchReport)
}

func check(w http.ResponseWriter, r *http.Request) {
	err := lookup(r.Context(), r.URL.Query().Get("name"))
	var typed *ReportError
	fmt.Fprintf(w, "eq=%v is=%v as=%v msg=%s", err == ErrNoSuchReport, errors.Is(err, ErrNoSuchReport),
		errors.As(err, &typed), err)
}

func main() {
	pipeline, _ := exec.Command("sh", "-c", "echo literal | tr a-z A-Z").Output() // all literals: the developer's own
	fmt.Printf("pipeline: %s", pipeline)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/read", read)
	mux.HandleFunc("/grep", grep)
	mux.HandleFunc("/check", check)
	go http.Serve(ln, mux)
	for _, path := range []string{"/read?name=q1.txt", "/read?name=../../outside/secret.txt", "/read?name=escape/secret.txt",
		"/grep?q=revenue", "/grep?q=x%3Btouch+pwned", "/check?name=sentinel", "/check?name=typed", "/check?name=wrapped"} {
		resp, err := http.Get("http://" + ln.Addr().String() + path)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s %d %s\n", path, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	_, err = os.Stat("pwned")
	fmt.Printf("pwned exists: %v\n", err == nil)
}
