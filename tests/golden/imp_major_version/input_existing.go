package runner

import (
	"example.com/otelx/v2"
)

type T struct{}

func (T) Run() {
	otelx.Mark("manual")
}
