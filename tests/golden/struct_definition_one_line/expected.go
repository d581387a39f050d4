package shapes

type Point struct{ X, Y int; label string; seen *bool/*line input.go:3:28*/ }

type Origin struct{label string; seen *bool; /*line input.go:5:20*/}

type (
	Pair struct{ A int; B int; label string; seen *bool;/*line input.go:8:28*/ }
	Other struct{ Z int }
)
