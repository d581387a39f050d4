package names; import (__tw_log "log")

type Acc struct{ total int }

func (a *Acc) Add(n int) {
//line <generated>:1:1
{
__tw_log.Printf("func=%q", "Add")
}

//line input.go:6:1
	a.total += n
}

func Sum(xs []int) int {
	var a Acc
	each := func(n int) {
//line <generated>:1:1
{
__tw_log.Printf("func=%q", "")
}
/*line input.go:11:23*/ a.Add(n) }
	for _, x := range xs {
		each(x)
	}
	return a.total
}
