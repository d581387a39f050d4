package client

import "time"

var DefaultTimeout = 5 * time.Second
