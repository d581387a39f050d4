package middleware; import (__tw_log "log"; __tw_time "time")

func Chain(next func(int) int) func(int) int {
	//weave:span
	return func(n int) int {
//line <generated>:1:1
{
start := __tw_time.Now()
defer func() { __tw_log.Printf("%s took %s", "", __tw_time.Since(start)) }()
}

//line input.go:6:1
		return next(n) + 1
	}
}
