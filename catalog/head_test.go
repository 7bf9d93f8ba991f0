package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tpserver/tpserver/catalog/pgemu"
	"github.com/tpserver/tpserver/lake"
	"github.com/tpserver/tpserver/pgwire"
)

// testHeadRows is the heads' size in these tests: a day holds 42 rows, so
// limits around it need the rows of one, two or more days.
const testHeadRows = 50

// resultText runs q and returns its rows, each column printed, one row a
// line.
func resultText(t *testing.T, conn *sql.Conn, q string) string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return b.String()
}

// headQuery is a query whose result the head must not change, and
// whether it reads the head.
type headQuery struct {
	sql   string
	reads bool
}

// headQueries are latest-N (and oldest-N) queries around the head's size,
// and other shapes of query of the lake view.
func headQueries() []headQuery {
	var qs []headQuery
	for _, col := range []string{"event_time", "tp_timestamp"} {
		for _, order := range []string{"DESC", "DESC NULLS LAST", "ASC"} {
			for _, limit := range []int{0, 1, 41, 49, 50, 51, 120} {
				for _, offset := range []int{0, 8, 49} {
					q := fmt.Sprintf("SELECT tp_id, %s FROM aws_cloudtrail_log ORDER BY %s %s, tp_id LIMIT %d OFFSET %d", col, col, order, limit, offset)
					qs = append(qs, headQuery{q, strings.HasPrefix(order, "DESC") && limit+offset <= testHeadRows})
				}
			}
		}
	}
	return append(qs,
		headQuery{"SELECT * FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 10", true},
		headQuery{"SELECT l.tp_id, l.event_time + interval '1 hour' AS later FROM main.aws_cloudtrail_log AS l ORDER BY l.event_time DESC, l.tp_id LIMIT 7", true},
		// Ties: the values, not which of the tied rows.
		headQuery{"SELECT event_time FROM aws_cloudtrail_log ORDER BY event_time DESC LIMIT 45", true},
		headQuery{"SELECT tp_timestamp FROM aws_cloudtrail_log ORDER BY tp_timestamp DESC NULLS LAST LIMIT 50", true},
		headQuery{"SELECT count(*), min(event_time), max(event_time) FROM (SELECT event_time FROM aws_cloudtrail_log ORDER BY event_time DESC LIMIT 30) s", true},
		headQuery{"SELECT tp_id FROM aws_cloudtrail_log WHERE event_id <> 'e3' ORDER BY event_time DESC, tp_id LIMIT 5", false},
		headQuery{"SELECT count(*) FROM aws_cloudtrail_log", false},
	)
}

// tiedTimes are times that come in ties of 6 (i is the row of 42 of a day).
func tiedTimes(day string) string { return fmt.Sprintf("TIMESTAMP '%s' + to_hours(i // 6)", day) }

// halfNullTimes are times of which half are NULL.
func halfNullTimes(day string) string {
	return fmt.Sprintf("CASE WHEN i %% 2 = 0 THEN NULL ELSE TIMESTAMP '%s' + to_minutes(i) END", day)
}

// timeLake writes a lake of days of 42 rows whose times (event_time and
// tp_timestamp) are at(the day).
func timeLake(t *testing.T, c *Catalog, dir string, first time.Time, days int, at func(day string) string) {
	t.Helper()
	dayFiles(t, c, dir, first, days, func(_ int, day string) string { return at(day) })
}

// TestHeadKeepResults checks that reading the head never changes a
// result, on lakes with a NULL time on the oldest, a middle or no day,
// with ties, and empty; and that the latest-N queries within the head's
// rows do read it, a head table and not the lake view.
func TestHeadKeepResults(t *testing.T) {
	first := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	lakes := map[string]func(*testing.T, *Catalog, string){
		"empty":      func(*testing.T, *Catalog, string) {},
		"ties":       func(t *testing.T, c *Catalog, dir string) { timeLake(t, c, dir, first, 6, tiedTimes) },
		"half NULL":  func(t *testing.T, c *Catalog, dir string) { timeLake(t, c, dir, first, 6, halfNullTimes) },
		"no NULL":    func(t *testing.T, c *Catalog, dir string) { dayLakeNull(t, c, dir, first, 6, -1) },
		"NULL day 3": func(t *testing.T, c *Catalog, dir string) { dayLakeNull(t, c, dir, first, 6, 3) },
		"NULL day 5": func(t *testing.T, c *Catalog, dir string) { dayLakeNull(t, c, dir, first, 6, 5) },
	}
	for name, build := range lakes {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			c := openHeadRows(t, dir, testHeadRows)
			defer c.Close()
			build(t, c, dir)
			ctx := context.Background()
			conn, err := c.OpenSession(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if c.heads[lake.CloudTrailTableName] == "" {
				t.Fatalf("no head table built")
			}
			for _, q := range headQueries() {
				tq := c.TranslateSQL(q.sql)
				if reads := strings.Contains(tq, pgemu.HeadSchema); reads != q.reads {
					t.Errorf("%s: reads the head %v, want %v: %s", q.sql, reads, q.reads, tq)
				}
				if want, got := resultText(t, conn, q.sql), resultText(t, conn, tq); got != want {
					t.Errorf("%s:\n got  %q\n want %q\n (%s)", q.sql, got, want, tq)
				}
			}
		})
	}
}

// TestHeadTooLarge checks that a head that would hold more than its bound
// of rows (half the times are NULL) is the lake view itself, and answers
// the same.
func TestHeadTooLarge(t *testing.T) {
	dir := t.TempDir()
	c := openHeadRows(t, dir, 5)
	defer c.Close()
	timeLake(t, c, dir, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 6, halfNullTimes)
	if h := c.heads[lake.CloudTrailTableName]; h != "" {
		t.Fatalf("head table %s of more than %d rows", h, headRowsCap*5)
	}
	conn, err := c.OpenSession(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	q := "SELECT tp_id, event_time FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 4"
	tq := c.TranslateSQL(q)
	if !strings.Contains(tq, pgemu.HeadSchema) {
		t.Fatalf("not read from the head view: %s", tq)
	}
	if want, got := resultText(t, conn, q), resultText(t, conn, tq); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestHeadRefreshWhileQuerying checks that a prepared latest-N statement
// run while the lake changes under it answers from one state of the lake
// or the other, never from a mix or a head of other files, and from the
// current one once the changes stop; and that former head tables go.
func TestHeadRefreshWhileQuerying(t *testing.T) {
	dir := t.TempDir()
	c := openHeadRows(t, dir, testHeadRows)
	defer c.Close()
	dayLakeNull(t, c, dir, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 6, -1)
	ctx := context.Background()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	m, err := lake.ReadManifest(lake.ManifestPath(dir, lake.CloudTrailTableName, "p"))
	if err != nil {
		t.Fatal(err)
	}
	states := [][]lake.DataFile{m.Files, m.Files[:4]} // all days; the two newest gone
	set := func(i int) {
		writeTestManifest(t, dir, states[i])
		if err := c.Refresh(ctx); err != nil {
			t.Error(err)
		}
	}
	const q = "SELECT tp_id, event_time FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 20"
	var wants []string
	for i := range states {
		set(i)
		wants = append(wants, sessionIDs(t, conn, q))
	}
	if wants[0] == wants[1] {
		t.Fatal("the two states give one answer")
	}
	st, err := conn.PrepareContext(ctx, c.TranslateSQL(q))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	run := func() string {
		rows, err := st.QueryContext(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return rowIDs(t, rows)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 12; i++ {
			set(i % 2)
		}
	}()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		if got := run(); got != wants[0] && got != wants[1] {
			t.Fatalf("an answer of neither state:\n%s", got)
		}
	}
	if got := run(); got != wants[1] {
		t.Errorf("after the changes: got %s, want %s", got, wants[1])
	}
	var tables int
	if err := c.DB().QueryRow("SELECT count(*) FROM duckdb_tables() WHERE database_name = ?", HeadDatabase).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 1 {
		t.Errorf("%d head tables left, want 1", tables)
	}
}

// TestHeadHiddenAndProtected checks that the emulated catalog shows
// neither the head schema nor its relations, and that no client may change
// them, in either the schema or the heads' database.
func TestHeadHiddenAndProtected(t *testing.T) {
	conn, ids := shadowLake(t)
	ctx := context.Background()
	for _, q := range []string{
		"SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE 'tp_lake_head%'",
		"SELECT relname FROM pg_catalog.pg_class WHERE relname LIKE 'aws_cloudtrail_log_%'",
		"SELECT table_name FROM information_schema.tables WHERE table_schema LIKE 'tp_lake_head%' OR table_catalog LIKE 'tp_lake_head%'",
	} {
		if got := ids(q); got != "" {
			t.Errorf("%s: %s", q, got)
		}
	}
	for _, q := range []string{
		"CREATE TABLE tp_lake_head.t (a int)",
		"DROP VIEW tp_lake_head.aws_cloudtrail_log",
		"CREATE OR REPLACE VIEW tp_lake_head.aws_cloudtrail_log AS SELECT 1",
		"DROP TABLE tp_lake_head_rows.main.aws_cloudtrail_log_1",
		"INSERT INTO tp_lake_head_rows.aws_cloudtrail_log_1 (tp_id) VALUES ('x')",
		"DELETE FROM tp_lake_head_rows.main.aws_cloudtrail_log_1",
	} {
		_, err := conn.Exec(ctx, q)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("%s: %v, want SQLSTATE 42501", q, err)
		}
	}
	if got, want := ids("SELECT tp_id FROM aws_cloudtrail_log ORDER BY event_time DESC, tp_id LIMIT 2"), "5-41,5-39"; got != want {
		t.Errorf("latest 2 after the refused changes: %s, want %s", got, want)
	}
}

// TestHeadSameDescription checks that a client sees the same result
// description (column names, types, table oids and numbers) for a query
// that reads the head as for one that reads the files.
func TestHeadSameDescription(t *testing.T) {
	conn, _ := shadowLake(t)
	ctx := context.Background()
	describe := func(q string) string {
		sd, err := conn.Prepare(ctx, "", q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var b strings.Builder
		for _, f := range sd.Fields {
			fmt.Fprintln(&b, f.Name, f.DataTypeOID, f.TableOID, f.TableAttributeNumber, f.TypeModifier)
		}
		return b.String()
	}
	head := describe("SELECT * FROM aws_cloudtrail_log ORDER BY event_time DESC LIMIT 100")
	files := describe(fmt.Sprintf("SELECT * FROM aws_cloudtrail_log ORDER BY event_time DESC LIMIT %d", DefaultHeadRows+1))
	if head != files {
		t.Errorf("head description:\n%s\nfiles description:\n%s", head, files)
	}
	if !strings.Contains(head, fmt.Sprint(RelationOID("main", lake.CloudTrailTableName))) {
		t.Errorf("the columns' table is not the lake view:\n%s", head)
	}
}

// TestHeadProtectedRelation checks the ObjectGuard answers for the head's
// schema and database.
func TestHeadProtectedRelation(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	for _, rel := range []pgwire.Relation{
		{Schema: pgemu.HeadSchema, Name: lake.CloudTrailTableName},
		{Schema: pgemu.HeadSchema},
		{Catalog: HeadDatabase, Schema: "main", Name: "x"},
		{Schema: HeadDatabase, Name: "x"},
	} {
		if _, ok := c.ProtectedRelation(rel); !ok {
			t.Errorf("%+v is not protected", rel)
		}
	}
}
