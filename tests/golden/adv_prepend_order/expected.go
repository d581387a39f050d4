package server

func Serve(addr string) error {
//line <generated>:1:1
{
println("e (no namespace, defined last)")
}

{
println("a (no namespace, order 0)")
}

{
println("b (namespace b, order 10)")
}

{
println("c (namespace b, order -5)")
}

{
println("d (namespace a)")
}

//line input.go:4:1
	println("serving", addr)
	return nil
}
