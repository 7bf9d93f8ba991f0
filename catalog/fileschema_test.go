package catalog

import (
	"context"
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

// TestViewWithoutUnionByNameWhenFilesShareASchema checks that the lake
// view reads files of one schema without union_by_name, and files of
// different schemas (an older file lacking columns) with it, with the same
// rows either way.
func TestViewWithoutUnionByNameWhenFilesShareASchema(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	defer c.Close()
	ctx := context.Background()
	key := lake.PartitionKey{Table: lake.CloudTrailTableName, Partition: "p", Index: "default", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
	if err := os.MkdirAll(key.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	var files []lake.DataFile
	write := func(name, sel string) {
		t.Helper()
		path := filepath.Join(key.Dir(dir), name+lake.DataFileExt)
		if _, err := c.DB().Exec(fmt.Sprintf("COPY (%s) TO '%s' (FORMAT parquet)", sel, path)); err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, lake.DataFile{Path: filepath.ToSlash(rel), Rows: 1, Size: 1})
		b, _ := json.Marshal(lake.Manifest{Version: 1, Batch: int64(len(files)), Files: files})
		if err := os.WriteFile(lake.ManifestPath(dir, key.Table, key.Partition), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(wantUnion bool, want string) {
		t.Helper()
		conn, err := c.OpenSession(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var def string
		if err := conn.QueryRowContext(ctx, "SELECT sql FROM duckdb_views() WHERE view_name = 'aws_cloudtrail_log'").Scan(&def); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(def, "union_by_name = CAST('t'"); got != wantUnion {
			t.Errorf("union_by_name = %v, want %v: %s", got, wantUnion, def[len(def)-200:])
		}
		rows, err := conn.QueryContext(ctx, "SELECT event_id, coalesce(user_agent, '-'), tp_date FROM aws_cloudtrail_log ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var id, ua string
			var d time.Time
			if err := rows.Scan(&id, &ua, &d); err != nil {
				t.Fatal(err)
			}
			got = append(got, id+" "+ua+" "+d.Format(time.DateOnly))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ", ") != want {
			t.Errorf("rows %q, want %q", strings.Join(got, ", "), want)
		}
	}
	row := func(id string) string {
		return "SELECT " + duckdbtest.CloudTrailRow(map[string]string{"event_id": "'" + id + "'", "tp_id": "'" + id + "'", "user_agent": "'ua-" + id + "'"})
	}
	write("data_1_0", row("e1"))
	write("data_2_0", row("e2"))
	check(false, "e1 ua-e1 2024-01-02, e2 ua-e2 2024-01-02")
	// A file written before a column existed: its rows read NULL there.
	write("data_3_0", "SELECT 'e3' AS event_id, 'e3' AS tp_id, TIMESTAMP '2024-01-02' AS tp_timestamp")
	check(true, "e1 ua-e1 2024-01-02, e2 ua-e2 2024-01-02, e3 - 2024-01-02")
	// Once that file is retired, one schema again.
	files = files[:2]
	b, _ := json.Marshal(lake.Manifest{Version: 1, Batch: 4, Files: files})
	if err := os.WriteFile(lake.ManifestPath(dir, key.Table, key.Partition), b, 0o644); err != nil {
		t.Fatal(err)
	}
	check(false, "e1 ua-e1 2024-01-02, e2 ua-e2 2024-01-02")
	if n := len(c.fileSchemas[lake.CloudTrailTableName]); n != 2 {
		t.Errorf("%d file schemas remembered, want 2", n)
	}
}

// TestReadFileSchemas checks the schema strings of data files read from
// their footers: equal for files of one schema, different for another; a
// file neither the footer reader nor DuckDB can read, or one that is not
// there, fails the read with an error naming it.
func TestReadFileSchemas(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	defer c.Close()
	ctx := context.Background()
	write := func(name, sel string) string {
		t.Helper()
		p := filepath.Join(dir, name+".parquet")
		if _, err := c.DB().Exec(fmt.Sprintf("COPY (%s) TO '%s' (FORMAT parquet)", sel, p)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a1 := write("a1", "SELECT 1 AS x, 'a' AS y")
	a2 := write("a2", "SELECT 2 AS x, 'b' AS y FROM range(1000)")
	b := write("b", "SELECT 'a' AS y, 1 AS x")
	got, err := c.readFileSchemas(ctx, []string{a1, a2, b})
	if err != nil {
		t.Fatal(err)
	}
	if got[a1] == "" || got[a1] != got[a2] || got[a1] == got[b] || !strings.HasPrefix(got[a1], "footer:") {
		t.Errorf("schemas %q", got)
	}
	// A footer length of 0: pqfooter refuses it, then DuckDB does.
	bad := filepath.Join(dir, "bad.parquet")
	if err := os.WriteFile(bad, []byte("PAR1\x0f\x00\x03\x00\x00\x00\x00PAR1"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{bad, filepath.Join(dir, "missing.parquet")} {
		if _, err := c.readFileSchemas(ctx, []string{a1, f}); err == nil || !strings.Contains(err.Error(), filepath.Base(f)) {
			t.Errorf("%s: error %v, want one naming the file", filepath.Base(f), err)
		}
	}
}
