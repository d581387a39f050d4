package checkout; import (__tw_log "log")

//weave:span name:"checkout cart" kind:server quoted:'single quoted' bare empty:
func Pay(amount int) bool {
//line <generated>:1:1
{
attrs := map[string]string{}
attrs["name"] = "checkout cart"
attrs["kind"] = "server"
attrs["quoted"] = "single quoted"
attrs["bare"] = ""
attrs["empty"] = ""
__tw_log.Print(attrs)
}

//line input.go:5:1
	return amount > 0
}

//weave:span
func Refund() {
//line <generated>:1:1
{
attrs := map[string]string{}
__tw_log.Print(attrs)
}
/*line input.go:9:16*/}
