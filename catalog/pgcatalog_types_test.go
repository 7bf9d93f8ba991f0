package catalog

import (
	"fmt"
	"testing"
)

// TestTypeLookupsWithDuplicateNames checks the oid and name look-ups when
// users' relations give several row types one name, or a built-in type's.
func TestTypeLookupsWithDuplicateNames(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	execDDL(t, c, "CREATE TABLE t (a INTEGER); CREATE SCHEMA s; CREATE TABLE s.t (b INTEGER); CREATE TABLE int4 (x INTEGER)")
	got := fmt.Sprint(queryRows(t, c.DB(), `SELECT tp_pg_catalog.to_regtype('int4'), tp_pg_catalog.to_regtype('integer[]'),
		tp_pg_catalog.to_regtype('t') IS NOT NULL, tp_pg_catalog.format_type(1231, 655366), tp_pg_catalog.format_type(23, NULL),
		tp_pg_catalog.to_regtype('no_such_type') IS NULL`))
	if want := "[[23 1007 true numeric(10,2)[] integer true]]"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestUpgradeReplacesEmulation opens a catalog database whose emulation was
// installed by an older version, with objects of other kinds under the
// current names and objects the current version no longer has.
func TestUpgradeReplacesEmulation(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	execDDL(t, c, "CREATE TABLE kept (a INTEGER)")
	for _, q := range []string{
		"DROP TABLE tp_pg_catalog.tp_relations",
		"CREATE VIEW tp_pg_catalog.tp_relations AS SELECT 1 AS oid",
		"CREATE VIEW tp_pg_catalog.pg_retired AS SELECT 1 AS x",
		"CREATE OR REPLACE MACRO tp_pg_catalog.tp_emulation_version() AS 'old'",
	} {
		if _, err := c.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	c.Close()
	c = open(t, dir)
	defer c.Close()
	got := fmt.Sprint(queryRows(t, c.DB(), `SELECT (SELECT count(*) FROM tp_pg_catalog.pg_class WHERE relname = 'kept'),
		(SELECT count(*) FROM duckdb_views() WHERE schema_name = 'tp_pg_catalog' AND view_name = 'pg_retired'),
		(SELECT count(*) FROM kept)`))
	if got != "[[1 0 0]]" {
		t.Errorf("after upgrade: %s, want [[1 0 0]] (kept in pg_class, retired object gone, user table intact)", got)
	}
}
