package collector

import (
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/config/layout"
	"github.com/tpserver/tpserver/lake"
)

// writeTrail writes a gzipped CloudTrail file with n events on day in the S3
// delivery layout under root and returns its path.
func writeTrail(t *testing.T, root string, day time.Time, name string, n int, account string) string {
	t.Helper()
	var recs []map[string]any
	for i := 0; i < n; i++ {
		recs = append(recs, map[string]any{
			"eventVersion": "1.08",
			"eventID":      fmt.Sprintf("%s-%s-%d", name, day.Format("20060102"), i),
			"eventTime":    day.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			"eventSource":  "s3.amazonaws.com", "eventName": []string{"GetObject", "PutObject", "DeleteBucket"}[i%3],
			"awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1", "recipientAccountId": account,
			"userIdentity":      map[string]any{"type": "IAMUser", "arn": "arn:aws:iam::" + account + ":user/u", "userName": "u"},
			"requestParameters": map[string]any{"bucketName": "b", "key": fmt.Sprint(i)},
		})
	}
	p := filepath.Join(root, "AWSLogs", account, "CloudTrail", "us-east-1", day.Format("2006/01/02"), name+".json.gz")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if err := json.NewEncoder(zw).Encode(map[string]any{"Records": recs}); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	f.Close()
	return p
}

func testPartition(t *testing.T, root string) *config.Partition { return testPartitionB(t, root) }

func testPartitionB(t testing.TB, root string) *config.Partition {
	l, err := layout.Compile(layout.DefaultCloudTrailLayout, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &config.Partition{Table: lake.CloudTrailTableName, Name: "test",
		Source: config.Source{Type: "file", Paths: []string{root}, Layout: l}}
}

// lakeRows counts the rows of the published files and the distinct tp_ids.
func lakeRows(t *testing.T, dataDir string) (rows, ids int64) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files, err := lake.LiveFiles(dataDir, lake.CloudTrailTableName)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		return 0, 0
	}
	q := "SELECT count(*), count(DISTINCT tp_id) FROM (" + lake.CloudTrailLog().ScanSQL(files) + ")"
	if err := db.QueryRow(q).Scan(&rows, &ids); err != nil {
		t.Fatal(err)
	}
	return rows, ids
}

var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func TestCollectIsIdempotent(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	writeTrail(t, src, day, "a", 10, "111122223333")
	writeTrail(t, src, day.AddDate(0, 0, 1), "b", 5, "111122223333")
	writeTrail(t, src, day, "c", 7, "444455556666")
	os.WriteFile(filepath.Join(src, "README.txt"), []byte("not a log"), 0o644)

	c := &Collector{DataDir: data}
	ctx := context.Background()
	res, err := c.Collect(ctx, testPartition(t, src), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Discovered != 3 || res.Collected != 3 || res.Rows != 22 || res.FailedFiles != 0 {
		t.Fatalf("first run: %+v", res)
	}
	if rows, ids := lakeRows(t, data); rows != 22 || ids != 22 {
		t.Fatalf("lake has %d rows, %d distinct ids; want 22", rows, ids)
	}
	// tp_date partitions: two days.
	dirs, _ := filepath.Glob(filepath.Join(lake.PartitionDir(data, lake.CloudTrailTableName, "test"), "*", "tp_date=*"))
	if len(dirs) != 2 {
		t.Fatalf("tp_date dirs: %v", dirs)
	}

	res, err = c.Collect(ctx, testPartition(t, src), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Collected != 0 || res.Skipped != 3 || res.Rows != 0 {
		t.Fatalf("second run collected again: %+v", res)
	}
	if rows, _ := lakeRows(t, data); rows != 22 {
		t.Fatalf("lake has %d rows after second run", rows)
	}

	// A new file is picked up alone.
	writeTrail(t, src, day.AddDate(0, 0, 2), "d", 4, "111122223333")
	res, err = c.Collect(ctx, testPartition(t, src), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Collected != 1 || res.Rows != 4 {
		t.Fatalf("third run: %+v", res)
	}
	if rows, ids := lakeRows(t, data); rows != 26 || ids != 26 {
		t.Fatalf("lake has %d rows, %d ids; want 26", rows, ids)
	}
}

func TestCollectFromPrunesByLayoutTime(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	writeTrail(t, src, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "old", 3, "111122223333")
	writeTrail(t, src, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), "new", 2, "111122223333")
	c := &Collector{DataDir: data}
	res, err := c.Collect(context.Background(), testPartition(t, src), Options{From: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Discovered != 1 || res.Rows != 2 {
		t.Fatalf("want only the June file: %+v", res)
	}
}

func TestBadFilesAreReportedAndTheRunGoesOn(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	writeTrail(t, src, day, "good", 5, "111122223333")
	dir := filepath.Join(src, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2024", "03", "01")
	bad := filepath.Join(dir, "bad.json.gz")
	os.WriteFile(bad, []byte("this is not gzip"), 0o644)
	trunc := filepath.Join(dir, "trunc.json.gz")
	good, _ := os.ReadFile(filepath.Join(dir, "good.json.gz"))
	os.WriteFile(trunc, good[:len(good)/2], 0o644)
	noTime := filepath.Join(dir, "notime.json.gz")
	{
		f, _ := os.Create(noTime)
		zw := gzip.NewWriter(f)
		zw.Write([]byte(`{"Records":[{"eventID":"x1","eventName":"A"},{"eventID":"x2","eventTime":"2024-03-01T01:00:00Z","eventName":"B"}]}`))
		zw.Close()
		f.Close()
	}
	c := &Collector{DataDir: data}
	res, err := c.Collect(context.Background(), testPartition(t, src), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.FailedFiles != 2 || res.RowErrors != 1 || res.Rows != 6 || res.Collected != 2 {
		t.Fatalf("result: %+v", res)
	}
	got := map[string]FileProblems{}
	for _, p := range res.Problems {
		got[p.Location] = p
	}
	if len(got) != 3 || got[bad].Err == nil || got[trunc].Err == nil || got[noTime].Err != nil ||
		got[noTime].SkippedEvents != 1 || len(got[noTime].Events) != 1 ||
		!strings.Contains(got[noTime].Events[0].Err.Error(), `record 1: event "x1": missing eventTime`) {
		t.Errorf("problems: %+v", res.Problems)
	}
	// Failed files are not marked collected: a fixed file is collected next time.
	writeTrail(t, src, day, "bad", 2, "111122223333")
	res, err = c.Collect(context.Background(), testPartition(t, src), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 2 || res.FailedFiles != 1 {
		t.Fatalf("retry: %+v", res)
	}
}

func TestFilterAndIndex(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	writeTrail(t, src, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "a", 9, "111122223333")
	p := testPartition(t, src)
	p.Filter = "event_name <> 'GetObject' AND (request_parameters->>'bucketName') = 'b'"
	p.TPIndex = "recipient_account_id"
	res, err := (&Collector{DataDir: data}).Collect(context.Background(), p, Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 6 || res.Filtered != 3 {
		t.Fatalf("result: %+v", res)
	}
	idx := filepath.Join(lake.PartitionDir(data, lake.CloudTrailTableName, "test"), "tp_index=111122223333")
	if _, err := os.Stat(idx); err != nil {
		t.Fatalf("tp_index directory: %v", err)
	}
}

func TestInterruptedBatchIsRolledBack(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	writeTrail(t, src, day, "a", 4, "111122223333")
	c := &Collector{DataDir: data}
	p := testPartition(t, src)
	if _, err := c.Collect(context.Background(), p, Options{From: epoch}); err != nil {
		t.Fatal(err)
	}
	// Simulate a second run that died after publishing a data file and
	// logging its source, but before committing the manifest.
	writeTrail(t, src, day, "b", 3, "111122223333")
	dir := lake.PartitionKey{Table: p.Table, Partition: p.Name, Index: "default", Date: day}.Dir(data)
	live, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
	if len(live) != 1 {
		t.Fatalf("live files: %v", live)
	}
	stray := filepath.Join(dir, lake.DataFileName(9, 0)+lake.DataFileExt)
	b, _ := os.ReadFile(live[0])
	os.WriteFile(stray, b, 0o644)
	half := filepath.Join(dir, lake.DataFileName(9, 1)+lake.TempFileExt)
	os.WriteFile(half, []byte("partial"), 0o644)
	bKey := filepath.Join(src, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2024", "03", "01", "b.json.gz")
	uncommitted, _ := json.Marshal(logEntry{Batch: 2, Key: bKey, Rows: 3})
	f, _ := os.OpenFile(lake.LogPath(c.stateDir(), p.Table, p.Name), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(string(uncommitted) + "\n" + `{"b":2,"k":"torn`)
	f.Close()

	res, err := c.Collect(context.Background(), p, Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.RolledBack != 1 || res.Rows != 3 || res.Collected != 1 {
		t.Fatalf("result: %+v", res)
	}
	for _, f := range []string{stray, half} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Fatalf("%s should be gone: %v", f, err)
		}
	}
	if rows, ids := lakeRows(t, data); rows != 7 || ids != 7 {
		t.Fatalf("lake rows %d ids %d", rows, ids)
	}
}

func TestCompactionMergesSmallFilesAtomically(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	c := &Collector{DataDir: data, RetireGrace: time.Hour}
	p := testPartition(t, src)
	for i := 0; i < 4; i++ {
		writeTrail(t, src, day, fmt.Sprintf("f%d", i), 5, "111122223333")
		if _, err := c.Collect(context.Background(), p, Options{From: epoch}); err != nil {
			t.Fatal(err)
		}
	}
	m, _ := lake.ReadManifest(lake.ManifestPath(data, p.Table, p.Name))
	if len(m.Files) != 4 {
		t.Fatalf("before compaction: %d files", len(m.Files))
	}
	old := m.Files
	res, err := c.Compact(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.FilesBefore != 4 || res.FilesAfter != 1 || res.Rows != 20 {
		t.Fatalf("compaction: %+v", res)
	}
	m, _ = lake.ReadManifest(lake.ManifestPath(data, p.Table, p.Name))
	if len(m.Files) != 1 || len(m.Retired) != 4 {
		t.Fatalf("after compaction: %+v", m)
	}
	if rows, ids := lakeRows(t, data); rows != 20 || ids != 20 {
		t.Fatalf("lake rows %d ids %d", rows, ids)
	}
	// Retired files stay for running queries until the grace period ends.
	for _, f := range old {
		if _, err := os.Stat(filepath.Join(data, f.Path)); err != nil {
			t.Fatalf("retired file removed too early: %v", err)
		}
	}
	c.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, err := c.Compact(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	for _, f := range old {
		if _, err := os.Stat(filepath.Join(data, f.Path)); !os.IsNotExist(err) {
			t.Fatalf("retired file kept after grace: %v", err)
		}
	}
	m, _ = lake.ReadManifest(lake.ManifestPath(data, p.Table, p.Name))
	if len(m.Retired) != 0 || len(m.Files) != 1 {
		t.Fatalf("manifest after purge: %+v", m)
	}
	// Compacted rows keep the exact schema.
	files, _ := lake.LiveFiles(data, p.Table)
	db, _ := sql.Open("duckdb", "")
	defer db.Close()
	var typ string
	if err := db.QueryRow("SELECT typeof(user_identity) FROM read_parquet(?) LIMIT 1", files[0]).Scan(&typ); err != nil || !strings.HasPrefix(typ, "STRUCT(access_key_id VARCHAR") {
		t.Fatalf("compacted type %q, %v", typ, err)
	}
}

func TestParseTime(t *testing.T) {
	now := time.Date(2024, 5, 10, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"2024-01-02":                time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		"2024-01-02T03:04:05Z":      time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		"2024-01-02T03:04:05+02:00": time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC),
		"T-7d":                      now.AddDate(0, 0, -7),
		"T-2Y":                      now.AddDate(-2, 0, 0),
		"T-3M":                      now.AddDate(0, -3, 0),
		"T-2W":                      now.AddDate(0, 0, -14),
		"T-12H":                     now.Add(-12 * time.Hour),
		"T-10m":                     now.Add(-10 * time.Minute),
	}
	for in, want := range cases {
		got, err := ParseTime(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseTime("yesterday", now); err == nil || !strings.Contains(err.Error(), "T-7d") {
		t.Errorf("bad time error: %v", err)
	}
}

func TestOverwriteRecollectsTheWindow(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	d1 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	d2 := d1.AddDate(0, 0, 1)
	// File a is dated day 1 but three of its events fall on day 2, so day 2's
	// data file mixes rows of a (outside the window) and b (inside).
	writeTrail(t, src, d1.Add(23*time.Hour+58*time.Minute), "a", 5, "111122223333")
	writeTrail(t, src, d2, "b", 4, "111122223333")
	c := &Collector{DataDir: data}
	p := testPartition(t, src)
	if _, err := c.Collect(context.Background(), p, Options{From: epoch, Compact: true}); err != nil {
		t.Fatal(err)
	}
	// The day-2 file changes (say, it was re-delivered with more events).
	writeTrail(t, src, d2, "b", 6, "111122223333")
	res, err := c.Collect(context.Background(), p, Options{From: epoch})
	if err != nil || res.Collected != 0 {
		t.Fatalf("without --overwrite nothing is collected again: %+v %v", res, err)
	}
	res, err = c.Collect(context.Background(), p, Options{From: d2, Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Overwritten != 4 || res.Collected != 1 || res.Rows != 6 {
		t.Fatalf("overwrite: %+v", res)
	}
	if rows, ids := lakeRows(t, data); rows != 11 || ids != 11 {
		t.Fatalf("lake rows %d ids %d; want 11", rows, ids)
	}
	files, _ := lake.LiveFiles(data, p.Table)
	db, _ := sql.Open("duckdb", "")
	defer db.Close()
	var fromA int
	q := "SELECT count(*) FROM (" + lake.CloudTrailLog().ScanSQL(files) + ") WHERE tp_source_location LIKE '%/a.json.gz' AND tp_date = DATE '2024-03-02'"
	if err := db.QueryRow(q).Scan(&fromA); err != nil || fromA != 3 {
		t.Fatalf("rows of a on day 2 after the rewrite: %d, %v", fromA, err)
	}
	// A later normal run collects nothing.
	res, err = c.Collect(context.Background(), p, Options{From: epoch})
	if err != nil || res.Collected != 0 {
		t.Fatalf("after overwrite: %+v %v", res, err)
	}
	if rows, _ := lakeRows(t, data); rows != 11 {
		t.Fatalf("lake rows %d after reload", rows)
	}
}

func TestCompactionLeavesABigFileAlone(t *testing.T) {
	big := lake.DataFile{Path: "big", Rows: 90_000}
	small := []lake.DataFile{{Path: "a", Rows: 50}, {Path: "b", Rows: 70}}
	got := tieredCandidates(append([]lake.DataFile{big}, small...))
	if len(got) != 2 || got[0].Path == "big" || got[1].Path == "big" {
		t.Fatalf("a 90,000-row file with 120 new rows: %+v", got)
	}
	got = tieredCandidates([]lake.DataFile{big, {Path: "c", Rows: 20_000}})
	if len(got) != 2 {
		t.Fatalf("enough new rows merge with the big file: %+v", got)
	}
	if got := tieredCandidates([]lake.DataFile{big, {Path: "d", Rows: 10}}); len(got) != 1 {
		t.Fatalf("one tiny file next to a big one is not worth a rewrite: %+v", got)
	}
}
