package pgsql

import (
	"regexp"
	"strings"
	"testing"
)

func TestParseNumberFormat(t *testing.T) {
	for _, c := range []struct {
		f    string
		ok   bool
		want numberFormat
	}{
		{"9,999.00", true, numberFormat{intPat: "9,999", zero: 5, point: true, frac: "00"}},
		{"FM0099", true, numberFormat{fm: true, intPat: "9999", zero: 1}},
		{"S999.9", true, numberFormat{intPat: "999", zero: 4, point: true, frac: "9", sign: "S<"}},
		{"999.9MI", true, numberFormat{intPat: "999", zero: 4, point: true, frac: "9", sign: "MI>"}},
		{"99G999D9PR", true, numberFormat{intPat: "99,999", zero: 6, point: true, frac: "9", sign: "PR"}},
		{"99th", true, numberFormat{intPat: "99", zero: 3, suffix: "th"}},
		{"YYYY-MM", false, numberFormat{}},
		{"FM", false, numberFormat{}},
	} {
		got, ok := parseNumberFormat(c.f)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("%q: got %+v %v, want %+v %v", c.f, got, ok, c.want, c.ok)
		}
	}
}

func TestParseDateFormat(t *testing.T) {
	var got []string
	for _, p := range parseDateFormat(`FMDay, DDth "of" Month\Y YYYY`) {
		switch {
		case p.tok == nil:
			got = append(got, "'"+p.literal+"'")
		case p.fm:
			got = append(got, "FM"+p.name+p.suffix)
		default:
			got = append(got, p.name+p.suffix)
		}
	}
	want := `FMDay|', '|DDth|' of '|Month|'Y '|YYYY`
	if strings.Join(got, "|") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, "|"), want)
	}
	if f, err := strptimeFormat("YYYY-MM-DD HH24:MI:SS.US 100%"); err != nil || f != "%Y-%m-%d %H:%M:%S.%f 100%%" {
		t.Errorf("strptime format %q, %v", f, err)
	}
	if _, err := strptimeFormat("YYYY WW"); err == nil {
		t.Error("WW has no strptime directive but was accepted")
	}
}

func TestSimilarToRegexp(t *testing.T) {
	for _, c := range []struct{ pattern, esc, in, want string }{
		{`%#"o_a#"_`, "#", "Thomas", "oma"},
		{`#"T_o#"%`, "#", "Thomas", "Tho"},
		{`a.b%`, "", "a.bc", "a.bc"},
		{`a.b%`, "", "axbc", ""},
		{`(a|b)+c`, "", "abac", "abac"},
	} {
		re, err := similarToRegexp(c.pattern, c.esc)
		if err != nil {
			t.Fatalf("%q: %v", c.pattern, err)
		}
		m := regexp.MustCompile(re).FindStringSubmatch(c.in)
		got := ""
		if len(m) > 1 {
			got = m[1]
		} else if len(m) == 1 {
			got = m[0]
		}
		if got != c.want {
			t.Errorf("%q escape %q on %q: %s matched %q, want %q", c.pattern, c.esc, c.in, re, got, c.want)
		}
	}
	if _, err := similarToRegexp(`a#"b`, "#"); err == nil {
		t.Error("one separator accepted")
	}
}

// Set-returning functions in expressions become unnest of a list; in FROM
// they stay relations.
func TestSetReturningFunctionsMakeRows(t *testing.T) {
	tr := New(testObjects())
	for _, c := range []struct{ in, want string }{
		{`SELECT generate_series(1, 3)`, `SELECT unnest(generate_series(1, 3)) AS generate_series`},
		{`SELECT x FROM generate_series(timestamp '2024-01-01', timestamp '2024-01-02', '1 hour') x`,
			`SELECT x AS x FROM generate_series('2024-01-01'::timestamp, '2024-01-02'::timestamp, '1 hour'::"interval") x(x)`},
		{`SELECT regexp_matches(s, '(a)(b)', 'g') FROM t`,
			`SELECT unnest(tp_pg_catalog.tp_regexp_rows(ARRAY[regexp_extract_all(s, '(a)(b)', 1), regexp_extract_all(s, '(a)(b)', 2)], true)) AS regexp_matches FROM t`},
		{`SELECT * FROM unnest(ARRAY[1], ARRAY['a']) AS u(n, s)`,
			`SELECT * FROM (SELECT unnest(ARRAY[1]) AS n, unnest(ARRAY['a']) AS s) u(n, s)`},
	} {
		if got := tr.Translate(c.in); got != c.want {
			t.Errorf("%s\n got  %s\n want %s", c.in, got, c.want)
		}
	}
}
