package readers

import "io"

func Join(rs []io.Reader) io.Reader {
	return io.MultiReader(rs...)
}

func Two(a, b io.Reader) io.Reader {
	return io.MultiReader(a, b)
}
