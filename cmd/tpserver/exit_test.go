package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// fixtureDayDir is the delivery folder of the fixture's files n days ago.
func fixtureDayDir(logs string, n int) string {
	return filepath.Join(logs, "AWSLogs", fixtureAccount, "CloudTrail", "us-east-1", fixtureDay(n).Format("2006/01/02"))
}

// writeFile writes content to path, creating its folder.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// brokenPartitionConfig adds a partition over dir whose every run fails: its
// filter names a column that does not exist.
func (e env) brokenPartitionConfig(t *testing.T, dir string) {
	t.Helper()
	cfg := fmt.Sprintf("partition \"aws_cloudtrail_log\" \"broken\" {\n  source \"file\" {\n    paths = [%q]\n  }\n  filter = \"no_such_column = 1\"\n}\n", dir)
	writeFile(t, filepath.Join(e.configDir, "broken.tpc"), cfg)
}

func countRows(t *testing.T, e env) string {
	t.Helper()
	out, errOut, code := e.run(t, "query", "-o", "csv", "--header=false", "select count(*) from aws_cloudtrail_log")
	if code != 0 {
		t.Fatalf("query: exit %d: %s", code, errOut)
	}
	return strings.TrimSpace(out)
}

// TestCollectExitStatuses runs collect for every outcome and checks its exit
// status and what it says: 0 all collected, 100 files or events left out,
// 101 a partition failed (winning over 100), 2 usage or configuration error.
func TestCollectExitStatuses(t *testing.T) {
	out, _, code := newEnv(t).run(t, "collect", "--help")
	if code != 0 || !strings.Contains(out, "Exit status:") || !strings.Contains(out, "101") || !strings.Contains(out, "100") {
		t.Fatalf("collect --help (exit %d) does not document the exit statuses:\n%s", code, out)
	}

	e := newEnv(t)
	logs := filepath.Join(t.TempDir(), "trail")
	n := writeFixture(t, logs)
	e.localPartitionConfig(t, logs)

	// 0: everything collected.
	if out, errOut, code := e.run(t, "collect", "--from", "2000-01-01"); code != 0 || strings.Contains(out, "Not collected") {
		t.Fatalf("clean collect: exit %d\n%s\n%s", code, out, errOut)
	}

	// 100: a file that is not gzip, and a file with an event without a time
	// and one with an unreadable creationDate, beside a good event.
	dir := fixtureDayDir(logs, 1)
	bad := filepath.Join(dir, "bad.json.gz")
	writeFile(t, bad, "this is not gzip")
	events := filepath.Join(dir, "events.json.gz")
	writeFile(t, events, `{"eventID":"nt","eventName":"NoTime"}`+"\n"+
		`{"eventID":"cd","eventTime":"`+fixtureDay(1).Format(time.RFC3339)+`","userIdentity":{"sessionContext":{"attributes":{"creationDate":"soon"}}}}`+"\n"+
		`{"eventID":"ok","eventTime":"`+fixtureDay(1).Format(time.RFC3339)+`"}`+"\n")
	out, errOut, code := e.run(t, "collect", "--from", "2000-01-01")
	if code != 100 {
		t.Fatalf("partial collect: exit %d, want 100\n%s\n%s", code, out, errOut)
	}
	summary := out[strings.Index(out, "Not collected:"):]
	for _, want := range []string{
		"aws_cloudtrail_log.local: 1 files failed, 1 events skipped, 1 values not read",
		bad + ": ",
		events + ": 1 events skipped, 1 values not read",
		`record 1: event "nt": missing eventTime`,
		`record 2: event "cd": unparsable userIdentity.sessionContext.attributes.creationDate "soon"`,
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if !strings.Contains(errOut, "collection incomplete in 1 of 1 partitions: 1 files not collected, 1 events skipped, 1 values not read") {
		t.Errorf("stderr:\n%s", errOut)
	}
	if got := countRows(t, e); got != fmt.Sprint(n+2) {
		t.Fatalf("lake has %s rows, want %d: the rest was collected", got, n+2)
	}

	// The failed file is tried again, and fails again: still 100.
	if out, errOut, code := e.run(t, "collect"); code != 100 || !strings.Contains(out, bad) || strings.Contains(out, events+":") {
		t.Fatalf("second partial collect: exit %d\n%s\n%s", code, out, errOut)
	}

	// 101: another partition fails; it wins over the first one's 100.
	e.brokenPartitionConfig(t, logs)
	out, errOut, code = e.run(t, "collect", "--from", "2000-01-01")
	if code != 101 {
		t.Fatalf("failed partition: exit %d, want 101\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "aws_cloudtrail_log.broken: collection failed: ") || !strings.Contains(out, "no_such_column") ||
		!strings.Contains(out, "aws_cloudtrail_log.local: 1 files failed") || !strings.Contains(errOut, "1 of 2 partitions failed") {
		t.Errorf("failed partition output:\n%s\n%s", out, errOut)
	}
	if _, _, code := e.run(t, "collect", "aws_cloudtrail_log.broken"); code != 101 {
		t.Errorf("the failed partition alone: exit %d, want 101", code)
	}

	// The bad file is fixed: everything left is collected, 0.
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := e.run(t, "collect", "aws_cloudtrail_log.local"); code != 0 {
		t.Fatalf("after the fix: exit %d\n%s\n%s", code, out, errOut)
	}

	// 2: usage and configuration errors, before anything is collected.
	for _, args := range [][]string{
		{"collect", "--from", "last tuesday"},
		{"collect", "--to", "T+1d"},
		{"collect", "--from", "2024-02-01", "--to", "2024-01-01"},
		{"collect", "--no-such-flag"},
		{"collect", "aws_cloudtrail_log.nope"},
		{"--log-level", "loud", "collect"},
	} {
		if out, errOut, code := e.run(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s\n%s", args, code, out, errOut)
		}
	}
	writeFile(t, filepath.Join(e.configDir, "bad.tpc"), "partition \"aws_cloudtrail_log\" {\n")
	if _, errOut, code := e.run(t, "collect"); code != 2 || !strings.Contains(errOut, "bad.tpc:") {
		t.Errorf("bad config: exit %d, want 2\n%s", code, errOut)
	}
}

// TestServeReportsAFailingFileOnce: the background refresh logs a file that
// keeps failing once, not every interval, and tpserver.partitions shows it.
func TestServeReportsAFailingFileOnce(t *testing.T) {
	e := newEnv(t)
	logs := filepath.Join(t.TempDir(), "trail")
	writeFixture(t, logs)
	e.localPartitionConfig(t, logs)
	bad := filepath.Join(fixtureDayDir(logs, 1), "bad.json.gz")
	writeFile(t, bad, "this is not gzip")

	port, serverLog := e.serveWithArgs(t, "--refresh-interval", "200ms")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://analyst@127.0.0.1:%d/tpserver?sslmode=disable", port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var runs, failing, failedFiles int64
	var file, reason string
	var at time.Time
	for {
		err := conn.QueryRow(ctx, `select runs, failing_files, last_failed_files, coalesce(last_failure_file, ''), coalesce(last_failure, ''),
			coalesce(last_failure_time, 'epoch'::timestamptz) from tpserver.partitions`).Scan(&runs, &failing, &failedFiles, &file, &reason, &at)
		if err != nil {
			t.Fatalf("tpserver.partitions: %v", err)
		}
		if runs >= 4 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("only %d runs", runs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if failing != 1 || failedFiles != 1 || file != bad || reason == "" || time.Since(at) > time.Minute {
		t.Fatalf("tpserver.partitions after %d runs: failing_files %d, last_failed_files %d, last_failure_file %q, last_failure %q, last_failure_time %v",
			runs, failing, failedFiles, file, reason, at)
	}
	if got := strings.Count(serverLog.String(), "file not collected"); got != 1 {
		t.Errorf("the failing file was logged %d times in %d runs, want once:\n%s", got, runs, serverLog.String())
	}
}
