package catalog

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tpserver/tpserver/catalog/pgemu"
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
// current names and objects the current version no longer has: as before
// private snapshot copies, each snapshot relation is a table rather than a
// view over X_rows.
func TestUpgradeReplacesEmulation(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	execDDL(t, c, "CREATE TABLE kept (a INTEGER)")
	var old []string
	for _, n := range pgemu.SnapshotTables() {
		old = append(old, "DROP VIEW tp_pg_catalog."+n,
			"CREATE TABLE tp_pg_catalog."+n+" AS SELECT * EXCLUDE (tp_owner) FROM tp_pg_catalog."+n+"_rows",
			"DROP TABLE tp_pg_catalog."+n+"_rows")
	}
	for _, q := range append(old,
		"CREATE VIEW tp_pg_catalog.pg_retired AS SELECT 1 AS x",
		"CREATE OR REPLACE MACRO tp_pg_catalog.tp_emulation_version() AS 'old'",
	) {
		if _, err := c.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	c.Close()
	c = open(t, dir)
	defer c.Close()
	got := fmt.Sprint(queryRows(t, c.DB(), `SELECT (SELECT count(*) FROM tp_pg_catalog.pg_class WHERE relname = 'kept'),
		(SELECT count(*) FROM duckdb_views() WHERE schema_name = 'tp_pg_catalog' AND view_name = 'pg_retired'),
		(SELECT count(*) FROM kept),
		(SELECT count(*) FROM duckdb_views() WHERE schema_name = 'tp_pg_catalog' AND view_name IN ('tp_relations', 'pg_class'))`))
	if got != "[[1 0 0 2]]" {
		t.Errorf("after upgrade: %s, want [[1 0 0 2]] (kept in pg_class, retired object gone, user table intact, snapshot relations are views)", got)
	}
}

// TestSnapshotUnderConcurrentDDL rebuilds the catalog snapshot while other
// connections create and drop tables and read the catalog: every read
// succeeds and sees a consistent snapshot (each table's columns with it),
// and the end state lists exactly the tables that exist.
func TestSnapshotUnderConcurrentDDL(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	stop := time.Now().Add(2 * time.Second)
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; time.Now().Before(stop); i++ {
				name := fmt.Sprintf("churn_%d_%d", w, i%4)
				for _, q := range []string{"CREATE OR REPLACE TABLE " + name + " (a INTEGER, b VARCHAR)", "DROP TABLE IF EXISTS " + name} {
					if _, err := c.DB().ExecContext(ctx, q); err != nil {
						errs <- fmt.Errorf("%s: %w", q, err)
						return
					}
					c.SchemaChanged()
				}
				if i%3 == 0 {
					if _, err := c.DB().ExecContext(ctx, "CREATE OR REPLACE TABLE "+name+" (a INTEGER, b VARCHAR)"); err != nil {
						errs <- err
						return
					}
					c.SchemaChanged()
				}
			}
		}(w)
	}
	const check = `SELECT count(*) FROM tp_pg_catalog.pg_class c WHERE c.relname LIKE 'churn%' AND c.relkind = 'r'
		AND (SELECT count(*) FROM tp_pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0) <> 2`
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if err := c.SyncSchema(ctx, check); err != nil {
					errs <- err
					return
				}
				var bad int
				if err := c.DB().QueryRowContext(ctx, check).Scan(&bad); err != nil {
					errs <- err
					return
				}
				if bad != 0 {
					errs <- fmt.Errorf("%d tables without their two columns in the snapshot", bad)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := c.SyncSchema(ctx, check); err != nil {
		t.Fatal(err)
	}
	got := queryRows(t, c.DB(), "SELECT count(*) FROM tp_pg_catalog.pg_class WHERE relname LIKE 'churn%'")[0][0]
	want := queryRows(t, c.DB(), "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'churn%'")[0][0]
	if got != want {
		t.Errorf("after the churn the catalog lists %s tables, DuckDB has %s", got, want)
	}
}

// TestUserViewsOverTheCatalogFollowDDL: a user's view over the emulated
// catalog (here pg_class, and a view over that view) reads the snapshot, so
// a query of it must bring the snapshot up to date after DDL as a catalog
// query does; a query that reads neither leaves the rebuild to later.
func TestUserViewsOverTheCatalogFollowDDL(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	c.stopRebuilder() // only queries bring the snapshot up to date here
	ctx := context.Background()
	execDDL(t, c, "CREATE VIEW my_relations AS SELECT relname FROM "+PGCatalogSchema+".pg_class; "+
		"CREATE VIEW \"My_Tables\" AS SELECT relname FROM my_relations")
	for i, q := range []string{"SELECT relname FROM my_relations WHERE relname LIKE 'new%' ORDER BY 1", `SELECT * FROM "My_Tables" WHERE relname LIKE 'new%' ORDER BY 1`} {
		name := fmt.Sprintf("new_%d", i)
		if _, err := c.DB().Exec("CREATE TABLE " + name + " (a INTEGER)"); err != nil {
			t.Fatal(err)
		}
		c.SchemaChanged()
		if err := c.SyncSchema(ctx, "SELECT count(*) FROM aws_cloudtrail_log"); err != nil {
			t.Fatal(err)
		}
		if c.snapshot.synced.Load() == c.snapshot.changes.Load() {
			t.Errorf("a query that reads no catalog rebuilt the snapshot")
		}
		if err := c.SyncSchema(ctx, q); err != nil {
			t.Fatal(err)
		}
		want := "new_0"
		if i == 1 {
			want = "new_0\nnew_1"
		}
		if got := rowsText(queryRows(t, c.DB(), q)); got != want {
			t.Errorf("%s after CREATE TABLE %s: %q, want %q", q, name, got, want)
		}
	}
}
