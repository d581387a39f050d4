package app

import "sync"

func Fan(work []int, f func(int)) {
	var wg sync.WaitGroup
	for _, w := range work {
		wg.Add(1)
		go func() { defer wg.Done(); f(w) }()
	}
	switch len(work) {
	case 0:
		go println("none") // a builtin: the go statement itself is left as written
	default:
	again:
		go f(len(work))
		if len(work) > 100 {
			work = work[1:]
			goto again
		}
	}
	wg.Wait()
	defer func() { go f(0) }()
}
