// Package twgrpc is the runtime side of toolweave's gRPC integration: every server and
// client connection a program creates gets contrib's otelgrpc stats handler, so every RPC,
// unary or streaming, makes a span (server or client), carries W3C trace context across
// the call, and records otelgrpc's RPC duration metrics.
//
// The weaver replaces calls of grpc.NewServer, grpc.NewClient, grpc.Dial and
// grpc.DialContext in the program (never inside grpc or OpenTelemetry) with the functions
// here, which append one stats handler to the options the program passed.
//
// One owner per RPC: gRPC runs every stats handler given, in order, and otelgrpc does not
// look for another one, so a program that already adds otelgrpc (or its own handler that
// starts the RPC's span) would get two spans. The handler here is appended last; for each
// RPC it first looks at the span its context already carries, and does nothing for that RPC
// when it is a span of the same kind named after the same method (what otelgrpc, and any
// instrumentation following the RPC conventions, start). RPCs of the OTLP collector services
// (an exporter the program built itself) are never traced: each export would start a trace.
package twgrpc

import (
	"context"
	"strings"
	"sync"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/stats"
)

// NewServer is grpc.NewServer with toolweave's server handler after the program's options.
func NewServer(opt ...grpc.ServerOption) *grpc.Server {
	return grpc.NewServer(append(opt[:len(opt):len(opt)], grpc.StatsHandler(serverHandler))...)
}

// NewClient is grpc.NewClient with toolweave's client handler after the program's options.
func NewClient(target string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	return grpc.NewClient(target, withClientHandler(opts)...)
}

// Dial is grpc.Dial (deprecated by gRPC, still used) with toolweave's client handler.
func Dial(target string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	return grpc.Dial(target, withClientHandler(opts)...) //nolint:staticcheck // the program's call
}

// DialContext is grpc.DialContext (deprecated by gRPC, still used) with toolweave's client handler.
func DialContext(ctx context.Context, target string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	return grpc.DialContext(ctx, target, withClientHandler(opts)...) //nolint:staticcheck // the program's call
}

// withClientHandler: a new slice (never the caller's backing array) with the handler last.
func withClientHandler(opts []grpc.DialOption) []grpc.DialOption {
	return append(opts[:len(opts):len(opts)], grpc.WithStatsHandler(clientHandler))
}

// The handlers are built once, on the first RPC: otelgrpc takes the global providers when a
// handler is created, and bootstrap sets them at the top of main.
var (
	serverHandler = &oneOwner{kind: trace.SpanKindServer, inner: sync.OnceValue(func() stats.Handler { return otelgrpc.NewServerHandler() })}
	clientHandler = &oneOwner{kind: trace.SpanKindClient, inner: sync.OnceValue(func() stats.Handler { return otelgrpc.NewClientHandler() })}
)

// skipped marks the context of an RPC this handler leaves alone.
type skipped struct{}

// oneOwner is an otelgrpc handler that steps aside for RPCs already instrumented.
type oneOwner struct {
	kind  trace.SpanKind
	inner func() stats.Handler
}

func (h *oneOwner) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	if Exporting(info.FullMethodName) || Owned(ctx, h.kind, info.FullMethodName) {
		return context.WithValue(ctx, skipped{}, true)
	}
	return h.inner().TagRPC(ctx, info)
}

func (h *oneOwner) HandleRPC(ctx context.Context, s stats.RPCStats) {
	if ctx.Value(skipped{}) == nil {
		h.inner().HandleRPC(ctx, s)
	}
}

func (h *oneOwner) TagConn(ctx context.Context, info *stats.ConnTagInfo) context.Context {
	return h.inner().TagConn(ctx, info)
}

func (h *oneOwner) HandleConn(ctx context.Context, s stats.ConnStats) {
	h.inner().HandleConn(ctx, s)
}

// Exporting reports whether a method belongs to an OTLP collector service.
func Exporting(fullMethod string) bool {
	return strings.HasPrefix(fullMethod, "/opentelemetry.proto.collector.")
}

// Owned reports whether ctx carries a recording span of this kind named after this method:
// the RPC's span, started by a handler that ran before ours.
func Owned(ctx context.Context, kind trace.SpanKind, fullMethod string) bool {
	span := trace.SpanFromContext(ctx)
	named, ok := span.(interface {
		Name() string
		SpanKind() trace.SpanKind
	})
	return ok && span.IsRecording() && named.SpanKind() == kind && named.Name() == strings.TrimPrefix(fullMethod, "/")
}
