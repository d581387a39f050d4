package server

func Serve(addr string) error {
//line <generated>:1:1
{
println("second advice")
}

{
println("first advice")
}

//line input.go:4:1
	println("serving", addr)
	return nil
}
