package hooks

import "fmt"; import (__tw_log "log"; __tw_time "time")

//weave:span
var OnStart = func(name string) {
//line <generated>:1:1
{
start := __tw_time.Now()
defer func() { __tw_log.Printf("%s took %s", "", __tw_time.Since(start)) }()
}

//line input.go:7:1
	fmt.Println("starting", name)
}

var (
	//weave:span
	OnStop = func() {
//line <generated>:1:1
{
start := __tw_time.Now()
defer func() { __tw_log.Printf("%s took %s", "", __tw_time.Since(start)) }()
}
/*line input.go:12:19*/ fmt.Println("stopping") }
	OnIdle = func() {}
)
