module example.com/gmp-tutor-examples

go 1.22
