package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/lake"
)

// writeGz writes content gzipped to path, creating its folder.
func writeGz(t testing.TB, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(content)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dayDir is the S3 delivery folder of an account's day under root.
func dayDir(root, account string, day time.Time) string {
	return filepath.Join(root, "AWSLogs", account, "CloudTrail", "us-east-1", day.Format("2006/01/02"))
}

// logged returns the messages logged at level or above with their file field.
func logged(obs *observer.ObservedLogs, level zapcore.Level) []string {
	var out []string
	for _, e := range obs.All() {
		if e.Level < level {
			continue
		}
		out = append(out, fmt.Sprintf("%s %v", e.Message, e.ContextMap()["file"]))
	}
	return out
}

// TestEventProblemDetailsAreBounded: a file of 100k bad events is counted
// exactly but keeps (and logs) only MaxEventDetails of them, and a run with
// more failing files than MaxProblemFiles describes only that many.
func TestEventProblemDetailsAreBounded(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	const bad = 100_000
	var b bytes.Buffer
	for i := range bad {
		fmt.Fprintf(&b, "{\"eventID\":\"e%d\",\"eventName\":\"NoTime\"}\n", i)
	}
	// Two good events, one of them with an unparsable creationDate.
	b.WriteString(`{"eventID":"ok1","eventTime":"2024-03-01T00:00:00Z"}` + "\n")
	b.WriteString(`{"eventID":"ok2","eventTime":"2024-03-01T00:00:01Z","userIdentity":{"sessionContext":{"attributes":{"creationDate":"yesterday"}}}}` + "\n")
	badFile := filepath.Join(dayDir(src, "111122223333", day), "many-bad.json.gz")
	writeGz(t, badFile, b.Bytes())

	core, obs := observer.New(zapcore.DebugLevel)
	c := &Collector{DataDir: data, Logger: zap.New(core)}
	prog := &Progress{}
	res, err := c.Collect(context.Background(), testPartition(t, src), Options{From: epoch, Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowErrors != bad || res.RowWarnings != 1 || res.Rows != 2 || res.Collected != 1 || prog.RowErrors.Load() != bad || prog.RowWarnings.Load() != 1 {
		t.Fatalf("counts: row errors %d, warnings %d, rows %d, collected %d; progress %d/%d",
			res.RowErrors, res.RowWarnings, res.Rows, res.Collected, prog.RowErrors.Load(), prog.RowWarnings.Load())
	}
	if len(res.Problems) != 1 {
		t.Fatalf("%d problem files, want 1", len(res.Problems))
	}
	p := res.Problems[0]
	if p.Location != badFile || p.SkippedEvents != bad || p.Warnings != 1 || len(p.Events) != MaxEventDetails {
		t.Fatalf("problems of %s: %d skipped, %d warnings, %d details; want %d, 1, %d",
			p.Location, p.SkippedEvents, p.Warnings, len(p.Events), bad, MaxEventDetails)
	}
	if e := p.Events[0]; !e.Skipped || !strings.Contains(e.Err.Error(), `record 1: event "e0": missing eventTime`) {
		t.Errorf("first detail: %+v", e)
	}
	if lines := len(logged(obs, zapcore.WarnLevel)); lines > MaxEventDetails+1 {
		t.Errorf("%d warning lines logged for one file, want at most %d", lines, MaxEventDetails+1)
	}

	// Many failing files: counted, described up to MaxProblemFiles.
	src2 := t.TempDir()
	const files = MaxProblemFiles + 5
	for i := range files {
		p := filepath.Join(dayDir(src2, "111122223333", day), fmt.Sprintf("f%04d.json.gz", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("not gzip"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err = (&Collector{DataDir: t.TempDir()}).Collect(context.Background(), testPartition(t, src2), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.FailedFiles != files || len(res.Problems) != MaxProblemFiles || res.ProblemsOmitted != 5 {
		t.Fatalf("failed %d, described %d, omitted %d; want %d, %d, 5", res.FailedFiles, len(res.Problems), res.ProblemsOmitted, files, MaxProblemFiles)
	}
}

// TestDigestFilesAreReportedAsDigests: digest files, known by name (not even
// downloaded) or by content, are counted as digests on the first run, not
// as already collected, and a later run still tells them apart.
func TestDigestFilesAreReportedAsDigests(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	writeTrail(t, src, day, "log", 3, "111122223333")
	digest := []byte(`{"awsAccountId":"111122223333","digestStartTime":"2024-03-01T00:00:00Z","digestEndTime":"2024-03-01T01:00:00Z","digestPublicKeyFingerprint":"abc","digestSignatureAlgorithm":"SHA256withRSA","logFiles":[]}`)
	writeGz(t, filepath.Join(src, "AWSLogs", "111122223333", "CloudTrail-Digest", "us-east-1", "2024", "03", "01",
		"111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20240301T010000Z.json.gz"), digest)
	writeGz(t, filepath.Join(src, "elsewhere", "renamed-digest.json.gz"), digest)
	// Every file under the path, as without a file_layout.
	p := &config.Partition{Table: lake.CloudTrailTableName, Name: "test", Source: config.Source{Type: "file", Paths: []string{src}}}

	c := &Collector{DataDir: data}
	prog := &Progress{}
	res, err := c.Collect(context.Background(), p, Options{From: epoch, Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	if res.Discovered != 3 || res.Collected != 1 || res.Digests != 2 || res.Skipped != 0 || res.FailedFiles != 0 || res.Rows != 3 {
		t.Fatalf("first run: discovered %d, collected %d, digests %d, already collected %d, failed %d, rows %d",
			res.Discovered, res.Collected, res.Digests, res.Skipped, res.FailedFiles, res.Rows)
	}
	if prog.Digests.Load() != 2 || prog.Skipped.Load() != 0 || prog.Downloaded.Load() != 2 {
		t.Fatalf("progress: digests %d, already collected %d, downloaded %d; want 2, 0, 2 (the named digest is not read)",
			prog.Digests.Load(), prog.Skipped.Load(), prog.Downloaded.Load())
	}
	res, err = c.Collect(context.Background(), p, Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Collected != 0 || res.Skipped != 1 || res.Digests != 2 {
		t.Fatalf("second run: collected %d, already collected %d, digests %d; want 0, 1, 2", res.Collected, res.Skipped, res.Digests)
	}
}

// TestRepeatedFailuresAreLoggedOnce: with Failures kept across runs, a file
// that fails again for the same reason is not logged as news; a new reason
// is, and so is its recovery. Failures tracks the failing files.
func TestRepeatedFailuresAreLoggedOnce(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	writeTrail(t, src, day, "good", 2, "111122223333")
	bad := filepath.Join(dayDir(src, "111122223333", day), "bad.json.gz")
	if err := os.WriteFile(bad, []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	core, obs := observer.New(zapcore.DebugLevel)
	c := &Collector{DataDir: data, Logger: zap.New(core)}
	failures := &Failures{}
	run := func() *Result {
		t.Helper()
		obs.TakeAll()
		res, err := c.Collect(context.Background(), testPartition(t, src), Options{From: epoch, Failures: failures})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	warnings := func() string { return strings.Join(logged(obs, zapcore.WarnLevel), "\n") }

	res := run()
	if res.FailedFiles != 1 || warnings() != "file not collected "+bad {
		t.Fatalf("first run: %d failed; warnings:\n%s", res.FailedFiles, warnings())
	}
	n, latest := failures.Current()
	if n != 1 || latest.Location != bad || !strings.Contains(latest.Reason, "invalid character") || latest.Since.IsZero() {
		t.Fatalf("failures after run 1: %d %+v", n, latest)
	}
	since := latest.Since

	for range 2 {
		res = run()
		if res.FailedFiles != 1 || len(res.Problems) != 1 || warnings() != "" {
			t.Fatalf("same failure again: %d failed, %d problems; warnings:\n%s", res.FailedFiles, len(res.Problems), warnings())
		}
		if got := obs.FilterMessage("file still not collected").Len(); got != 1 {
			t.Fatalf("debug lines for the repeated failure: %d", got)
		}
	}
	if n, latest := failures.Current(); n != 1 || !latest.Since.Equal(since) {
		t.Fatalf("failures after repeats: %d %+v", n, latest)
	}

	// A different reason is news.
	writeGz(t, bad, []byte(`{"Records":[{"eventTime":`))
	res = run()
	if res.FailedFiles != 1 || warnings() != "file not collected, for a new reason "+bad {
		t.Fatalf("new reason: warnings:\n%s", warnings())
	}
	if e := obs.FilterMessage("file not collected, for a new reason").All(); len(e) != 1 || !strings.Contains(fmt.Sprint(e[0].ContextMap()["previous_reason"]), "invalid character") {
		t.Fatalf("new reason entry: %+v", e)
	}

	// Fixed: collected, reported, forgotten.
	writeTrail(t, src, day, "bad", 1, "111122223333")
	res = run()
	if res.FailedFiles != 0 || res.Collected != 1 || obs.FilterMessage("file read after failing before").Len() != 1 {
		t.Fatalf("recovery: %d failed, %d collected; log %v", res.FailedFiles, res.Collected, logged(obs, zapcore.InfoLevel))
	}
	if n, _ := failures.Current(); n != 0 {
		t.Fatalf("%d failing files after recovery", n)
	}
}

func TestFailureReasonIgnoresRequestIDs(t *testing.T) {
	a := errors.New("open: operation error S3: GetObject, https response error StatusCode: 403, RequestID: 8QX1, HostID: abc=, api error AccessDenied: Access Denied")
	b := errors.New("open: operation error S3: GetObject, https response error StatusCode: 403, RequestID: 9ZZ2, HostID: xyz=, api error AccessDenied: Access Denied")
	want := "open: operation error S3: GetObject, https response error StatusCode: 403, api error AccessDenied: Access Denied"
	if failureReason(a) != want || failureReason(b) != want {
		t.Fatalf("reasons:\n%s\n%s\nwant\n%s", failureReason(a), failureReason(b), want)
	}
	var f Failures
	now := time.Now()
	if _, news := f.record("k", a, now); !news {
		t.Fatal("first failure is not news")
	}
	if _, news := f.record("k", b, now); news {
		t.Fatal("the same failure with another request id is news")
	}
	if _, news := f.record("k", errors.New("open: timeout"), now); !news {
		t.Fatal("a new reason is not news")
	}
	var none *Failures
	if _, news := none.record("k", a, now); !news {
		t.Fatal("without memory every failure is news")
	}
}

// TestSchedulerReportsFailuresOnce: across background runs a failing file
// and a failing partition are logged once, and the status shows the
// failing file.
func TestSchedulerReportsFailuresOnce(t *testing.T) {
	src := t.TempDir()
	day := time.Now().UTC().Truncate(24 * time.Hour)
	writeTrail(t, src, day, "good", 2, "111122223333")
	bad := filepath.Join(dayDir(src, "111122223333", day), "bad.json.gz")
	if err := os.WriteFile(bad, []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := testPartition(t, src)
	src2 := t.TempDir()
	writeTrail(t, src2, day, "other", 2, "111122223333")
	broken := testPartition(t, src2)
	broken.Name = "broken"
	broken.Filter = "no_such_column = 1" // every run fails when it applies the filter

	core, obs := observer.New(zapcore.DebugLevel)
	log := zap.New(core)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const runs = 3
	statuses := make(chan []Status, 100)
	s := &Scheduler{
		Collector:  &Collector{DataDir: t.TempDir(), Logger: log},
		Partitions: []*config.Partition{good, broken},
		Interval:   20 * time.Millisecond,
		Logger:     log,
		OnStatus: func(st []Status) {
			if st[1].Runs >= runs && !st[0].Running {
				select {
				case statuses <- st:
				default:
				}
			}
		},
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var st []Status
	select {
	case st = <-statuses:
	case <-time.After(2 * time.Minute):
		t.Fatal("scheduler did not run 3 times")
	}
	cancel()
	<-done

	if st[0].Runs < runs || st[0].FailingFiles != 1 || st[0].LastFailure.Location != bad || st[0].LastFailure.Reason == "" || st[0].FailedFiles != 1 {
		t.Fatalf("status of the partition with a bad file: %+v", st[0])
	}
	if st[1].LastError == "" || !strings.Contains(st[1].LastError, "no_such_column") {
		t.Fatalf("status of the broken partition: %+v", st[1])
	}
	if n := obs.FilterMessage("file not collected").Len(); n != 1 {
		t.Errorf("the failing file was logged %d times as news over %d runs, want once", n, st[0].Runs)
	}
	if n := obs.FilterMessage("file still not collected").Len(); n < runs-1 {
		t.Errorf("repeats logged at debug level %d times, want at least %d", n, runs-1)
	}
	if n := obs.FilterMessage("background collection failed").Len(); n != 1 {
		t.Errorf("the failing partition was logged %d times as an error, want once", n)
	}
}
