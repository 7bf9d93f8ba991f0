package catalog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"
	"github.com/tpserver/tpserver/lake"
)

// TestViewReadsNewestFirst checks that the lake view scans the newest day
// first, whatever the manifests' order, so that the first rows DuckDB's
// top-N sees are the newest ones (lake.FileOrder).
func TestViewReadsNewestFirst(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	defer c.Close()
	var files []lake.DataFile
	for _, day := range []int{3, 1, 4, 2} { // manifest order is not time order
		key := lake.PartitionKey{Table: lake.CloudTrailTableName, Partition: "p", Index: "default", Date: time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC)}
		if err := os.MkdirAll(key.Dir(dir), 0o755); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(key.Dir(dir), fmt.Sprintf("data_1_%d%s", day, lake.DataFileExt))
		vals := map[string]string{"event_id": "'e' || i", "tp_id": "'t' || i",
			"event_time": fmt.Sprintf("TIMESTAMP '2024-01-%02d 23:00:00' - to_seconds(i)", day)}
		vals["tp_timestamp"] = vals["event_time"]
		q := fmt.Sprintf("COPY (SELECT %s FROM range(10) r(i) ORDER BY %s) TO '%s' (FORMAT parquet)", duckdbtest.CloudTrailRow(vals), lake.FileOrder, file)
		if _, err := c.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, file)
		files = append(files, lake.DataFile{Path: filepath.ToSlash(rel), Rows: 10, Size: 1, Date: key.Date.Format(lake.DateFormat)})
	}
	writeTestManifest(t, dir, files)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Without ORDER BY, DuckDB keeps the scan's order: files as listed,
	// rows as stored.
	got := fmt.Sprint(queryRows(t, c.DB(), "SELECT strftime(event_time, '%d %H:%M:%S') FROM aws_cloudtrail_log LIMIT 3"))
	if want := "[[04 23:00:00] [04 22:59:59] [04 22:59:58]]"; got != want {
		t.Errorf("first rows of the scan %s, want %s", got, want)
	}
	got = fmt.Sprint(queryRows(t, c.DB(), "SELECT strftime(event_time, '%d %H:%M:%S') FROM aws_cloudtrail_log ORDER BY event_time DESC LIMIT 2"))
	if want := "[[04 23:00:00] [04 22:59:59]]"; got != want {
		t.Errorf("latest rows %s, want %s", got, want)
	}
}

// TestLateMaterialization checks that sessions find the rows of a LIMIT
// query of up to lateMaterializationRows rows before reading all their
// columns.
func TestLateMaterialization(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	ctx := context.Background()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT current_setting('late_materialization_max_rows')").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != lateMaterializationRows {
		t.Errorf("late_materialization_max_rows = %d, want %d", n, lateMaterializationRows)
	}
}
