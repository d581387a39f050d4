package lifecycle

func Start() {
	println("start")
}

func Stop() error {
	return nil
}

func Restart(force bool) {
	Start()
}

func Boot() {
	Start()
}
