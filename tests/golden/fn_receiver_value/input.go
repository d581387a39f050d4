package cart

type Cart struct {
	items []string
}

func (c *Cart) Add(item string) {
	c.items = append(c.items, item)
}

func (c Cart) Len() int {
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
