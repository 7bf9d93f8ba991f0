// Package duckdbtest gives tests a DuckDB connection of their own. It is
// apart from testsupport so that tests which never touch DuckDB do not link
// it.
package duckdbtest

import (
	"context"
	"database/sql"
	"testing"

	// Registers the "duckdb" database/sql driver.
	_ "github.com/duckdb/duckdb-go/v2"
)

// Conn returns a connection to a fresh in-memory DuckDB database; both are
// closed when the test ends.
func Conn(t testing.TB) *sql.Conn {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
