package collector

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/tpserver/tpserver/collector/demo"
	"github.com/tpserver/tpserver/lake"
)

// TestSmallBatchesGiveTheSameLake collects the same files in one batch and
// in many small ones, each published in the background while the next is
// staged, and compares the results and the lakes' rows.
func TestSmallBatchesGiveTheSameLake(t *testing.T) {
	src := t.TempDir()
	sum, err := demo.Generate(src, demo.Options{End: time.Date(2025, 5, 4, 0, 0, 0, 0, time.UTC), Days: 3})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	collect := func(batchRows int64, compact bool) (*Result, string) {
		data := t.TempDir()
		c := &Collector{DataDir: data, batchRows: batchRows}
		res, err := c.Collect(ctx, testPartitionB(t, src), Options{From: epoch, Compact: compact})
		if err != nil {
			t.Fatalf("collect in batches of %d: %v", batchRows, err)
		}
		return res, data
	}
	one, oneDir := collect(0, false)
	if one.Rows != int64(sum.Events) || one.Collected != sum.Files {
		t.Fatalf("one batch: %d rows from %d files, want %d from %d", one.Rows, one.Collected, sum.Events, sum.Files)
	}
	want := lakeDigest(t, oneDir)
	for _, compact := range []bool{false, true} {
		many, manyDir := collect(500, compact)
		if many.Rows != one.Rows || many.Collected != one.Collected || many.Duplicates != one.Duplicates || many.Filtered != one.Filtered {
			t.Errorf("batches of 500 (compact %v): rows %d collected %d duplicates %d; one batch: %d %d %d",
				compact, many.Rows, many.Collected, many.Duplicates, one.Rows, one.Collected, one.Duplicates)
		}
		if min := sum.Events / 500; many.Published < min {
			t.Errorf("batches of 500 published %d files, want at least %d", many.Published, min)
		}
		if got := lakeDigest(t, manyDir); got != want {
			t.Errorf("batches of 500 (compact %v): lake digest %s, one batch %s", compact, got, want)
		}
	}
}

// lakeDigest summarises every row of a lake, order-independently: the row
// count and a hash over each row's text, without tp_ingest_timestamp (the
// time of the run).
func lakeDigest(t *testing.T, dataDir string) string {
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
	var digest string
	q := "SELECT count(*) || ':' || bit_xor(hash(s::VARCHAR)) FROM (SELECT * EXCLUDE (tp_ingest_timestamp) FROM (" + lake.CloudTrailLog().ScanSQL(files) + ")) s"
	if err := db.QueryRow(q).Scan(&digest); err != nil {
		t.Fatal(err)
	}
	return digest
}
