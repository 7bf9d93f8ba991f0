package pgsql

import (
	"fmt"
	"testing"
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
		{`SELECT * FROM t`, "not known"},
	} {
		got, ok := JSONBColumns(c.sql)
		s := fmt.Sprint(got)
		if !ok {
			s = "not known"
		}
		if s != c.want {
			t.Errorf("%s: got %s, want %s", c.sql, s, c.want)
		}
	}
}
