package collector

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tpserver/tpserver/collector/cloudtrail"
	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/config/layout"
	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/lake"
)

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
// without a usable eventTime. Samples share events (rule tests reuse them):
// the lake holds each event once.
func TestCollectRealData(t *testing.T) {
	dir := testsupport.CloudTrailSamples(t)
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

	// Problems by file: the error of a failed file, or its skipped events.
	fileErr := map[string]error{}
	rowErrs := map[string]FileProblems{}
	if res.ProblemsOmitted != 0 {
		t.Errorf("%d files with problems not described", res.ProblemsOmitted)
	}
	for _, p := range res.Problems {
		if _, dup := fileErr[p.Location]; dup {
			t.Errorf("two problem reports for %s", p.Location)
		}
		if _, dup := rowErrs[p.Location]; dup {
			t.Errorf("two problem reports for %s", p.Location)
		}
		if p.Warnings > 0 {
			t.Errorf("%s: %d values not read, first %v", p.Location, p.Warnings, p.Events[0].Err)
		}
		if p.Err != nil {
			fileErr[p.Location] = p.Err
			continue
		}
		for _, e := range p.Events {
			if e.Skipped && !errors.Is(e.Err, cloudtrail.ErrMissingEventTime) {
				t.Errorf("%s: event skipped for an unexpected reason: %v", p.Location, e.Err)
			}
		}
		if n := min(p.SkippedEvents+p.Warnings, MaxEventDetails); int64(len(p.Events)) != n {
			t.Errorf("%s: %d event details, want %d", p.Location, len(p.Events), n)
		}
		rowErrs[p.Location] = p
	}
	rows := lakeRowsBySource(t, data)
	// Each file's events as decoded on their own, and the identities of all.
	fileRows := map[string]int64{}
	allIDs := map[string]bool{}
	for _, s := range samples {
		loc := filepath.Join(dir, filepath.FromSlash(s.path))
		ids := decodedIDs(loc)
		fileRows[loc] = int64(len(ids))
		for _, id := range ids {
			allIDs[id] = true
		}
	}

	if res.Discovered != len(samples) {
		t.Errorf("discovered %d files, want the %d samples", res.Discovered, len(samples))
	}
	if got := res.Collected + res.FailedFiles + res.Skipped + res.Digests; got != res.Discovered {
		t.Errorf("collected %d + failed %d + skipped %d + digests %d != discovered %d", res.Collected, res.FailedFiles, res.Skipped, res.Digests, res.Discovered)
	}
	var wantRows, wantRowErrs int64
	var failed, skipped int
	for _, s := range samples {
		loc := filepath.Join(dir, filepath.FromSlash(s.path))
		got, fe, re := fileRows[loc], fileErr[loc], rowErrs[loc]
		if rows[loc] > got {
			t.Errorf("%s: %d rows in the lake, %d events in the file", s.path, rows[loc], got)
		}
		delete(rows, loc)
		delete(fileErr, loc)
		delete(rowErrs, loc)
		for _, e := range re.Events {
			checkInformative(t, e.Err)
		}
		switch {
		case s.malformed && strings.Contains(s.path, "digest"):
			// A CloudTrail-Digest file holds no events: it is skipped, not failed.
			skipped++
			if fe != nil || re.SkippedEvents > 0 || got > 0 {
				t.Errorf("%s: digest file should be skipped silently; error %v, %d row errors, %d rows", s.path, fe, re.SkippedEvents, got)
			}
		case s.malformed:
			switch {
			case fe != nil:
				failed++
				t.Logf("%s: failed: %v", s.path, fe)
				checkInformative(t, fe)
				if re.SkippedEvents > 0 || got > 0 {
					t.Errorf("%s: failed file still gave %d rows, %d row errors", s.path, got, re.SkippedEvents)
				}
			case re.SkippedEvents > 0 && got == 0:
				// The JSON is fine but no event is usable (e.g. a partial
				// record without eventTime).
				t.Logf("%s: %d row errors, first: %v", s.path, re.SkippedEvents, re.Events[0].Err)
				wantRowErrs += re.SkippedEvents
			default:
				t.Errorf("%s: malformed sample collected as %d rows, %d row errors; want a failed file or row errors", s.path, got, re.SkippedEvents)
			}
		default:
			if fe != nil {
				t.Errorf("%s (%s): %v", s.path, s.format, fe)
				continue
			}
			if why, ok := notCloudTrail[s.path]; ok {
				if got != 0 || re.SkippedEvents != int64(s.events) {
					t.Errorf("%s: %s; got %d rows, %d row errors, want 0 rows, %d row errors", s.path, why, got, re.SkippedEvents, s.events)
				}
			} else if got+re.SkippedEvents != int64(s.events) {
				t.Errorf("%s (%s): %d rows + %d row errors, FILES.csv says %d events", s.path, s.format, got, re.SkippedEvents, s.events)
			}
			wantRows += int64(s.events) - re.SkippedEvents
			wantRowErrs += re.SkippedEvents
		}
	}
	for _, loc := range sortedKeys(rows) {
		t.Errorf("lake has %d rows from %s, which is not a sample", rows[loc], loc)
	}
	for _, loc := range sortedKeys(fileErr) {
		t.Errorf("error for a file that is not a sample: %v", fileErr[loc])
	}
	for _, loc := range sortedKeys(rowErrs) {
		t.Errorf("%d row errors for %s, which is not a sample", rowErrs[loc].SkippedEvents, loc)
	}
	if res.FailedFiles != failed || res.Digests != skipped || res.Skipped != 0 {
		t.Errorf("failed %d, digests %d, already collected %d; want %d failed, %d digests, none already collected",
			res.FailedFiles, res.Digests, res.Skipped, failed, skipped)
	}
	if res.Rows+res.Duplicates != wantRows || res.RowErrors != wantRowErrs {
		t.Errorf("rows %d + duplicates %d, row errors %d; want %d, %d", res.Rows, res.Duplicates, res.RowErrors, wantRows, wantRowErrs)
	}
	t.Logf("%d events, %d distinct, %d duplicates", wantRows, len(allIDs), res.Duplicates)
	if total, ids := lakeRows(t, data); total != int64(len(allIDs)) || ids != total || total != res.Rows {
		t.Errorf("lake holds %d rows, %d distinct tp_ids, collect saved %d; want %d distinct events once", total, ids, res.Rows, len(allIDs))
	}
}

// decodedIDs returns the tp_id of every event of a file that maps to a row,
// duplicates included; none for a file that fails.
func decodedIDs(loc string) []string {
	a := artifact{Location: loc, open: func(context.Context) (io.ReadCloser, error) { return os.Open(loc) }}
	si := cloudtrail.SourceInfo{Table: lake.CloudTrailTableName, Partition: "realdata", SourceType: "file", SourceLocation: loc}
	rows, _, err := readArtifact(context.Background(), a, si, &fileRead{win: allTime}, &Progress{}, nil, nil)
	if err != nil {
		return nil
	}
	id := -1
	for i, c := range lake.CloudTrailLog().Columns {
		if c.Name == "tp_id" {
			id = i
		}
	}
	var out []string
	for i := range rows.Len() {
		out = append(out, rows.Cols[id].Value(i).(string))
	}
	return out
}

// checkInformative fails the test unless e gives a recognisable reason.
func checkInformative(t *testing.T, e error) {
	t.Helper()
	msg := e.Error()
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
