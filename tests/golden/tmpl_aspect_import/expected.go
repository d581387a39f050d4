package main; import (__tw_strconv "strconv")

func handle(n int) int {
//line <generated>:1:1
{
println("n = " + __tw_strconv.Itoa(n))
}

{
println("entered with " + __tw_strconv.Itoa(1))
}
/*line input.go:3:25*/ return n * 2 }

func main() { println(handle(21)) }
