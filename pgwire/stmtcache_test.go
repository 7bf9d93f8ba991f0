package pgwire

import (
	"context"
	"database/sql"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// columnsOf runs q with the extended protocol's Parse/Describe (pgx's
// describe-exec mode prepares the text anew every time) and returns the
// result column names.
func columnsOf(t *testing.T, conn *pgx.Conn, q string) string {
	t.Helper()
	rows, err := conn.Query(context.Background(), q, pgx.QueryExecModeDescribeExec)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var names []string
	for _, f := range rows.FieldDescriptions() {
		names = append(names, f.Name)
	}
	for rows.Next() {
		if n := len(rows.RawValues()); n != len(names) {
			t.Fatalf("%s: a row of %d values under %d columns", q, n, len(names))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return strings.Join(names, ",")
}

// TestStatementCacheFollowsSchema checks that remembered statement
// descriptions never outlive the schema they describe: a table altered or
// replaced by any session, a temporary table that shadows another in one
// session only, and a transaction that changed the schema.
func TestStatementCacheFollowsSchema(t *testing.T) {
	ts := startServer(t)
	a := connectPgx(t, ts, pgx.QueryExecModeDescribeExec)
	b := connectPgx(t, ts, pgx.QueryExecModeDescribeExec)
	ctx := context.Background()
	exec := func(conn *pgx.Conn, q string) {
		t.Helper()
		if _, err := conn.Exec(ctx, q, pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	const q = "SELECT * FROM cached_t"
	exec(a, "CREATE TABLE cached_t (x INTEGER)")
	exec(a, "INSERT INTO cached_t VALUES (1)")
	if got := columnsOf(t, a, q); got != "x" {
		t.Fatalf("before ALTER: %s", got)
	}
	if got := columnsOf(t, b, q); got != "x" {
		t.Fatalf("other session: %s", got)
	}
	exec(b, "ALTER TABLE cached_t ADD COLUMN y VARCHAR")
	if got := columnsOf(t, a, q); got != "x,y" {
		t.Errorf("after ALTER in another session: %s, want x,y", got)
	}
	exec(b, "CREATE OR REPLACE TABLE cached_t AS SELECT 1 AS z")
	if got := columnsOf(t, a, q); got != "z" {
		t.Errorf("after CREATE OR REPLACE: %s, want z", got)
	}

	// A temporary table shadows cached_t for its session only.
	exec(b, "CREATE TEMP TABLE cached_t (temp_col INTEGER)")
	if got := columnsOf(t, b, q); got != "temp_col" {
		t.Errorf("session with the temporary table: %s, want temp_col", got)
	}
	if got := columnsOf(t, a, q); got != "z" {
		t.Errorf("other session after a temporary table: %s, want z", got)
	}
	if got := columnsOf(t, b, q); got != "temp_col" {
		t.Errorf("session with the temporary table, again: %s, want temp_col", got)
	}

	// Inside a block that changed the schema, the session sees its change;
	// the others see the committed schema until COMMIT.
	exec(a, "BEGIN")
	exec(a, "ALTER TABLE cached_t ADD COLUMN w INTEGER")
	if got := columnsOf(t, a, q); got != "z,w" {
		t.Errorf("in the altering transaction: %s, want z,w", got)
	}
	c := connectPgx(t, ts, pgx.QueryExecModeDescribeExec)
	if got := columnsOf(t, c, q); got != "z" {
		t.Errorf("another session before COMMIT: %s, want z", got)
	}
	exec(a, "COMMIT")
	if got := columnsOf(t, c, q); got != "z,w" {
		t.Errorf("another session after COMMIT: %s, want z,w", got)
	}
}

// countingBackend counts DuckDB prepares through the translator hook, which
// runs once per statement pgwire prepares with DuckDB.
type countingBackend struct {
	testBackend
	translations atomic.Int64
}

func (b *countingBackend) TranslateSQL(sql string) string {
	b.translations.Add(1)
	return sql
}

// TestStatementCacheReuses checks that a text prepared again (by any
// session) is not prepared with DuckDB again while the schema is unchanged.
func TestStatementCacheReuses(t *testing.T) {
	var be *countingBackend
	ts := serveBackend(t, func(db *sql.DB) Backend { be = &countingBackend{testBackend: testBackend{db: db}}; return be }, nil)
	a := connectPgx(t, ts, pgx.QueryExecModeDescribeExec)
	b := connectPgx(t, ts, pgx.QueryExecModeDescribeExec)
	const q = "SELECT 41 + 1 AS answer"
	for _, conn := range []*pgx.Conn{a, b, a} {
		if got := columnsOf(t, conn, q); got != "answer" {
			t.Fatalf("columns %s", got)
		}
	}
	if n := be.translations.Load(); n != 1 {
		t.Errorf("prepared %d times, want 1", n)
	}
	if _, err := a.Exec(context.Background(), "CREATE TABLE reuse_t (a INTEGER)", pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatal(err)
	}
	before := be.translations.Load()
	columnsOf(t, b, q)
	if n := be.translations.Load() - before; n != 1 {
		t.Errorf("after a schema change: prepared %d times, want 1", n)
	}
}
