package readers

import "io"; import (__tw_strings "strings")

func Join(rs []io.Reader) io.Reader {
	return io.MultiReader(append(append([]io.Reader{}, /*line input.go:6:24*/rs...), __tw_strings.NewReader("\n"))/*line input.go:6:26*/...)
}

func Two(a, b io.Reader) io.Reader {
	return io.MultiReader(a, b, __tw_strings.NewReader("\n")/*line input.go:10:28*/)
}
