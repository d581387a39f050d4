package calc; import (__tw_log "log")

func helper(i int) int { return i * 2 }

func First(xs []int) int {
	return /*line <generated>:1:1*/func() int {
    defer __tw_log.Print("helper done")
    return /*line input.go:6:9*/helper(xs[0])
//line <generated>:1:1
}()/*line input.go:6:22*/ + 1
}
