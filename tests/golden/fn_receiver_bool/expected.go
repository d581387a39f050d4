package counter; import (__tw_log "log")

type Counter struct{ n int }

func (c *Counter) Inc() {
//line <generated>:1:1
{
__tw_log.Print("method")
}

//line input.go:6:1
	c.n++
}

func New() *Counter {
//line <generated>:1:1
{
__tw_log.Print("function")
}

//line input.go:10:1
	reset := func(c *Counter) {
//line <generated>:1:1
{
__tw_log.Print("function")
}

//line input.go:11:1
		c.n = 0
	}
	c := &Counter{}
	reset(c)
	return c
}
