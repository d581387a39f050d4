module toolweave.dev/bench/loadgen

go 1.25
