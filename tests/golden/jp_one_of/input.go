package kv

var data = map[string]string{}

func Get(key string) string {
	return data[key]
}

func Put(key, value string) {
	data[key] = value
}

func Delete(key string) {
	delete(data, key)
}
