package pgwire

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// typeCases: expression, expected PostgreSQL text, expected type OID.
var typeCases = []struct {
	expr string
	text string
	oid  uint32
}{
	{"true", "t", 16},
	{"false", "f", 16},
	{"7::TINYINT", "7", 21},
	{"-7::SMALLINT", "-7", 21},
	{"42::INTEGER", "42", 23},
	{"9000000000::BIGINT", "9000000000", 20},
	{"200::UTINYINT", "200", 21},
	{"60000::USMALLINT", "60000", 23},
	{"4000000000::UINTEGER", "4000000000", 20},
	{"18446744073709551615::UBIGINT", "18446744073709551615", 1700},
	{"170141183460469231731687303715884105727::HUGEINT", "170141183460469231731687303715884105727", 1700},
	{"1::UHUGEINT", "1", 1700},
	{"1.5::FLOAT", "1.5", 700},
	{"0.1::FLOAT", "0.1", 700},
	{"1000000::FLOAT", "1e+06", 700},
	{"0.1::DOUBLE", "0.1", 701},
	{"1e20::DOUBLE", "1e+20", 701},
	{"123456789012::DOUBLE", "123456789012", 701},
	{"0.00001::DOUBLE", "1e-05", 701},
	{"'NaN'::DOUBLE", "NaN", 701},
	{"'inf'::DOUBLE", "Infinity", 701},
	{"'-inf'::DOUBLE", "-Infinity", 701},
	{"12.3::DECIMAL(10,3)", "12.300", 1700},
	{"-0.05::DECIMAL(4,2)", "-0.05", 1700},
	{"5::DECIMAL(38,0)", "5", 1700},
	{"'hello world'::VARCHAR", "hello world", 25},
	{"'\\x00ab'::BLOB", `\x006162`, 17},
	{"'ab'::BLOB", `\x6162`, 17},
	{"DATE '2024-01-02'", "2024-01-02", 1082},
	{"TIME '03:04:05'", "03:04:05", 1083},
	{"TIME '03:04:05.25'", "03:04:05.25", 1083},
	{"TIMESTAMP '2024-01-02 03:04:05'", "2024-01-02 03:04:05", 1114},
	{"TIMESTAMP '2024-01-02 03:04:05.123456'", "2024-01-02 03:04:05.123456", 1114},
	{"TIMESTAMPTZ '2024-01-02 03:04:05+02'", "2024-01-02 01:04:05+00", 1184},
	{"INTERVAL '1 year 2 months 3 days 4 hours 5 minutes 6 seconds'", "1 year 2 mons 3 days 04:05:06", 1186},
	{"INTERVAL '2 days'", "2 days", 1186},
	{"INTERVAL '1 day 1.5 seconds'", "1 day 00:00:01.5", 1186},
	{"INTERVAL '0 seconds'", "00:00:00", 1186},
	{"-INTERVAL '3 hours'", "-03:00:00", 1186},
	{"'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", 2950},
	{`'{"b":1,"a":2}'::JSON`, `{"b":1,"a":2}`, 114},
	{`'[1, 2]'::JSON`, `[1, 2]`, 114},
	{`{'b': [1, 2], 'a': {'z': 1, 'y': 'x'}}`, `{"b":[1,2],"a":{"z":1,"y":"x"}}`, 114},
	{`MAP {'k': 1, 'j': 2}`, `{"k":1,"j":2}`, 114},
	{`[{'x': 1, 'a': 2}]`, `[{"x":1,"a":2}]`, 114},
	{`[[1, 2], [3]]`, `[[1,2],[3]]`, 114},
	{`union_value(num := 2)::UNION(num INTEGER, str VARCHAR)`, `{"num":2}`, 114},
	{`[1, 2, NULL]`, `{1,2,NULL}`, 1007},
	{`[1, 2]::BIGINT[]`, `{1,2}`, 1016},
	{`['a', 'b c', '', 'NULL', 'x,y', 'q"u', NULL]`, `{a,"b c","","NULL","x,y","q\"u",NULL}`, 1009},
	{`[true, false]`, `{t,f}`, 1000},
	{`[1.5::DOUBLE]`, `{1.5}`, 1022},
	{`[1.50::DECIMAL(5,2)]`, `{1.50}`, 1231},
	{`[DATE '2024-01-02']`, `{2024-01-02}`, 1182},
	{`[TIMESTAMP '2024-01-02 03:04:05']`, `{"2024-01-02 03:04:05"}`, 1115},
	{`[TIMESTAMPTZ '2024-01-02 03:04:05+00']`, `{"2024-01-02 03:04:05+00"}`, 1185},
	{`['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID]`, `{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}`, 2951},
	{`['{"a":1}'::JSON]`, `{"{\"a\":1}"}`, 199},
	{`[1, 2]::INTEGER[2]`, `{1,2}`, 1007},
	{`'101'::BIT`, `101`, 1560},
}

func TestTypesText(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	if _, err := ts.db.ExecContext(ctx, "CREATE TYPE mood AS ENUM ('sad', 'happy')"); err != nil {
		t.Fatal(err)
	}
	cases := append(typeCases[:len(typeCases):len(typeCases)], struct {
		expr string
		text string
		oid  uint32
	}{"'happy'::mood", "happy", 25})

	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
		conn := connectPgx(t, ts, mode)
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%v/%s", mode, tc.expr), func(t *testing.T) {
				rows, err := conn.Query(ctx, "SELECT "+tc.expr+" AS v", pgx.QueryResultFormats{pgx.TextFormatCode})
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				if !rows.Next() {
					t.Fatalf("no row: %v", rows.Err())
				}
				got := string(rows.RawValues()[0])
				if got != tc.text {
					t.Errorf("text = %q, want %q", got, tc.text)
				}
				if oid := rows.FieldDescriptions()[0].DataTypeOID; oid != tc.oid {
					t.Errorf("oid = %d, want %d", oid, tc.oid)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

func TestDecimalTypmod(t *testing.T) {
	ts := startServer(t)
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	rows, err := conn.Query(testCtx(t), "SELECT 1.5::DECIMAL(10,3) AS d, 'x' AS s, 1 AS i")
	if err != nil {
		t.Fatal(err)
	}
	fds := rows.FieldDescriptions()
	rows.Close()
	if err := rows.Err(); err != nil || len(fds) != 3 {
		t.Fatalf("%v %v", err, fds)
	}
	if fds[0].TypeModifier != (10<<16|3)+4 {
		t.Errorf("decimal typmod = %d", fds[0].TypeModifier)
	}
	if fds[1].TypeModifier != -1 || fds[1].DataTypeSize != -1 || fds[2].DataTypeSize != 4 {
		t.Errorf("unexpected field descriptions %+v", fds)
	}
}

func TestBinaryResults(t *testing.T) {
	ts := startServer(t)
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	var (
		i16  int16
		i32  int32
		i64  int64
		f32  float32
		f64  float64
		b    bool
		ts1  time.Time
		tstz time.Time
		d    time.Time
		u    pgtype.UUID
		s    string
		by   []byte
		iv   pgtype.Interval
		tm   pgtype.Time
		js   map[string]any
	)
	err := conn.QueryRow(testCtx(t), `SELECT 1::SMALLINT, 2::INTEGER, 3::BIGINT, 1.5::FLOAT, 2.5::DOUBLE, true,
		TIMESTAMP '2024-01-02 03:04:05.5', TIMESTAMPTZ '2024-01-02 03:04:05+00', DATE '2024-01-02',
		'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID, 'text', '\x01\x02'::BLOB, INTERVAL '1 day 2 hours',
		TIME '01:02:03', '{"a":1}'::JSON`).
		Scan(&i16, &i32, &i64, &f32, &f64, &b, &ts1, &tstz, &d, &u, &s, &by, &iv, &tm, &js)
	if err != nil {
		t.Fatal(err)
	}
	if i16 != 1 || i32 != 2 || i64 != 3 || f32 != 1.5 || f64 != 2.5 || !b || s != "text" || string(by) != "\x01\x02" {
		t.Errorf("scalars: %v %v %v %v %v %v %q %q", i16, i32, i64, f32, f64, b, s, by)
	}
	if !ts1.Equal(time.Date(2024, 1, 2, 3, 4, 5, 500e6, time.UTC)) || !tstz.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) ||
		!d.Equal(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("times: %v %v %v", ts1, tstz, d)
	}
	if fmt.Sprintf("%x", u.Bytes) != "a0eebc999c0b4ef8bb6d6bb9bd380a11" {
		t.Errorf("uuid %x", u.Bytes)
	}
	if iv.Days != 1 || iv.Microseconds != 2*3600e6 || tm.Microseconds != 3723e6 || js["a"] != float64(1) {
		t.Errorf("interval/time/json: %+v %+v %v", iv, tm, js)
	}
}

func TestParametersInferred(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	if _, err := ts.db.ExecContext(ctx, "CREATE TABLE people(name VARCHAR, age INTEGER); INSERT INTO people VALUES ('ann', 30), ('bob', 40)"); err != nil {
		t.Fatal(err)
	}
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	var n int
	if err := conn.QueryRow(ctx, "select $1::int + 1", 41).Scan(&n); err != nil || n != 42 {
		t.Fatalf("select $1::int + 1 = %d, %v", n, err)
	}
	var age int32
	if err := conn.QueryRow(ctx, "select age from people where name = $1", "bob").Scan(&age); err != nil || age != 40 {
		t.Fatalf("where name = $1: %d, %v", age, err)
	}
	// The server must report the inferred types in ParameterDescription.
	sd, err := conn.Prepare(ctx, "q1", "select age from people where name = $1 and age > $2")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sd.ParamOIDs, []uint32{25, 23}) {
		t.Errorf("param OIDs %v, want [25 23]", sd.ParamOIDs)
	}
	if len(sd.Fields) != 1 || sd.Fields[0].DataTypeOID != 23 {
		t.Errorf("fields %+v", sd.Fields)
	}
	// Text parameters given to pgconn directly, OID 0.
	res := conn.PgConn().ExecParams(ctx, "select age + 5 from people where name = $1 and age > $2", [][]byte{[]byte("ann"), []byte("5")}, nil, nil, nil).Read()
	if res.Err != nil || len(res.Rows) != 1 || string(res.Rows[0][0]) != "35" {
		t.Fatalf("ExecParams: %v %q", res.Err, res.Rows)
	}
}

func TestNestedValues(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)

	var js string
	if err := conn.QueryRow(ctx, `SELECT '{"b":1,"a":2}'::JSON::VARCHAR`).Scan(&js); err != nil || js != `{"b":1,"a":2}` {
		t.Fatalf("json as varchar %q %v", js, err)
	}
	// JSON text must be byte-exact, struct field order kept.
	var raw []byte
	if err := conn.QueryRow(ctx, `SELECT '{"b":1,"a":2}'::JSON`).Scan(&raw); err != nil || string(raw) != `{"b":1,"a":2}` {
		t.Fatalf("json %q %v", raw, err)
	}
	if err := conn.QueryRow(ctx, `SELECT {'b': 1, 'a': {'z': 2, 'c': 3}} AS s`).Scan(&raw); err != nil || string(raw) != `{"b":1,"a":{"z":2,"c":3}}` {
		t.Fatalf("struct %q %v", raw, err)
	}
	var list []string
	if err := conn.QueryRow(ctx, `SELECT ['x', 'y z', NULL::VARCHAR, 'w']`).Scan(&list); err == nil {
		t.Fatalf("NULL element should not scan into []string")
	}
	if err := conn.QueryRow(ctx, `SELECT ['x', 'y z', '', 'w']`).Scan(&list); err != nil || !reflect.DeepEqual(list, []string{"x", "y z", "", "w"}) {
		t.Fatalf("list %q %v", list, err)
	}
	var ints []int64
	if err := conn.QueryRow(ctx, `SELECT [3, 1, 2]::BIGINT[]`).Scan(&ints); err != nil || !reflect.DeepEqual(ints, []int64{3, 1, 2}) {
		t.Fatalf("int list %v %v", ints, err)
	}
}

// TestNestedRewriteAndFallback checks the ways of keeping field order: the
// to_json query rewrite, by name or, for duplicate column names, by
// position (positionalRewrite), and Go-side encoding ordered by the column
// type when no rewrite is usable.
func TestNestedRewriteAndFallback(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	c, err := ts.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	log := zapNop()
	st, err := prepareStatement(ctx, c, log, "", `SELECT {'b': [1], 'a': {'z': 1}} AS s, '{"y":1,"x":2}'::JSON AS j, 1 AS n`, nil, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(st.execSQL, "REPLACE") || st.cols[1].typ.pg.oid != oidJSON {
		t.Fatalf("expected rewrite and json column, got %q %+v", st.execSQL, st.cols[1].typ)
	}
	st2, err := prepareStatement(ctx, c, log, "", `SELECT {'b': [1], 'a': {'z': 1}} AS s, 2 AS s`, nil, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(st2.execSQL, "_pgwire_c1") {
		t.Fatalf("duplicate names must be rewritten by position: %q", st2.execSQL)
	}

	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	for _, q := range []string{
		`SELECT {'b': [1], 'a': {'z': 1, 'c': MAP {'k': [2]}}, 'u': 'x'} AS s, 1 AS n`,
		`SELECT {'b': [1], 'a': {'z': 1, 'c': MAP {'k': [2]}}, 'u': 'x'} AS s, 1 AS s`,
	} {
		var raw []byte
		var n int
		if err := conn.QueryRow(ctx, q).Scan(&raw, &n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if want := `{"b":[1],"a":{"z":1,"c":{"k":[2]}},"u":"x"}`; string(raw) != want {
			t.Errorf("%s:\n got %s\nwant %s", q, raw, want)
		}
	}
	// Duplicate names with a JSON column: the value keeps its text.
	var raw []byte
	var n int
	if err := conn.QueryRow(ctx, `SELECT '{"a":[1,2]}'::JSON AS j, 1 AS j`).Scan(&raw, &n); err != nil || string(raw) != `{"a":[1,2]}` {
		t.Fatalf("fallback json %q %v", raw, err)
	}
}

func TestLargeResult(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	rows, err := conn.Query(ctx, "SELECT i, 'row ' || i AS label FROM range(10000) t(i) ORDER BY i")
	if err != nil {
		t.Fatal(err)
	}
	var count int64
	for rows.Next() {
		var i int64
		var label string
		if err := rows.Scan(&i, &label); err != nil {
			t.Fatal(err)
		}
		if i != count || label != fmt.Sprintf("row %d", count) {
			t.Fatalf("row %d: got %d %q", count, i, label)
		}
		count++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if count != 10000 || rows.CommandTag().String() != "SELECT 10000" {
		t.Fatalf("got %d rows, tag %q", count, rows.CommandTag())
	}
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestErrors(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	if _, err := ts.db.ExecContext(ctx, "CREATE TABLE t(a INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
		conn := connectPgx(t, ts, mode)
		for _, tc := range []struct{ sql, code string }{
			{"SELECT nocolumn FROM t", "42703"},
			{"SELECT * FROM missing_table", "42P01"},
			{"SELECT no_such_function(1)", "42883"},
			{"SELEC 1", "42601"},
			{"SELECT 'abc'::INTEGER", "22P02"},
			{"CREATE TABLE t(a INTEGER)", "42P07"},
			{"SELECT 1 + 'a'", "42883"},
		} {
			_, err := conn.Exec(ctx, tc.sql)
			if got := pgCode(err); got != tc.code {
				t.Errorf("%v %q: code %q (%v), want %s", mode, tc.sql, got, err, tc.code)
			}
			var one int
			if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
				t.Fatalf("%v: connection unusable after error: %v", mode, err)
			}
		}
		var pe *pgconn.PgError
		_, err := conn.Exec(ctx, "SELECT 1,\n  nocolumn FROM t")
		if !errors.As(err, &pe) || pe.Position != 13 || strings.Contains(pe.Message, "LINE") || pe.Severity != "ERROR" {
			t.Errorf("%v: error position/message: %+v", mode, pe)
		}
	}
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	if _, err := conn.Exec(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "INSERT INTO t VALUES (1)"); pgCode(err) != "23505" {
		t.Errorf("duplicate key: %v", err)
	}
}

func TestExecModes(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	if _, err := ts.db.ExecContext(ctx, "CREATE TABLE m(id INTEGER, name VARCHAR); INSERT INTO m VALUES (1, 'one'), (2, 'two')"); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []pgx.QueryExecMode{
		pgx.QueryExecModeCacheStatement, pgx.QueryExecModeCacheDescribe, pgx.QueryExecModeDescribeExec,
		pgx.QueryExecModeExec, pgx.QueryExecModeSimpleProtocol,
	} {
		t.Run(mode.String(), func(t *testing.T) {
			conn := connectPgx(t, ts, mode)
			for range 3 { // repeated to exercise statement caches
				var name string
				var id int32
				if err := conn.QueryRow(ctx, "SELECT id, name FROM m WHERE id = $1 AND name <> $2", 2, "x").Scan(&id, &name); err != nil {
					t.Fatal(err)
				}
				if id != 2 || name != "two" {
					t.Fatalf("got %d %q", id, name)
				}
			}
			tag, err := conn.Exec(ctx, "UPDATE m SET name = $1 WHERE id = $2", "two", 2)
			if err != nil || tag.String() != "UPDATE 1" {
				t.Fatalf("update: %q %v", tag, err)
			}
		})
	}
}

func TestCommandTags(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	for _, tc := range []struct{ sql, tag string }{
		{"CREATE TABLE tags(a INTEGER)", "CREATE TABLE"},
		{"INSERT INTO tags VALUES (1), (2), (3)", "INSERT 0 3"},
		{"UPDATE tags SET a = a + 1 WHERE a > 1", "UPDATE 2"},
		{"DELETE FROM tags WHERE a = 4", "DELETE 1"},
		{"CREATE OR REPLACE VIEW v AS SELECT * FROM tags", "CREATE VIEW"},
		{"SELECT * FROM v", "SELECT 2"},
		{"DROP VIEW v", "DROP VIEW"},
		{"SET default_order = 'desc'", "SET"},
		{"BEGIN", "BEGIN"},
		{"INSERT INTO tags VALUES (9) RETURNING a", "INSERT 0 1"},
		{"COMMIT", "COMMIT"},
		{"DROP TABLE tags", "DROP TABLE"},
	} {
		tag, err := conn.Exec(ctx, tc.sql)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if tag.String() != tc.tag {
			t.Errorf("%s: tag %q, want %q", tc.sql, tag, tc.tag)
		}
	}
}

func TestTransactionStatus(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s := conn.PgConn().TxStatus(); s != 'T' {
		t.Errorf("status in transaction %c", s)
	}
	if _, err := tx.Exec(ctx, "SELECT * FROM nope"); err == nil {
		t.Fatal("expected error")
	}
	if s := conn.PgConn().TxStatus(); s != 'E' {
		t.Errorf("status after error %c", s)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if s := conn.PgConn().TxStatus(); s != 'I' {
		t.Errorf("status after rollback %c", s)
	}
}

func TestServeStops(t *testing.T) {
	ts := startServer(t)
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	if err := conn.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Cleanup cancels Serve with this session open and fails if it does not return.
}
