package client

import "time"

// DefaultTimeout bounds every request.
var DefaultTimeout = 5 * time.Second

var (
	MaxRetries   = 3
	RetryBackoff time.Duration
)

func Timeout(override time.Duration) time.Duration {
	DefaultTimeout := override
	if DefaultTimeout == 0 {
		return time.Duration(MaxRetries) * RetryBackoff
	}
	return DefaultTimeout
}
