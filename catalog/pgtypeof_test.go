package catalog

import (
	"testing"
)

// pgTypeofCases are values and the type PostgreSQL 15's pg_typeof names.
var pgTypeofCases = []struct{ expr, want string }{
	{"1", "integer"},
	{"1::bigint", "bigint"},
	{"1::smallint", "smallint"},
	{"1.5", "numeric"},
	{"'1.25'::numeric", "numeric"},
	{"1.5::float8", "double precision"},
	{"1.5::real", "real"},
	{"'a'::text", "text"},
	{"true", "boolean"},
	{"'yes'::boolean", "boolean"},
	{`'\x00'::bytea`, "bytea"},
	{"date '2024-01-01'", "date"},
	{"time '01:02:03'", "time without time zone"},
	{"timestamp '2024-01-01 00:00:00'", "timestamp without time zone"},
	{"timestamptz '2024-01-01 00:00:00+00'", "timestamp with time zone"},
	{"interval '1 day'", "interval"},
	{`'{"a":1}'::json`, "json"},
	{"'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", "uuid"},
	{"ARRAY['a', 'b']", "text[]"},
	{"ARRAY[1, 2]", "integer[]"},
	{"'{1,2}'::bigint[]", "bigint[]"},
	{"ARRAY[1.5::float8]", "double precision[]"},
	{"ARRAY[date '2024-01-01']", "date[]"},
	{"ARRAY[true]", "boolean[]"},
	{"(SELECT count(*) FROM (VALUES (1)) v(x))", "bigint"},
	{"NULL", "unknown"},
	{"count(*)", "bigint"},
	{"sum(1)", "bigint"},
	{"max('a'::text)", "text"},
	{"(SELECT sum(CASE WHEN x > 0 THEN 1 ELSE 0 END) FROM (VALUES (1)) v(x))", "bigint"},
	{"(SELECT sum(x::int) FROM (VALUES (1)) v(x))", "bigint"},
	{"(SELECT sum(x::int8) FROM (VALUES (1)) v(x))", "numeric"},
}

// TestPgTypeof checks pg_typeof's names, as a result and as text.
func TestPgTypeof(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	for _, tc := range pgTypeofCases {
		q := c.TranslateSQL("SELECT pg_typeof(" + tc.expr + "), pg_typeof(" + tc.expr + ")::text = '" + tc.want + "'")
		got := queryRows(t, c.DB(), q)
		if len(got) != 1 || got[0][0] != tc.want || got[0][1] != "true" {
			t.Errorf("pg_typeof(%s) = %v, want %s\n%s", tc.expr, got, tc.want, q)
		}
	}
}
