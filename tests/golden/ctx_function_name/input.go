package names

type Acc struct{ total int }

func (a *Acc) Add(n int) {
	a.total += n
}

func Sum(xs []int) int {
	var a Acc
	each := func(n int) { a.Add(n) }
	for _, x := range xs {
		each(x)
	}
	return a.total
}
