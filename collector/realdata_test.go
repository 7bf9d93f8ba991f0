package collector

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tpserver/tpserver/collector/cloudtrail"
	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/config/layout"
	"github.com/tpserver/tpserver/lake"
)

// sharedTestdataEnv points to the shared test data: either the folder of
// the CloudTrail samples (holding FILES.csv) or its parent.
const sharedTestdataEnv = "TPSERVER_SHARED_TESTDATA"

// realSampleLayout picks the sample files of the real-data folder: JSON,
// JSON lines and gzip files anywhere, and CSV files only under malformed/.
// Documentation (SOURCES.md, FILES.csv, READMEs, *.error.txt), Panther's
// YAML originals and its _labels.csv are not log files and are left out.
const realSampleLayout = `%{GREEDYDATA}\.(json|jsonl|json\.gz)|%{GREEDYDATA}/malformed/%{DATA}\.csv`

// errorReasons are the phrases one of which every error about a sample must
// contain, so the reason for a rejected file or event is clear.
var errorReasons = []string{"invalid", "unexpected end", "expected", "not a CloudTrail", "missing eventTime", "gzip"}

// notCloudTrail lists supported-looking samples that are not CloudTrail logs
// as written by AWS, with why: all their events are expected as row errors.
var notCloudTrail = map[string]string{
	"otrf-security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.json": "Logstash export: eventTime was replaced by @timestamp, so no event has a usable time",
}

// sample is one row of FILES.csv.
type sample struct {
	path      string // relative to the samples folder, with slashes
	events    int
	format    string
	malformed bool
}

// realDataDir returns the folder of the real CloudTrail samples, or skips
// the test when it is absent.
func realDataDir(t *testing.T) string {
	t.Helper()
	if env := os.Getenv(sharedTestdataEnv); env != "" {
		for _, dir := range []string{env, filepath.Join(env, "cloudtrail")} {
			if _, err := os.Stat(filepath.Join(dir, "FILES.csv")); err == nil {
				return absDir(t, dir)
			}
		}
		t.Fatalf("%s=%s: no FILES.csv there nor in its cloudtrail folder", sharedTestdataEnv, env)
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "..", "shared", "testdata", "cloudtrail")
	if _, err := os.Stat(filepath.Join(dir, "FILES.csv")); err != nil {
		t.Skipf("real CloudTrail samples not available: %v (set %s to use another folder)", err, sharedTestdataEnv)
	}
	return absDir(t, dir)
}

func absDir(t *testing.T, dir string) string {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// moduleRoot returns the nearest directory holding go.mod, from the
// working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// readSamples parses FILES.csv (columns path, events, formats, parse_error).
func readSamples(dir string) ([]sample, error) {
	f, err := os.Open(filepath.Join(dir, "FILES.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read FILES.csv: %w", err)
	}
	if len(recs) < 2 || len(recs[0]) < 3 || recs[0][0] != "path" || recs[0][1] != "events" {
		return nil, fmt.Errorf("FILES.csv: unexpected header %v", recs[0])
	}
	var out []sample
	for i, r := range recs[1:] {
		n, err := strconv.Atoi(r[1])
		if err != nil {
			return nil, fmt.Errorf("FILES.csv line %d: events: %w", i+2, err)
		}
		out = append(out, sample{path: r[0], events: n, format: r[2], malformed: strings.Contains(r[0], "/malformed/")})
	}
	return out, nil
}

// addUnlistedMalformed adds the files under */malformed/ that FILES.csv
// does not list (it lists JSON samples only; SOURCES.md also names the CSV
// export kept there), apart from the *.error.txt notes beside them.
func addUnlistedMalformed(dir string, samples []sample) ([]sample, error) {
	listed := map[string]bool{}
	for _, s := range samples {
		listed[s.path] = true
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*", "malformed", "*"))
	if err != nil {
		return nil, fmt.Errorf("list malformed samples: %w", err)
	}
	for _, m := range matches {
		rel, err := filepath.Rel(dir, m)
		if err != nil {
			return nil, err
		}
		rel = filepath.ToSlash(rel)
		if listed[rel] || strings.HasSuffix(rel, ".error.txt") {
			continue
		}
		samples = append(samples, sample{path: rel, format: "unlisted", malformed: true})
	}
	return samples, nil
}

// TestCollectRealData collects the real public CloudTrail samples in place
// and checks every file's outcome against FILES.csv: malformed files fail
// (or, for events alone, give row errors) with informative messages; every
// other file yields all its events, as rows or as row errors for events
// without a usable eventTime.
func TestCollectRealData(t *testing.T) {
	dir := realDataDir(t)
	samples, err := readSamples(dir)
	if err != nil {
		t.Fatal(err)
	}
	samples, err = addUnlistedMalformed(dir, samples)
	if err != nil {
		t.Fatal(err)
	}
	l, err := layout.Compile(realSampleLayout, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &config.Partition{Table: lake.CloudTrailTableName, Name: "realdata",
		Source: config.Source{Type: "file", Paths: []string{dir}, Layout: l}}
	data := t.TempDir()
	res, err := (&Collector{DataDir: data}).Collect(context.Background(), p, Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("discovered %d, collected %d, skipped %d, failed %d; %d rows, %d row errors",
		res.Discovered, res.Collected, res.Skipped, res.FailedFiles, res.Rows, res.RowErrors)

	// Errors by file; a row error wraps the mapper's error, anything else
	// is the error of a failed file.
	fileErr := map[string]FileError{}
	rowErrs := map[string][]FileError{}
	for _, e := range res.Errors {
		if errors.Is(e.Err, cloudtrail.ErrMissingEventTime) {
			rowErrs[e.Location] = append(rowErrs[e.Location], e)
			continue
		}
		if prev, dup := fileErr[e.Location]; dup {
			t.Errorf("two file errors for %s:\n%v\n%v", e.Location, prev, e)
		}
		fileErr[e.Location] = e
	}
	rows := lakeRowsBySource(t, data)

	if res.Discovered != len(samples) {
		t.Errorf("discovered %d files, want the %d samples", res.Discovered, len(samples))
	}
	if got := res.Collected + res.FailedFiles + res.Skipped; got != res.Discovered {
		t.Errorf("collected %d + failed %d + skipped %d != discovered %d", res.Collected, res.FailedFiles, res.Skipped, res.Discovered)
	}
	var wantRows, wantRowErrs int64
	var failed, skipped int
	for _, s := range samples {
		loc := filepath.Join(dir, filepath.FromSlash(s.path))
		got, fe, re := rows[loc], fileErr[loc], rowErrs[loc]
		delete(rows, loc)
		delete(fileErr, loc)
		delete(rowErrs, loc)
		for _, e := range re {
			checkInformative(t, e, loc)
		}
		switch {
		case s.malformed && strings.Contains(s.path, "digest"):
			// A CloudTrail-Digest file holds no events: it is skipped, not failed.
			skipped++
			if fe.Err != nil || len(re) > 0 || got > 0 {
				t.Errorf("%s: digest file should be skipped silently; error %v, %d row errors, %d rows", s.path, fe.Err, len(re), got)
			}
		case s.malformed:
			switch {
			case fe.Err != nil:
				failed++
				t.Logf("%s: failed: %v", s.path, fe.Err)
				checkInformative(t, fe, loc)
				if len(re) > 0 || got > 0 {
					t.Errorf("%s: failed file still gave %d rows, %d row errors", s.path, got, len(re))
				}
			case len(re) > 0 && got == 0:
				// The JSON is fine but no event is usable (e.g. a partial
				// record without eventTime).
				t.Logf("%s: %d row errors, first: %v", s.path, len(re), re[0].Err)
				wantRowErrs += int64(len(re))
			default:
				t.Errorf("%s: malformed sample collected as %d rows, %d row errors; want a failed file or row errors", s.path, got, len(re))
			}
		default:
			if fe.Err != nil {
				t.Errorf("%s (%s): %v", s.path, s.format, fe)
				continue
			}
			if why, ok := notCloudTrail[s.path]; ok {
				if got != 0 || len(re) != s.events {
					t.Errorf("%s: %s; got %d rows, %d row errors, want 0 rows, %d row errors", s.path, why, got, len(re), s.events)
				}
			} else if got+int64(len(re)) != int64(s.events) {
				t.Errorf("%s (%s): %d rows + %d row errors, FILES.csv says %d events", s.path, s.format, got, len(re), s.events)
			}
			wantRows += int64(s.events - len(re))
			wantRowErrs += int64(len(re))
		}
	}
	for _, loc := range sortedKeys(rows) {
		t.Errorf("lake has %d rows from %s, which is not a sample", rows[loc], loc)
	}
	for _, loc := range sortedKeys(fileErr) {
		t.Errorf("error for a file that is not a sample: %v", fileErr[loc])
	}
	for _, loc := range sortedKeys(rowErrs) {
		t.Errorf("%d row errors for a file that is not a sample: %v", len(rowErrs[loc]), rowErrs[loc][0])
	}
	if res.FailedFiles != failed || res.Skipped != skipped {
		t.Errorf("failed %d, skipped %d; want %d failed, %d skipped", res.FailedFiles, res.Skipped, failed, skipped)
	}
	if res.Rows != wantRows || res.RowErrors != wantRowErrs {
		t.Errorf("rows %d, row errors %d; want %d, %d", res.Rows, res.RowErrors, wantRows, wantRowErrs)
	}
	if total, _ := lakeRows(t, data); total != wantRows {
		t.Errorf("lake holds %d rows, want %d", total, wantRows)
	}
}

// checkInformative fails the test unless e names the file loc and gives a
// recognisable reason.
func checkInformative(t *testing.T, e FileError, loc string) {
	t.Helper()
	msg := e.Error()
	if !strings.Contains(msg, loc) {
		t.Errorf("error does not name the file %s: %s", loc, msg)
	}
	for _, r := range errorReasons {
		if strings.Contains(msg, r) {
			return
		}
	}
	t.Errorf("error gives no recognisable reason (one of %q): %s", errorReasons, msg)
}

// lakeRowsBySource counts the lake's rows per tp_source_location.
func lakeRowsBySource(t *testing.T, dataDir string) map[string]int64 {
	t.Helper()
	files, err := lake.LiveFiles(dataDir, lake.CloudTrailTableName)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	if len(files) == 0 {
		return out
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := "SELECT tp_source_location, count(*) FROM (" + lake.CloudTrailLog().ScanSQL(files) + ") GROUP BY 1"
	rs, err := db.Query(q)
	if err != nil {
		t.Fatalf("count rows per source: %v", err)
	}
	defer rs.Close()
	for rs.Next() {
		var loc string
		var n int64
		if err := rs.Scan(&loc, &n); err != nil {
			t.Fatal(err)
		}
		out[loc] = n
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sortedKeys is for stable log output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
