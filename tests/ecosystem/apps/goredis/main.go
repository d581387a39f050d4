// Command goredisapp is an unmodified go-redis program for toolweave's go-redis integration
// test. Given the addresses of a plain Redis server, a one-node Redis Cluster and a Sentinel
// that watches the plain server (master name "mymaster"), it runs a few commands through
// each kind of client, each kind from its own //weave:span function, and a client it
// instruments itself with redisotel. Then it exits.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
)

var plainAddr, clusterAddr, sentinelAddr = os.Getenv("REDIS_ADDR"), os.Getenv("REDIS_CLUSTER_ADDR"), os.Getenv("REDIS_SENTINEL_ADDR")

func commands(ctx context.Context, rdb redis.UniversalClient, key string) error {
	if err := rdb.Set(ctx, key, "v", 0).Err(); err != nil {
		return err
	}
	if err := rdb.Get(ctx, key).Err(); err != nil {
		return err
	}
	pipe := rdb.Pipeline()
	pipe.Incr(ctx, key+":n")
	pipe.Incr(ctx, key+":n")
	_, err := pipe.Exec(ctx)
	return err
}

//weave:span
func plain(ctx context.Context) error {
	rdb := redis.NewClient(&redis.Options{Addr: plainAddr})
	defer rdb.Close()
	return commands(ctx, rdb, "plain")
}

//weave:span
func cluster(ctx context.Context) error {
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{clusterAddr}})
	defer rdb.Close()
	return commands(ctx, rdb, "cluster")
}

//weave:span
func ring(ctx context.Context) error {
	rdb := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"one": plainAddr}})
	defer rdb.Close()
	return commands(ctx, rdb, "ring")
}

//weave:span
func failover(ctx context.Context) error {
	rdb := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: "mymaster", SentinelAddrs: []string{sentinelAddr}})
	defer rdb.Close()
	return commands(ctx, rdb, "failover")
}

//weave:span
func universal(ctx context.Context) error {
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{plainAddr}})
	defer rdb.Close()
	return commands(ctx, rdb, "universal")
}

//weave:span
func instrumented(ctx context.Context) error {
	rdb := redis.NewClient(&redis.Options{Addr: plainAddr})
	defer rdb.Close()
	if err := redisotel.InstrumentTracing(rdb); err != nil {
		return err
	}
	if err := redisotel.InstrumentMetrics(rdb); err != nil {
		return err
	}
	return commands(ctx, rdb, "instrumented")
}

func main() {
	ctx := context.Background()
	for name, run := range map[string]func(context.Context) error{
		"plain": plain, "cluster": cluster, "ring": ring, "failover": failover, "universal": universal,
		"instrumented": instrumented,
	} {
		if err := run(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
	}
	fmt.Println("ok")
}
