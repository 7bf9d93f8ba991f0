package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/collector/demo"
	"github.com/tpserver/tpserver/lake"
)

// oddEvents are events whose values take the less common ways through the
// mapping and the staging: missing and null parts, a userIdentity of the
// wrong JSON type, escapes, non-ASCII and invalid UTF-8 text, booleans as
// strings, long values, resources giving tp_akas, no eventID.
var oddEvents = []string{
	`{"eventVersion":"1.08","eventTime":"2025-05-02T10:00:00Z","eventID":"odd-1","eventName":"Get\u00e9\"x\"","eventSource":"s3.amazonaws.com","awsRegion":"eu-west-1",
	  "userIdentity":"not an object","readOnly":"TRUE","managementEvent":"false","recipientAccountId":"111122223333",
	  "requestParameters":{"bucketName":"b","key":"a/very/long/key/` + strings.Repeat("k", 3000) + `","n":1.5e3},
	  "resources":[{"ARN":"arn:aws:s3:::bucket/key","type":"AWS::S3::Object"},{"ARN":"arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc"}]}`,
	`{"eventVersion":"1.08","eventTime":"2025-05-02T11:00:00.123456Z","eventName":"NoID","eventSource":"ec2.amazonaws.com","sourceIPAddress":"10.1.2.3",
	  "userIdentity":{"type":"AssumedRole","accessKeyId":"AKIAEXAMPLE","userName":"bob","sessionContext":{"attributes":{"creationDate":"not a time"},"webIdFederationData":{"attributes":{"a":[1,2,{"b":null}]}}}},
	  "tlsDetails":{"tlsVersion":"TLSv1.3"},"additionalEventData":{"x":"caf\u00e9 \ud83d\ude00"},"errorMessage":"bad ` + "\xff" + ` byte"}`,
	`{"eventVersion":"1.08","eventTime":"2025-05-02T12:00:00Z","eventID":"odd-3","userIdentity":{"type":"Root","sessionContext":{}},"tlsDetails":null,"responseElements":null,"serviceEventDetails":{"k":true},"edgeDeviceDetails":[]}`,
	`{"eventVersion":"1.08","eventID":"no-time"}`,
}

// writeOddFile writes oddEvents as a gzipped CloudTrail log file in the
// delivery layout under root.
func writeOddFile(t *testing.T, root string) {
	t.Helper()
	dir := filepath.Join(root, "AWSLogs", "111122223333", "CloudTrail", "eu-west-1", "2025", "05", "02")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"Records":[` + strings.Join(oddEvents, ",") + `]}`))
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "111122223333_CloudTrail_eu-west-1_20250502T1200Z_odd.json.gz"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestChunkStagingMatchesRowByRow collects the demo data and odd events
// once staged through chunkappend and once through duckdb-go's Appender,
// and checks that the lakes hold the same files with the same rows in the
// same order. Each run stages everything in one batch: which files share a
// batch of several depends on the order the parallel decoders finish in.
func TestChunkStagingMatchesRowByRow(t *testing.T) {
	src := t.TempDir()
	if _, err := demo.Generate(src, demo.Options{End: time.Date(2025, 5, 4, 0, 0, 0, 0, time.UTC), Days: 2}); err != nil {
		t.Fatal(err)
	}
	writeOddFile(t, src)
	now := time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC)
	collect := func(rowByRow bool) string {
		data := t.TempDir()
		c := &Collector{DataDir: data, rowByRow: rowByRow, Now: func() time.Time { return now }}
		res, err := c.Collect(context.Background(), testPartitionB(t, src), Options{From: epoch})
		if err != nil {
			t.Fatalf("collect (row by row %v): %v", rowByRow, err)
		}
		if res.RowErrors != 1 || res.RowWarnings < 2 {
			t.Fatalf("collect (row by row %v): %d row errors, %d warnings; want 1 and at least 2 (%+v)", rowByRow, res.RowErrors, res.RowWarnings, res)
		}
		return data
	}
	fast, slow := collect(false), collect(true)
	fastFiles, err := lake.LiveFiles(fast, lake.CloudTrailTableName)
	if err != nil {
		t.Fatal(err)
	}
	slowFiles, err := lake.LiveFiles(slow, lake.CloudTrailTableName)
	if err != nil {
		t.Fatal(err)
	}
	if len(fastFiles) != len(slowFiles) || len(fastFiles) < 3 {
		t.Fatalf("%d files staged by chunks, %d row by row", len(fastFiles), len(slowFiles))
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, f := range fastFiles {
		rel, err := filepath.Rel(fast, f)
		if err != nil {
			t.Fatal(err)
		}
		other := filepath.Join(slow, rel)
		if slowFiles[i] != other {
			t.Fatalf("file %d: %s by chunks, %s row by row", i, rel, slowFiles[i])
		}
		scan := func(path string) string {
			return "SELECT * FROM read_parquet(" + lake.QuoteString(path) + ", file_row_number = true, hive_partitioning = false)"
		}
		var rows, diff int64
		q := "SELECT (SELECT count(*) FROM (" + scan(f) + ")), (SELECT count(*) FROM ((" + scan(f) + " EXCEPT ALL " + scan(other) +
			") UNION ALL (" + scan(other) + " EXCEPT ALL " + scan(f) + ")))"
		if err := db.QueryRow(q).Scan(&rows, &diff); err != nil {
			t.Fatal(err)
		}
		if rows == 0 || diff != 0 {
			t.Errorf("%s: %d rows, %d differ between chunk staging and row-by-row staging", rel, rows, diff)
		}
	}
}
