package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tpserver/tpserver/lake"
	"github.com/tpserver/tpserver/pgwire"
)

// sessionIDs runs q and returns its rows' tp_id, in order.
func sessionIDs(t *testing.T, conn *sql.Conn, q string) string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return rowIDs(t, rows)
}

// rowIDs reads rows of (tp_id, event_time) and returns their tp_id, in
// order.
func rowIDs(t *testing.T, rows *sql.Rows) string {
	t.Helper()
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		var at sql.NullTime
		if err := rows.Scan(&id, &at); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(ids, ",")
}

// topNQueries are latest-N and oldest-N queries of the lake, of every sort
// direction and NULL order, with limits around a day's rows (42).
func topNQueries() []string {
	var qs []string
	for _, col := range []string{"event_time", "tp_timestamp"} {
		for _, order := range []string{"DESC", "ASC", "DESC NULLS LAST", "ASC NULLS FIRST"} {
			for _, limit := range []int{0, 1, 40, 41, 42, 43, 83, 84, 85, 300} {
				for _, offset := range []string{"", " OFFSET 2", " OFFSET 41"} {
					qs = append(qs, fmt.Sprintf("SELECT tp_id, event_time FROM aws_cloudtrail_log ORDER BY %s %s, tp_id LIMIT %d%s", col, order, limit, offset))
				}
			}
		}
	}
	return qs
}

// TestTopNDaysKeepResults checks that the day bound the translator adds to
// latest-N queries never changes a result, with a NULL event time on the
// oldest, a middle or no day, and after the lake lost rows under a
// statement prepared before.
func TestTopNDaysKeepResults(t *testing.T) {
	first := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	const days = 5
	for _, nullDay := range []int{-1, 0, 2, days - 1} {
		t.Run(fmt.Sprint("null day ", nullDay), func(t *testing.T) {
			dir := t.TempDir()
			c := open(t, dir)
			defer c.Close()
			dayLakeNull(t, c, dir, first, days, nullDay)
			ctx := context.Background()
			conn, err := c.OpenSession(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			for _, q := range topNQueries() {
				tq := c.TranslateSQL(q)
				if !strings.Contains(tq, "_day(") {
					t.Fatalf("no day bound added: %s", tq)
				}
				if want, got := sessionIDs(t, conn, q), sessionIDs(t, conn, tq); got != want {
					t.Errorf("%s:\n got  %s\n want %s\n (%s)", q, got, want, tq)
				}
			}
		})
	}
}

// TestTopNDaysAfterRemoval checks that a statement prepared with a day
// bound answers from the lake as it is when it runs: rows removed from the
// newest and the oldest day (an overwrite) are not looked for there.
func TestTopNDaysAfterRemoval(t *testing.T) {
	first := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	c := open(t, dir)
	defer c.Close()
	dayLakeNull(t, c, dir, first, 6, -1)
	ctx := context.Background()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	qs := []string{
		"SELECT tp_id, event_time FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 3",
		"SELECT tp_id, event_time FROM aws_cloudtrail_log ORDER BY event_time, tp_id LIMIT 3",
	}
	stmts := make([]*sql.Stmt, len(qs))
	for i, q := range qs {
		if stmts[i], err = conn.PrepareContext(ctx, c.TranslateSQL(q)); err != nil {
			t.Fatal(err)
		}
		defer stmts[i].Close()
	}
	run := func(st *sql.Stmt) string {
		rows, err := st.QueryContext(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return rowIDs(t, rows)
	}
	before := []string{run(stmts[0]), run(stmts[1])}
	// The two newest and the two oldest days' files leave the lake: bounds
	// from before would now read only days that hold no rows.
	m, err := lake.ReadManifest(lake.ManifestPath(dir, lake.CloudTrailTableName, "p"))
	if err != nil {
		t.Fatal(err)
	}
	writeTestManifest(t, dir, m.Files[2:len(m.Files)-2])
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for i, q := range qs {
		want, got := sessionIDs(t, conn, q), run(stmts[i])
		if got != want || got == before[i] || got == "" {
			t.Errorf("%s after the removal: got %s, want %s (before: %s)", q, got, want, before[i])
		}
	}
}

// TestTopNDaysSkipFiles checks that DuckDB opens only the files of the
// days that hold the latest rows (and of the day's margin before them),
// and the same for the oldest rows.
func TestTopNDaysSkipFiles(t *testing.T) {
	dir := t.TempDir()
	c := openHeadRows(t, dir, -1) // no head: the files read are what is checked
	defer c.Close()
	dayLakeNull(t, c, dir, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 6, -1)
	ctx := context.Background()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for q, want := range map[string]string{
		"SELECT * FROM aws_cloudtrail_log ORDER BY event_time DESC LIMIT 42":              "2",
		"SELECT * FROM aws_cloudtrail_log ORDER BY tp_timestamp DESC LIMIT 43":            "3",
		"SELECT event_id FROM aws_cloudtrail_log ORDER BY event_time LIMIT 10 OFFSET 40":  "3",
		"SELECT * FROM aws_cloudtrail_log ORDER BY event_time DESC NULLS LAST LIMIT 1000": "6",
	} {
		plan := explainAnalyze(t, ctx, conn, c.TranslateSQL(q))
		m := scannedFiles.FindStringSubmatch(plan)
		if want == "6" && m == nil {
			continue // no file filter: every file is read
		}
		if m == nil || m[1] != want || m[2] != "6" {
			t.Errorf("%s: DuckDB scanned %v files, want %s of 6:\n%s", q, m, want, plan)
		}
	}
}

// shadowLake serves a six-day lake through pgwire and returns a pgx
// connection to it and a function that runs a query of tp_id and returns
// its ids, in order.
func shadowLake(t *testing.T) (*pgx.Conn, func(q string) string) {
	t.Helper()
	dir := t.TempDir()
	c := open(t, dir)
	t.Cleanup(func() { c.Close() })
	dayLakeNull(t, c, dir, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 6, -1)
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- pgwire.NewServer(c, pgwire.Options{}).Serve(sctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://tester@%s/tpserver?sslmode=disable", ln.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	ids := func(q string) string {
		t.Helper()
		rows, err := conn.Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, ",")
	}
	return conn, ids
}

// shadowView makes a table of schema s1 with the lake view's name and
// columns and the rows of its first two days, first on the search path.
// (A temporary relation may not take the view's name: lockdown.go.)
func shadowView(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	for _, q := range []string{
		"CREATE SCHEMA s1",
		"CREATE TABLE s1.aws_cloudtrail_log AS SELECT * FROM main.aws_cloudtrail_log WHERE tp_date <= DATE '2024-03-02'",
		"SET search_path = s1, public",
	} {
		if _, err := conn.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestTopNDaysShadowed checks that a table taking the lake view's name on
// the session's search path, with the view's columns but other rows,
// answers a latest-N query with its own rows: the session gets no day
// limits (TranslatePrivateSQL).
func TestTopNDaysShadowed(t *testing.T) {
	conn, ids := shadowLake(t)
	if got, want := ids("SELECT tp_id FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 2"), "5-41,5-39"; got != want {
		t.Fatalf("latest 2 of the lake: %s, want %s", got, want)
	}
	shadowView(t, conn)
	if got, want := ids("SELECT tp_id FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 3"), "1-41,1-39,1-40"; got != want {
		t.Errorf("latest 3 of s1's table: %s, want %s", got, want)
	}
	if _, err := conn.Exec(context.Background(), "SET search_path = public"); err != nil {
		t.Fatal(err)
	}
	if got, want := ids("SELECT tp_id FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 4"), "5-41,5-39,5-40,5-38"; got != want {
		t.Errorf("latest 4 of the lake again: %s, want %s", got, want)
	}
}

// TestTopNDaysPreparedThenShadowed checks that a latest-N statement
// prepared while its name meant the lake view, and run again after a
// table of another schema took the name on the search path, reads that
// table, as PostgreSQL re-parses a prepared statement when search_path
// changes: the day bound of its first translation must not stay with it.
// And back: once the path is public again, it reads the lake.
func TestTopNDaysPreparedThenShadowed(t *testing.T) {
	conn, ids := shadowLake(t)
	const q = "SELECT tp_id FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 3"
	// pgx prepares q once and runs the prepared statement each time.
	if got, want := ids(q), "5-41,5-39,5-40"; got != want {
		t.Fatalf("latest 3 of the lake: %s, want %s", got, want)
	}
	shadowView(t, conn)
	if got, want := ids(q), "1-41,1-39,1-40"; got != want {
		t.Errorf("latest 3 of s1's table, prepared before: %s, want %s", got, want)
	}
	if _, err := conn.Exec(context.Background(), "SET search_path = public"); err != nil {
		t.Fatal(err)
	}
	if got, want := ids(q), "5-41,5-39,5-40"; got != want {
		t.Errorf("latest 3 of the lake again: %s, want %s", got, want)
	}
}

// TestTopNDaysNullsInBackground checks that a view defined over more new
// files than the catalog reads NULL counts of at once keeps latest-N
// results right at once (the counts unknown, no bound where NULLs sort
// first), then bounds the query once the counts are read.
func TestTopNDaysNullsInBackground(t *testing.T) {
	dir := t.TempDir()
	c := openHeadRows(t, dir, -1) // no head: the files read are what is checked
	defer c.Close()
	c.mu.Lock()
	c.syncNullFiles = 0
	c.mu.Unlock()
	dayLakeNull(t, c, dir, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 6, -1)
	ctx := context.Background()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	q := "SELECT tp_id, event_time FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 3"
	tq := c.TranslateSQL(q)
	want := sessionIDs(t, conn, q)
	for deadline := time.Now().Add(30 * time.Second); ; {
		if got := sessionIDs(t, conn, tq); got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
		plan := explainAnalyze(t, ctx, conn, tq)
		if m := scannedFiles.FindStringSubmatch(plan); m != nil && m[1] == "2" {
			return // the newest day and the day's margin
		}
		if time.Now().After(deadline) {
			t.Fatalf("the NULL counts were never read: the latest rows still read every file:\n%s", plan)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPreparedThenShadowedOtherColumns checks that a statement prepared
// while its name meant the lake view fails as in PostgreSQL (0A000) when,
// run again after a table of other columns took the name on the search
// path, its result would change type.
func TestPreparedThenShadowedOtherColumns(t *testing.T) {
	conn, ids := shadowLake(t)
	const q = "SELECT * FROM aws_cloudtrail_log ORDER BY event_time DESC LIMIT 1"
	ctx := context.Background()
	if _, err := conn.Prepare(ctx, "latest", q); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE SCHEMA s1",
		"CREATE TABLE s1.aws_cloudtrail_log AS SELECT tp_id, event_time FROM main.aws_cloudtrail_log",
		"SET search_path = s1, public",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	_, err := conn.Exec(ctx, "latest")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "0A000" {
		t.Fatalf("prepared statement run over a table of other columns: %v, want SQLSTATE 0A000", err)
	}
	if got, want := ids("SELECT tp_id FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 1"), "5-41"; got != want {
		t.Errorf("latest of s1's table after the failure: %s, want %s", got, want)
	}
}

// TestPreparedAcrossOtherPaths checks that a statement prepared under one
// search_path that does not start with the lake's schema is parsed again
// under another, as PostgreSQL does: it reads the table the name now
// means, and fails with 0A000 when that table has other columns.
func TestPreparedAcrossOtherPaths(t *testing.T) {
	conn, ids := shadowLake(t)
	ctx := context.Background()
	for _, q := range []string{
		"CREATE SCHEMA s1",
		"CREATE SCHEMA s2",
		"CREATE SCHEMA s3",
		"CREATE TABLE s1.t AS SELECT 'one' AS tp_id",
		"CREATE TABLE s2.t AS SELECT 'two' AS tp_id",
		"CREATE TABLE s3.t AS SELECT 3 AS n, 'three' AS tp_id",
		"SET search_path = s1, public",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := conn.Prepare(ctx, "pick", "SELECT tp_id FROM t"); err != nil {
		t.Fatal(err)
	}
	if got := ids("pick"); got != "one" {
		t.Fatalf("under s1: %s, want one", got)
	}
	if _, err := conn.Exec(ctx, "SET search_path = s2, public"); err != nil {
		t.Fatal(err)
	}
	if got := ids("pick"); got != "two" {
		t.Errorf("under s2: %s, want two (the statement parsed again)", got)
	}
	if _, err := conn.Prepare(ctx, "star", "SELECT * FROM t"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SET search_path = s3, public"); err != nil {
		t.Fatal(err)
	}
	_, err := conn.Exec(ctx, "star")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "0A000" {
		t.Fatalf("SELECT * prepared over s2.t run over s3.t: %v, want SQLSTATE 0A000", err)
	}
	if got := ids("pick"); got != "three" {
		t.Errorf("under s3: %s, want three", got)
	}
}
