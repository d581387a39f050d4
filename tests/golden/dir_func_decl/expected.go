package orders

import "errors"; import (__tw_log "log"; __tw_time "time")

//weave:span
func Place(qty int) error {
//line <generated>:1:1
{
start := __tw_time.Now()
defer func() { __tw_log.Printf("%s took %s", "Place", __tw_time.Since(start)) }()
}

//line input.go:7:1
	if qty <= 0 {
		return errors.New("nothing to order")
	}
	return nil
}

// Cancel has a doc comment and the directive after it.
//
//weave:span reason:user
func Cancel(id string) bool {
//line <generated>:1:1
{
start := __tw_time.Now()
defer func() { __tw_log.Printf("%s took %s", "Cancel", __tw_time.Since(start)) }()
}

//line input.go:17:1
	return id != ""
}

// List is not traced.
func List() []string {
	return nil
}
