package app; import (__tw_fmt "fmt")

func Handle(fmt string) string {
//line <generated>:1:1
{
__tw_fmt.Println("enter Handle")
}

//line input.go:4:1
	return fmt + "!"
}
