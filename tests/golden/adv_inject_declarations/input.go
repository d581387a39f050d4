package jobs

var all []string

func Register(name string) {
	all = append(all, name)
}

func init() {
	Register("cleanup")
	Register("report")
}
