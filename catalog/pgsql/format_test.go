package pgsql

import (
	"database/sql"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// PostgreSQL's format() and LIKE's default backslash escape, as DuckDB runs them.
func TestFormatAndLikeEscape(t *testing.T) {
	tr := New(testObjects())
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cases := []struct{ sql, want string }{
		{`SELECT format('%s.%s', 'public', 'aws_cloudtrail_log') FROM pg_catalog.pg_class LIMIT 1`, "public.aws_cloudtrail_log"},
		{`SELECT format('100%% %s', 'x') FROM pg_catalog.pg_class LIMIT 1`, "100% x"},
		{`SELECT CASE WHEN 'aws_cloudtrail_log' LIKE 'aws\_%' THEN 'yes' ELSE 'no' END FROM pg_catalog.pg_class LIMIT 1`, "yes"},
		{`SELECT CASE WHEN 'awsXcloudtrail' LIKE 'aws\_%' THEN 'yes' ELSE 'no' END FROM pg_catalog.pg_class LIMIT 1`, "no"},
	}
	if _, err := db.Exec("CREATE SCHEMA tp_pg_catalog; CREATE VIEW tp_pg_catalog.pg_class AS SELECT 1 AS oid"); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		out := tr.Translate(c.sql)
		if out == c.sql {
			t.Fatalf("not translated: %s", c.sql)
		}
		var got string
		if err := db.QueryRow(out).Scan(&got); err != nil || got != c.want {
			t.Errorf("%s\n-> %s\n= %q, %v; want %q", c.sql, out, got, err, c.want)
		}
	}
	if out := tr.Translate(`SELECT format('%I', 'x')`); !strings.Contains(out, "quote_ident") {
		t.Errorf("%%I: %s", out)
	}
}
