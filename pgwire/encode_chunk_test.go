package pgwire

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
)

// chunkTypesTable holds one column per type the chunk encoder reads from
// vectors (and two it leaves to database/sql), with NULLs, infinities, empty
// and long strings, array elements that need quoting and NaNs; nested
// columns with NULLs at each level, empty lists, JSON leaves, MAPs and
// strings JSON must escape (rendered in Go or, with a timestamp or float
// leaf, by to_json); timestamps and dates in runs of one day (tsday,
// dtday: their text keeps the last day's), around 1970, BC and past year
// 9999.
const chunkTypesTable = `CREATE TABLE chunk_types AS SELECT
  i::INTEGER AS i32,
  CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 1000000007 - 99000000000)::BIGINT END AS i64,
  (i % 100 - 50)::TINYINT AS i8, (i * 37 % 30000 - 15000)::SMALLINT AS i16,
  (i % 200)::UTINYINT AS u8, (i * 211 % 65536)::USMALLINT AS u16, (i * 4000000 % 4294967296)::UINTEGER AS u32, (i * 18000000000000)::UBIGINT AS u64,
  CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN '' ELSE 'text ' || repeat('é', i % 30) || i::VARCHAR END AS s,
  CASE WHEN i % 6 = 0 THEN NULL ELSE ['a b', NULL, '', 'NULL', 'q"uote', 'back\slash', 'x{y}', repeat('y', i % 20)][1:1 + i % 8] END AS list,
  CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
  CASE i WHEN 1 THEN 'NaN'::DOUBLE WHEN 2 THEN 'inf'::DOUBLE WHEN 3 THEN '-inf'::DOUBLE WHEN 4 THEN -0.0::DOUBLE WHEN 5 THEN 1e300
    WHEN 6 THEN 1.5e-7 ELSE i / 7.0 END AS d,
  CASE i WHEN 1 THEN 'NaN'::FLOAT ELSE (i / 3.0)::FLOAT END AS f,
  CASE i WHEN 1 THEN 'infinity'::TIMESTAMP WHEN 2 THEN '-infinity'::TIMESTAMP WHEN 3 THEN NULL
    ELSE TIMESTAMP '1999-12-31 23:00:00' + to_microseconds(i * 1234567891) END AS ts,
  CASE i WHEN 1 THEN 'infinity'::TIMESTAMPTZ WHEN 2 THEN '-infinity'::TIMESTAMPTZ
    ELSE (TIMESTAMP '2024-03-31 00:30:00' + to_microseconds(i * 987654321))::TIMESTAMPTZ END AS tstz,
  (TIMESTAMP '2024-01-01' + to_microseconds(i * 1234567891))::TIMESTAMP_S AS ts_s,
  (TIMESTAMP '2024-01-01' + to_microseconds(i * 1234567891))::TIMESTAMP_MS AS ts_ms,
  (TIMESTAMP '2024-01-01' + to_microseconds(i * 1234567891))::TIMESTAMP_NS AS ts_ns,
  CASE i WHEN 1 THEN 'infinity'::DATE WHEN 2 THEN '-infinity'::DATE WHEN 3 THEN make_date(-43, 3, 15)
    ELSE DATE '1970-01-01' + (i * 97 - 3000)::INTEGER END AS dt,
  CASE i % 7 WHEN 0 THEN TIMESTAMP '1969-12-31 23:59:59' + to_microseconds(i * 7919) WHEN 1 THEN make_timestamp(-43, 3, 15, 23, 59, 59.000001)
    WHEN 2 THEN TIMESTAMP '12345-06-07 01:02:03.5' WHEN 3 THEN NULL ELSE TIMESTAMP '2024-02-28 23:59:58' + to_microseconds(i * 1000001) END AS tsday,
  CASE WHEN i % 10 = 0 THEN make_date(-100, 1, 1) WHEN i % 10 = 1 THEN NULL ELSE DATE '2024-02-28' + (i // 50)::INTEGER END AS dtday,
  TIME '00:00:00' + to_microseconds(i * 987654321 % 86400000000) AS tm,
  to_months((i % 15 - 7)::INTEGER) + to_days((i % 40 - 20)::INTEGER) + to_microseconds(i * 12345678 - 99999999) AS iv,
  CASE WHEN i % 7 = 0 THEN NULL ELSE md5(i::VARCHAR)::UUID END AS id,
  ('bytes' || i::VARCHAR)::BLOB AS bl,
  CASE WHEN i % 5 = 0 THEN NULL ELSE ('{"a": ' || i::VARCHAR || ', "b": [1, "x"]}')::JSON END AS js,
  {'x': i, 'y': 'v' || i::VARCHAR, 'z': [i, NULL]} AS st,
  [i, NULL, -i] AS li,
  CASE WHEN i % 9 = 0 THEN NULL ELSE {
    's': CASE WHEN i % 4 = 0 THEN NULL ELSE 'q"b\s/<é>&' || chr((i % 40 + 1)::INTEGER) || chr(127) || chr(8232) END,
    'e': []::VARCHAR[],
    'j': CASE WHEN i % 3 = 0 THEN NULL ELSE ('{"k":[1,"x"],"n":' || i::VARCHAR || '}')::JSON END,
    'in': CASE WHEN i % 5 = 0 THEN NULL ELSE {'b': i % 2 = 0, 'u': (i * 7)::UBIGINT, 't': (i % 100 - 50)::TINYINT} END} END AS nst,
  MAP {'k' || (i % 3)::VARCHAR: [i], 'z': NULL} AS mp,
  MAP {i: 'v' || i::VARCHAR} AS mpi,
  [{'a': i, 'b': NULL::VARCHAR}, NULL] AS lst,
  CASE WHEN i % 2 = 0 THEN [] ELSE [[i::SMALLINT], []] END AS ll,
  {'t': TIMESTAMP '2024-01-01' + to_microseconds(i), 'd': i / 3.0} AS stx,
  [TIMESTAMP '2024-01-01' + to_microseconds(i), NULL] AS lts,
  [i % 2 = 0, NULL] AS lb,
  [i / 3.0, 'NaN'::DOUBLE] AS ld,
  [md5(i::VARCHAR)::UUID] AS luuid,
  (i / 3)::DECIMAL(10, 2) AS dec,
  (i * 1000000007)::HUGEINT AS huge
FROM range(1, 400) AS t(i)`

// TestChunkRowsMatchValueRows reads every column of chunk_types, in text
// and in binary, with default and non-default session settings, from a
// server reading results chunk by chunk and one reading them value by
// value through database/sql: the bytes must be the same.
func TestChunkRowsMatchValueRows(t *testing.T) {
	ts := startServer(t)
	values := startValueRowsServer(t)
	ctx := testCtx(t)
	for _, db := range []*sql.DB{ts.db, values.db} {
		if _, err := db.ExecContext(ctx, chunkTypesTable); err != nil {
			t.Fatal(err)
		}
	}

	cols := chunkTypesColumns(t, ts)
	queries := []string{"SELECT * FROM chunk_types ORDER BY i32", "SELECT * EXCLUDE (dec, huge) FROM chunk_types ORDER BY i32"}
	for _, c := range cols {
		queries = append(queries, fmt.Sprintf("SELECT %s FROM chunk_types ORDER BY i32", c))
	}
	settings := []map[string]string{nil, {"TimeZone": "Asia/Kolkata", "extra_float_digits": "0", "IntervalStyle": "iso_8601"}}
	for _, params := range settings {
		for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeDescribeExec} {
			chunked := connectWith(t, ts, mode, params)
			byValue := connectWith(t, values, mode, params)
			for _, q := range queries {
				want := rawRows(t, byValue, q)
				got := rawRows(t, chunked, q)
				if len(got) != len(want) {
					t.Fatalf("%v %v %s: %d rows chunked, %d by value", params, mode, q, len(got), len(want))
				}
				for i := range got {
					if !bytes.Equal(got[i], want[i]) {
						t.Fatalf("%v %v %s: row %d differs\nchunked:  %q\nby value: %q", params, mode, q, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// startValueRowsServer runs a server that reads results value by value
// through database/sql (Server.valueRows) over a fresh in-memory DuckDB.
func startValueRowsServer(t testing.TB) *testServer {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(&testBackend{db: db}, Options{Logger: zapNop()})
	srv.valueRows = true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve returned %v", err)
		}
		db.Close()
	})
	return &testServer{addr: ln.Addr().(*net.TCPAddr), db: db, srv: srv}
}

// chunkTypesColumns lists chunk_types' columns.
func chunkTypesColumns(t *testing.T, ts *testServer) []string {
	t.Helper()
	rows, err := ts.db.QueryContext(testCtx(t), "SELECT column_name FROM duckdb_columns() WHERE table_name = 'chunk_types' ORDER BY column_index")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if len(cols) < 30 {
		t.Fatalf("chunk_types has %d columns", len(cols))
	}
	return cols
}

func connectWith(t *testing.T, ts *testServer, mode pgx.QueryExecMode, params map[string]string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(ts.dsn())
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = mode
	for k, v := range params {
		cfg.RuntimeParams[k] = v
	}
	conn, err := pgx.ConnectConfig(testCtx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// rawRows reads a query's rows as the DataRow values the server sent
// (length-prefixed, -1 for NULL), each row concatenated.
func rawRows(t *testing.T, conn *pgx.Conn, q string) [][]byte {
	t.Helper()
	rows, err := conn.Query(testCtx(t), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var row []byte
		for _, v := range rows.RawValues() {
			if v == nil {
				row = append(row, "NULL|"...)
				continue
			}
			row = fmt.Appendf(row, "%d:%s|", len(v), v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// TestChunkRowsUsed checks that results of the types the chunk encoder
// reads are read chunk by chunk (so that the comparison above compares
// two paths), and that the others fall back.
func TestChunkRowsUsed(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	if _, err := ts.db.ExecContext(ctx, chunkTypesTable); err != nil {
		t.Fatal(err)
	}
	conn, err := ts.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, c := range chunkTypesColumns(t, ts) {
		st, err := prepareStatement(ctx, conn, zapNop(), "", "SELECT "+c+" FROM chunk_types", nil, false, true)
		if err != nil {
			t.Fatal(err)
		}
		fromVectors := map[string]bool{"js": true, "st": true, "nst": true, "mp": true, "mpi": true, "lst": true, "ll": true}
		if fromVectors[c] && st.execSQL != st.sql {
			t.Errorf("column %s: converted in SQL, want its JSON read from vectors: %s", c, st.execSQL)
		} else if c == "stx" && !strings.Contains(st.execSQL, "to_json") {
			t.Errorf("column %s: not converted by to_json (a timestamp and a float inside)", c)
		}
		for _, format := range []int16{0, 1} {
			var used bool
			err := conn.Raw(func(dc any) error {
				dr, err := dc.(driver.QueryerContext).QueryContext(ctx, st.execSQL, nil)
				if err != nil {
					return err
				}
				defer dr.Close()
				src, ok := duckdbx.NewChunks(dr)
				if !ok {
					return fmt.Errorf("duckdb-go's rows no longer have the expected C result field: update duckdbx.NewChunks")
				}
				_, used = newChunkRows(src, st, []int16{format})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if want := c != "dec" && c != "huge"; used != want {
				t.Errorf("column %s format %d: read chunk by chunk %v, want %v", c, format, used, want)
			}
		}
	}
	if !strings.Contains(chunkTypesTable, "huge") {
		t.Fatal("chunk_types lost its fallback columns")
	}
}

// TestMidStreamErrorReported fails a query after DuckDB has handed out its
// first chunks: every way of reading the result must end with the error,
// not with a short result that looks complete.
func TestMidStreamErrorReported(t *testing.T) {
	ts := startServer(t)
	// One DuckDB thread: with several, a task that raises the error makes
	// DuckDB interrupt the others, and under CPU load the streamed result
	// sometimes ends with that interruption ("INTERRUPT Error", sent as
	// 57014) instead of the error itself (2 runs in 15 here; 0 in 30 with
	// one thread). Either way the client gets an error, never a short
	// result reported as complete, which is what this test is about.
	if _, err := ts.db.Exec("SET threads = 1"); err != nil {
		t.Fatal(err)
	}
	const q = "SELECT CASE WHEN i = 300000 THEN error('boom') ELSE i END AS x, repeat('x', 50) AS y FROM range(400000) t(i)"
	check := func(what string, n int, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), "boom") {
			t.Errorf("%s: %d rows, error %v; want the query's error", what, n, err)
		}
	}
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeDescribeExec} {
		conn := connectWith(t, ts, mode, nil)
		rows, err := conn.Query(testCtx(t), q)
		if err != nil {
			check(fmt.Sprint(mode), 0, err)
			continue
		}
		n := 0
		for rows.Next() {
			n++
		}
		check(fmt.Sprint(mode), n, rows.Err())
	}
	conn := connectWith(t, ts, pgx.QueryExecModeSimpleProtocol, nil)
	ctx := testCtx(t)
	_, err := conn.PgConn().CopyTo(ctx, io.Discard, "COPY ("+q+") TO STDOUT")
	check("COPY", 0, err)
	if _, err := conn.Exec(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "DECLARE c CURSOR FOR "+q); err != nil {
		t.Fatal(err)
	}
	ct, err := conn.Exec(ctx, "FETCH ALL FROM c")
	check("FETCH", int(ct.RowsAffected()), err)
}

// TestNestedJSONLeafKeepsText reads a STRUCT holding a JSON value in each
// protocol: rendered from DuckDB's vectors, the JSON leaf keeps its stored
// text (as PostgreSQL's json keeps its input), strings are escaped as
// to_json escapes them, and NULLs and empty lists are JSON's.
func TestNestedJSONLeafKeepsText(t *testing.T) {
	ts := startServer(t)
	const q = `SELECT {'j': '{"b": 1,  "a": [1, 2.50]}'::JSON, 's': 'tab' || chr(9) || 'é"', 'n': NULL::BIGINT, 'e': []::INTEGER[],
		'm': MAP {'x': true}} AS s`
	const want = `{"j":{"b": 1,  "a": [1, 2.50]},"s":"tab\té\"","n":null,"e":[],"m":{"x":true}}`
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeDescribeExec} {
		conn := connectPgx(t, ts, mode)
		rows := rawRows(t, conn, q)
		if got := fmt.Sprintf("%d:%s|", len(want), want); len(rows) != 1 || string(rows[0]) != got {
			t.Errorf("mode %v: got %q, want %q", mode, rows, got)
		}
	}
}

// TestNestedColumnBinary sends a STRUCT column, rendered from DuckDB's
// vectors, in json's binary format, which is its text.
func TestNestedColumnBinary(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	const want = `{"a":[1,null],"j":{"x": 1}}`
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	for _, format := range []int16{0, 1} {
		res := conn.PgConn().ExecParams(ctx, `SELECT {'a': [1, NULL], 'j': '{"x": 1}'::JSON} AS s`, nil, nil, nil, []int16{format}).Read()
		if res.Err != nil || len(res.Rows) != 1 {
			t.Fatalf("format %d: %v %d rows", format, res.Err, len(res.Rows))
		}
		if got := string(res.Rows[0][0]); res.FieldDescriptions[0].DataTypeOID != oidJSON || got != want {
			t.Errorf("format %d: type %d value %q, want json %q", format, res.FieldDescriptions[0].DataTypeOID, got, want)
		}
	}
}

// TestJSONListFromVectors reads a JSON[] column without a cast in SQL:
// its elements keep their text, quoted as array elements.
func TestJSONListFromVectors(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	const q = `SELECT ['{"a": 1}'::JSON, NULL, '2'::JSON] AS l`
	conn, err := ts.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	st, err := prepareStatement(ctx, conn, zapNop(), "", q, nil, false, true)
	if err != nil {
		t.Fatal(err)
	}
	if st.execSQL != st.sql || !st.cols[0].typ.elem.json {
		t.Errorf("JSON[] column converted in SQL or not known as JSON: %s", st.execSQL)
	}
	rows := rawRows(t, connectPgx(t, ts, pgx.QueryExecModeSimpleProtocol), q)
	if want := `{"{\"a\": 1}",NULL,2}`; len(rows) != 1 || string(rows[0]) != fmt.Sprintf("%d:%s|", len(want), want) {
		t.Errorf("got %q, want %q", rows, want)
	}
}
