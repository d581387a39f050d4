package flush

import "fmt"

func Write(lines []string) {
	//weave:span
	defer func() {
		fmt.Println("flushed", len(lines), "lines")
	}()
	for _, l := range lines {
		fmt.Println(l)
	}
}
