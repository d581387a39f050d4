package env

import "os"

//weave:ignore
func A() string {
	return os.Getenv("A")
}

//orchestrion:ignore
func B() string {
	return os.Getenv("B")
}
