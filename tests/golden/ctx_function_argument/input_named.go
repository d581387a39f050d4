package handlers

func Handle(id int, name string) {
	println(id, name)
}
