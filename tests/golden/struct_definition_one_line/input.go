package shapes

type Point struct{ X, Y int }

type Origin struct{}

type (
	Pair struct{ A int; B int; }
	Other struct{ Z int }
)
