package cart; import (__tw_log "log")

type Cart struct {
	items []string
}

func (c *Cart) Add(item string) {
	c.items = append(c.items, item)
}

func (c Cart) Len() int {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Len")
}

//line input.go:12:1
	return len(c.items)
}

func (*Cart) Kind() string {
	return "cart"
}

type Wishlist struct{}

func (w *Wishlist) Add(item string) {}

func New() *Cart {
	return &Cart{}
}
