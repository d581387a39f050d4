package dbtext

import "testing"

func TestModeFromEnvironmentThenBuildDefault(t *testing.T) {
	for _, c := range []struct {
		built, env    string
		envSet        bool
		mode, unknown string
	}{
		{"", "", false, Sanitized, ""},
		{"off", "", false, Off, ""},
		{"RAW ", "", false, Raw, ""},
		{"bogus", "", false, Sanitized, ""},
		{"off", "raw", true, Raw, ""},
		{"off", " Sanitized", true, Sanitized, ""},
		{"off", "", true, Off, ""},
		{"raw", "everything", true, Raw, "everything"},
	} {
		built = Sanitized
		SetDefault(c.built)
		if c.envSet {
			t.Setenv(Env, c.env)
		}
		mode, unknown := Mode()
		if mode != c.mode || unknown != c.unknown {
			t.Errorf("default %q, %s=%q: got (%q, %q), want (%q, %q)", c.built, Env, c.env, mode, unknown, c.mode, c.unknown)
		}
	}
}
