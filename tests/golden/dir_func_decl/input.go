package orders

import "errors"

//weave:span
func Place(qty int) error {
	if qty <= 0 {
		return errors.New("nothing to order")
	}
	return nil
}

// Cancel has a doc comment and the directive after it.
//
//weave:span reason:user
func Cancel(id string) bool {
	return id != ""
}

// List is not traced.
func List() []string {
	return nil
}
