// Command gorillamuxapp is an unmodified gorilla/mux service for the integration test: a route
// with a parameter on the router and one on a path-prefix sub-router, served on loopback; it
// calls itself (both routes and an unknown path), then shuts down and exits.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/gorilla/mux"
)

func main() {
	r := mux.NewRouter()
	r.HandleFunc("/users/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "user "+mux.Vars(r)["id"]) })
	api := r.PathPrefix("/api/v1").Subrouter()
	api.HandleFunc("/items/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "item "+mux.Vars(r)["id"]) })
	serve(r)
}

func serve(h http.Handler) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(lis)
	for _, path := range []string{"/users/7", "/api/v1/items/9", "/nowhere"} {
		resp, err := http.Get("http://" + lis.Addr().String() + path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s %d %s\n", path, resp.StatusCode, body)
	}
	srv.Shutdown(context.Background())
}
