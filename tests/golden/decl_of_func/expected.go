package version; import (__tw_os "os")

const base = "1.2.3"

// Current reports the running version.
func Current() string {
//line <generated>:1:1
{
if override := __tw_os.Getenv("APP_VERSION"); override != "" {
    return override
}
}

//line input.go:7:1
	return base
}

type Info struct{}

// Current is a method, not the package-level function.
func (Info) Current() string {
	return base
}
