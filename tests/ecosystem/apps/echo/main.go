// Command echoapp is an unmodified echo service for toolweave's echo integration test: a route
// with a parameter on the instance and one in a group, served on loopback; it
// calls itself (both routes and an unknown path), then shuts down and exits.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
)

func main() {
	e := echo.New()
	e.HideBanner = true
	e.GET("/users/:id", func(c echo.Context) error { return c.String(200, "user "+c.Param("id")) })
	api := e.Group("/api/v1")
	api.GET("/items/:id", func(c echo.Context) error { return c.String(200, "item "+c.Param("id")) })
	serve(e)
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
