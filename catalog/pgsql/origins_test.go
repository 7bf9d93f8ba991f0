package pgsql

import (
	"reflect"
	"testing"
)

func TestColumnOrigins(t *testing.T) {
	col := func(schema, table, column string) Origin { return Origin{Schema: schema, Table: table, Column: column} }
	star := func(schema, table string) Origin { return Origin{Schema: schema, Table: table, Star: true} }
	none := Origin{}
	cases := []struct {
		sql  string
		want []Origin // nil: ok is false
	}{
		{"select * from aws_cloudtrail_log", []Origin{star("", "aws_cloudtrail_log")}},
		{"SELECT event_name, count(*) FROM aws_cloudtrail_log GROUP BY 1", []Origin{col("", "aws_cloudtrail_log", "event_name"), none}},
		{"select l.event_name AS e, l.* from public.aws_cloudtrail_log l where l.x = 1",
			[]Origin{col("public", "aws_cloudtrail_log", "event_name"), star("public", "aws_cloudtrail_log")}},
		{"select public.t.a, t.b, c from public.t", []Origin{col("public", "t", "a"), col("public", "t", "b"), col("public", "t", "c")}},
		// An alias hides the relation's own name.
		{"select t.a, x.b, public.t.c from public.t x", []Origin{none, col("public", "t", "b"), none}},
		{`select "Mixed" from "Tab"`, []Origin{col("", "Tab", "Mixed")}},
		// Joins: qualified columns resolve, unqualified ones do not.
		{"select a.x, b.y, z, * from s.a join b on a.id = b.id left join c on c.k = b.k",
			[]Origin{col("s", "a", "x"), col("", "b", "y"), none, star("s", "a"), star("", "b"), star("", "c")}},
		{"select a.x, b.y from a, b", []Origin{col("", "a", "x"), col("", "b", "y")}},
		// Ambiguous qualifier.
		{"select t.x from s1.t, s2.t", []Origin{none}},
		// Expressions, casts, functions, constants.
		{"select x + 1, x::text, lower(x), 1, (x), coalesce(x, 1) from t", []Origin{none, none, none, none, col("", "t", "x"), none}},
		// Subqueries, functions and CTEs resolve nothing.
		{"select s.x, y from (select 1 as x, 2 as y) s", []Origin{none, none}},
		{"select g from generate_series(1, 3) g", []Origin{none}},
		{"with t as (select 1 as x) select x, t.x from t", []Origin{none, none}},
		{"with c as (select 1 as x) select t.x, c.x from t, c", []Origin{col("", "t", "x"), none}},
		{"select x from t join (select 1) s(y) on true", []Origin{none}},
		// Column aliases on the relation rename its columns.
		{"select t.a from t t(a, b)", []Origin{none}},
		// alias.* over a USING join still names the relation.
		{"select a.* from a join b using (id)", []Origin{star("", "a")}},
		{"select x from t where y in (select y from u)", []Origin{col("", "t", "x")}},
		{"select x from t order by 1 limit 3", []Origin{col("", "t", "x")}},
		// Not expandable here, or not a plain SELECT.
		{"select * from a join b using (id)", nil},
		{"select * from a natural join b", nil},
		{"select * from (select 1) s", nil},
		{"select s.* from t, (select 1) s", nil},
		{"select * from generate_series(1, 2)", nil},
		{"with c as (select 1) select * from c", nil},
		{"select *", nil},
		{"select nope.* from t", nil},
		{"select 1 union select 2", nil},
		{"values (1)", nil},
		{"insert into t values (1)", nil},
		{"select 1; select 2", nil},
		{"select x into y from t", nil},
		{"from t select x", nil}, // DuckDB dialect
		{"select db.s.t.x from t", []Origin{none}},
		{"select * from db.s.t", nil},
	}
	for _, c := range cases {
		got, ok := ColumnOrigins(c.sql)
		if c.want == nil {
			if ok {
				t.Errorf("%s: got %+v, want ok=false", c.sql, got)
			}
			continue
		}
		if !ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %+v, %v\n want %+v", c.sql, got, ok, c.want)
		}
	}
}
