package main

type codeError struct{ code int }

func (e *codeError) Error() string { return "code" }

type textError string

func (e textError) Error() string { return string(e) }

func pointerErr() (__tw_res0 /*line input.go:11:20*/int, __tw_res1 /*line input.go:11:25*/*codeError) {
//line <generated>:1:1
{
println("final error result:", "__tw_res1")
}

{
println("error result:", "__tw_res1")
}
/*line input.go:11:38*/ return 0, nil }

func valueOfPointerErr() codeError { return codeError{} } // Error is on *codeError only

func valueErr() (err textError, n int) {
//line <generated>:1:1
{
println("error result:", "err")
}
/*line input.go:15:41*/ return "", 0 }

func plain() (string, int) { return "", 0 }

func main() {
	_, _ = pointerErr()
	_ = valueOfPointerErr()
	_, _ = valueErr()
	_, _ = plain()
}
