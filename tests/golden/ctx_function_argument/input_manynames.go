package handlers

type Many struct{}

// tree-sitter-go splits a declaration of more than nine names (trap and nargs come out as
// type-only declarations); they are names, and the blank one is named without touching them.
func (Many) Handle(trap, nargs, a1, a2, a3, a4, a5, a6, a7, a8, a9 uintptr, _ bool) uintptr {
	return trap + nargs + a9
}
