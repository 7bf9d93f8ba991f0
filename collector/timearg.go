package collector

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var relativeTime = regexp.MustCompile(`^T-(\d+)([YMWdHm])$`)

// ParseTime parses a --from/--to value as Tailpipe does: an ISO date
// (2024-01-02), an ISO date-time with or without zone (RFC 3339), or a time
// relative to now: T-<n>Y years, T-<n>M months, T-<n>W weeks, T-<n>d days,
// T-<n>H hours, T-<n>m minutes.
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if m := relativeTime.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return time.Time{}, fmt.Errorf("time %q: %w", s, err)
		}
		switch m[2] {
		case "Y":
			return now.AddDate(-n, 0, 0), nil
		case "M":
			return now.AddDate(0, -n, 0), nil
		case "W":
			return now.AddDate(0, 0, -7*n), nil
		case "d":
			return now.AddDate(0, 0, -n), nil
		case "H":
			return now.Add(-time.Duration(n) * time.Hour), nil
		case "m":
			return now.Add(-time.Duration(n) * time.Minute), nil
		}
	}
	layouts := []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02"}
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want a date (2024-01-02), an RFC 3339 time (2024-01-02T15:04:05Z) or a relative time (T-7d, T-2Y, T-3M, T-2W, T-12H, T-10m)", s)
}
