package model

import "time"; import (__tw_tracer "example.com/tracer")

// User is a stored user.
type User struct {
	ID      int
	Created time.Time
//line <generated>:1:1
span *__tw_tracer.Span
loadedAt time.Time
attrs []string
//line input.go:9:1
}

type Users []User

type Group struct{}

func NewUser(id int) *User {
	type User struct{ local bool }
	_ = User{}
	return nil
}
