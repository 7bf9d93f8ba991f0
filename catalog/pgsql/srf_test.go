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
	if !strings.Contains(out, "generate_series(0, 3) s(s)") && !strings.Contains(out, "generate_series(0, 3)) AS s) s(s)") {
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

// Grafana's table picker calls generate_series and string_to_array in FROM
// with arguments DuckDB's table functions cannot take.
func TestFunctionsInFromBecomeSubqueries(t *testing.T) {
	tr := New(testObjects())
	out := tr.Translate(`SELECT trim(s[i]) FROM generate_series(array_lower(string_to_array(current_setting('search_path'),','),1), 3) as i, string_to_array(current_setting('search_path'),',') s, pg_catalog.pg_class c`)
	for _, want := range []string{"(SELECT unnest(generate_series(", ") AS i) i(i)", "(SELECT string_to_array(", ") AS s) s(s)"} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %q in %s", want, out)
		}
	}
}

// tableoid is a system column of every catalog table: the table's own oid.
func TestTableOIDSystemColumn(t *testing.T) {
	tr := New(testObjects())
	out := tr.Translate(`SELECT c.oid, c.tableoid FROM pg_catalog.pg_class c`)
	if !strings.Contains(out, "tp_pg_catalog.to_regclass('pg_catalog.pg_class')::bigint AS tableoid") {
		t.Fatalf("tableoid: %s", out)
	}
	if got := tr.Translate(`SELECT t.tableoid FROM mytable t`); got != `SELECT t.tableoid FROM mytable t` {
		t.Fatalf("a user table's column was rewritten: %s", got)
	}
}
