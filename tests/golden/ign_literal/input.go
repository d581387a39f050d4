package env

import "os"

func Hooks() []func() string {
	return []func() string{
		//weave:ignore
		func() string { return os.Getenv("A") },
		func() string { return os.Getenv("B") },
	}
}
