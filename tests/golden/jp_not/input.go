package temp

import "fmt"

type Celsius float64

func (c Celsius) String() string {
	return fmt.Sprintf("%.1f°C", float64(c))
}

func (c Celsius) Fahrenheit() float64 {
	return float64(c)*9/5 + 32
}

func Freezing() Celsius {
	return 0
}
