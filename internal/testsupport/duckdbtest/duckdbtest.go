// Package duckdbtest gives tests a DuckDB connection of their own. It is
// apart from testsupport so that tests which never touch DuckDB do not link
// it.
package duckdbtest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	// Registers the "duckdb" database/sql driver.
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/lake"
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

// CloudTrailRow is the select list of one row of an aws_cloudtrail_log data
// file, in the file's column order and types: vals gives columns as SQL
// expressions (e.g. "event_id": "'e1'"), the others are NULL.
func CloudTrailRow(vals map[string]string) string {
	var sel []string
	for _, col := range lake.CloudTrailLog().FileColumns() {
		v, ok := vals[col.Name]
		if !ok {
			v = "NULL"
		}
		sel = append(sel, fmt.Sprintf("CAST(%s AS %s) AS %s", v, col.Type, col.Name))
	}
	return strings.Join(sel, ", ")
}
