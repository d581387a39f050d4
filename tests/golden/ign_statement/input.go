package env

import "os"

func Lookup() []string {
	//weave:ignore
	first := os.Getenv("FIRST")
	second := os.Getenv("SECOND")
	//orchestrion:ignore
	third := os.Getenv("THIRD")
	return []string{first, second, third, os.Getenv("FOURTH")}
}
