package app

import "sync"

func Fan(work []int, f func(int)) {
	var wg sync.WaitGroup
	for _, w := range work {
		wg.Add(1)
		{
//line <generated>:2:1
println("starting")
}
/*line input.go:9:3*/go func() { defer wg.Done(); f(w) }()
	}
	switch len(work) {
	case 0:
		{
//line <generated>:2:1
println("starting")
}
/*line input.go:13:3*/go println("none") // a builtin: the go statement itself is left as written
	default:
	again:
		{
//line <generated>:2:1
println("starting")
}
/*line input.go:16:3*/go f(len(work))
		if len(work) > 100 {
			work = work[1:]
			goto again
		}
	}
	wg.Wait()
	defer func() { {
//line <generated>:2:1
println("starting")
}
/*line input.go:23:17*/go f(0) }()
}
