// Package twecho is the runtime side of toolweave's echo integration. The server span of a
// request belongs to the net/http integration; echo tells it the route. Every instance the
// program makes with echo.New gets, right after construction, a middleware (echo runs Use
// middlewares after routing, for groups too) that names the server span after the matched
// route path ("GET /users/:id") and records http.route on the span and the request metrics.
package twecho

import (
	"github.com/labstack/echo/v4"
	"toolweave.dev/runtime/nethttp"
)

// New is echo.New with the route middleware.
func New() *echo.Echo {
	e := echo.New()
	e.Use(route)
	return e
}

func route(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		nethttp.Route(c.Request(), c.Path())
		return next(c)
	}
}
