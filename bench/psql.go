package main

import (
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// psqlTime runs q through psql against dsn once to warm up and queryRuns
// times more, timed by psql's \timing, results sent to /dev/null, and
// returns the median; ok is false when psql is not installed.
func psqlTime(dsn, q string) (d time.Duration, ok bool, err error) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		return 0, false, nil
	}
	var script strings.Builder
	script.WriteString("\\o /dev/null\n\\timing on\n")
	for range queryRuns + 1 {
		script.WriteString(strings.TrimRight(q, ";\n") + ";\n")
	}
	cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn)
	cmd.Stdin = strings.NewReader(script.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, true, fmt.Errorf("psql: %w\n%s", err, lastLines(string(out), 10))
	}
	var ds []time.Duration
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == "Time:" && f[2] == "ms" {
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return 0, true, fmt.Errorf("psql timing %q: %w", l, err)
			}
			ds = append(ds, time.Duration(v*float64(time.Millisecond)))
		}
	}
	if len(ds) != queryRuns+1 {
		return 0, true, fmt.Errorf("psql printed %d timings, want %d:\n%s", len(ds), queryRuns+1, lastLines(string(out), 10))
	}
	ds = ds[1:]
	slices.Sort(ds)
	return ds[len(ds)/2], true, nil
}

// psqlTimes times every query of qs (its SQL chosen by sqlOf) through psql;
// nil when psql is not installed.
func psqlTimes(dsn string, qs []benchQuery, sqlOf func(benchQuery) string) ([]time.Duration, error) {
	var out []time.Duration
	for _, q := range qs {
		d, ok, err := psqlTime(dsn, sqlOf(q))
		if !ok {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s through psql: %w", q.name, err)
		}
		out = append(out, d)
	}
	return out, nil
}
