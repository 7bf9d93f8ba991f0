package layout

import (
	"testing"
	"time"
)

func TestDirTime(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	def := mustCompile(t, DefaultCloudTrailLayout, nil)
	hourly := mustCompile(t, `logs/%{YEAR:year}-%{MONTHNUM:month}-%{MONTHDAY:day}/%{HOUR:hour}/%{DATA}.gz`, nil)
	optYear := mustCompile(t, `x/(%{YEAR:year}/)?%{DATA}.gz`, nil)
	noTime := mustCompile(t, `AWSLogs/%{NUMBER:account_id}/%{DATA}.gz`, nil)
	short := mustCompile(t, `y/%{YEAR:year}/%{DATA}.gz`, nil)

	cases := []struct {
		l          *Layout
		dir        string
		start, end time.Time
		ok         bool
	}{
		{def, "", time.Time{}, time.Time{}, false},
		{def, "AWSLogs", time.Time{}, time.Time{}, false},
		{def, "AWSLogs/123/CloudTrail/us-east-1", time.Time{}, time.Time{}, false},
		{def, "AWSLogs/123/CloudTrail/us-east-1/2024", day(2024, 1, 1), day(2025, 1, 1), true},
		{def, "AWSLogs/123/CloudTrail/us-east-1/2024/", day(2024, 1, 1), day(2025, 1, 1), true},
		{def, "AWSLogs/123/CloudTrail/us-east-1/2024/01", day(2024, 1, 1), day(2024, 2, 1), true},
		{def, "AWSLogs/123/CloudTrail/us-east-1/2024/02/29", day(2024, 2, 29), day(2024, 3, 1), true},
		{def, "AWSLogs/o-abc123/123/CloudTrail/eu-west-1/2023/12/31", day(2023, 12, 31), day(2024, 1, 1), true},
		{def, "AWSLogs/o-abc123/123/CloudTrail/eu-west-1/2023/12", day(2023, 12, 1), day(2024, 1, 1), true},
		// Not a directory of the layout.
		{def, "AWSLogs/123/Config/us-east-1/2024", time.Time{}, time.Time{}, false},
		{def, "AWSLogs/123/CloudTrail/us-east-1/2024/13", time.Time{}, time.Time{}, false},
		// Invalid calendar day: no pruning claim (files are rejected by Match).
		{def, "AWSLogs/123/CloudTrail/us-east-1/2023/02/30", time.Time{}, time.Time{}, false},
		{hourly, "logs/2024-03-05", day(2024, 3, 5), day(2024, 3, 6), true},
		{hourly, "logs/2024-03-05/07", day(2024, 3, 5).Add(7 * time.Hour), day(2024, 3, 5).Add(8 * time.Hour), true},
		// The year group is optional, but DATA cannot span '/', so the only
		// way through "x/2024/" is the year group.
		{optYear, "x/2024", day(2024, 1, 1), day(2025, 1, 1), true},
		{noTime, "AWSLogs/123", time.Time{}, time.Time{}, false},
		{short, "y/24", day(2024, 1, 1), day(2025, 1, 1), true},
	}
	for _, c := range cases {
		start, end, ok := c.l.DirTime(c.dir)
		if ok != c.ok || !start.Equal(c.start) || !end.Equal(c.end) {
			t.Errorf("%s: DirTime(%q) = %v, %v, %v; want %v, %v, %v", c.l, c.dir, start, end, ok, c.start, c.end, c.ok)
		}
	}
}

// TestDirTimeAmbiguous checks that a directory that can be read two ways
// with different years is not claimed for either.
func TestDirTimeAmbiguous(t *testing.T) {
	l := mustCompile(t, `a/(%{YEAR:year}/%{DATA}/|%{DATA}/%{YEAR:year}/)%{DATA}.gz`, nil)
	if _, _, ok := l.DirTime("a/2024/2023"); ok {
		t.Fatal("ambiguous directory claimed a time")
	}
	// Unambiguous: only the first branch can read "2024/x".
	start, _, ok := l.DirTime("a/2024/x")
	if !ok || start.Year() != 2024 {
		t.Fatalf("DirTime(a/2024/x) = %v, %v", start, ok)
	}
}

// TestDirTimeAgreesWithMatch checks, for files matched by the default
// layout, that every ancestor directory's period contains the file's time.
func TestDirTimeAgreesWithMatch(t *testing.T) {
	l := mustCompile(t, DefaultCloudTrailLayout, nil)
	for _, key := range []string{
		"AWSLogs/123456789012/CloudTrail/us-east-1/2024/03/05/123456789012_CloudTrail_us-east-1_20240305T0000Z_x.json.gz",
		"AWSLogs/o-abc123/123456789012/CloudTrail/ap-south-1/2021/12/31/f.json.gz",
	} {
		m, ok := l.Match(key)
		if !ok || !m.HasTime {
			t.Fatalf("%s did not match", key)
		}
		claimed := 0
		for i := range key {
			if key[i] != '/' {
				continue
			}
			start, end, ok := l.DirTime(key[:i])
			if !ok {
				continue
			}
			claimed++
			if m.Time.Before(start) || !m.Time.Before(end) {
				t.Errorf("%s: dir %s claims [%v, %v), file time %v", key, key[:i], start, end, m.Time)
			}
		}
		if claimed != 3 {
			t.Errorf("%s: %d directories claimed a time, want 3 (year, month, day)", key, claimed)
		}
	}
}

func TestPeriodEnd(t *testing.T) {
	jan31 := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := PeriodEnd(jan, 720*time.Hour); !got.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("month end = %v", got)
	}
	if got := PeriodEnd(jan31, 24*time.Hour); !got.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("day end = %v", got)
	}
	if got := PeriodEnd(jan, 8760*time.Hour); !got.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("year end = %v", got)
	}
	if got := PeriodEnd(jan, time.Hour); !got.Equal(jan.Add(time.Hour)) {
		t.Errorf("hour end = %v", got)
	}
}
