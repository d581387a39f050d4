package timing

import "time"

var Timeout time.Duration = 5 * time.Second

var Grace = 5 * time.Second

var Read, Write time.Duration = 5 * time.Second, 5 * time.Second

var Count int

const Step time.Duration = 5 * time.Second

func Wait() time.Duration {
	var extra time.Duration = 5 * time.Second
	var n int = 2
	return extra * time.Duration(n)
}
