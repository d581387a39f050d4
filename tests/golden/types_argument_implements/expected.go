package main

import (
	"io"
	"strings"
)

type MyReader = io.Reader

type ptrReader struct{}

func (*ptrReader) Read(p []byte) (int, error) { return 0, io.EOF }

type valueReader struct{}

func (valueReader) Read(p []byte) (int, error) { return 0, io.EOF }

func fromStrings(label string, r *strings.Reader) {
//line <generated>:1:1
{
println("reader:", "r")
}
/*line input.go:18:52*/}

func fromReadCloser(rc io.ReadCloser) {
//line <generated>:1:1
{
println("reader:", "rc")
}
/*line input.go:20:40*/}

func fromAlias(m MyReader) {
//line <generated>:1:1
{
println("reader:", "m")
}
/*line input.go:22:29*/}

func fromPointer(p *ptrReader) {
//line <generated>:1:1
{
println("reader:", "p")
}
/*line input.go:24:33*/}

func fromValue(v ptrReader) {} // ptrReader's method set lacks Read: not a reader

func fromValueMethods(n int, v valueReader) {
//line <generated>:1:1
{
println("reader:", "v")
}
/*line input.go:28:46*/}

func fromWriter(w io.Writer) {}

func main() {
	fromStrings("s", strings.NewReader(""))
	fromReadCloser(io.NopCloser(strings.NewReader("")))
	fromAlias(strings.NewReader(""))
	fromPointer(&ptrReader{})
	fromValue(ptrReader{})
	fromValueMethods(1, valueReader{})
	fromWriter(io.Discard)
}
