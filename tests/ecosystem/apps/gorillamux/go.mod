module example.com/gorillamuxapp

go 1.22

require github.com/gorilla/mux v1.8.0
