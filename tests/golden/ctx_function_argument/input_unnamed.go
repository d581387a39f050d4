package handlers

type Unnamed struct{}

func (Unnamed) Handle(int, string) {
}
