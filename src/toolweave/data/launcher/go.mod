module toolweave.dev/launcher

go 1.22
