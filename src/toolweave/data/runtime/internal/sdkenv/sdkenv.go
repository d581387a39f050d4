// Package sdkenv reads the process-wide OpenTelemetry switches that every part of the
// runtime must agree on.
package sdkenv

import (
	"os"
	"strings"
)

// Disabled reports OTEL_SDK_DISABLED=true (case-insensitive, surrounding blanks ignored, as
// the specification says). contrib's autoexport does not read it, so we must.
func Disabled() bool {
	return strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED")), "true")
}
