package jobs

import "fmt"

func Run(names []string) {
	//weave:span
	work := func(name string) {
		fmt.Println("working on", name)
	}
	var cleanup func()
	//weave:span
	cleanup = func() {
		fmt.Println("done")
	}
	other := func() {}
	for _, n := range names {
		work(n)
	}
	other()
	cleanup()
}
