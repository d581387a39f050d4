package app

func Handle(n int) int { // keep this comment
	return n
}
