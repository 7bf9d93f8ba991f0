package main

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"
)

// TestDataIsCurrent regenerates data.go from the PostgreSQL 15 server that
// PGEMU_DSN names and checks the checked-in file says the same; it skips
// without a server.
func TestDataIsCurrent(t *testing.T) {
	dsn := os.Getenv("PGEMU_DSN")
	if dsn == "" {
		t.Skip("PGEMU_DSN names no PostgreSQL 15 server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	got, err := generate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../data.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("data.go is not what gendata makes from this server: run go generate ./catalog/pgemu")
	}
}
