package main

func main() {}
//line <generated>:1:1

const wovenBy = "toolweave 0.1.0"
