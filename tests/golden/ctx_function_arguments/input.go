package args

func Named(id int, tags ...string) {}

func Unnamed(int, string) {}

func Blank(_ int, name string) {}
