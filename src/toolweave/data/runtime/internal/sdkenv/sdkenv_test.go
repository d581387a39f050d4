package sdkenv

import "testing"

func TestDisabled(t *testing.T) {
	for value, want := range map[string]bool{"": false, "true": true, " TRUE ": true, "True": true, "1": false, "false": false, "yes": false} {
		t.Setenv("OTEL_SDK_DISABLED", value)
		if got := Disabled(); got != want {
			t.Errorf("OTEL_SDK_DISABLED=%q: Disabled() = %v, want %v", value, got, want)
		}
	}
}
