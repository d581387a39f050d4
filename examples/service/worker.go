package main

import (
	"context"
	"log"
	"time"
)

// runWorker reports the number of stored items every interval until ctx is done.
func runWorker(ctx context.Context, store *Store, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := tick(ctx, store); err != nil {
				log.Printf("worker: %v", err)
			}
		}
	}
}

// tick is one round of background work.
//
//weave:span span.name:worker.tick
//weave:log
func tick(ctx context.Context, store *Store) error {
	n, err := store.Count(ctx)
	if err != nil {
		return err
	}
	log.Printf("worker: %d items", n)
	return nil
}
