// Package twgin is the runtime side of toolweave's gin integration. The server span of a
// request belongs to the net/http integration (one owner per layer: a second span from the
// framework would double every request); gin tells it the route. Every engine the program
// makes with gin.New or gin.Default gets, right after construction (before any route, so
// every route and group has it), a middleware that names the request's server span after
// its route template ("GET /users/:id") and records http.route on the span and the request
// metrics.
package twgin

import (
	"github.com/gin-gonic/gin"
	"toolweave.dev/runtime/nethttp"
)

// New is gin.New with the route middleware.
func New(opts ...gin.OptionFunc) *gin.Engine { return instrument(gin.New(opts...)) }

// Default is gin.Default with the route middleware (after gin's logger and recovery).
func Default(opts ...gin.OptionFunc) *gin.Engine { return instrument(gin.Default(opts...)) }

func instrument(engine *gin.Engine) *gin.Engine {
	engine.Use(route)
	return engine
}

// route runs after gin's router matched the request (c.FullPath is the template then).
func route(c *gin.Context) {
	nethttp.Route(c.Request, c.FullPath())
}
