package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"
	"github.com/tpserver/tpserver/lake"
)

// dayLake writes an aws_cloudtrail_log lake of one file per day for the
// days from first, rows every 37 minutes from the day's first to its last
// microsecond (both included), and one row with a NULL event time.
func dayLake(t *testing.T, c *Catalog, dir string, first time.Time, days int) {
	t.Helper()
	dayLakeNull(t, c, dir, first, days, 0)
}

// dayLakeNull is dayLake with the row with a NULL event time on day
// nullDay (counted from 0; none when out of range).
func dayLakeNull(t *testing.T, c *Catalog, dir string, first time.Time, days, nullDay int) {
	t.Helper()
	dayFiles(t, c, dir, first, days, func(d int, day string) string {
		start := "TIMESTAMP '" + day + "'"
		return fmt.Sprintf("CASE WHEN i = 40 THEN %[1]s + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND WHEN i = 41 AND %[2]d = %[3]d THEN NULL ELSE %[1]s + to_minutes(37 * i) END", start, d, nullDay)
	})
}

// dayFiles writes an aws_cloudtrail_log lake of one file of 42 rows (i)
// per day for the days from first, whose times (event_time and
// tp_timestamp) are at(the day's number from 0, its date), and refreshes
// the catalog.
func dayFiles(t *testing.T, c *Catalog, dir string, first time.Time, days int, at func(d int, day string) string) {
	t.Helper()
	var files []lake.DataFile
	for d := 0; d < days; d++ {
		day := first.AddDate(0, 0, d)
		key := lake.PartitionKey{Table: lake.CloudTrailTableName, Partition: "p", Index: "default", Date: day}
		if err := os.MkdirAll(key.Dir(dir), 0o755); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(key.Dir(dir), fmt.Sprintf("data_1_%d%s", d, lake.DataFileExt))
		vals := map[string]string{"event_id": "'e' || i", "tp_id": fmt.Sprintf("'%d-' || i", d), "event_time": at(d, day.Format("2006-01-02"))}
		vals["tp_timestamp"] = vals["event_time"]
		q := fmt.Sprintf("COPY (SELECT %s FROM range(42) r(i) ORDER BY %s) TO '%s' (FORMAT parquet)", duckdbtest.CloudTrailRow(vals), lake.FileOrder, file)
		if _, err := c.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, file)
		files = append(files, lake.DataFile{Path: filepath.ToSlash(rel), Rows: 42, Size: 1, Date: key.Date.Format(lake.DateFormat)})
	}
	writeTestManifest(t, dir, files)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// dayBoundConditions are WHERE conditions on the event time, in many
// spellings of the bound, for the days from first.
func dayBoundConditions(first time.Time, days int) []string {
	var bounds []string
	for d := -1; d <= days; d++ {
		day := first.AddDate(0, 0, d).Format("2006-01-02")
		for _, at := range []string{day + " 00:00:00", day + " 23:59:59.999999"} {
			bounds = append(bounds, "TIMESTAMP '"+at+"'", "'"+at+"'", "'"+at+"+05'::timestamptz", "TIMESTAMPTZ '"+at+"-11'")
		}
		bounds = append(bounds, "TIMESTAMP '"+day+" 12:13:00'", "DATE '"+day+"'")
	}
	bounds = append(bounds, "now()", "now() - interval '1 day'", "current_timestamp - interval '36 hours'",
		"current_date", "current_date + 1", "localtimestamp - interval '2 days'", "CAST(NULL AS timestamp)", "to_timestamp(1700000000)",
		"'infinity'", "'-infinity'::timestamptz", "TIMESTAMP 'epoch'", "date_trunc('day', now())")
	var conds []string
	for i, b := range bounds {
		for _, op := range []string{">", ">=", "<", "<=", "="} {
			col := "event_time"
			if i%2 == 1 {
				col = "tp_timestamp"
			}
			conds = append(conds, col+" "+op+" "+b)
		}
		conds = append(conds, b+" < event_time", "event_time BETWEEN "+b+" AND "+bounds[(i+7)%len(bounds)])
	}
	return conds
}

// TestDayBoundsKeepResults checks that the implied tp_date conjuncts the
// translator adds never change a result: every condition, in several
// session time zones, counts the same rows as the untranslated query.
func TestDayBoundsKeepResults(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	defer c.Close()
	today := time.Now().UTC().Truncate(24 * time.Hour)
	first, days := today.AddDate(0, 0, -3), 5
	dayLake(t, c, dir, first, days)
	ctx := context.Background()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conds := dayBoundConditions(first, days)
	for _, tz := range []string{"UTC", "Pacific/Kiritimati", "Etc/GMT+12"} {
		if _, err := conn.ExecContext(ctx, "SET TimeZone = '"+tz+"'"); err != nil {
			t.Fatal(err)
		}
		for _, cond := range conds {
			q := "SELECT count(*), count(DISTINCT tp_id), min(event_time), max(event_time) FROM aws_cloudtrail_log WHERE " + cond
			tq := c.TranslateSQL(q)
			if !strings.Contains(tq, "tp_date") && !strings.Contains(cond, "NULL AS") {
				t.Errorf("%s: no day bound added: %s", cond, tq)
			}
			want, got := sessionRow(t, conn, q), sessionRow(t, conn, tq)
			if got != want {
				t.Errorf("TimeZone %s, %s: got %s, want %s (%s)", tz, cond, got, want, tq)
			}
		}
		// Parameters, as a time and as text: no bound is added (see
		// pgsql.rowIndependent), the results stay.
		q := "SELECT count(*), count(DISTINCT tp_id), min(event_time), max(event_time) FROM aws_cloudtrail_log WHERE event_time BETWEEN $1 AND $2"
		tq := c.TranslateSQL(q)
		for d := -1; d <= days; d++ {
			lo := first.AddDate(0, 0, d)
			for _, args := range [][]any{{lo, lo.Add(30 * time.Hour)}, {lo.Format("2006-01-02 15:04:05"), lo.Add(time.Hour - time.Microsecond).Format("2006-01-02 15:04:05.999999")}} {
				want, got := sessionRow(t, conn, q, args...), sessionRow(t, conn, tq, args...)
				if got != want || strings.Contains(tq, "tp_date") {
					t.Errorf("TimeZone %s, %s %v: got %s, want %s (%s)", tz, q, args, got, want, tq)
				}
			}
		}
	}
}

// scannedFiles finds DuckDB's count of the files a Parquet scan opened.
var scannedFiles = regexp.MustCompile(`Scanning Files: (\d+)/(\d+)`)

// explainAnalyze runs q under EXPLAIN ANALYZE and returns the plan's text.
func explainAnalyze(t *testing.T, ctx context.Context, conn *sql.Conn, q string) string {
	t.Helper()
	rows, err := conn.QueryContext(ctx, "EXPLAIN ANALYZE "+q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(v)
	}
	return plan.String()
}

func sessionRow(t *testing.T, conn *sql.Conn, q string, args ...any) string {
	t.Helper()
	var n, ids int
	var lo, hi sql.NullTime
	if err := conn.QueryRowContext(context.Background(), q, args...).Scan(&n, &ids, &lo, &hi); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return fmt.Sprint(n, ids, lo, hi)
}

// TestDayBoundsSkipFiles checks that DuckDB reads only the files of the
// window's days once the translator added the day bound, for a literal
// bound and for a now()-based one.
func TestDayBoundsSkipFiles(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	defer c.Close()
	now := time.Now().UTC()
	today := now.Truncate(24 * time.Hour)
	dayLake(t, c, dir, today.AddDate(0, 0, -9), 10)
	ctx := context.Background()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The files of the days from the bound's day, less the day's margin,
	// to today: two, or three in the first hour of a day, when an hour ago
	// was yesterday.
	daysFrom := func(bound time.Time) string {
		return fmt.Sprint(int(today.Sub(bound.Truncate(24*time.Hour).AddDate(0, 0, -1)).Hours()/24) + 1)
	}
	for _, tc := range []struct{ cond, want string }{
		{"event_time >= TIMESTAMP '" + today.Format("2006-01-02") + " 01:00:00'", "2"},
		{"event_time > now() - interval '1 hour'", daysFrom(now.Add(-time.Hour))},
		{"event_time > current_date", "2"},
	} {
		cond := tc.cond
		q := "SELECT count(*) FROM aws_cloudtrail_log WHERE " + cond
		plan := explainAnalyze(t, ctx, conn, c.TranslateSQL(q))
		m := scannedFiles.FindStringSubmatch(plan)
		if m == nil {
			t.Fatalf("%s: no file count in the plan:\n%s", cond, plan)
		}
		if m[1] != tc.want || m[2] != "10" {
			t.Errorf("%s: DuckDB scanned %s of %s files, want %s (the window's days and the day's margin):\n%s", cond, m[1], m[2], tc.want, plan)
		}
	}
}
