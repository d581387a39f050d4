// Command grpcapp is an unmodified gRPC program for toolweave's gRPC integration test: it
// serves the standard health service on two servers on loopback, one plain and one that
// adds otelgrpc itself, and calls both from clients made three ways (NewClient, Dial,
// DialContext), unary and streaming, inside a //weave:span function. Then it exits.
package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func listen(server *grpc.Server) string {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	healthpb.RegisterHealthServer(server, health.NewServer())
	go server.Serve(lis)
	return lis.Addr().String()
}

//weave:span
func callPlain(ctx context.Context, addr string) error {
	creds := grpc.WithTransportCredentials(insecure.NewCredentials())
	conn, err := grpc.NewClient(addr, creds)
	if err != nil {
		return err
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	if _, err := client.Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
		return err
	}
	watchCtx, cancel := context.WithCancel(ctx)
	stream, err := client.Watch(watchCtx, &healthpb.HealthCheckRequest{})
	if err != nil {
		cancel()
		return err
	}
	if _, err := stream.Recv(); err != nil {
		cancel()
		return err
	}
	cancel()
	stream.Recv()
	return nil
}

//weave:span
func callDialed(ctx context.Context, addr string) error {
	conn, err := grpc.Dial(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: ""})
	return err
}

//weave:span
func callInstrumented(ctx context.Context, addr string) error {
	conn, err := grpc.DialContext(ctx, addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler()))
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	return err
}

func main() {
	plain := grpc.NewServer()
	instrumented := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler()))
	plainAddr, instrumentedAddr := listen(plain), listen(instrumented)
	ctx := context.Background()
	for _, call := range []func() error{
		func() error { return callPlain(ctx, plainAddr) },
		func() error { return callDialed(ctx, plainAddr) },
		func() error { return callInstrumented(ctx, instrumentedAddr) },
	} {
		if err := call(); err != nil {
			fmt.Fprintln(os.Stderr, "rpc failed:", err)
			os.Exit(1)
		}
	}
	plain.GracefulStop()
	instrumented.GracefulStop()
	fmt.Println("ok")
}
