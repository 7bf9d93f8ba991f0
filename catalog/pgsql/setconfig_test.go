package pgsql

import (
	"fmt"
	"testing"
)

func TestSetConfigCalls(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		{`SELECT set_config('search_path', 'a, b', false)`, `[{search_path a, b false}]`},
		{`SELECT pg_catalog.set_config('my.x', '1'::text, true), 2`, `[{my.x 1 true}]`},
		{`SELECT set_config(name, 'v', false) FROM t`, `[]`},
		{`SELECT set_config('a', 'v', is_local) FROM t`, `[]`},
		{`SELECT other.set_config('a', 'v', false)`, `[]`},
		{`SELECT 1 WHERE set_config('a.b', 'x', false) IS NOT NULL`, `[{a.b x false}]`},
		{`SELECT 1`, `[]`},
	} {
		if got := fmt.Sprint(DescribeResult(c.sql).SetConfigs); got != c.want {
			t.Errorf("%s: %s, want %s", c.sql, got, c.want)
		}
	}
}
