package app

func Handle(fmt string) string {
	return fmt + "!"
}
