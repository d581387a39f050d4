package pool

import "sync"

func Spawn(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		//weave:span
		go func(id int) {
			defer wg.Done()
			_ = id * id
		}(i)
	}
	wg.Wait()
}
