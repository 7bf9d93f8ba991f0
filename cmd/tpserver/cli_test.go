package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// localPartitionConfig writes a file partition over dir into the env's config.
func (e env) localPartitionConfig(t *testing.T, dir string) {
	t.Helper()
	cfg := fmt.Sprintf("partition \"aws_cloudtrail_log\" \"local\" {\n  source \"file\" {\n    paths = [%q]\n    file_layout = `AWSLogs/%%{NUMBER:account_id}/CloudTrail/%%{DATA:region}/%%{YEAR:year}/%%{MONTHNUM:month}/%%{MONTHDAY:day}/%%{DATA}.json.gz`\n  }\n}\n", dir)
	if err := os.WriteFile(filepath.Join(e.configDir, "aws.tpc"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
}

func collectedEnv(t *testing.T) (env, int) {
	e := newEnv(t)
	logs := filepath.Join(t.TempDir(), "trail")
	n := writeFixture(t, logs)
	e.localPartitionConfig(t, logs)
	if out, errOut, code := e.run(t, "collect", "--from", "2000-01-01"); code != 0 {
		t.Fatalf("collect: %d\n%s\n%s", code, out, errOut)
	}
	return e, n
}

func TestQueryOutputFormats(t *testing.T) {
	e, n := collectedEnv(t)
	out, errOut, code := e.run(t, "query", "-o", "csv", "select event_name, user_identity.type as who, request_parameters->>'roleArn' as role from aws_cloudtrail_log where event_name in ('AssumeRole', 'DeleteBucket') order by event_name")
	if code != 0 {
		t.Fatalf("query csv exit %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, out)
	}
	want := [][]string{{"event_name", "who", "role"}, {"AssumeRole", "IAMUser", "arn:aws:iam::123456789012:role/Admin"}, {"DeleteBucket", "IAMUser", ""}}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Fatalf("csv = %q, want %q", recs, want)
	}

	out, errOut, code = e.run(t, "query", "--output", "json", "select count(*) as n, min(event_time) as first from aws_cloudtrail_log")
	if code != 0 {
		t.Fatalf("query json exit %d: %s", code, errOut)
	}
	var doc struct {
		Columns []struct{ Name, DataType string } `json:"columns"`
		Rows    []map[string]any                  `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json output is not valid JSON: %v\n%s", err, out)
	}
	if len(doc.Columns) != 2 || doc.Columns[0].Name != "n" || len(doc.Rows) != 1 || doc.Rows[0]["n"] != float64(n) {
		t.Fatalf("json output: %s", out)
	}

	out, _, code = e.run(t, "query", "select event_name from aws_cloudtrail_log where event_name = 'StopLogging'")
	if code != 0 || !strings.Contains(out, "| StopLogging |") || !strings.Contains(out, "+--") {
		t.Fatalf("table output (exit %d):\n%s", code, out)
	}
	out, _, code = e.run(t, "query", "-o", "line", "select event_name, aws_region from aws_cloudtrail_log where event_name = 'StopLogging'")
	if code != 0 || !strings.Contains(out, "-[ RECORD 1 ]") || !strings.Contains(out, "aws_region | us-east-1") {
		t.Fatalf("line output (exit %d):\n%s", code, out)
	}
	_, errOut, code = e.run(t, "query", "select nope from aws_cloudtrail_log")
	if code == 0 || !strings.Contains(errOut, "nope") {
		t.Fatalf("bad query: exit %d, %s", code, errOut)
	}
}

func TestErrorsKeepTheSessionAndUserTablesPersist(t *testing.T) {
	e, n := collectedEnv(t)
	port, stop := e.serveStoppable(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://analyst@127.0.0.1:%d/tpserver?sslmode=disable", port))
	if err != nil {
		t.Fatal(err)
	}
	var pgErr *pgconn.PgError
	_, err = conn.Exec(ctx, "select no_such_column from aws_cloudtrail_log")
	if !errors.As(err, &pgErr) || pgErr.Code != "42703" {
		t.Fatalf("missing column: %v", err)
	}
	_, err = conn.Exec(ctx, "select * from no_such_table")
	if !errors.As(err, &pgErr) || pgErr.Code != "42P01" {
		t.Fatalf("missing table: %v", err)
	}
	_, err = conn.Exec(ctx, "selec 1")
	if !errors.As(err, &pgErr) || pgErr.Code != "42601" {
		t.Fatalf("syntax error: %v", err)
	}
	var got int
	if err := conn.QueryRow(ctx, "select count(*) from aws_cloudtrail_log where event_time > $1::timestamp", "2000-01-01").Scan(&got); err != nil || got != n {
		t.Fatalf("after errors: %d, %v", got, err)
	}
	// The blog's materialised view, kept across restarts.
	_, err = conn.Exec(ctx, `CREATE TABLE security_events AS
SELECT 
  event_time,
  event_source,
  event_name,
  user_identity.arn AS user_arn,
  source_ip_address,
  error_code
FROM aws_cloudtrail_log
WHERE 
  (event_source = 'iam.amazonaws.com' OR
   event_name LIKE '%Login%' OR
   event_name LIKE '%SecurityGroup%' OR
   event_name LIKE '%Bucket%' OR
   error_code IS NOT NULL) AND
  event_time > current_date - interval '90 day';`)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	// While the server runs, `query` still answers from the lake.
	out, errOut, code := e.run(t, "query", "-o", "csv", "--header=false", "select count(*) from aws_cloudtrail_log")
	if code != 0 || strings.TrimSpace(out) != fmt.Sprint(n) {
		t.Fatalf("query beside a server: exit %d out %q err %s", code, out, errOut)
	}

	// Restart: the user's table is still there and the lake is untouched.
	stop()
	port2 := e.serve(t)
	rows, err := psql(t, port2, "select count(*) from security_events")
	if err != nil || len(rows) != 1 || rows[0] != "10" {
		t.Fatalf("security_events after restart: %v %v", rows, err)
	}
	rows, err = psql(t, port2, "select count(*) from aws_cloudtrail_log")
	if err != nil || rows[0] != fmt.Sprint(n) {
		t.Fatalf("lake after restart: %v %v", rows, err)
	}
}

func TestConfigErrorsNamePositions(t *testing.T) {
	e := newEnv(t)
	bad := "partition \"aws_cloudtrail_log\" \"x\" {\n  source \"file\" {\n    paths = [\"/definitely/not/here\"]\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(e.configDir, "bad.tpc"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := e.run(t, "collect")
	if code == 0 || !strings.Contains(errOut, "bad.tpc:3:") {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
}
