package pgsql

import (
	"strings"
	"testing"
)

// In PostgreSQL the alias of a one-column set-returning function names its
// column; DuckDB needs that spelled out.
func TestSetReturningFunctionAliasNamesItsColumn(t *testing.T) {
	tr := New(testObjects())
	out := tr.Translate(`SELECT string_agg(attname, ', ') FROM pg_catalog.generate_series(0, 3) s, pg_catalog.pg_attribute WHERE attnum = prattrs[s]`)
	if !strings.Contains(out, "generate_series(0, 3) s(s)") {
		t.Fatalf("alias without column list: %s", out)
	}
	out = tr.Translate(`SELECT x FROM pg_catalog.pg_class c, unnest(c.relacl) WITH ORDINALITY a(x, n)`)
	if strings.Contains(out, "a(a") {
		t.Fatalf("explicit column lists must stay: %s", out)
	}
}
