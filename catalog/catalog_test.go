package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"
	"github.com/tpserver/tpserver/lake"
)

func open(t testing.TB, dir string) *Catalog {
	t.Helper()
	return openHeadRows(t, dir, 0)
}

// openHeadRows is open with the lake heads' Options.HeadRows.
func openHeadRows(t testing.TB, dir string, headRows int64) *Catalog {
	t.Helper()
	c, err := Open(context.Background(), Options{DataDir: dir, Tables: []lake.Table{lake.CloudTrailLog()}, HeadRows: headRows})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// describe returns "name type" for each column of a relation.
func describe(t *testing.T, db *sql.DB, rel string) []string {
	t.Helper()
	rows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE " + rel + ")")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n, ty string
		if err := rows.Scan(&n, &ty); err != nil {
			t.Fatal(err)
		}
		out = append(out, n+" "+ty)
	}
	return out
}

// wantSchema is the lake schema as DuckDB spells the types.
func wantSchema(t *testing.T) []string {
	db, _ := sql.Open("duckdb", "")
	defer db.Close()
	var cols []string
	for _, c := range lake.CloudTrailLog().Columns {
		cols = append(cols, lake.QuoteIdent(c.Name)+" "+c.Type)
	}
	if _, err := db.Exec("CREATE TABLE t (" + strings.Join(cols, ", ") + ")"); err != nil {
		t.Fatal(err)
	}
	return describe(t, db, "t")
}

func TestEmptyLakeHasTheFullSchema(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	got := describe(t, c.DB(), lake.CloudTrailTableName)
	want := wantSchema(t)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("schema differs\n got %q\nwant %q", got, want)
	}
	var n int
	if err := c.DB().QueryRow("SELECT count(*) FROM aws_cloudtrail_log").Scan(&n); err != nil || n != 0 {
		t.Fatalf("count = %d, %v", n, err)
	}
	var comment string
	if err := c.DB().QueryRow("SELECT comment FROM duckdb_columns() WHERE table_name = 'aws_cloudtrail_log' AND column_name = 'event_time'").Scan(&comment); err != nil || !strings.Contains(comment, "UTC") {
		t.Fatalf("column comment %q, %v", comment, err)
	}
}

func TestViewFollowsPublishedFiles(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	defer c.Close()
	ctx := context.Background()
	key := lake.PartitionKey{Table: lake.CloudTrailTableName, Partition: "p", Index: "default", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
	if err := os.MkdirAll(key.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	// A file being written is invisible.
	tmp := filepath.Join(key.Dir(dir), "data_x_0"+lake.TempFileExt)
	vals := map[string]string{"event_id": "'e1'", "event_time": "TIMESTAMP '2024-01-02 03:04:05'", "tp_id": "'id1'"}
	q := fmt.Sprintf("COPY (SELECT %s) TO '%s' (FORMAT parquet)", duckdbtest.CloudTrailRow(vals), tmp)
	if _, err := c.DB().Exec(q); err != nil {
		t.Fatal(err)
	}
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	conn.QueryRowContext(ctx, "SELECT count(*) FROM aws_cloudtrail_log").Scan(&n)
	conn.Close()
	if n != 0 {
		t.Fatalf("a temp file is visible: %d rows", n)
	}
	final := filepath.Join(key.Dir(dir), "data_x_0"+lake.DataFileExt)
	if err := os.Rename(tmp, final); err != nil {
		t.Fatal(err)
	}
	// A renamed file is not yet part of the table: the manifest commits it.
	conn, err = c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conn.QueryRowContext(ctx, "SELECT count(*) FROM aws_cloudtrail_log").Scan(&n)
	conn.Close()
	if n != 0 {
		t.Fatalf("an uncommitted file is visible: %d rows", n)
	}
	rel, _ := filepath.Rel(dir, final)
	m := lake.Manifest{Version: 1, Batch: 1, Files: []lake.DataFile{{Path: filepath.ToSlash(rel), Rows: 1, Size: 9000}}}
	b, _ := json.Marshal(m)
	if err := os.WriteFile(lake.ManifestPath(dir, key.Table, key.Partition), b, 0o644); err != nil {
		t.Fatal(err)
	}
	conn, err = c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var id, part, idx string
	var d time.Time
	if err := conn.QueryRowContext(ctx, "SELECT event_id, tp_partition, tp_index, tp_date FROM aws_cloudtrail_log").Scan(&id, &part, &idx, &d); err != nil {
		t.Fatal(err)
	}
	// The catalog shows the manifests' row count and size.
	if err := c.SyncSchema(ctx, "SELECT 1 FROM "+PGCatalogSchema+".pg_class"); err != nil {
		t.Fatal(err)
	}
	stats := fmt.Sprint(queryRows(t, c.DB(), `SELECT reltuples, relpages, tp_pg_catalog.pg_total_relation_size(oid),
		tp_pg_catalog.pg_size_pretty(tp_pg_catalog.pg_table_size('aws_cloudtrail_log')) FROM tp_pg_catalog.pg_class WHERE relname = 'aws_cloudtrail_log'`))
	if want := "[[1 1 9000 9000 bytes]]"; stats != want {
		t.Errorf("catalog statistics %s, want %s", stats, want)
	}
	if id != "e1" || part != "p" || idx != "default" || !d.Equal(key.Date) {
		t.Fatalf("row = %s %s %s %v", id, part, idx, d)
	}
	if got, want := describe(t, c.DB(), lake.CloudTrailTableName), wantSchema(t); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("schema over files differs\n got %q\nwant %q", got, want)
	}
}

func TestUserTablesPersist(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	if _, err := c.DB().Exec("CREATE TABLE security_events AS SELECT event_time, event_name FROM aws_cloudtrail_log; INSERT INTO security_events VALUES (TIMESTAMP '2024-01-01', 'X'); CREATE VIEW v AS SELECT * FROM security_events"); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c = open(t, dir)
	defer c.Close()
	var name string
	if err := c.DB().QueryRow("SELECT event_name FROM v").Scan(&name); err != nil || name != "X" {
		t.Fatalf("after reopen: %q, %v", name, err)
	}
	// A second process falls back to a private database.
	if _, err := Open(context.Background(), Options{DataDir: dir, Tables: []lake.Table{lake.CloudTrailLog()}}); err == nil {
		t.Log("DuckDB allowed a second open in the same process")
	}
}

func TestPartitionStatusView(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	var n int
	if err := c.DB().QueryRow("SELECT count(*) FROM tpserver.partitions").Scan(&n); err != nil || n != 0 {
		t.Fatalf("empty status: %d, %v", n, err)
	}
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	err := c.SetPartitionStatus(context.Background(), []PartitionStatus{
		{Partition: "aws_cloudtrail_log.prod", Table: "aws_cloudtrail_log", Name: "prod", SourceType: "aws_s3_bucket", State: "idle",
			Runs: 2, LastStart: start, LastEnd: start.Add(time.Minute), NextRun: start.Add(5 * time.Minute), Files: 10, Rows: 1234, RowErrors: 1},
		{Partition: "aws_cloudtrail_log.it's", Table: "aws_cloudtrail_log", Name: "it's", SourceType: "file", State: "failed", LastError: "bucket 'x' not found",
			RowWarnings: 3, FailingFiles: 2, LastFailureFile: "/logs/it's.json.gz", LastFailureReason: "gzip: invalid header", LastFailureTime: start},
	})
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	var end time.Time
	var lastErr sql.NullString
	if err := c.DB().QueryRow("SELECT last_rows, last_end, last_error FROM tpserver.partitions WHERE partition_name = 'prod'").Scan(&rows, &end, &lastErr); err != nil {
		t.Fatal(err)
	}
	if rows != 1234 || !end.Equal(start.Add(time.Minute)) || lastErr.Valid {
		t.Fatalf("prod row: %d %v %v", rows, end, lastErr)
	}
	var msg string
	if err := c.DB().QueryRow("SELECT last_error FROM tpserver.partitions WHERE state = 'failed'").Scan(&msg); err != nil || msg != "bucket 'x' not found" {
		t.Fatalf("failed row: %q %v", msg, err)
	}
	// Failing files: counts, the latest failure, and NULLs where there is none.
	var warnings, failing int64
	var file, reason string
	var at time.Time
	if err := c.DB().QueryRow(`SELECT last_row_warnings, failing_files, last_failure_file, last_failure, last_failure_time
		FROM tpserver.partitions WHERE partition_name = 'it''s'`).Scan(&warnings, &failing, &file, &reason, &at); err != nil {
		t.Fatal(err)
	}
	if warnings != 3 || failing != 2 || file != "/logs/it's.json.gz" || reason != "gzip: invalid header" || !at.Equal(start) {
		t.Fatalf("failing files: %d %d %q %q %v", warnings, failing, file, reason, at)
	}
	var nullFile sql.NullString
	var nullAt sql.NullTime
	if err := c.DB().QueryRow("SELECT failing_files, last_failure_file, last_failure_time FROM tpserver.partitions WHERE partition_name = 'prod'").Scan(&failing, &nullFile, &nullAt); err != nil {
		t.Fatal(err)
	}
	if failing != 0 || nullFile.Valid || nullAt.Valid {
		t.Fatalf("prod failing files: %d %v %v", failing, nullFile, nullAt)
	}
	// Existing columns keep their positions; the new ones follow.
	var cols []string
	rows2, err := c.DB().Query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'tpserver' AND table_name = 'partitions' ORDER BY ordinal_position")
	if err != nil {
		t.Fatal(err)
	}
	for rows2.Next() {
		var name string
		rows2.Scan(&name)
		cols = append(cols, name)
	}
	rows2.Close()
	want := "partition table_name partition_name source_type state runs last_start last_end last_files last_failed_files last_rows last_row_errors last_error next_run " +
		"last_row_warnings failing_files last_failure_file last_failure last_failure_time"
	if strings.Join(cols, " ") != want {
		t.Fatalf("columns:\n %s\nwant\n %s", strings.Join(cols, " "), want)
	}
}

// execDDL runs schema-changing SQL in-process and reports the change, as
// pgwire does for its clients, so the emulated catalog shows it.
func execDDL(t testing.TB, c *Catalog, q string) {
	t.Helper()
	if _, err := c.DB().Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	c.SchemaChanged()
	if err := c.syncSnapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
}
