package runner

import (
	"example.com/otelx/v2"
)

type T struct{}

func (T) Run() {
//line <generated>:1:1
{
otelx.Mark("Run")
}

//line input_existing.go:10:1
	otelx.Mark("manual")
}
