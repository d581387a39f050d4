package funcname

import "testing"

func TestShort(t *testing.T) {
	for in, want := range map[string]string{
		"example.com/svc.(*Store).Get.func1": "(*Store).Get.func1",
		"main.main.func2":                    "main.func2",
		"example.com/a/b.worker":             "worker",
		"":                                   "func literal",
	} {
		if got := Short(in); got != want {
			t.Errorf("Short(%q) = %q, want %q", in, got, want)
		}
	}
}

type T struct{}

func (*T) method() string { return Caller(0) }

func TestCaller(t *testing.T) {
	if got := Caller(0); got != "TestCaller" {
		t.Errorf("Caller(0) = %q", got)
	}
	if got := new(T).method(); got != "(*T).method" {
		t.Errorf("Caller(0) in a method = %q", got)
	}
	if got := func() string { return Caller(0) }(); got != "TestCaller.func1" {
		t.Errorf("Caller(0) in a literal = %q", got)
	}
}
