package main; import (__tw_fmt "fmt")

func describe() string {
//line <generated>:1:1
{
__tw_fmt.Println("describe")
}
/*line input.go:3:25*/ return "shape" }

func main() { _ = describe() }

// The file ends with a type declaration and no newline: valid Go.
type Shape struct{ Sides int }
