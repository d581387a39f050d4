package ledger

func audit(n int) int { return n }

func Total(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	//weave:audit
	return total
}
