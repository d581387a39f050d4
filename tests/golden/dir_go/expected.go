package pool

import "sync"; import (__tw_log "log"; __tw_time "time")

func Spawn(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		//weave:span
		go func(id int) {
//line <generated>:1:1
{
start := __tw_time.Now()
defer func() { __tw_log.Printf("%s took %s", "", __tw_time.Since(start)) }()
}

//line input.go:11:1
			defer wg.Done()
			_ = id * id
		}(i)
	}
	wg.Wait()
}
