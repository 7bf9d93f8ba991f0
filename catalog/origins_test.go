package catalog

import (
	"reflect"
	"testing"

	"github.com/tpserver/tpserver/pgwire"
)

func TestColumnOrigins(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	ctx := t.Context()

	var oid int64
	if err := c.DB().QueryRowContext(ctx, "SELECT oid FROM "+PGCatalogSchema+".pg_class WHERE relname = 'aws_cloudtrail_log'").Scan(&oid); err != nil {
		t.Fatal(err)
	}
	rel := uint32(oid)
	if rel != RelationOID("main", "aws_cloudtrail_log") {
		t.Fatalf("pg_class oid %d, RelationOID %d", rel, RelationOID("main", "aws_cloudtrail_log"))
	}
	attnum := func(table, col string) int16 {
		t.Helper()
		var n int64
		if err := c.DB().QueryRowContext(ctx, "SELECT a.attnum FROM "+PGCatalogSchema+".pg_attribute a JOIN "+PGCatalogSchema+
			".pg_class c ON c.oid = a.attrelid WHERE c.relname = ? AND a.attname = ?", table, col).Scan(&n); err != nil {
			t.Fatalf("attnum of %s.%s: %v", table, col, err)
		}
		return int16(n)
	}

	// Every column of the lake table, in order.
	got, ok := c.ColumnOrigins("select * from aws_cloudtrail_log")
	if !ok || len(got) != 46 {
		t.Fatalf("select *: %d origins, %v; want 46", len(got), ok)
	}
	for i, o := range got {
		if o.TableOID != rel || o.Attnum != int16(i+1) {
			t.Errorf("select * column %d: %+v", i+1, o)
		}
	}
	if got, ok := c.ColumnOrigins("select public.aws_cloudtrail_log.* from public.aws_cloudtrail_log"); !ok || len(got) != 46 {
		t.Errorf("public.t.*: %d origins, %v", len(got), ok)
	}

	if n := attnum("aws_cloudtrail_log", "event_name"); n != 9 {
		t.Errorf("pg_attribute attnum of event_name = %d, want 9", n)
	}
	check := func(sql string, want ...pgwire.ColumnOrigin) {
		t.Helper()
		got, ok := c.ColumnOrigins(sql)
		if want == nil {
			if ok {
				t.Errorf("%s: %+v, want ok=false", sql, got)
			}
			return
		}
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, %v; want %+v", sql, got, ok, want)
		}
	}
	check("select event_name, count(*) from aws_cloudtrail_log group by 1", pgwire.ColumnOrigin{TableOID: rel, Attnum: 9}, pgwire.ColumnOrigin{})
	check("SELECT l.Event_Name, l.nope, event_time FROM public.aws_cloudtrail_log AS l",
		pgwire.ColumnOrigin{TableOID: rel, Attnum: 9}, pgwire.ColumnOrigin{}, pgwire.ColumnOrigin{TableOID: rel, Attnum: attnum("aws_cloudtrail_log", "event_time")})
	check("select event_name from pg_catalog.aws_cloudtrail_log", pgwire.ColumnOrigin{})
	check("select relname from pg_class", pgwire.ColumnOrigin{})
	check("select * from pg_class")
	check("select * from no_such_table")
	check("select 1 union select 2")

	// Users' tables and views, in main and in other schemas.
	for _, q := range []string{
		"CREATE TABLE main.t (a INTEGER, b VARCHAR)",
		"CREATE SCHEMA s",
		"CREATE TABLE s.u (x INTEGER, y INTEGER, z INTEGER)",
		"CREATE TABLE s.t (q INTEGER)",
		"CREATE VIEW v AS SELECT b, a FROM t",
	} {
		execDDL(t, c, q)
	}
	tOID, uOID, stOID, vOID := RelationOID("main", "t"), RelationOID("s", "u"), RelationOID("s", "t"), RelationOID("main", "v")
	check("select * from t", pgwire.ColumnOrigin{TableOID: tOID, Attnum: 1}, pgwire.ColumnOrigin{TableOID: tOID, Attnum: 2})
	check("select b from public.t", pgwire.ColumnOrigin{TableOID: tOID, Attnum: 2})
	check("select q, * from s.t", pgwire.ColumnOrigin{TableOID: stOID, Attnum: 1}, pgwire.ColumnOrigin{TableOID: stOID, Attnum: 1})
	check("select z from u", pgwire.ColumnOrigin{TableOID: uOID, Attnum: 3})
	check("select t.a, u.*, v.a from t join s.u on t.a = u.x, v",
		pgwire.ColumnOrigin{TableOID: tOID, Attnum: 1}, pgwire.ColumnOrigin{TableOID: uOID, Attnum: 1}, pgwire.ColumnOrigin{TableOID: uOID, Attnum: 2}, pgwire.ColumnOrigin{TableOID: uOID, Attnum: 3}, pgwire.ColumnOrigin{TableOID: vOID, Attnum: 2})
	check("select a + 1, b from t", pgwire.ColumnOrigin{}, pgwire.ColumnOrigin{TableOID: tOID, Attnum: 2})
}
