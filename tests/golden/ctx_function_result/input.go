package results

import "errors"

func Named() (n int, err error) {
	return 1, nil
}

func Unnamed() (int, error) {
	return 2, nil
}

func Bare() error {
	return errors.New("bare")
}

func Blank() (_ int, err error) {
	return 3, err
}
