package model

import "time"

// User is a stored user.
type User struct {
	ID      int
	Created time.Time
}

type Users []User

type Group struct{}

func NewUser(id int) *User {
	type User struct{ local bool }
	_ = User{}
	return nil
}
