package cart; import (__tw_log "log")

type Cart struct {
	items []string
}

func (c *Cart) Add(item string) {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Add")
}

//line input.go:8:1
	c.items = append(c.items, item)
}

func (c Cart) Len() int {
	return len(c.items)
}

func (*Cart) Kind() string {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Kind")
}

//line input.go:16:1
	return "cart"
}

type Wishlist struct{}

func (w *Wishlist) Add(item string) {}

func New() *Cart {
	return &Cart{}
}
