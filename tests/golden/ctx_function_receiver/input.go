package queue

type Queue struct {
	items []int
	calls int
}

func (q *Queue) Push(v int) {
	q.items = append(q.items, v)
}

func (*Queue) Name() string {
	return "queue"
}

func (_ *Queue) Kind() string {
	return "fifo"
}
