package runner

func Run() {}
