package clienttest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's list of differences from PostgreSQL is generated from the
// -- differs directives of testdata/differential, between these markers.
const (
	readmeBegin = "<!-- differential:begin (generated from clienttest/testdata/differential; TPSERVER_UPDATE_README=1 go test ./clienttest -run DifferentialREADME) -->"
	readmeEnd   = "<!-- differential:end -->"
)

// TestDifferentialREADME checks that the README section listing the known
// differences says what the data files say; TPSERVER_UPDATE_README=1
// rewrites it.
func TestDifferentialREADME(t *testing.T) {
	files, err := loadDiffFiles()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	b, e := strings.Index(readme, readmeBegin), strings.Index(readme, readmeEnd)
	if b < 0 || e < b {
		t.Fatalf("README.md has no section between %q and %q", readmeBegin, readmeEnd)
	}
	want := readmeBegin + "\n" + differencesSection(files) + readmeEnd
	got := readme[b : e+len(readmeEnd)]
	if got == want {
		return
	}
	if os.Getenv("TPSERVER_UPDATE_README") == "1" {
		if err := os.WriteFile(path, []byte(readme[:b]+want+readme[e+len(readmeEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("README.md rewritten")
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			t.Fatalf("README.md's differences section is not what the data says (TPSERVER_UPDATE_README=1 go test ./clienttest -run DifferentialREADME rewrites it); line %d:\n README %s\n data   %s", i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("README.md's differences section is not what the data says (TPSERVER_UPDATE_README=1 go test ./clienttest -run DifferentialREADME rewrites it): %d lines, want %d", len(gl), len(wl))
}

// differencesSection renders the known differences as Markdown: counts, the
// kinds, and one table row per directive, by area.
func differencesSection(files []*diffFile) string {
	var b strings.Builder
	total, tpOnly, listed, silent := 0, 0, 0, 0
	perKind := map[string]int{}
	for _, f := range files {
		for _, s := range f.stmts {
			if s.tpOnly {
				tpOnly++
				continue
			}
			total++
			if len(s.known) > 0 {
				listed++
			}
			quiet := false
			for _, k := range s.known {
				perKind[k.kind]++
				quiet = quiet || silentKind(k.kind)
			}
			if quiet {
				silent++
			}
		}
	}
	fmt.Fprintf(&b, "%d statements compared with PostgreSQL 15 (and %d DuckDB-only statements that must run on tpserver); "+
		"%d still differ", total, tpOnly, listed)
	if silent > 0 {
		fmt.Fprintf(&b, ", **%d of them silently (marked ⚠)**", silent)
	}
	b.WriteString(".\n\n| kind | meaning | directives |\n|---|---|---|\n")
	for _, k := range diffKinds {
		fmt.Fprintf(&b, "| %s | %s | %d |\n", k.name, k.meaning, perKind[k.name])
	}
	for _, f := range files {
		var rows []string
		for _, s := range f.stmts {
			for _, k := range s.known {
				mark := ""
				if silentKind(k.kind) {
					mark = "⚠ "
				}
				modes := ""
				if len(k.modes) > 0 {
					modes = " (" + strings.Join(k.modes, ", ") + ")"
				}
				rows = append(rows, fmt.Sprintf("| `%s` | %s%s%s | %s |", mdCode(oneLine(s.sql, 90)), mark, k.kind, modes, mdText(k.reason)))
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n`%s` (%d):\n\n| statement | kind | reason |\n|---|---|---|\n%s\n", f.name, len(rows), strings.Join(rows, "\n"))
	}
	return b.String()
}

func mdCode(s string) string { return strings.NewReplacer("|", `\|`, "`", "'").Replace(s) }
func mdText(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
