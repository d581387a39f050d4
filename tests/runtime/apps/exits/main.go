// exits ends the program the ways that skip deferred calls: os.Exit and log.Fatal*. Each
// path emits a span first; woven, none of them may lose it.
package main

import (
	"context"
	"log"
	"os"
)

func main() {
	log.SetFlags(log.Lshortfile)
	log.SetPrefix("exits: ")
	work(context.Background())
	switch os.Getenv("EXIT_PATH") {
	case "exit":
		os.Exit(3)
	case "fatal":
		log.Fatal("fatal", 1)
	case "fatalf":
		log.Fatalf("fatal %d", 2)
	case "fatalln":
		log.Fatalln("fatal", 3)
	}
}

//weave:span
func work(ctx context.Context) {}
