package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// TestDataIsCurrent regenerates data.go and checks the checked-in file says
// the same. With PGEMU_DSN it reads that server and wants the file byte for
// byte; otherwise it reads a throwaway PostgreSQL 15 cluster, whose own
// configuration (port, locale, time zone, memory) differs from the one the
// file was made from: there the current and reset values of pg_settings
// rows are left out of the comparison, and every other fact must agree.
func TestDataIsCurrent(t *testing.T) {
	dsn, exact := os.Getenv("PGEMU_DSN"), true
	if dsn == "" {
		dsn, exact = testsupport.RequirePostgres(t, "postgres", "gendata").DSN(), false
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	got, err := generate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../data.go")
	if err != nil {
		t.Fatal(err)
	}
	g, w := string(got), string(want)
	if !exact {
		g, w = withoutSettingValues(g), withoutSettingValues(w)
	}
	if g == w {
		return
	}
	gl, wl := strings.Split(g, "\n"), strings.Split(w, "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			t.Fatalf("data.go is not what gendata makes from this server (run go generate ./catalog/pgemu); line %d:\n got  %s\n file %s", i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("data.go is not what gendata makes from this server: %d lines, file %d", len(gl), len(wl))
}

// settingRow matches a pg_settings row: its second field (setting) and last
// (reset_val) are the cluster's configuration.
var settingRow = regexp.MustCompile(`(?m)^(\t\{"[^"]+", )"[^"]*"(, .*, )"[^"]*"\},$`)

// withoutSettingValues blanks the configuration values of the pg_settings
// rows and drops the header, which names the server's version.
func withoutSettingValues(src string) string {
	start := strings.Index(src, "var pgSettingRows")
	end := start + strings.Index(src[start:], "\n}\n")
	body := settingRow.ReplaceAllString(src[start:end], `$1"*"$2"*"},`)
	return src[strings.Index(src, "\npackage "):start] + body + src[end:]
}
