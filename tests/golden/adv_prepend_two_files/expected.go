package server

func Serve(addr string) error {
//line <generated>:1:1
{
println("second file, order 1")
}

{
println("first file, order 1")
}

{
println("second file, order 0")
}

{
println("first file, order 0")
}

//line input.go:4:1
	println("serving", addr)
	return nil
}
