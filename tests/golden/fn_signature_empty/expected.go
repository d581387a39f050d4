package lifecycle; import (__tw_log "log")

func Start() {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Start")
}

//line input.go:4:1
	println("start")
}

func Stop() error {
	return nil
}

func Restart(force bool) {
	Start()
}

func Boot() {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Boot")
}

//line input.go:16:1
	Start()
}
