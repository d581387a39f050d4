package results

import "errors"; import (__tw_log "log")

func Named() (n int, err error) {
//line <generated>:1:1
{
defer func() { __tw_log.Printf("result0=%v", n) }()
}

//line input.go:6:1
	return 1, nil
}

func Unnamed() (__tw_res0 /*line input.go:9:17*/int, __tw_res1 /*line input.go:9:22*/error) {
//line <generated>:1:1
{
defer func() { __tw_log.Printf("result0=%v", __tw_res0) }()
}

//line input.go:10:1
	return 2, nil
}

func Bare() (__tw_res0 /*line input.go:13:13*/error)/*line input.go:13:18*/ {
//line <generated>:1:1
{
defer func() { __tw_log.Printf("result0=%v", __tw_res0) }()
}

//line input.go:14:1
	return errors.New("bare")
}

func Blank() (__tw_res0/*line input.go:17:16*/ int, err error) {
//line <generated>:1:1
{
defer func() { __tw_log.Printf("result0=%v", __tw_res0) }()
}

//line input.go:18:1
	return 3, err
}
