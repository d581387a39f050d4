module templateref

go 1.22
