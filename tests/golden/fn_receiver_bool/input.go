package counter

type Counter struct{ n int }

func (c *Counter) Inc() {
	c.n++
}

func New() *Counter {
	reset := func(c *Counter) {
		c.n = 0
	}
	c := &Counter{}
	reset(c)
	return c
}
