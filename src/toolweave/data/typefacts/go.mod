module toolweave.dev/typefacts

go 1.22
