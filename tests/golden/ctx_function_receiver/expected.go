package queue

type Queue struct {
	items []int
	calls int
}

func (q *Queue) Push(v int) {
//line <generated>:1:1
{
q.calls++
}

//line input.go:9:1
	q.items = append(q.items, v)
}

func (__tw_recv /*line input.go:12:7*/*Queue) Name() string {
//line <generated>:1:1
{
__tw_recv.calls++
}

//line input.go:13:1
	return "queue"
}

func (__tw_recv/*line input.go:16:8*/ *Queue) Kind() string {
//line <generated>:1:1
{
__tw_recv.calls++
}

//line input.go:17:1
	return "fifo"
}
