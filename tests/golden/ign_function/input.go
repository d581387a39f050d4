package env

import "os"

//weave:ignore
func A() string {
	return os.Getenv("A")
}

// B is skipped too.
//orchestrion:ignore because it is hot
func B() string {
	return os.Getenv("B")
}

//weave:ignored is not the directive
func C() string {
	return os.Getenv("C")
}
