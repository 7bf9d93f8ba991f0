package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestGrafanaMacroExpansions runs the SQL Grafana's PostgreSQL data source
// produces for $__timeFilter, $__timeGroupAlias, $__timeEpoch and
// $__unixEpochFilter over event_time (a TIMESTAMP column) and checks the
// answers against the fixture.
func TestGrafanaMacroExpansions(t *testing.T) {
	e, _ := collectedEnv(t)
	port := e.serve(t)
	from, to := fixtureDay(4), fixtureDay(1)
	rfc := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }

	// Expected 5-minute buckets and counts in [from, to], from the fixture.
	want := map[int64]int{}
	var inRange []time.Time
	for _, ev := range fixtureEvents() {
		tm, _ := time.Parse(time.RFC3339, ev["eventTime"].(string))
		if !tm.Before(from) && !tm.After(to) {
			want[tm.Unix()/300*300]++
			inRange = append(inRange, tm)
		}
	}
	var wantRows []string
	for b, n := range want {
		wantRows = append(wantRows, fmt.Sprintf("%d|%d", b, n))
	}
	sort.Strings(wantRows)

	// $__timeGroupAlias(event_time,'5m') with $__timeFilter(event_time).
	q := fmt.Sprintf(`SELECT
  floor(extract(epoch from event_time)/300)*300 AS "time",
  count(*) AS "value"
FROM aws_cloudtrail_log
WHERE
  event_time BETWEEN '%s' AND '%s'
GROUP BY 1
ORDER BY 1`, rfc(from), rfc(to))
	got, err := psql(t, port, q)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		// floor() of a double prints as 1732406400 or 1732406400.0 depending on the type.
		parts := strings.SplitN(got[i], "|", 2)
		f, _ := strconv.ParseFloat(parts[0], 64)
		got[i] = fmt.Sprintf("%d|%s", int64(f), parts[1])
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(wantRows, "\n") {
		t.Fatalf("$__timeGroupAlias buckets\n got %q\nwant %q", got, wantRows)
	}

	// $__timeEpoch(event_time): epoch seconds of a UTC timestamp.
	rows, err := psql(t, port, fmt.Sprintf(`SELECT extract(epoch from event_time) as "time" FROM aws_cloudtrail_log WHERE event_time BETWEEN '%s' AND '%s' ORDER BY 1`, rfc(from), rfc(to)))
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(inRange, func(i, j int) bool { return inRange[i].Before(inRange[j]) })
	if len(rows) != len(inRange) {
		t.Fatalf("$__timeEpoch rows %d, want %d", len(rows), len(inRange))
	}
	for i, r := range rows {
		f, err := strconv.ParseFloat(r, 64)
		if err != nil || int64(f) != inRange[i].Unix() {
			t.Fatalf("$__timeEpoch row %d = %q, want %d", i, r, inRange[i].Unix())
		}
	}

	// $__unixEpochFilter over an epoch expression.
	rows, err = psql(t, port, fmt.Sprintf(`SELECT count(*) FROM aws_cloudtrail_log WHERE extract(epoch from event_time) >= %d AND extract(epoch from event_time) <= %d`, from.Unix(), to.Unix()))
	if err != nil || len(rows) != 1 || rows[0] != strconv.Itoa(len(inRange)) {
		t.Fatalf("$__unixEpochFilter: %v %v, want %d", rows, err, len(inRange))
	}
}
