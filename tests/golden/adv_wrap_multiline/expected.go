package calc; import (__tw_log "log")

func helper(i int) int { return i * 2 }

func First(xs []int) int {
	return func() int {
//line <generated>:2:1
    defer __tw_log.Print("helper done")
//line input.go:6:1
    return /*line input.go:6:9*/helper(xs[0])
//line input.go:6:1
}()/*line input.go:6:22*/ + 1
}
