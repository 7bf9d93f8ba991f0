package pgwire

import (
	"context"
	"testing"

	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"
)

// A statement prepared to run at once keeps DuckDB's prepared statement of
// the SQL that runs (here the JSON-preserving rewrite of a STRUCT column),
// and running it gives the rewritten values; statements that return no rows
// and copies from the statement cache keep none.
func TestPreparedToRunKeepsWhatRuns(t *testing.T) {
	conn := duckdbtest.Conn(t)
	ctx := context.Background()
	st, err := prepareStatement(ctx, conn, zapNop(), "", `SELECT {'b': [1], 'a': 2} AS s, 42 AS n`, nil, true, false)
	if err != nil {
		t.Fatal(err)
	}
	if st.prepared == nil || st.execSQL == st.sql {
		t.Fatalf("kept %v, rewritten %v: want the rewrite's prepared statement kept", st.prepared != nil, st.execSQL != st.sql)
	}
	if cp := st.clone("x"); cp.prepared != nil {
		t.Error("a clone for the statement cache carries the connection's prepared statement")
	}
	s := &session{conn: conn, srv: &Server{}}
	ds := st.prepared
	st.prepared = nil
	rows, err := s.queryDriver(&portal{ctx: ctx, stmt: st, formats: make([]int16, len(st.cols))}, ds)
	if err != nil {
		t.Fatal(err)
	}
	var v, n any
	if !rows.Next() {
		t.Fatalf("no row: %v", rows.Err())
	}
	if err := rows.Scan(&v, &n); err != nil {
		t.Fatal(err)
	}
	if v != `{"b":[1],"a":2}` || n != int32(42) {
		t.Errorf("row = %#v, %#v; want the STRUCT as JSON text and 42", v, n)
	}
	if rows.Next() || rows.Err() != nil {
		t.Errorf("a second row, or error %v", rows.Err())
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if st.prepared != nil {
		t.Error("the statement still holds the prepared statement it handed over")
	}

	ddl, err := prepareStatement(ctx, conn, zapNop(), "", `CREATE TABLE kept_t (a INT)`, nil, true, false)
	if err != nil {
		t.Fatal(err)
	}
	if ddl.prepared != nil {
		t.Error("a statement without rows keeps a prepared statement")
	}
}
