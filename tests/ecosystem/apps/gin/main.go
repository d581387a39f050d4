// Command ginapp is an unmodified gin service for toolweave's gin integration test: routes
// with parameters on the engine and in a group, served on loopback; it calls itself over
// HTTP (one matched route of each kind and an unknown path), then shuts down and exits.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/users/:id", func(c *gin.Context) { c.String(200, "user "+c.Param("id")) })
	api := r.Group("/api/v1")
	api.GET("/items/:id", func(c *gin.Context) { c.String(200, "item "+c.Param("id")) })

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: r}
	go srv.Serve(lis)
	base := "http://" + lis.Addr().String()
	for _, path := range []string{"/users/7", "/api/v1/items/9", "/nowhere"} {
		resp, err := http.Get(base + path)
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
