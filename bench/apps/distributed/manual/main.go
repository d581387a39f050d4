// Command distributed-manual is tests/ecosystem/apps/distributed instrumented by hand, with the
// libraries toolweave's integrations use, for bench/ecobench.py's comparison: the SDK from
// OTEL_* (otel.go), otelhttp around the gin engine with a middleware naming the span and
// http.route by gin's route, otelgrpc stats handlers on the client and the server, redisotel
// on the Redis client, otelpgx's tracer and pool statistics on the pgx pool, and zap teed with
// otelzap, its lines carrying the trace and span ids. Everything else is the same program.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/exaring/otelpgx"
	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/contrib/bridges/otelzap"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

const getMethod = "/inventory.Inventory/Get"

// inventory is the backend's service.
type inventory struct {
	cache *redis.Client
	db    *pgxpool.Pool
	log   *zap.Logger
}

func (s *inventory) get(ctx context.Context, id string) (string, error) {
	sc := trace.SpanContextFromContext(ctx)
	s.log.Info("lookup", zap.Any("ctx", ctx), zap.String("trace_id", sc.TraceID().String()),
		zap.String("span_id", sc.SpanID().String()), zap.String("item", id))
	name, err := s.cache.Get(ctx, "item:"+id).Result()
	if err == nil {
		return name, nil
	}
	if !errors.Is(err, redis.Nil) {
		return "", err
	}
	err = s.db.QueryRow(ctx, "SELECT name FROM items WHERE id = $1 AND name <> 'hidden'", id).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", status.Error(codes.NotFound, "no item "+id)
	}
	if err != nil {
		return "", err
	}
	return name, s.cache.Set(ctx, "item:"+id, name, 0).Err()
}

var serviceDesc = grpc.ServiceDesc{
	ServiceName: "inventory.Inventory",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Get",
		Handler: func(srv any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.StringValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			name, err := srv.(*inventory).get(ctx, in.GetValue())
			if err != nil {
				return nil, err
			}
			return wrapperspb.String(name), nil
		},
	}},
}

func listen() net.Listener {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	fmt.Println("listening", lis.Addr())
	return lis
}

func backend(ctx context.Context) error {
	logger, err := zap.NewProduction(zap.WrapCore(func(core zapcore.Core) zapcore.Core {
		return zapcore.NewTee(core, otelzap.NewCore("example.com/distributed-manual"))
	}))
	if err != nil {
		return err
	}
	defer logger.Sync()
	config, err := pgxpool.ParseConfig(os.Getenv("PG_DSN"))
	if err != nil {
		return err
	}
	config.ConnConfig.Tracer = otelpgx.NewTracer()
	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := otelpgx.RecordStats(pool); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, "CREATE TABLE IF NOT EXISTS items (id text PRIMARY KEY, name text);"+
		"INSERT INTO items VALUES ('1', 'lamp'), ('2', 'desk') ON CONFLICT DO NOTHING"); err != nil {
		return err
	}
	cache := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	defer cache.Close()
	if err := errors.Join(redisotel.InstrumentTracing(cache), redisotel.InstrumentMetrics(cache)); err != nil {
		return err
	}
	server := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler()))
	server.RegisterService(&serviceDesc, &inventory{cache: cache, db: pool, log: logger})
	lis := listen()
	go func() {
		<-ctx.Done()
		server.GracefulStop()
	}()
	return server.Serve(lis)
}

func frontend(ctx context.Context) error {
	conn, err := grpc.NewClient(os.Getenv("BACKEND_ADDR"), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler()))
	if err != nil {
		return err
	}
	defer conn.Close()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(routeName)
	r.GET("/items/:id", func(c *gin.Context) {
		out := new(wrapperspb.StringValue)
		err := conn.Invoke(c.Request.Context(), getMethod, wrapperspb.String(c.Param("id")), out)
		switch status.Code(err) {
		case codes.OK:
			c.String(http.StatusOK, out.GetValue())
		case codes.NotFound:
			c.String(http.StatusNotFound, "not found")
		default:
			c.String(http.StatusBadGateway, err.Error())
		}
	})
	srv := &http.Server{Handler: otelhttp.NewHandler(r, "http.server")}
	lis := listen()
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
	if err := srv.Serve(lis); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// routeName names the request's server span "METHOD route" and records http.route on it and
// on otelhttp's request duration.
func routeName(c *gin.Context) {
	if route := c.FullPath(); route != "" {
		ctx := c.Request.Context()
		trace.SpanFromContext(ctx).SetName(c.Request.Method + " " + route)
		trace.SpanFromContext(ctx).SetAttributes(semconv.HTTPRoute(route))
		if labeler, ok := otelhttp.LabelerFromContext(ctx); ok {
			labeler.Add(attribute.String("http.route", route))
		}
	}
	c.Next()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// reportAllocations prints the allocation counter on every SIGUSR1.
func reportAllocations() {
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	for range usr1 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Println("mallocs", m.Mallocs)
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	shutdown := setupOTel()
	defer shutdown()
	go reportAllocations()
	roles := map[string]func(context.Context) error{"backend": backend, "frontend": frontend}
	role, ok := roles[func() string {
		if len(os.Args) > 1 {
			return os.Args[1]
		}
		return ""
	}()]
	if !ok {
		fail(errors.New("usage: distributed backend|frontend"))
	}
	if err := role(ctx); err != nil {
		fail(err)
	}
}
