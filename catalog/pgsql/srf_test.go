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

// PostgreSQL's public schema is DuckDB's main.
func TestPublicSchemaIsMain(t *testing.T) {
	tr := New(testObjects())
	out := tr.Translate(`SELECT "event_name" AS "event_name", count(*) AS "count" FROM "public"."aws_cloudtrail_log" GROUP BY 1`)
	if !strings.Contains(out, "main.aws_cloudtrail_log") || strings.Contains(out, "public") {
		t.Fatalf("public not mapped: %s", out)
	}
	if got := tr.Translate(`SELECT public_ip FROM t`); got != `SELECT public_ip FROM t` {
		t.Fatalf("a column named like the schema was rewritten: %s", got)
	}
}

func TestFunctionsDuckDBNamesDifferently(t *testing.T) {
	tr := New(testObjects())
	out := tr.Translate(`SELECT json_build_object('a', 1, 'b', c.relname) FROM pg_catalog.pg_class c`)
	if !strings.Contains(out, "json_object\"('a', 1, 'b', c.relname)") && !strings.Contains(out, "json_object('a', 1, 'b', c.relname)") {
		t.Fatalf("json_build_object: %s", out)
	}
}
