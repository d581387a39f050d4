module example.com/zapapp

go 1.24

require go.uber.org/zap v1.28.0

require go.uber.org/multierr v1.10.0 // indirect
