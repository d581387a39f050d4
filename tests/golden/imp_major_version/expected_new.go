package runner; import (__tw_otelx "example.com/otelx/v2")

func Run() {
//line <generated>:1:1
{
__tw_otelx.Mark("Run")
}
/*line input_new.go:3:13*/}
