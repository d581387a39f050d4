// glschain: code that passes no context.Context, run from HTTP handlers and from a pool of
// long-lived workers. Built unmodified by toolweave (tests/e2e/test_gls_e2e.py): with
// goroutine-local context, a handler's context-less calls join its request's trace; the
// workers' calls never join any request's trace.
package main

import (
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"

	"example.com/spawner"
	_ "modernc.org/sqlite"
)

var (
	db   *sql.DB
	leaf string
)

// lookup passes no context anywhere: database/sql, net/http and slog without one.
func lookup(id int) string {
	var name string
	if err := db.QueryRow("SELECT name FROM items WHERE id = ?", id).Scan(&name); err != nil {
		name = err.Error()
	}
	if resp, err := http.Get(leaf + "/leaf"); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	slog.Info("looked up", "id", id, "name", name)
	return name + "-" + score(name)
}

// score has no context parameter either.
//
//weave:span
func score(name string) string { return fmt.Sprint(len(name)) }

// process is a worker's job: it runs on a long-lived goroutine that served earlier jobs.
//
//weave:span
func process(id int) {
	var n int
	db.QueryRow("SELECT COUNT(*) FROM items WHERE id <= ?", id).Scan(&n)
}

// tally runs on a goroutine the handler starts and waits for; it has no context parameter.
//
//weave:span
func tally(id int) {
	var n int
	db.QueryRow("SELECT COUNT(*) FROM items WHERE id >= ?", id).Scan(&n)
}

// stray runs on a goroutine that a dependency starts while the handler's go statement
// evaluates its arguments: that goroutine is the dependency's, not the go statement's.
//
//weave:span
func stray() {}

// await waits for a goroutine to be done.
func await(done <-chan struct{}) { <-done }

// straggle runs on a goroutine the handler starts and does not wait for: it outlives the
// request.
//
//weave:span
func straggle(id int) {}

var (
	later      = make(chan struct{}) // closed once every request has been answered
	stragglers sync.WaitGroup
)

type job struct {
	id   int
	done chan struct{}
}

func main() {
	var err error
	if db, err = sql.Open("sqlite", ":memory:"); err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(1)
	db.Exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
	db.Exec("INSERT INTO items VALUES (1, 'apple'), (2, 'pear'), (3, 'plum')")
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)))

	jobs := make(chan job)
	var workers sync.WaitGroup
	for w := 0; w < 2; w++ {
		workers.Add(1)
		go func() { // started before any request: long-lived, reused by every job
			defer workers.Done()
			for j := range jobs {
				process(j.id)
				close(j.done)
			}
		}()
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /leaf", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "leaf") })
	mux.HandleFunc("GET /work/{id}", func(w http.ResponseWriter, r *http.Request) {
		var id int
		fmt.Sscan(r.PathValue("id"), &id)
		fmt.Fprint(w, lookup(id))
	})
	mux.HandleFunc("GET /fanout/{id}", func(w http.ResponseWriter, r *http.Request) {
		var id int
		fmt.Sscan(r.PathValue("id"), &id)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { // with inheritance, it joins the request's span
			defer wg.Done()
			tally(id)
		}()
		go func(done <-chan struct{}) { // the goroutine spawner.Start starts inherits nothing
			defer wg.Done()
			await(done)
			tally(-id)
		}(spawner.Start(stray))
		stragglers.Add(1)
		go func() { // it runs after the request ended: never under its span
			defer stragglers.Done()
			<-later
			straggle(id)
		}()
		wg.Wait()
		fmt.Fprint(w, "fanned out")
	})
	mux.HandleFunc("GET /enqueue/{id}", func(w http.ResponseWriter, r *http.Request) {
		var id int
		fmt.Sscan(r.PathValue("id"), &id)
		j := job{id: id, done: make(chan struct{})}
		jobs <- j
		<-j.done
		fmt.Fprint(w, "queued")
	})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(lis)
	leaf = "http://" + lis.Addr().String()

	client := &http.Client{} // keep-alive: the server reuses its connection's goroutine
	for _, path := range []string{"/work/1", "/enqueue/1", "/work/2", "/enqueue/2", "/fanout/4", "/work/3", "/enqueue/3"} {
		resp, err := client.Get(leaf + path)
		if err != nil {
			fmt.Println("request:", err)
			os.Exit(1)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(path, string(body))
	}
	close(later)
	stragglers.Wait()
	close(jobs)
	workers.Wait()
	srv.Close()
}
