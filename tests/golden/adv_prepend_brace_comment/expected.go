package app

func Handle(n int) int {
//line <generated>:1:1
{
println("enter")
}
/*line input.go:3:25*/ // keep this comment
	return n
}
