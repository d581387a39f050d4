// Command distributed is an unmodified two-process service for toolweave's distributed-trace
// test and load benchmark, built once and run in two roles:
//
//	distributed backend    a gRPC server (inventory.Inventory/Get) that looks an item up in
//	                       Redis (go-redis) and, on a miss, in PostgreSQL (a pgx pool), then
//	                       caches it; it logs each lookup with zap (JSON on stderr)
//	distributed frontend   a gin server whose GET /items/:id calls the backend over gRPC
//
// Each prints "listening ADDR" once it serves on a loopback port, "mallocs N" (the process's
// heap allocations so far, runtime.MemStats) on SIGUSR1, for bench/ecobench.py's allocations
// per request, and stops on SIGTERM or SIGINT. Environment: REDIS_ADDR and PG_DSN (backend), BACKEND_ADDR (frontend). The gRPC
// service is described by hand (no generated code) with protobuf's well-known StringValue.
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

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
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
	s.log.Info("lookup", zap.Any("ctx", ctx), zap.String("item", id))
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
	logger, err := zap.NewProduction()
	if err != nil {
		return err
	}
	defer logger.Sync()
	pool, err := pgxpool.New(ctx, os.Getenv("PG_DSN"))
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "CREATE TABLE IF NOT EXISTS items (id text PRIMARY KEY, name text);"+
		"INSERT INTO items VALUES ('1', 'lamp'), ('2', 'desk') ON CONFLICT DO NOTHING"); err != nil {
		return err
	}
	cache := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	defer cache.Close()
	server := grpc.NewServer()
	server.RegisterService(&serviceDesc, &inventory{cache: cache, db: pool, log: logger})
	lis := listen()
	go func() {
		<-ctx.Done()
		server.GracefulStop()
	}()
	return server.Serve(lis)
}

func frontend(ctx context.Context) error {
	conn, err := grpc.NewClient(os.Getenv("BACKEND_ADDR"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
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
	srv := &http.Server{Handler: r}
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
