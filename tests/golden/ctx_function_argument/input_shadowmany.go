package handlers

import "log"

type Shadow struct{}

// A parameter tree-sitter-go splits off (the first of ten names) still hides the import.
func (Shadow) Handle(log, a1, a2, a3, a4, a5, a6, a7, a8, a9 int, _ bool) int {
	return log + a9
}

var _ = log.Println
