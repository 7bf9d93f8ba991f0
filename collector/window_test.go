package collector

import (
	"bufio"
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

// logLines returns the collection log entries of the test partition.
func logLines(t *testing.T, c *Collector) []logEntry {
	t.Helper()
	f, err := os.Open(lake.LogPath(c.stateDir(), lake.CloudTrailTableName, "test"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []logEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e logEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

// lakeTimes returns count(*), count(distinct tp_id) and the number of rows
// in [from, to) of the lake.
func lakeWindowRows(t *testing.T, dataDir string, from, to time.Time) (rows, ids, in int64) {
	t.Helper()
	q := fmt.Sprintf("SELECT count(*), count(DISTINCT tp_id), count(*) FILTER (WHERE tp_timestamp >= TIMESTAMP '%s' AND tp_timestamp < TIMESTAMP '%s') FROM t",
		from.Format(time.RFC3339), to.Format(time.RFC3339))
	lakeQuery(t, dataDir, q, &rows, &ids, &in)
	return rows, ids, in
}

// TestWindowBoundsRows collects a file without a layout date that holds
// events from 2013 to 2025 with a ten-minute window, then a wider one, then
// everything: each run stores exactly the events of its window not stored
// yet, and a run over a window already covered reads nothing.
func TestWindowBoundsRows(t *testing.T) {
	const acct = "111122223333"
	src, data := t.TempDir(), t.TempDir()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	all := eventSet{}
	all.add(
		events("y2013", acct, at("2013-05-01T10:00:00Z"), time.Hour, 3),
		events("y2016", acct, at("2016-02-29T23:59:00Z"), time.Minute, 2),
		events("y2024", acct, at("2024-01-01T12:00:00Z"), time.Minute, 10),
		events("y2025", acct, at("2025-06-01T00:00:00Z"), 24*time.Hour, 4),
	)
	var evs []testEvent
	for _, e := range all {
		evs = append(evs, e)
	}
	history := filepath.Join(src, "exports", "history.jsonl")
	writeLines(t, history, evs)
	p := &config.Partition{Table: lake.CloudTrailTableName, Name: "test", Source: config.Source{Type: "file", Paths: []string{src}}}
	c := &Collector{DataDir: data}

	type run struct {
		name             string
		from, to         time.Time
		collected, rows  int64
		outside, total   int64
		partialAfterward bool
	}
	narrow := run{"ten minutes", at("2024-01-01T12:03:00Z"), at("2024-01-01T12:13:00Z"), 1, 7, 12, 7, true}
	wider := run{"2016 to 2024", at("2016-01-01T00:00:00Z"), at("2025-01-01T00:00:00Z"), 1, 5, 7, 12, true}
	everything := run{"everything", epoch, time.Time{}, 1, 7, 0, 19, false}
	covered := func(name string, from, to time.Time, total int64) run {
		return run{name, from, to, 0, 0, 0, total, false}
	}
	runs := []run{
		narrow,
		covered("the ten minutes again", narrow.from, narrow.to, 7),
		covered("two minutes of the ten", at("2024-01-01T12:05:00Z"), at("2024-01-01T12:07:00Z"), 7),
		wider,
		covered("2016 to 2024 again", wider.from, wider.to, 12),
		covered("2020 to 2024-06", at("2020-01-01T00:00:00Z"), at("2024-06-01T00:00:00Z"), 12),
		covered("before the first event", at("2010-01-01T00:00:00Z"), at("2013-01-01T00:00:00Z"), 12),
		everything,
		covered("everything again", epoch, time.Time{}, 19),
		covered("the ten minutes after everything", narrow.from, narrow.to, 19),
	}
	for _, r := range runs {
		res := collect(t, c, p, Options{From: r.from, To: r.to})
		if int64(res.Collected) != r.collected || res.Rows != r.rows || res.OutsideWindow != r.outside || res.Duplicates != 0 {
			t.Fatalf("%s: collected %d files, %d rows, %d outside the window, %d duplicates; want %d, %d, %d, 0",
				r.name, res.Collected, res.Rows, res.OutsideWindow, res.Duplicates, r.collected, r.rows, r.outside)
		}
		if r.collected == 0 && res.Skipped != 1 {
			t.Fatalf("%s: the covered file was not skipped: %+v", r.name, res)
		}
		to := r.to
		if to.IsZero() {
			to = at("2100-01-01T00:00:00Z")
		}
		rows, ids, in := lakeWindowRows(t, data, r.from, to)
		if rows != r.total || ids != rows || in != all.inWindow(r.from, r.to) {
			t.Fatalf("%s: lake has %d rows, %d distinct, %d in the window; want %d, %d, %d",
				r.name, rows, ids, in, r.total, r.total, all.inWindow(r.from, r.to))
		}
		lines := logLines(t, c)
		if last := lines[len(lines)-1]; last.Part != r.partialAfterward && r.collected > 0 {
			t.Fatalf("%s: last log entry %+v, want part=%v", r.name, last, r.partialAfterward)
		}
	}

	// --overwrite of a window re-reads the window's events and keeps the
	// rest: nothing is left outside the window, the file is whole again.
	res := collect(t, c, p, Options{From: at("2024-01-01T12:00:00Z"), To: at("2024-01-01T12:05:00Z"), Overwrite: true})
	if res.Overwritten != 5 || res.Rows != 5 || res.Collected != 1 || res.OutsideWindow != 0 {
		t.Fatalf("overwrite of five minutes: %+v", res)
	}
	checkOnce(t, "overwrite of five minutes", data, 19)
	res = collect(t, c, p, Options{From: epoch})
	if res.Collected != 0 || res.Rows != 0 {
		t.Fatalf("after the overwrite: %+v", res)
	}

	// An overwrite whose window cuts a partly collected file: the file is
	// collected again for the window only.
	p2 := &config.Partition{Table: p.Table, Name: "test", Source: p.Source}
	history2 := filepath.Join(src, "exports", "later.jsonl")
	later := events("later", acct, at("2023-01-01T00:00:00Z"), 24*time.Hour, 30)
	writeLines(t, history2, later)
	all.add(later)
	res = collect(t, c, p2, Options{From: at("2023-01-10T00:00:00Z"), To: at("2023-01-20T00:00:00Z")})
	if res.Rows != 10 || res.OutsideWindow != 20 {
		t.Fatalf("later, days 10-19: %+v", res)
	}
	res = collect(t, c, p2, Options{From: at("2023-01-15T00:00:00Z"), To: at("2023-01-25T00:00:00Z"), Overwrite: true})
	if res.Overwritten != 5 || res.Rows != 10 || res.Collected != 2 {
		t.Fatalf("overwrite of days 15-24: %+v", res)
	}
	res = collect(t, c, p2, Options{From: epoch})
	if res.Rows != 15 || res.Collected != 1 {
		t.Fatalf("the rest of later: %+v", res)
	}
	checkOnce(t, "later", data, int64(len(all)))
}

// TestWindowAcrossLayoutDays collects a file dated by its folder whose first
// events belong to the previous day: a window starting on its day leaves them
// out, and a run whose window reaches the previous day adds them once.
func TestWindowAcrossLayoutDays(t *testing.T) {
	const acct = "111122223333"
	src, data := t.TempDir(), t.TempDir()
	d1 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	d2 := d1.AddDate(0, 0, 1)
	writeRecords(t, trailPath(src, "", acct, d2, "late"), events("late", acct, d2.Add(-3*time.Minute), time.Minute, 6))
	writeRecords(t, trailPath(src, "", acct, d1, "day1"), events("day1", acct, d1.Add(time.Hour), time.Minute, 4))
	c := &Collector{DataDir: data}
	p := testPartition(t, src)
	res := collect(t, c, p, Options{From: d2})
	if res.Discovered != 1 || res.Rows != 3 || res.OutsideWindow != 3 {
		t.Fatalf("from day 2: %+v", res)
	}
	checkOnce(t, "from day 2", data, 3)
	res = collect(t, c, p, Options{From: d2})
	if res.Collected != 0 || res.Skipped != 1 {
		t.Fatalf("from day 2 again: %+v", res)
	}
	res = collect(t, c, p, Options{From: d1})
	if res.Discovered != 2 || res.Collected != 2 || res.Rows != 7 || res.OutsideWindow != 0 {
		t.Fatalf("from day 1: %+v", res)
	}
	checkOnce(t, "from day 1", data, 10)
	for _, e := range logLines(t, c)[1:] {
		if e.Part {
			t.Fatalf("a file collected in full has a partial entry: %+v", e)
		}
	}
}

// TestCollectionLogEntries loads a log mixing entries of older versions
// (whole files), partial entries, a partial --overwrite, an uncommitted
// entry and a torn line.
func TestCollectionLogEntries(t *testing.T) {
	data := t.TempDir()
	stateDir, table, partition := filepath.Join(data, "state"), lake.CloudTrailTableName, "test"
	manifest := lake.ManifestPath(data, table, partition)
	if err := os.MkdirAll(filepath.Dir(manifest), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifest, []byte(`{"version":1,"batch":3}`), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`{"b":1,"k":"/a","s":10,"r":3}`,
		`{"b":1,"k":"/b","r":2}`,
		`{"b":2,"k":"/b","forget":true}`,
		`{"b":2,"k":"/c","r":1,"part":true,"from":"2024-01-01T00:00:00Z","to":"2024-02-01T00:00:00Z","min":"2023-01-01T00:00:00Z","max":"2025-01-01T00:00:00Z"}`,
		`{"b":3,"k":"/c","r":1,"part":true,"from":"2024-03-01T00:00:00Z","min":"2023-01-01T00:00:00Z","max":"2025-01-01T00:00:00Z"}`,
		`{"b":3,"k":"/a","forget":true,"part":true,"from":"2024-01-01T00:00:00Z","to":"2024-01-02T00:00:00Z"}`,
		`{"b":4,"k":"/d","r":5}`,
		`{"b":3,"k":"/e`,
	}
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lake.LogPath(stateDir, table, partition), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _, err := loadState(data, stateDir, table, partition)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	w := func(from, to string) span {
		f, _ := time.Parse(time.RFC3339, from)
		var tt time.Time
		if to != "" {
			tt, _ = time.Parse(time.RFC3339, to)
		}
		return spanOf(f, tt)
	}
	if len(s.collected) != 2 {
		t.Fatalf("collected files: %+v", s.collected)
	}
	cases := []struct {
		key   string
		win   span
		needs bool
	}{
		{"/a", w("2023-06-01T00:00:00Z", "2023-07-01T00:00:00Z"), false},
		{"/a", w("2024-01-01T10:00:00Z", "2024-01-01T11:00:00Z"), true},
		{"/a", w("2024-01-02T00:00:00Z", ""), false},
		{"/c", w("2024-01-05T00:00:00Z", "2024-01-06T00:00:00Z"), false},
		{"/c", w("2024-02-01T00:00:00Z", "2024-02-02T00:00:00Z"), true},
		{"/c", w("2023-01-01T00:00:00Z", "2023-01-02T00:00:00Z"), true},
		{"/c", w("2024-06-01T00:00:00Z", ""), false},
		{"/c", w("2025-01-01T00:00:01Z", ""), false},
		{"/c", w("2022-01-01T00:00:00Z", "2022-06-01T00:00:00Z"), false},
	}
	for _, tc := range cases {
		f, ok := s.lookup(tc.key)
		if !ok {
			t.Fatalf("%s is not collected", tc.key)
		}
		if got := f.needs(tc.win); got != tc.needs {
			from, to := tc.win.bounds()
			t.Errorf("%s needs [%v, %v) = %v, want %v (state %+v)", tc.key, from, to, got, tc.needs, f)
		}
	}
	// The log was rewritten without the uncommitted entry and the torn line.
	b, _ := os.ReadFile(lake.LogPath(stateDir, table, partition))
	if got := strings.Count(string(b), "\n"); got != 6 || strings.Contains(string(b), `"/d"`) {
		t.Fatalf("rolled back log:\n%s", b)
	}
}

func TestSpans(t *testing.T) {
	var ss spans
	ss = ss.add(span{10, 20}).add(span{30, 40}).add(span{20, 25})
	if fmt.Sprint(ss) != "[{10 25} {30 40}]" {
		t.Fatalf("add: %v", ss)
	}
	if !ss.covers(span{12, 25}) || ss.covers(span{24, 31}) || !ss.covers(span{5, 5}) {
		t.Fatalf("covers: %v", ss)
	}
	ss = ss.add(span{0, 100}).remove(span{50, 60})
	if fmt.Sprint(ss) != "[{0 50} {60 100}]" {
		t.Fatalf("remove: %v", ss)
	}
	if ss.contains(55) || !ss.contains(60) || ss.contains(100) {
		t.Fatalf("contains: %v", ss)
	}
	if got := (spans{allTime}).remove(span{0, 10}); fmt.Sprint(got) != fmt.Sprint(spans{{unboundedFrom, 0}, {10, unboundedTo}}) {
		t.Fatalf("remove from allTime: %v", got)
	}
}
