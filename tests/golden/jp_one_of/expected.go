package kv; import (__tw_log "log")

var data = map[string]string{}

func Get(key string) string {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Get")
}

//line input.go:6:1
	return data[key]
}

func Put(key, value string) {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Put")
}

//line input.go:10:1
	data[key] = value
}

func Delete(key string) {
	delete(data, key)
}
