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

	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/lake"
)

// testEvent is one CloudTrail event of a fixture; events with the same id,
// account and time are the same event.
type testEvent struct {
	id      string
	at      time.Time
	account string
}

func (e testEvent) record() map[string]any {
	return map[string]any{
		"eventVersion": "1.08", "eventID": e.id, "eventTime": e.at.Format(time.RFC3339),
		"eventSource": "sts.amazonaws.com", "eventName": "AssumeRole", "awsRegion": "us-east-1",
		"sourceIPAddress": "192.0.2.7", "recipientAccountId": e.account,
		"userIdentity": map[string]any{"type": "IAMUser", "arn": "arn:aws:iam::" + e.account + ":user/u", "userName": "u"},
	}
}

// events returns n events of account, one every step from first, with ids
// prefixed by tag.
func events(tag, account string, first time.Time, step time.Duration, n int) []testEvent {
	out := make([]testEvent, n)
	for i := range out {
		out[i] = testEvent{id: fmt.Sprintf("%s-%04d", tag, i), at: first.Add(time.Duration(i) * step), account: account}
	}
	return out
}

// writeRecords writes events as a gzipped {"Records":[...]} file at path.
func writeRecords(t *testing.T, path string, evs []testEvent) {
	t.Helper()
	recs := make([]map[string]any, len(evs))
	for i, e := range evs {
		recs[i] = e.record()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if err := json.NewEncoder(zw).Encode(map[string]any{"Records": recs}); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeLines writes events as plain JSON lines at path, as an export would.
func writeLines(t *testing.T, path string, evs []testEvent) {
	t.Helper()
	var b strings.Builder
	for _, e := range evs {
		line, _ := json.Marshal(e.record())
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// trailPath is where a trail delivers a file for account and day under root;
// org is the organisation id of an organisation trail, "" for an account trail.
func trailPath(root, org, account string, day time.Time, name string) string {
	parts := []string{root, "AWSLogs"}
	if org != "" {
		parts = append(parts, org)
	}
	parts = append(parts, account, "CloudTrail", "us-east-1", day.Format("2006"), day.Format("01"), day.Format("02"), name+".json.gz")
	return filepath.Join(parts...)
}

// eventSet is the distinct events of fixtures.
type eventSet map[string]testEvent

func (s eventSet) add(evs ...[]testEvent) {
	for _, l := range evs {
		for _, e := range l {
			s[e.account+"/"+e.id+"/"+e.at.String()] = e
		}
	}
}

// inWindow counts the events in [from, to); a zero to is no bound.
func (s eventSet) inWindow(from, to time.Time) int64 {
	var n int64
	for _, e := range s {
		if !e.at.Before(from) && (to.IsZero() || e.at.Before(to)) {
			n++
		}
	}
	return n
}

// lakeQuery runs a query over the live rows of the table, exposed as view t.
func lakeQuery(t *testing.T, dataDir, q string, dest ...any) {
	t.Helper()
	files, err := lake.LiveFiles(dataDir, lake.CloudTrailTableName)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE VIEW t AS " + lake.CloudTrailLog().ScanSQL(files)); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(q).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// checkOnce fails unless the lake holds exactly want rows, all distinct.
func checkOnce(t *testing.T, step, dataDir string, want int64) {
	t.Helper()
	rows, ids := lakeRows(t, dataDir)
	if rows != want || ids != want {
		t.Fatalf("%s: count(*) = %d, count(distinct tp_id) = %d; want %d distinct events once", step, rows, ids, want)
	}
}

func collect(t *testing.T, c *Collector, p *config.Partition, opt Options) *Result {
	t.Helper()
	res, err := c.Collect(context.Background(), p, opt)
	if err != nil {
		t.Fatalf("collect %+v: %v", opt, err)
	}
	if res.FailedFiles != 0 || res.RowErrors != 0 {
		t.Fatalf("collect %+v: %+v", opt, res)
	}
	return res
}

// TestOneRowPerEvent collects the same events through an organisation trail
// and an account trail, through two paths of a source, through another
// source of the same partition, again and again with overlapping
// --overwrite windows and compactions: after every step the partition holds
// each distinct event exactly once.
func TestOneRowPerEvent(t *testing.T) {
	const acct = "111122223333"
	d1 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	d2, d3, d4 := d1.AddDate(0, 0, 1), d1.AddDate(0, 0, 2), d1.AddDate(0, 0, 3)
	trail, export, other, data := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	all := eventSet{}

	// Day 1: the organisation trail and the account trail deliver the same
	// 30 events to two prefixes; each also has 5 of its own.
	shared := events("shared", acct, d1.Add(time.Hour), 10*time.Minute, 30)
	orgOnly := events("org", acct, d1.Add(2*time.Hour), time.Minute, 5)
	acctOnly := events("acct", acct, d1.Add(3*time.Hour), time.Minute, 5)
	orgFile := trailPath(trail, "o-abc123", acct, d1, "org")
	acctFile := trailPath(trail, "", acct, d1, "acct")
	writeRecords(t, orgFile, append(append([]testEvent(nil), shared...), orgOnly...))
	writeRecords(t, acctFile, append(append([]testEvent(nil), shared...), acctOnly...))
	// The same event id in another account, or at another time, is another event.
	twins := []testEvent{{id: "shared-0000", at: d1.Add(time.Hour), account: "444455556666"}, {id: "shared-0000", at: d1.Add(time.Hour + time.Second), account: acct}}
	writeRecords(t, trailPath(trail, "", "444455556666", d1, "twins"), twins)
	all.add(shared, orgOnly, acctOnly, twins)

	c := &Collector{DataDir: data, RetireGrace: time.Hour}
	p := testPartition(t, trail)
	res := collect(t, c, p, Options{From: epoch})
	if res.Collected != 3 || res.Duplicates != 30 || res.Rows != int64(len(all)) {
		t.Fatalf("two trails: %+v", res)
	}
	checkOnce(t, "two trails", data, int64(len(all)))
	// Within a batch the first copy is the first file's: the account
	// trail's path sorts before the organisation trail's.
	var fromAcct int64
	lakeQuery(t, data, "SELECT count(*) FROM t WHERE event_id LIKE 'shared-%' AND recipient_account_id = '"+acct+"' AND tp_source_location = "+lake.QuoteString(acctFile), &fromAcct)
	if fromAcct != 30 {
		t.Fatalf("%d shared events kept from the account trail's file, want all 30", fromAcct)
	}

	// Day 2 arrives through the account trail only, then the organisation
	// trail's copy in a later run: the first committed copy stays.
	day2 := events("day2", acct, d2.Add(time.Hour), time.Minute, 20)
	writeRecords(t, trailPath(trail, "", acct, d2, "acct"), day2)
	all.add(day2)
	res = collect(t, c, p, Options{From: epoch, Compact: true})
	if res.Collected != 1 || res.Duplicates != 0 || res.Rows != 20 {
		t.Fatalf("day 2: %+v", res)
	}
	writeRecords(t, trailPath(trail, "o-abc123", acct, d2, "org"), day2)
	res = collect(t, c, p, Options{From: epoch, Compact: true})
	if res.Collected != 1 || res.Duplicates != 20 || res.Rows != 0 {
		t.Fatalf("day 2 again from the organisation trail: %+v", res)
	}
	checkOnce(t, "successive runs", data, int64(len(all)))

	// A second path of the source holds an export (JSON lines, no layout
	// date) overlapping days 1 and 2, with 10 events of day 3 the trails
	// have not delivered yet.
	day3 := events("day3", acct, d3.Add(time.Hour), time.Minute, 10)
	exportFile := filepath.Join(export, "export.jsonl")
	writeLines(t, exportFile, append(append(append([]testEvent(nil), shared[10:]...), day2[:5]...), day3...))
	all.add(day3)
	ep := &config.Partition{Table: p.Table, Name: p.Name, Source: config.Source{Type: "file", Paths: []string{trail, export}}}
	res = collect(t, c, ep, Options{From: epoch, Compact: true})
	if res.Duplicates != 25 || res.Rows != 10 {
		t.Fatalf("export through a second path: %+v", res)
	}
	checkOnce(t, "export", data, int64(len(all)))

	// The partition is pointed at another source (a copy of the trail
	// bucket, plus day 4): only day 4 is new.
	day4 := events("day4", acct, d4.Add(time.Hour), time.Minute, 8)
	writeRecords(t, trailPath(other, "o-abc123", acct, d1, "org"), append(append([]testEvent(nil), shared...), orgOnly...))
	writeRecords(t, trailPath(other, "o-abc123", acct, d3, "org"), day3)
	writeRecords(t, trailPath(other, "o-abc123", acct, d4, "org"), day4)
	all.add(day4)
	op := testPartition(t, other)
	res = collect(t, c, op, Options{From: epoch, Compact: true})
	if res.Collected != 3 || res.Duplicates != 45 || res.Rows != 8 {
		t.Fatalf("another source: %+v", res)
	}
	checkOnce(t, "another source", data, int64(len(all)))

	// --overwrite of day 1 through the first source: the account trail's
	// file holds the kept copies of the shared events, and the export and
	// the organisation trail hold them too. Each is re-read for day 1 (the
	// export, without a layout date, always matches): the events come back
	// once.
	steps := []struct {
		name     string
		p        *config.Partition
		from, to time.Time
	}{
		{"overwrite day 1", ep, d1, d2},
		{"overwrite days 1-2, overlapping", ep, d1.Add(12 * time.Hour), d3},
		{"overwrite day 2 through the trails alone", p, d2, d3},
		{"overwrite everything through the other source", op, epoch, time.Time{}},
		{"overwrite days 2-4 through the export source", ep, d2, time.Time{}},
		{"overwrite a few minutes of day 1", ep, d1.Add(time.Hour + 30*time.Minute), d1.Add(time.Hour + 50*time.Minute)},
	}
	compacted := 0
	for i, s := range steps {
		// New deliveries on days 1 and 2 before each step, so days have
		// small files to compact.
		for _, d := range []time.Time{d1, d2} {
			extra := events(fmt.Sprintf("extra%d", i), acct, d.Add(30*time.Minute), time.Hour, 24)
			writeRecords(t, trailPath(trail, "", acct, d, fmt.Sprintf("extra%d", i)), extra)
			all.add(extra)
		}
		if res = collect(t, c, p, Options{From: epoch}); res.Rows != 48 {
			t.Fatalf("%s: new deliveries: %+v", s.name, res)
		}
		res = collect(t, c, s.p, Options{From: s.from, To: s.to, Overwrite: true})
		in := all.inWindow(s.from, s.to)
		t.Logf("%s: overwrote %d rows, collected %d files, %d rows, %d duplicates", s.name, res.Overwritten, res.Collected, res.Rows, res.Duplicates)
		if res.Rows > in || res.Overwritten != res.Rows {
			t.Fatalf("%s: %d rows deleted, %d saved; the window holds %d events: %+v", s.name, res.Overwritten, res.Rows, in, res)
		}
		checkOnce(t, s.name, data, int64(len(all)))
		var inLake int64
		from, to := s.from.Format(time.RFC3339), "infinity"
		if !s.to.IsZero() {
			to = s.to.Format(time.RFC3339)
		}
		lakeQuery(t, data, fmt.Sprintf("SELECT count(*) FROM t WHERE tp_timestamp >= TIMESTAMP '%s' AND tp_timestamp < TIMESTAMP '%s'", from, to), &inLake)
		if inLake != in {
			t.Fatalf("%s: %d rows in the window, want %d", s.name, inLake, in)
		}
		cr, err := c.Compact(context.Background(), s.p)
		if err != nil {
			t.Fatal(err)
		}
		checkOnce(t, s.name+", compacted", data, int64(len(all)))
		t.Logf("  compaction: %+v", *cr)
		compacted += cr.FilesBefore
	}
	if compacted == 0 {
		t.Fatal("no compaction merged files")
	}

	// A normal run afterwards finds nothing to do.
	for _, q := range []*config.Partition{p, ep, op} {
		res = collect(t, c, q, Options{From: epoch})
		if res.Collected != 0 || res.Rows != 0 {
			t.Fatalf("after the overwrites: %+v", res)
		}
	}
	checkOnce(t, "end", data, int64(len(all)))
}
