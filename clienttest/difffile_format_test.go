package clienttest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDifferentialFileFormat checks the data file reader, the order detection, the
// rewriting of -- differs directives and the classification of values,
// without servers.
func TestDifferentialFileFormat(t *testing.T) {
	src := `-- a comment
SELECT 1;
-- param: int4 7
-- param: text NULL
-- differs text,binary: number: a reason
-- differs pgx: error: another
SELECT $1::int4 / 2,
       $2::text;

-- unordered
SELECT x FROM t ORDER BY x;
SELECT x FROM (SELECT x FROM t ORDER BY x) s;
WITH a AS (SELECT 1 AS x) SELECT x FROM a ORDER BY x;
`
	path := filepath.Join(t.TempDir(), "f.sql")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := parseDiffFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.stmts) != 5 {
		t.Fatalf("%d statements, want 5", len(f.stmts))
	}
	s := f.stmts[1]
	if s.line != 7 || s.sql != "SELECT $1::int4 / 2,\n       $2::text" {
		t.Errorf("statement 2 at line %d: %q", s.line, s.sql)
	}
	if len(s.params) != 2 || s.params[0] != (diffParam{"int4", "7", false}) || !s.params[1].null {
		t.Errorf("params %+v", s.params)
	}
	if k, ok := s.knownFor(modeBinary); !ok || k.kind != "number" || k.reason != "a reason" || k.line != 5 {
		t.Errorf("binary directive %+v %v", k, ok)
	}
	if k, ok := s.knownFor(modePgx); !ok || k.kind != "error" {
		t.Errorf("pgx directive %+v %v", k, ok)
	}
	if _, ok := s.knownFor(modePsycopg); ok {
		t.Error("psycopg2 is not listed")
	}
	for i, want := range []bool{false, false, false, false, true} {
		if f.stmts[i].ordered != want {
			t.Errorf("statement %d ordered=%v, want %v", i+1, f.stmts[i].ordered, want)
		}
	}

	got := f.rewrite(map[*diffStmt][]knownDiff{f.stmts[0]: {{kind: "type", reason: "why"}}})
	want := strings.Replace(src, "-- a comment\nSELECT 1;", "-- a comment\n-- differs: type: why\nSELECT 1;", 1)
	want = strings.Replace(want, "-- differs text,binary: number: a reason\n-- differs pgx: error: another\n", "", 1)
	if got != want {
		t.Errorf("rewrite:\n%s\nwant:\n%s", got, want)
	}

	for _, c := range []struct {
		tp, pg *string
		kind   string
	}{
		{ptr("3"), ptr("3"), ""},
		{ptr("3.5"), ptr("3"), "number"},
		{ptr("3.50"), ptr("3.5"), "format"},
		{ptr("2.3333333333333335"), ptr("2.3333333333333333"), "precision"},
		{ptr("0.6666667"), ptr("0.6666666666666666"), "number"},
		{ptr("float64:2.5"), ptr("numeric:2.50"), "format"},
		{ptr("[1,2]"), ptr("[1, 2]"), "format"},
		{ptr("true"), ptr("t"), "format"},
		{ptr("f"), nil, "value"},
		{nil, nil, ""},
		{ptr("Infinity"), ptr("NaN"), "value"},
	} {
		if k := cellKind(c.tp, c.pg); k != c.kind {
			t.Errorf("cellKind(%s, %s) = %q, want %q", cellText(c.tp), cellText(c.pg), k, c.kind)
		}
	}

	row := func(v ...string) []*string {
		var r []*string
		for _, x := range v {
			r = append(r, ptr(x))
		}
		return r
	}
	a := diffAnswer{cols: []string{"x"}, oids: []uint32{23}, rows: [][]*string{row("1"), row("2")}}
	b := diffAnswer{cols: []string{"x"}, oids: []uint32{23}, rows: [][]*string{row("2"), row("1")}}
	if k, _ := compareDiff(a, b, false); k != "" {
		t.Errorf("unordered: %q", k)
	}
	if k, _ := compareDiff(a, b, true); k != "order" {
		t.Errorf("ordered: %q, want order", k)
	}
	if k, _ := compareDiff(diffAnswer{sqlstate: "22012"}, a, false); k != "error" {
		t.Errorf("tpserver error: %q", k)
	}
	if k, _ := compareDiff(a, diffAnswer{sqlstate: "22012"}, false); k != "no-error" {
		t.Errorf("postgres error: %q", k)
	}
	c := a
	c.oids = []uint32{20}
	if k, _ := compareDiff(c, a, false); k != "type" {
		t.Errorf("type: %q", k)
	}
}

func ptr(s string) *string { return &s }
