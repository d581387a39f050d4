package checkout

//weave:span name:"checkout cart" kind:server quoted:'single quoted' bare empty:
func Pay(amount int) bool {
	return amount > 0
}

//weave:span
func Refund() {}
