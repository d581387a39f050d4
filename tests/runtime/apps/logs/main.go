// logs exercises //weave:log together with //weave:span: records at entry and exit, the
// listed arguments, the returned error, and correlation with the span through the context
// (trace_id and span_id in the program's own JSON output, which does nothing to add them,
// and an OTLP log record each).
package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
)

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)))
	ctx := context.Background()
	_, _ = lookup(ctx, 7, "secret")
	_, _ = lookup(ctx, 0, "secret")
	//weave:log
	func() {}()
	greet(ctx, "ada", 2, "x", "y")
	serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/items", nil), 3)
}

// serve's bare directive logs page, not the response writer or the request.
//
//weave:log
func serve(w http.ResponseWriter, r *http.Request, page int) {}

// greet's bare directive logs every argument but the context, variadic ones as a list.
//
//weave:log
func greet(ctx context.Context, name string, times int, tags ...string) {}

// lookup logs id but not token: only the arguments the directive names are logged.
//
//weave:log id team:core
//weave:span
func lookup(ctx context.Context, id int, token string) (string, error) {
	if id == 0 {
		return "", errors.New("missing id")
	}
	return "found", nil
}
