package server

func Serve(addr string) error {
	println("serving", addr)
	return nil
}
