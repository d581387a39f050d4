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

func fromStrings(label string, r *strings.Reader) {}

func fromReadCloser(rc io.ReadCloser) {}

func fromAlias(m MyReader) {}

func fromPointer(p *ptrReader) {}

func fromValue(v ptrReader) {} // ptrReader's method set lacks Read: not a reader

func fromValueMethods(n int, v valueReader) {}

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
