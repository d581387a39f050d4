package files

func open(name string) (int, error) { return len(name), nil }

func checkedOpen(name string) (int, error) {
	if name == "" {
		return -1, nil
	}
	return open(name)
}

func Load(name string) int {
	fd, _ := open(name)
	return fd
}
