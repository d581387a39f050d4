package args; import (__tw_fmt "fmt")

func Named(id int, tags ...string) {
//line <generated>:1:1
{

__tw_fmt.Println("id", "int", id)
__tw_fmt.Println("tags", "...string", tags)
}
/*line input.go:3:37*/}

func Unnamed(__tw_arg0 /*line input.go:5:14*/int, __tw_arg1 /*line input.go:5:19*/string) {
//line <generated>:1:1
{

__tw_fmt.Println("__tw_arg0", "int", __tw_arg0)
__tw_fmt.Println("__tw_arg1", "string", __tw_arg1)
}
/*line input.go:5:28*/}

func Blank(__tw_arg0/*line input.go:7:13*/ int, name string) {
//line <generated>:1:1
{

__tw_fmt.Println("__tw_arg0", "int", __tw_arg0)
__tw_fmt.Println("name", "string", name)
}
/*line input.go:7:33*/}
