package hooks

import "fmt"

//weave:span
var OnStart = func(name string) {
	fmt.Println("starting", name)
}

var (
	//weave:span
	OnStop = func() { fmt.Println("stopping") }
	OnIdle = func() {}
)
