package store

type Record struct {
	ID   int
	Name string
}

func Save(r Record) error {
	_ = r
	return nil
}
