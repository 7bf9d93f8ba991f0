package pgemu

// data.go is read from a PostgreSQL 15 server; see internal/gendata for how
// to run one. PGEMU_DSN names it.
//go:generate go run ./internal/gendata -o data.go
