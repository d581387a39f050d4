package quiet

// weave:span (a space after // makes it a comment, not a directive)
func A() {}

//weave:spanner
func B() {}

/*weave:span*/
func C() {}

//weave:span

func D() {}

func E() {} //weave:span

func F() {}
