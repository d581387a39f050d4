package jobs

import "fmt"; import (__tw_log "log"; __tw_time "time")

func Run(names []string) {
	//weave:span
	work := func(name string) {
//line <generated>:1:1
{
start := __tw_time.Now()
defer func() { __tw_log.Printf("%s took %s", "", __tw_time.Since(start)) }()
}

//line input.go:8:1
		fmt.Println("working on", name)
	}
	var cleanup func()
	//weave:span
	cleanup = func() {
//line <generated>:1:1
{
start := __tw_time.Now()
defer func() { __tw_log.Printf("%s took %s", "", __tw_time.Since(start)) }()
}

//line input.go:13:1
		fmt.Println("done")
	}
	other := func() {}
	for _, n := range names {
		work(n)
	}
	other()
	cleanup()
}
