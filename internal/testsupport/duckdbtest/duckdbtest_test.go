package duckdbtest

import (
	"context"
	"testing"
)

func TestConnIsPrivate(t *testing.T) {
	a, b := Conn(t), Conn(t)
	ctx := context.Background()
	if _, err := a.ExecContext(ctx, "CREATE TABLE only_in_a AS SELECT 42 AS v"); err != nil {
		t.Fatal(err)
	}
	var v int
	if err := a.QueryRowContext(ctx, "SELECT v FROM only_in_a").Scan(&v); err != nil || v != 42 {
		t.Fatalf("a: %d, %v", v, err)
	}
	if _, err := b.ExecContext(ctx, "SELECT v FROM only_in_a"); err == nil {
		t.Fatal("a second connection sees the first one's database")
	}
}
