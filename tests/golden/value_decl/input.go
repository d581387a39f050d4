package timing

import "time"

var Timeout time.Duration

var Grace = 2 * time.Second

var Read, Write time.Duration

var Count int

const Step time.Duration = time.Millisecond

func Wait() time.Duration {
	var extra time.Duration
	var n int = 2
	return extra * time.Duration(n)
}
