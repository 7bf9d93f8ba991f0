package chunkappend

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

const testColumns = `s VARCHAR, b BOOLEAN, n BIGINT, ts TIMESTAMP, d DATE,
	st STRUCT(a VARCHAR, sub STRUCT(x BIGINT, y VARCHAR)), l VARCHAR[]`

// testRows returns n rows covering NULLs, inline and long strings (one
// longer than an arena slab), NULL and partly NULL structs, and empty,
// NULL and long lists.
func testRows(n int) [][]any {
	base := time.Date(2024, 2, 29, 23, 59, 58, 123456000, time.UTC)
	huge := strings.Repeat("x", slabSize+10)
	rows := make([][]any, n)
	for i := range rows {
		var s any = fmt.Sprintf("v%d", i)
		switch i % 5 {
		case 1:
			s = nil
		case 2:
			s = fmt.Sprintf("a string longer than twelve bytes %d é", i)
		case 3:
			s = ""
		}
		if i == 77 {
			s = huge
		}
		var st any = map[string]any{"a": fmt.Sprintf("struct field number %d", i), "sub": map[string]any{"x": int64(i), "y": nil}}
		switch i % 4 {
		case 1:
			st = nil
		case 2:
			st = map[string]any{"a": nil, "sub": nil}
		}
		var l any = []string{fmt.Sprintf("item-%d", i), "second item, long enough to leave the inline form"}
		switch i % 3 {
		case 1:
			l = nil
		case 2:
			l = []string{}
		}
		var b any = i%2 == 0
		if i%7 == 0 {
			b = nil
		}
		ts := base.Add(time.Duration(i) * time.Minute)
		day := time.Date(ts.Year(), ts.Month(), ts.Day(), 0, 0, 0, 0, time.UTC)
		rows[i] = []any{s, b, int64(i) - 5, ts, day, st, l}
	}
	return rows
}

func openConn(t *testing.T) *sql.Conn {
	t.Helper()
	conn := duckdbtest.Conn(t)
	for _, q := range []string{"CREATE TABLE fast (" + testColumns + ")", "CREATE TABLE ref (" + testColumns + ")"} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	return conn
}

// TestAppendMatchesDriverAppender appends the same rows, across several
// chunks, with chunkappend and with duckdb-go's Appender and checks that
// the tables are equal, and a few values read back directly.
func TestAppendMatchesDriverAppender(t *testing.T) {
	conn := openConn(t)
	rows := testRows(3*chunkRows + 17)
	a, err := New(conn, "fast")
	if err != nil {
		t.Fatalf("New: %v (duckdb-go's layout changed?)", err)
	}
	defer a.Close()
	// Appended in uneven slices, as files of different sizes are.
	for i := 0; i < len(rows); i += 333 {
		if err := a.Append(rows[i:min(i+333, len(rows))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	err = conn.Raw(func(dc any) error {
		ref, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "ref")
		if err != nil {
			return err
		}
		for _, r := range rows {
			vals := make([]driver.Value, len(r))
			for i, v := range r {
				vals[i] = v
			}
			if err := ref.AppendRow(vals...); err != nil {
				return err
			}
		}
		return ref.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var n, diff int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM fast").Scan(&n); err != nil || n != len(rows) {
		t.Fatalf("fast holds %d rows (%v), want %d", n, err, len(rows))
	}
	q := "SELECT count(*) FROM ((SELECT * FROM fast EXCEPT ALL SELECT * FROM ref) UNION ALL (SELECT * FROM ref EXCEPT ALL SELECT * FROM fast))"
	if err := conn.QueryRowContext(ctx, q).Scan(&diff); err != nil || diff != 0 {
		t.Fatalf("%d rows differ between chunkappend and duckdb-go's Appender (%v)", diff, err)
	}
	var s sql.NullString
	var inner sql.NullInt64
	var llen sql.NullInt64
	var slen int
	err = conn.QueryRowContext(ctx, "SELECT (SELECT s FROM fast WHERE n = 2 - 5), (SELECT st.sub.x FROM fast WHERE n = 4 - 5), (SELECT len(l) FROM fast WHERE n = 0 - 5), (SELECT length(s) FROM fast WHERE n = 77 - 5)").Scan(&s, &inner, &llen, &slen)
	if err != nil {
		t.Fatal(err)
	}
	if s.String != "a string longer than twelve bytes 2 é" || inner.Int64 != 4 || llen.Int64 != 2 || slen != slabSize+10 {
		t.Fatalf("read back %q, %v, %v, %d", s.String, inner, llen, slen)
	}
}

// TestAppendRejectsWrongTypes checks that a value of the wrong Go type is
// an error naming the column, not a corrupt row. Append reports it (it
// collects the rows in a batch at once; Flush used to report it), and
// none of the call's rows is appended.
func TestAppendRejectsWrongTypes(t *testing.T) {
	conn := openConn(t)
	a, err := New(conn, "fast")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	rows := testRows(3)
	rows[1][2] = "not a number"
	err = a.Append(rows)
	if err == nil || !strings.Contains(err.Error(), "BIGINT") {
		t.Fatalf("Append = %v, want an error about the BIGINT column", err)
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRowContext(context.Background(), "SELECT count(*) FROM fast").Scan(&n); err != nil || n != 0 {
		t.Fatalf("fast holds %d rows (%v) after a failed Append, want 0", n, err)
	}
}

// TestNewUnsupportedType checks that a table with a type chunkappend does
// not write is refused at New.
func TestNewUnsupportedType(t *testing.T) {
	conn := openConn(t)
	if _, err := conn.ExecContext(context.Background(), "CREATE TABLE odd (f DOUBLE)"); err != nil {
		t.Fatal(err)
	}
	if _, err := New(conn, "odd"); !errors.Is(err, ErrUnsupportedType) {
		t.Fatalf("New = %v, want an unsupported type error", err)
	}
}
