package pgemu

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"testing"
)

// installed is a private in-memory DuckDB database with the emulation
// installed.
func installed(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := Install(context.Background(), db, []string{"aws_cloudtrail_log"}); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestEmptyViewsHaveTheirColumns checks each view emptyView defines has
// the columns its template line declares, with the DuckDB types DuckType
// maps them to.
func TestEmptyViewsHaveTheirColumns(t *testing.T) {
	db := installed(t)
	decl := regexp.MustCompile("\\{\\{emptyView \"\\$(pg|is)\\.(\\w+)\" `([^`]*)`\\}\\}")
	for _, file := range []string{"sql/empty_views.sql", "sql/information_schema.sql"} {
		text, err := ddl.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		views := decl.FindAllStringSubmatch(string(text), -1)
		if len(views) == 0 {
			t.Fatalf("%s declares no empty views", file)
		}
		for _, v := range views {
			schema := map[string]string{"pg": CatalogSchema, "is": InformationSchema}[v[1]]
			var want []string
			for _, col := range strings.Split(v[3], ", ") {
				name, typ, _ := strings.Cut(col, " ")
				want = append(want, name+" "+strings.ReplaceAll(DuckType(typ), "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"))
			}
			rows, err := db.Query("SELECT column_name || ' ' || column_type FROM (DESCRIBE " + schema + "." + v[2] + ")")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var c string
				if err := rows.Scan(&c); err != nil {
					t.Fatal(err)
				}
				got = append(got, c)
			}
			rows.Close()
			if strings.Join(got, ", ") != strings.Join(want, ", ") {
				t.Errorf("%s.%s columns:\n got %s\nwant %s", schema, v[2], strings.Join(got, ", "), strings.Join(want, ", "))
			}
		}
	}
}

// TestScriptChangesWithLakeTables checks that the install fingerprint
// follows the lake tables, and the lake tables are listed sorted.
func TestScriptChangesWithLakeTables(t *testing.T) {
	a, err := Script([]string{"b", "a"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Script([]string{"a", "c"})
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Error("the script does not depend on the lake tables")
	}
	if !strings.Contains(a, "CAST(['a', 'b'] AS VARCHAR[])") {
		t.Error("lake tables not listed sorted")
	}
	if strings.Contains(a, "$pg") || strings.Contains(a, "$is") || strings.Contains(a, "{{") {
		t.Error("placeholders left in the script")
	}
	if err := Install(context.Background(), installed(t), []string{"x"}); err != nil {
		t.Fatal(err)
	}
}
