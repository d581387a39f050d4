// Command tool does little.
package main

func main() {}
