package nethttp

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The hooks as the weaver adds them to net/http (the Request field, the declarations and
// the two calls).
const (
	wovenDecls = `package http

func ToolweaveServe(srv *Server, rw ResponseWriter, req *Request) {
	req.toolweaveServed = true
	serverHandler{srv}.ServeHTTP(rw, req)
}

func ToolweaveMarkServed(req *Request) { req.toolweaveServed = true }

func ToolweaveIsServed(req *Request) bool { return req.toolweaveServed }

var ToolweaveServerHook func(rw ResponseWriter, req *Request, srv *Server)

var ToolweaveClientHook func(rt RoundTripper) RoundTripper
`
	requestAnchor = "type Request struct {\n"
	requestField  = "\ttoolweaveServed bool\n"
	serverAnchor  = "func (sh serverHandler) ServeHTTP(rw ResponseWriter, req *Request) {\n"
	serverCall    = "\tif h := ToolweaveServerHook; h != nil && !req.toolweaveServed {\n\t\th(rw, req, sh.srv)\n\t\treturn\n\t}\n"
	clientAnchor  = "func send(ireq *Request, rt RoundTripper, deadline time.Time) (resp *Response, didTimeout func() bool, err error) {\n"
	clientCall    = "\tif h := ToolweaveClientHook; h != nil && rt != nil {\n\t\trt = h(rt)\n\t}\n"
)

// TestWovenNetHTTP builds _register/testdata/wovenapp against a net/http carrying the hooks
// (through -overlay, as a woven build does) and runs it: the register package compiles,
// and real servers and clients get their spans.
func TestWovenNetHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds net/http with an overlay")
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skip("no go command:", err)
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "src", "net", "http")
	dir := t.TempDir()
	replace := map[string]string{}
	patch := func(name, anchor, call string) {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if strings.Count(text, anchor) != 1 {
			t.Fatalf("net/http/%s of this Go has no %q: the weaver's net/http aspect needs the same update", name, anchor)
		}
		out := filepath.Join(dir, name)
		if err := os.WriteFile(out, []byte(strings.Replace(text, anchor, anchor+call, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(src, name)] = out
	}
	patch("request.go", requestAnchor, requestField)
	patch("server.go", serverAnchor, serverCall)
	patch("client.go", clientAnchor, clientCall)
	decls := filepath.Join(dir, "zz_toolweave.go")
	if err := os.WriteFile(decls, []byte(wovenDecls), 0o644); err != nil {
		t.Fatal(err)
	}
	replace[filepath.Join(src, "zz_toolweave.go")] = decls
	overlay, _ := json.Marshal(map[string]any{"Replace": replace})
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}

	bin := filepath.Join(dir, "wovenapp")
	build := exec.Command("go", "build", "-overlay", overlayFile, "-o", bin, "./_register/testdata/wovenapp")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("woven build failed: %v\n%s", err, out)
	}
	run := exec.Command(bin)
	run.Env = append(os.Environ(), "OTEL_SDK_DISABLED=") // the app installs its own providers
	out, err := run.CombinedOutput()
	if err != nil || !strings.HasSuffix(string(out), "PASS\n") {
		t.Errorf("wovenapp: %v\n%s", err, out)
	}
}
