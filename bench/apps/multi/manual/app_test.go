package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
)

// TestMain starts the SDK from OTEL_*, as main does (../plain's does nothing: toolweave's
// test bootstrap, TOOLWEAVE_TEST_BOOTSTRAP=1, starts it in the woven build).
func TestMain(m *testing.M) {
	shutdown := setupOTel()
	code := m.Run()
	shutdown()
	os.Exit(code)
}

// start serves the app's handler on a loopback httptest server (a real http.Server, so the
// server side is what the binary runs) whose /leaf is the downstream. Logs are formatted
// and discarded.
func start(tb testing.TB) (*app, *httptest.Server) {
	slog.SetDefault(newLogger(io.Discard, slog.LevelInfo))
	a, err := newApp(context.Background(), "")
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(a.handler())
	a.leafURL = srv.URL
	tb.Cleanup(func() { srv.Close(); a.Close() })
	return a, srv
}

func TestWork(t *testing.T) {
	a, srv := start(t)
	resp, err := a.client.Get(srv.URL + "/work/42")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		N     int    `json:"n"`
		Item  string `json:"item"`
		Price int    `json:"price"`
		Leaf  string `json:"leaf"`
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.N != 42 || got.Item != "item-043" || got.Price != 43*7%100+1 || got.Leaf != "leaf 42" {
		t.Fatalf("got %+v", got)
	}
}

// BenchmarkWork measures one GET /work/{n} end to end, both sides of the loopback included
// (allocations are counted process-wide: server, SQLite, downstream call and the
// benchmark's own client, which is the app's client so it is instrumented alike in every
// variant).
func BenchmarkWork(b *testing.B) {
	a, srv := start(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		resp, err := a.client.Get(srv.URL + "/work/" + strconv.Itoa(i%items))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %s", resp.Status)
		}
	}
}
