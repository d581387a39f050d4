package temp

import "fmt"; import (__tw_log "log")

type Celsius float64

func (c Celsius) String() string {
	return fmt.Sprintf("%.1f°C", float64(c))
}

func (c Celsius) Fahrenheit() float64 {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Fahrenheit")
}

//line input.go:12:1
	return float64(c)*9/5 + 32
}

func Freezing() Celsius {
	return 0
}
