package tiny

func F() {}