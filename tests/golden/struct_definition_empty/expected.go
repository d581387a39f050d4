package empty

import "example.com/tracer"

type Marker struct{Trace *tracer.Span; /*line input.go:5:20*/}

var _ = tracer.Span{}
