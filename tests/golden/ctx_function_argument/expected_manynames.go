package handlers; import (__tw_log "log")

type Many struct{}

// tree-sitter-go splits a declaration of more than nine names (trap and nargs come out as
// type-only declarations); they are names, and the blank one is named without touching them.
func (Many) Handle(trap, nargs, a1, a2, a3, a4, a5, a6, a7, a8, a9 uintptr, __tw_arg11/*line input_manynames.go:7:78*/ bool) uintptr {
//line <generated>:1:1
{
__tw_log.Printf("arg0=%v arg1=%v", trap, nargs)
}

//line input_manynames.go:8:1
	return trap + nargs + a9
}
