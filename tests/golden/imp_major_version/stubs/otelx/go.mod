module example.com/otelx/v2

go 1.22
