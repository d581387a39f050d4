package flush

import "fmt"; import (__tw_log "log"; __tw_time "time")

func Write(lines []string) {
	//weave:span
	defer func() {
//line <generated>:1:1
{
start := __tw_time.Now()
defer func() { __tw_log.Printf("%s took %s", "", __tw_time.Since(start)) }()
}

//line input.go:8:1
		fmt.Println("flushed", len(lines), "lines")
	}()
	for _, l := range lines {
		fmt.Println(l)
	}
}
