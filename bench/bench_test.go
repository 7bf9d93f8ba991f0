package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// TestMain lets the test binary stand in for the bench binary when it is
// re-executed for a baseline (hiddenCommands).
func TestMain(m *testing.M) {
	if handled, err := runHidden(os.Args[1:]); handled {
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSmall runs the measured sections on a tiny dataset, so that CI checks
// the benchmark program still works.
func TestSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds tpserver and DuckDB")
	}
	if _, err := exec.LookPath("zcat"); err != nil {
		testsupport.Missing(t, "zcat", "apt-get install gzip")
	}
	// Every section, on small inputs: the start-up lakes of 200 and 2
	// files, 300 S3 objects.
	c, err := parseFlags([]string{"-events", "4000", "-startup-files", "200", "-s3-objects", "300", "-dir", t.TempDir(), "-dashboard-time", "1s", "-collect-runs", "1"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(c, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), pgNotInstalled) {
		testsupport.LeftOut(t, "PostgreSQL 15 server", testsupport.PostgresInstall, "the PostgreSQL 15 baselines")
	}
	if strings.Contains(out.String(), "psql not installed") {
		testsupport.LeftOut(t, "psql", "apt-get install postgresql-client", "the psql figures")
	}
	wants := []string{"## Generated data", "| tpserver collect |", "DuckDB alone", "zcat of all files", "## Queries", "| count(*) |", "## Dashboard mix", "## Streaming select *", "| pgx binary |",
		"## Latest 100 events, in-process", "| newest file alone | ", "| lake view, as tpserver runs it (the head) |", "| lake view without the head (day bound only) |", "The head (catalog/head.go): ",
		"## Start-up with 20", "| tpserver serve, 20", "| DuckDB alone, 20", "Per-statement growth with files"}
	if strings.Contains(out.String(), "pgbench not installed") {
		testsupport.LeftOut(t, "pgbench", "apt-get install postgresql-client", "the dashboard mix")
	} else {
		// every client count measured on tpserver, without errors
		wants = append(wants, "\n| 1 | ", "\n| 8 | ", "\n| 32 | ")
		for _, l := range strings.Split(out.String(), "\n") {
			if f := strings.Split(l, " | "); len(f) > 3 && (f[0] == "| 1" || f[0] == "| 8" || f[0] == "| 32") && f[3] != "0" {
				t.Errorf("dashboard mix errors on tpserver: %s", l)
			}
		}
	}
	if strings.Contains(out.String(), versityNotInstalled) {
		testsupport.LeftOut(t, "versitygw", versityInstall, "the S3 figures")
	} else {
		wants = append(wants, "| tpserver collect from S3 |", "| download only (same client, 16 at a time) |", "| tpserver collect from local disk |")
	}
	if n := strings.Count(out.String(), "| tpserver/DuckDB alone |"); n != 2 {
		t.Errorf("start-up table has %d ratio rows, want 2 (the lakes of 200 and 2 files)", n)
	}
	for _, want := range wants {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestPgbenchLatencies reads per-transaction logs as pgbench writes them
// (one file per thread; failed transactions have no latency) and takes
// their 99th percentile.
func TestPgbenchLatencies(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "pgbench")
	var a, b strings.Builder
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&a, "0 %d %d 0 1765000000 %d\n", i, i*1000, i)
	}
	b.WriteString("1 1 failed 0 1765000000 1\n1 2 250000 0 1765000000 2\n")
	if err := os.WriteFile(prefix+".123", []byte(a.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(prefix+".123.1", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	lat, err := pgbenchLatencies(prefix)
	if err != nil {
		t.Fatal(err)
	}
	if len(lat) != 101 {
		t.Fatalf("%d latencies, want 101", len(lat))
	}
	if p := percentile(lat, 0.99); p != 100*time.Millisecond {
		t.Errorf("p99 = %v, want 100ms", p)
	}
	if p := percentile(lat, 1); p != 250*time.Millisecond {
		t.Errorf("max = %v, want 250ms", p)
	}
	if left, _ := filepath.Glob(prefix + ".*"); len(left) != 0 {
		t.Errorf("logs left behind: %v", left)
	}
}
