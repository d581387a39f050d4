package twgrpc

import (
	"context"
	"net"
	"testing"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/test/bufconn"
)

var spans = tracetest.NewSpanRecorder()

func init() {
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)))
	otel.SetTextMapPropagator(propagation.TraceContext{})
}

// serve starts a health server made by newServer on an in-memory listener and returns a
// client connection made by newClient with the extra options.
func serve(t *testing.T, server *grpc.Server, dial func(string, ...grpc.DialOption) (*grpc.ClientConn, error),
	extra ...grpc.DialOption) healthpb.HealthClient {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	healthpb.RegisterHealthServer(server, health.NewServer())
	go server.Serve(lis)
	t.Cleanup(server.Stop)
	opts := append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(context.Context, string) (net.Conn, error) { return lis.Dial() })}, extra...)
	conn, err := dial("passthrough:///bufnet", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return healthpb.NewHealthClient(conn)
}

// inTrace waits (up to 5 s) until the spans of one trace named method are `want` in number,
// and returns them by kind: a server span ends after the client has its response.
func inTrace(traceID trace.TraceID, method string, want int) map[trace.SpanKind][]sdktrace.ReadOnlySpan {
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, n := map[trace.SpanKind][]sdktrace.ReadOnlySpan{}, 0
		for _, s := range spans.Ended() {
			if s.SpanContext().TraceID() == traceID && s.Name() == method {
				out[s.SpanKind()] = append(out[s.SpanKind()], s)
				n++
			}
		}
		if n >= want || time.Now().After(deadline) {
			time.Sleep(50 * time.Millisecond) // and a moment for one too many
			return out
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// check makes one Check call under a caller span; its spans by kind.
func check(t *testing.T, client healthpb.HealthClient) map[trace.SpanKind][]sdktrace.ReadOnlySpan {
	t.Helper()
	ctx, parent := otel.Tracer("test").Start(context.Background(), "caller")
	if _, err := client.Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	parent.End()
	out := inTrace(parent.SpanContext().TraceID(), "grpc.health.v1.Health/Check", 2)
	if c := out[trace.SpanKindClient]; len(c) == 1 && c[0].Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("client span's parent %s, want the caller %s", c[0].Parent().SpanID(), parent.SpanContext().SpanID())
	}
	return out
}

func TestEveryRPCGetsOneClientAndOneServerSpanInOneTrace(t *testing.T) {
	for name, dial := range map[string]func(string, ...grpc.DialOption) (*grpc.ClientConn, error){
		"NewClient": NewClient, "Dial": Dial,
		"DialContext": func(target string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
			return DialContext(context.Background(), target, opts...)
		},
	} {
		t.Run(name, func(t *testing.T) {
			got := check(t, serve(t, NewServer(), dial))
			client, server := got[trace.SpanKindClient], got[trace.SpanKindServer]
			if len(client) != 1 || len(server) != 1 {
				t.Fatalf("client spans %d, server spans %d; want 1 and 1", len(client), len(server))
			}
			if server[0].Parent().SpanID() != client[0].SpanContext().SpanID() ||
				server[0].SpanContext().TraceID() != client[0].SpanContext().TraceID() {
				t.Errorf("the server span is not the client span's child")
			}
		})
	}
}

func TestAProgramThatAddsOtelgrpcItselfGetsNoSecondSpan(t *testing.T) {
	server := NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler()))
	got := check(t, serve(t, server, NewClient, grpc.WithStatsHandler(otelgrpc.NewClientHandler())))
	if len(got[trace.SpanKindClient]) != 1 || len(got[trace.SpanKindServer]) != 1 {
		t.Fatalf("client spans %d, server spans %d; want 1 and 1",
			len(got[trace.SpanKindClient]), len(got[trace.SpanKindServer]))
	}
}

func TestStreamingRPCsAreTraced(t *testing.T) {
	client := serve(t, NewServer(), NewClient)
	ctx, parent := otel.Tracer("test").Start(context.Background(), "caller")
	ctx, cancel := context.WithCancel(ctx)
	stream, err := client.Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil {
		t.Fatal(err)
	}
	cancel()
	stream.Recv() // the cancellation ends the client span
	parent.End()
	got := inTrace(parent.SpanContext().TraceID(), "grpc.health.v1.Health/Watch", 2)
	if len(got[trace.SpanKindClient]) != 1 || len(got[trace.SpanKindServer]) != 1 {
		t.Errorf("Watch: client spans %d, server spans %d; want 1 and 1",
			len(got[trace.SpanKindClient]), len(got[trace.SpanKindServer]))
	}
}

func TestOptionsOfTheProgramAreNotWrittenTo(t *testing.T) {
	opts := make([]grpc.DialOption, 1, 4)
	opts[0] = grpc.WithTransportCredentials(insecure.NewCredentials())
	spare := opts[:2]
	conn, err := NewClient("passthrough:///nowhere", opts...)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if spare[1] != nil {
		t.Errorf("NewClient wrote into the spare capacity of the program's slice")
	}
}

func TestOTLPExportsAreNeverTraced(t *testing.T) {
	for method, want := range map[string]bool{
		"/opentelemetry.proto.collector.trace.v1.TraceService/Export":     true,
		"/opentelemetry.proto.collector.metrics.v1.MetricsService/Export": true,
		"/grpc.health.v1.Health/Check":                                    false,
	} {
		if Exporting(method) != want {
			t.Errorf("Exporting(%q) = %v, want %v", method, !want, want)
		}
	}
}
