package empty

import "example.com/tracer"

type Marker struct{}

var _ = tracer.Span{}
