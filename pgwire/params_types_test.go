package pgwire

import (
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"
)

// paramModes are the pgx modes that bind parameters: the default cache
// (described, binary where pgx can), describe-then-execute, and exec
// (pgx's own oids, text where it can).
var paramModes = []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeDescribeExec, pgx.QueryExecModeExec}

// TestArrayParameters binds arrays of each element type, with NULLs,
// quoting and nesting, through pgx in text and binary format.
func TestArrayParameters(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	str := func(s string) *string { return &s }
	cases := []struct {
		sql  string
		arg  any
		want string
	}{
		{"SELECT CAST(to_json($1::VARCHAR[]) AS VARCHAR)", []string{"a", "b c", "", `q"u\x`, "NULL", " sp "}, `["a","b c","","q\"u\\x","NULL"," sp "]`},
		{"SELECT CAST(to_json($1::VARCHAR[]) AS VARCHAR)", []*string{str("a"), nil}, `["a",null]`},
		{"SELECT CAST(list_contains($1, 'b') AS VARCHAR)", []string{"a", "b"}, "true"},
		{"SELECT CAST(list_contains($1, 'z') AS VARCHAR)", []string{"a", "b"}, "false"},
		{"SELECT CAST(to_json($1::INTEGER[]) AS VARCHAR)", []int32{1, -2}, "[1,-2]"},
		{"SELECT CAST(to_json($1::BIGINT[]) AS VARCHAR)", []int64{9000000000}, "[9000000000]"},
		{"SELECT CAST(to_json($1::SMALLINT[]) AS VARCHAR)", []int16{7}, "[7]"},
		{"SELECT CAST(to_json($1::DOUBLE[]) AS VARCHAR)", []float64{1.5, -0.25}, "[1.5,-0.25]"},
		{"SELECT CAST(to_json($1::BOOLEAN[]) AS VARCHAR)", []bool{true, false}, "[true,false]"},
		{"SELECT CAST(to_json($1::DECIMAL(10,2)[]) AS VARCHAR)", []float64{1.5}, "[1.5]"},
		{"SELECT CAST(to_json($1::DATE[]) AS VARCHAR)", []time.Time{time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}, `["2024-01-02"]`},
		{"SELECT CAST(to_json($1::TIMESTAMP[]) AS VARCHAR)", []time.Time{time.Date(2024, 1, 2, 3, 4, 5, 500000000, time.UTC)}, `["2024-01-02 03:04:05.5"]`},
		{"SELECT CAST(to_json($1::TIMESTAMPTZ[]) AS VARCHAR)", []time.Time{time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 7200))}, `["2024-01-02 01:04:05+00"]`},
		{"SELECT $1::UUID", pgtype.UUID{Valid: true, Bytes: [16]byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}}, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{"SELECT CAST(to_json($1::UUID[]) AS VARCHAR)", []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}, `["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]`},
	}
	for _, mode := range paramModes {
		conn := connectPgx(t, ts, mode)
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%v/%s/%T", mode, tc.sql, tc.arg), func(t *testing.T) {
				var got string
				if err := conn.QueryRow(ctx, tc.sql, tc.arg).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != tc.want {
					t.Errorf("got %s, want %s", got, tc.want)
				}
			})
		}
	}
}

// TestArrayParameterRoundTrip reads array parameters back as arrays.
func TestArrayParameterRoundTrip(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	for _, mode := range paramModes {
		conn := connectPgx(t, ts, mode)
		in := []string{"a", "b c", "", `q"u\x`, "{x}", "NULL"}
		var out []string
		if err := conn.QueryRow(ctx, "SELECT $1::VARCHAR[]", in).Scan(&out); err != nil {
			t.Fatalf("%v: %v", mode, err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Errorf("%v: got %q, want %q", mode, out, in)
		}
	}
}

// TestNestedArrayParameter binds a two-dimensional array in binary format.
func TestNestedArrayParameter(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	var got string
	if err := conn.QueryRow(ctx, "SELECT CAST(to_json($1::INTEGER[][]) AS VARCHAR)", [][]int32{{1, 2}, {3, 4}}).Scan(&got); err != nil || got != "[[1,2],[3,4]]" {
		t.Errorf("got %s, %v", got, err)
	}
}

// TestScalarParameters binds bytea, json and booleans as PostgreSQL reads them.
func TestScalarParameters(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	for _, mode := range paramModes {
		conn := connectPgx(t, ts, mode)
		var n int64
		if err := conn.QueryRow(ctx, "SELECT octet_length($1::BLOB)", []byte{0xde, 0xad, 0, 0xff}).Scan(&n); err != nil || n != 4 {
			t.Errorf("%v: bytea length %d, %v", mode, n, err)
		}
		if mode == pgx.QueryExecModeExec {
			continue // pgx has no oid of its own for a map
		}
		var j map[string]any
		if err := conn.QueryRow(ctx, "SELECT $1::JSON", map[string]any{"a": 1}).Scan(&j); err != nil || !reflect.DeepEqual(j, map[string]any{"a": float64(1)}) {
			t.Errorf("%v: json %v, %v", mode, j, err)
		}
	}
}

// TestTextParameterInput sends text-format values in PostgreSQL's input
// forms and checks what DuckDB got, and that bad input fails with 22P02.
func TestTextParameterInput(t *testing.T) {
	ts := startServer(t)
	cases := []struct {
		sql  string
		oid  uint32
		in   string
		want string // "ErrorResponse 22P02" for an error
	}{
		{"SELECT $1::BOOLEAN", 16, " YES ", "t"},
		{"SELECT $1::BOOLEAN", 16, "on", "t"},
		{"SELECT $1::BOOLEAN", 16, "of", "f"},
		{"SELECT $1::BOOLEAN", 16, "0", "f"},
		{"SELECT $1::BOOLEAN", 16, "o", "ErrorResponse 22P02"},
		{"SELECT $1::BOOLEAN", 0, "tr", "t"},
		{"SELECT $1::BLOB", 17, `\xdead00ff`, `\xdead00ff`},
		{"SELECT $1::BLOB", 17, `\x de ad`, `\xdead`},
		{"SELECT $1::BLOB", 0, `abc\000\\`, `\x616263005c`},
		{"SELECT $1::BLOB", 17, `abc\9`, "ErrorResponse 22P02"},
		{"SELECT $1::INTEGER", 23, "  12 ", "12"},
		{"SELECT $1::INTEGER", 0, "1.5", "ErrorResponse 22P02"},
		{"SELECT $1::DOUBLE", 0, " -1.5e3 ", "-1500"},
		{"SELECT CAST(to_json($1::VARCHAR[]) AS VARCHAR)", 1009, `{a,"b c",NULL,"NULL", d }`, `["a","b c",null,"NULL","d"]`},
		{"SELECT CAST(to_json($1::VARCHAR[]) AS VARCHAR)", 0, `{a,"b\\c\"",NULL}`, `["a","b\\c\"",null]`},
		{"SELECT CAST(to_json($1::INTEGER[][]) AS VARCHAR)", 0, `{{1,2},{3,NULL}}`, "[[1,2],[3,null]]"},
		{"SELECT CAST(to_json($1::INTEGER[]) AS VARCHAR)", 1007, `[0:1]={1,2}`, "[1,2]"},
		{"SELECT CAST(to_json($1::BOOLEAN[]) AS VARCHAR)", 1000, `{t,yes,off}`, "[true,true,false]"},
		{"SELECT CAST(to_json($1::INTEGER[]) AS VARCHAR)", 1007, `{1,{2}}`, "ErrorResponse 22P02"},
		{"SELECT CAST(to_json($1::INTEGER[]) AS VARCHAR)", 1007, `{1,2`, "ErrorResponse 22P02"},
		{"SELECT CAST(to_json($1::INTEGER[]) AS VARCHAR)", 1007, `{1,2.5}`, "ErrorResponse 22P02"},
		{"SELECT $1::DATE", 1082, "January 8, 1999", "1999-01-08"},
		{"SELECT $1::DATE", 0, "1/8/99", "1999-01-08"},
		{"SELECT $1::TIMESTAMPTZ", 1184, "1999-01-08 04:05:06 -8:00", "1999-01-08 12:05:06+00"},
		{"SELECT $1::TIMESTAMP", 0, "epoch", "1970-01-01 00:00:00"},
		{"SELECT $1::DATE = current_date", 1082, "today", "t"},
		{"SELECT $1::INTERVAL", 1186, "P1Y2M3DT4H5M6S", "1 year 2 mons 3 days 04:05:06"},
		{"SELECT $1::INTERVAL", 0, "@ 2 days ago", "-2 days"},
		{"SELECT CAST(to_json($1::DATE[]) AS VARCHAR)", 1182, `{"Jan 8, 1999",NULL}`, `["1999-01-08",null]`},
		{"SELECT CAST(to_json($1::INTERVAL[]) AS VARCHAR)", 1187, `{1-2}`, `["1 year 2 months"]`},
		{"SELECT list_contains($1, 'b')", 0, `{a,b}`, "t"},
		{"SELECT list_contains($1, 'b')", 1009, `{a,c}`, "f"},
	}
	for _, tc := range cases {
		t.Run(tc.sql+"/"+tc.in, func(t *testing.T) {
			rc := dialRaw(t, ts)
			rc.send(&pgproto3.Parse{Query: tc.sql, ParameterOIDs: []uint32{tc.oid}},
				&pgproto3.Bind{Parameters: [][]byte{[]byte(tc.in)}},
				&pgproto3.Execute{}, &pgproto3.Sync{})
			msgs := rc.until("ReadyForQuery")
			got := ""
			for _, m := range msgs {
				if len(m) > 8 && m[:8] == "DataRow " {
					got = m[8:]
				}
				if len(m) > 13 && m[:13] == "ErrorResponse" {
					got = m
				}
			}
			if got != tc.want {
				t.Errorf("got %q, want %q (%v)", got, tc.want, msgs)
			}
		})
	}
}

// TestParameterDescriptionTypes checks the parameter types announced for
// JSON and list parameters.
func TestParameterDescriptionTypes(t *testing.T) {
	ts := startServer(t)
	cases := []struct {
		sql  string
		want string
	}{
		{"SELECT $1::JSON", "ParameterDescription [114]"},
		{"SELECT $1::VARCHAR[]", "ParameterDescription [1009]"},
		{"SELECT $1::INTEGER[]", "ParameterDescription [1007]"},
		{"SELECT $1::BIGINT[][]", "ParameterDescription [1016]"},
		{"SELECT $1::JSON[]", "ParameterDescription [199]"},
		{"SELECT list_contains($1, 1.5::DOUBLE)", "ParameterDescription [1022]"},
	}
	for _, tc := range cases {
		rc := dialRaw(t, ts)
		rc.send(&pgproto3.Parse{Query: tc.sql}, &pgproto3.Describe{ObjectType: 'S'}, &pgproto3.Sync{})
		msgs := rc.until("ReadyForQuery")
		found := false
		for _, m := range msgs {
			if m == tc.want {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: %v, want %s", tc.sql, msgs, tc.want)
		}
	}
}

// TestExplicitCastTypesParameter checks that $n::type types a parameter
// DuckDB leaves untyped, in ParameterDescription and for its value.
func TestExplicitCastTypesParameter(t *testing.T) {
	ts := startServer(t)
	cases := []struct{ sql, in, desc, want string }{
		{"SELECT CAST($1::BOOLEAN AS VARCHAR)", "yes", "ParameterDescription [16]", "DataRow true"},
		{"SELECT CAST($1::double precision AS VARCHAR)", " 1.5 ", "ParameterDescription [701]", "DataRow 1.5"},
		{"SELECT CAST($1::int[] AS VARCHAR)", "{1,2}", "ParameterDescription [1007]", "DataRow [1, 2]"},
	}
	for _, tc := range cases {
		rc := dialRaw(t, ts)
		rc.send(&pgproto3.Parse{Query: tc.sql}, &pgproto3.Describe{ObjectType: 'S'},
			&pgproto3.Bind{Parameters: [][]byte{[]byte(tc.in)}}, &pgproto3.Execute{}, &pgproto3.Sync{})
		msgs := fmt.Sprint(rc.until("ReadyForQuery"))
		if !strings.Contains(msgs, tc.desc) || !strings.Contains(msgs, tc.want) {
			t.Errorf("%s: %s, want %s and %s", tc.sql, msgs, tc.desc, tc.want)
		}
	}
}

// regtypeBackend names every first column regtype (ColumnTyper).
type regtypeBackend struct{ testBackend }

func (regtypeBackend) ColumnTypes(sql string) ([]uint32, bool) { return []uint32{2206, 0}, true }

// TestColumnTyper describes a VARCHAR column as the type the backend names,
// and leaves a column of another DuckDB type alone.
func TestColumnTyper(t *testing.T) {
	ts := serveBackend(t, func(db *sql.DB) Backend { return &regtypeBackend{testBackend{db: db}} }, nil)
	rc := dialRaw(t, ts)
	rc.send(&pgproto3.Query{String: "SELECT 'integer' AS a, 1 AS b"})
	got := fmt.Sprint(rc.until("ReadyForQuery"))
	if !strings.Contains(got, "RowDescription a:2206 b:23") || !strings.Contains(got, "DataRow integer 1") {
		t.Errorf("got %s", got)
	}
	rc.send(&pgproto3.Query{String: "SELECT 1 AS a, 'x' AS b"})
	if got := fmt.Sprint(rc.until("ReadyForQuery")); !strings.Contains(got, "RowDescription a:23 b:25") {
		t.Errorf("got %s", got)
	}
}

// TestListParameterResultTypes describes a statement whose result types
// DuckDB leaves open until its list parameter is bound.
func TestListParameterResultTypes(t *testing.T) {
	ts := startServer(t)
	rc := dialRaw(t, ts)
	rc.send(&pgproto3.Parse{Query: "SELECT $1::INTEGER[] AS a, len($1::INTEGER[]) AS n", ParameterOIDs: []uint32{1007}}, &pgproto3.Describe{ObjectType: 'S'},
		&pgproto3.Bind{Parameters: [][]byte{[]byte("{1,2,3}")}}, &pgproto3.Execute{}, &pgproto3.Sync{})
	got := fmt.Sprint(rc.until("ReadyForQuery"))
	if !strings.Contains(got, "RowDescription a:1007 n:20") || !strings.Contains(got, "DataRow {1,2,3} 3") {
		t.Errorf("got %s", got)
	}
}
