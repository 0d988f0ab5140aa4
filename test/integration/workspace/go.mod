module example.com/gmptests

go 1.22
