package main

type codeError struct{ code int }

func (e *codeError) Error() string { return "code" }

type textError string

func (e textError) Error() string { return string(e) }

func pointerErr() (int, *codeError) { return 0, nil }

func valueOfPointerErr() codeError { return codeError{} } // Error is on *codeError only

func valueErr() (err textError, n int) { return "", 0 }

func plain() (string, int) { return "", 0 }

func main() {
	_, _ = pointerErr()
	_ = valueOfPointerErr()
	_, _ = valueErr()
	_, _ = plain()
}
