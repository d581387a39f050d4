// Package twmux is the runtime side of toolweave's gorilla/mux integration. The server span
// of a request belongs to the net/http integration; the router tells it the route. Every
// router the program makes with mux.NewRouter gets, right after construction, a middleware
// (gorilla/mux runs it after matching, for the routes of its sub-routers too) that names the
// server span after the matched path template ("GET /users/{id}") and records http.route on
// the span and the request metrics.
package twmux

import (
	"net/http"

	"github.com/gorilla/mux"
	"toolweave.dev/runtime/nethttp"
)

// NewRouter is mux.NewRouter with the route middleware.
func NewRouter() *mux.Router {
	router := mux.NewRouter()
	router.Use(route)
	return router
}

func route(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if current := mux.CurrentRoute(r); current != nil {
			if template, err := current.GetPathTemplate(); err == nil {
				nethttp.Route(r, template)
			}
		}
		next.ServeHTTP(w, r)
	})
}
