package pgsql

import (
	"fmt"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

func TestJSONBColumns(t *testing.T) {
	for _, c := range []struct {
		sql  string
		want string
	}{
		{`SELECT '{}'::jsonb, '{}'::json, x -> 'a', x::jsonb -> 'a', x::jsonb ->> 'a', jsonb_agg(1), to_jsonb(1), '{}'::jsonb || '{}'`, "[true false false true false true true true]"},
		{`SELECT r.value, r, e.value, e.key FROM t, jsonb_array_elements(t.x) r, jsonb_each(t.y) e`, "[true true true false]"},
		{`SELECT * FROM jsonb_each('{}')`, "[false true]"},
		{`SELECT * FROM jsonb_array_elements('[]') a`, "[true]"},
		{`SELECT v FROM jsonb_array_elements('[]') a(v)`, "[true]"},
		{`SELECT (jsonb_each(x)).value, (jsonb_each(x)).key FROM t`, "[true false]"},
		{`SELECT ('{}'::jsonb)['a'], (x)[1] FROM t`, "[true false]"},
		{`SELECT coalesce(x::jsonb, '{}'), CASE WHEN true THEN x::jsonb END, CASE WHEN true THEN 1 END FROM t`, "[true true false]"},
		{`SELECT * FROM t`, "not known"},
	} {
		tree, err := pg_query.Parse(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := jsonbColumns(tree)
		s := fmt.Sprint(got)
		if !ok {
			s = "not known"
		}
		if s != c.want {
			t.Errorf("%s: got %s, want %s", c.sql, s, c.want)
		}
	}
}

// TestDuckDBLambdaStays checks that DuckDB's lambdas, which PostgreSQL
// parses as the -> operator, are not read as json.
func TestDuckDBLambdaStays(t *testing.T) {
	o := testObjects()
	o.Functions["tp_jsonb"] = true
	tr := New(o)
	for _, q := range []string{
		`SELECT list_transform(l, x -> x + 1) FROM t`,
		`SELECT list_reduce(l, (a, b) -> a + b) FROM t`,
	} {
		if out := tr.Translate(q); out != q {
			t.Errorf("%s became %s", q, out)
		}
	}
	if out := tr.Translate(`SELECT j -> 'a' FROM t`); out == `SELECT j -> 'a' FROM t` {
		t.Error("json -> not rewritten")
	}
}

func TestTextArrayLiteral(t *testing.T) {
	for in, want := range map[string]string{
		`{a,b}`: "[a b]", `{}`: "[]", `{ "a b" , c\,d ,NULL,"NULL"}`: "[a b c,d <nil> NULL]", `{a,{b}}`: "bad", `a`: "bad",
	} {
		got, ok := textArrayLiteral(in)
		s := "bad"
		if ok {
			var parts []string
			for _, e := range got {
				if e == nil {
					parts = append(parts, "<nil>")
				} else {
					parts = append(parts, *e)
				}
			}
			s = fmt.Sprint(parts)
			if len(parts) == 0 {
				s = "[]"
			}
		}
		if s != want {
			t.Errorf("%s: got %s, want %s", in, s, want)
		}
	}
}
