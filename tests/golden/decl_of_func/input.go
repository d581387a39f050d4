package version

const base = "1.2.3"

// Current reports the running version.
func Current() string {
	return base
}

type Info struct{}

// Current is a method, not the package-level function.
func (Info) Current() string {
	return base
}
