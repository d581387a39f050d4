// Package twchi is the runtime side of toolweave's chi integration. The server span of a
// request belongs to the net/http integration; chi tells it the route. Every router the
// program makes with chi.NewRouter or chi.NewMux gets, right after construction (chi
// refuses Use after the first route), a middleware that, when the request returns, names
// the server span after the full route pattern chi matched ("GET /users/{id}", through
// mounted sub-routers too) and records http.route on the span and the request metrics.
package twchi

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"toolweave.dev/runtime/nethttp"
)

// NewRouter is chi.NewRouter with the route middleware.
func NewRouter() *chi.Mux { return instrument(chi.NewRouter()) }

// NewMux is chi.NewMux with the route middleware.
func NewMux() *chi.Mux { return instrument(chi.NewMux()) }

func instrument(mux *chi.Mux) *chi.Mux {
	mux.Use(route)
	return mux
}

// route: chi resolves the pattern while it routes, below its middlewares, so the pattern is
// read when the handler has returned (before otelhttp records the request). A sub-router's
// middleware and its parent's read the same routing context: the outermost, last, has the
// whole pattern.
func route(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if rctx := chi.RouteContext(r.Context()); rctx != nil {
			nethttp.Route(r, rctx.RoutePattern())
		}
	})
}
