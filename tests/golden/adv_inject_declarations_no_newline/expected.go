package tiny

func F() {}
//line <generated>:1:1

const Woven = true
