// Command tool does little.
package main; import (_ "image/png")

func main() {}
