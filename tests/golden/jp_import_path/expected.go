package store; import (__tw_log "log")

type Record struct {
	ID   int
	Name string
}

func Save(r Record) error {
//line <generated>:1:1
{
__tw_log.Printf("saving record %d", r.ID)
}

//line input.go:9:1
	_ = r
	return nil
}
