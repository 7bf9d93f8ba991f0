package pgsql

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// literalChecks are PostgreSQL conditions on cast literals that are true
// in PostgreSQL 15, and must be true in DuckDB once translated; bad input
// fails in both.
var literalChecks = []struct {
	check string
	fails bool // invalid input: 22P02 in PostgreSQL, a conversion error in DuckDB
}{
	{check: `octet_length('\xdead00ff'::bytea) = 4`},
	{check: `'\xDEAD00FF'::bytea = '\336\255\000\377'::bytea`},
	{check: `octet_length('abc\000'::bytea) = 4`},
	{check: `'a\\b'::bytea = '\x615c62'::bytea`},
	{check: `octet_length('\x'::bytea) = 0 AND octet_length(''::bytea) = 0`},
	{check: `'\x e4 bd a0'::bytea = '\xe4bda0'::bytea`},
	{check: `'héllo'::bytea = '\x68c3a96c6c6f'::bytea`},
	{check: `'yes'::boolean AND 'on'::bool AND ' t '::boolean AND 'TRUE'::boolean AND '1'::boolean AND 'y'::boolean AND 'tr'::boolean`},
	{check: `NOT 'no'::boolean AND NOT 'off'::bool AND NOT 'F'::boolean AND NOT '0'::boolean AND NOT 'of'::boolean`},
	{check: `'  12 '::int = 12 AND '-7'::smallint = -7 AND '+9000000000'::bigint = 9000000000`},
	{check: `' 1.5 '::float8 = 1.5 AND '-1e3'::real = -1000 AND 'NaN'::float8 <> 0 AND '-Infinity'::float8 < 0`},
	{check: `'1.23456'::numeric = 1.23456 AND '  0.000001 '::numeric > 0 AND '1e5'::numeric = 100000 AND '1.5e-3'::numeric = 0.0015`},
	{check: `'123456789012345.678901'::numeric::text = '123456789012345.678901'`},
	{check: `1.23456::numeric::text = '1.23456' AND 7::numeric::text = '7' AND 0.5::numeric::text = '0.5'`},
	{check: `array_length('{a,"b c",NULL}'::text[], 1) = 3`},
	{check: `('{{1,2},{3,4}}'::int[])[2][1] = 3`},
	{check: `('{"a\"b", "c\\d", NULL}'::text[])[1] = 'a"b' AND ('{"a\"b", "c\\d", NULL}'::text[])[2] = 'c\d' AND ('{"a\"b", "c\\d", NULL}'::text[])[3] IS NULL`},
	{check: `('{yes,off}'::boolean[])[1] AND NOT ('{yes,off}'::boolean[])[2]`},
	{check: `(' { 1 , 2 } '::int[])[2] = 2`},
	{check: `3 = ANY('{1,03,NULL}') AND NOT (4 = ANY('{1,3}')) AND 'b' = ANY('{a,"b"}') AND date '2024-01-02' = ANY('{2024-01-02}')`},
	{check: `5 <> ALL('{1,3}') AND NOT (3 <> ALL('{1,3}'))`},
	{check: `interval 'P1Y2M3DT4H5M6S' = interval '1 year 2 mons 3 days 04:05:06' AND '1-2'::interval = interval '14 mons'`},
	{check: `'@ 1 day ago'::interval = interval '-1 days' AND '3 04:05:06'::interval = interval '3 days 4 hours 5 minutes 6 seconds'`},
	{check: `'1.5 months'::interval = interval '1 mon 15 days' AND '1 mon -1 day'::interval = interval '1 mon' - interval '1 day'`},
	{check: `'January 8, 1999'::date = date '1999-01-08' AND '1/8/1999'::date = '1999-01-08'::date AND '19990108'::date = '1999-01-08'::date`},
	{check: `'8 Jan 1999'::date = '1999-Jan-08'::date AND 'Friday, January 8, 1999'::date = '1999-01-08'::date`},
	{check: `'1999-01-08 04:05:06 -8:00'::timestamptz = '1999-01-08 12:05:06+00'::timestamptz AND '1999-01-08 04:05:06 +0530'::timestamptz = '1999-01-07 22:35:06+00'::timestamptz`},
	{check: `'1999-01-08 04:05:06+02'::timestamp = '1999-01-08 04:05:06'::timestamp AND 'January 8 1999 4:05 PM'::timestamp = '1999-01-08 16:05:00'::timestamp`},
	{check: `'0044-03-15 BC'::date < '0001-01-01'::date AND 'epoch'::timestamp = '1970-01-01 00:00:00'::timestamp`},
	{check: `'today'::date = current_date AND 'tomorrow'::date = current_date + 1 AND 'yesterday'::date = current_date - 1 AND 'now'::timestamptz = now()`},
	{check: `'4:05 PM'::time = '16:05:00'::time AND 'allballs'::time = '00:00:00'::time AND '12:30 AM'::time = '00:30'::time`},
	{check: `'1999-13-45'::date IS NULL`, fails: true},
	{check: `'abcd'::varchar(3) = 'abc' AND 12345::varchar(2) = '12' AND 'abcdef'::char(4) = 'abcd' AND 'abc'::char(5) = 'abc' AND length('abc'::char(5)) = 3`},
	{check: `'\xdeadbeef'::bytea::text = '\xdeadbeef' AND 'ab'::bytea::text = '\x6162'`},
	{check: `'maybe'::boolean`, fails: true},
	{check: `3 = ANY('{1,x}')`, fails: true},
	{check: `'o'::boolean`, fails: true},
	{check: `'1.5'::int = 2`, fails: true},
	{check: `'12x'::int = 12`, fails: true},
	{check: `'0x10'::int = 16`, fails: true},
	{check: `'3000000000'::int > 0`, fails: true},
	{check: `'\x4'::bytea IS NULL`, fails: true},
	{check: `'a\9'::bytea IS NULL`, fails: true},
	{check: `'{1,{2}}'::int[] IS NULL`, fails: true},
	{check: `'{1,2'::int[] IS NULL`, fails: true},
	{check: `'{1,x}'::int[] IS NULL`, fails: true},
	{check: `'{{1},{2,3}}'::int[] IS NULL`, fails: true},
}

// TestLiteralCasts runs each check translated in DuckDB, and as written in
// PostgreSQL 15 when one can be started.
func TestLiteralCasts(t *testing.T) {
	tr := New(testObjects())
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range literalChecks {
		q := "SELECT " + c.check
		out := tr.Translate(q)
		var ok bool
		err := db.QueryRow(out).Scan(&ok)
		var de *duckdb.Error
		switch {
		case c.fails && (err == nil || !errors.As(err, &de) || de.Type != duckdb.ErrorTypeConversion):
			t.Errorf("%s\n  translated %s\n  want a conversion error, got %v", q, out, err)
		case !c.fails && (err != nil || !ok):
			t.Errorf("%s\n  translated %s\n  = %v, %v; want true", q, out, ok, err)
		}
	}
}

func TestLiteralCastsPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	pg := testsupport.RequirePostgres(t, "tester", "literals")
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, pg.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, lc := range literalChecks {
		q := "SELECT " + lc.check
		res, err := c.Exec(ctx, q).ReadAll()
		var pe *pgconn.PgError
		switch {
		case lc.fails && (!errors.As(err, &pe) || pe.Code != "22P02" && pe.Code != "22003" && pe.Code != "22023" && pe.Code != "22008" && pe.Code != "22007"):
			t.Errorf("%s: PostgreSQL answered %v, want an invalid input error", q, err)
		case !lc.fails && err != nil:
			t.Errorf("%s: %v", q, err)
		case !lc.fails && (len(res) != 1 || len(res[0].Rows) != 1 || string(res[0].Rows[0][0]) != "t"):
			t.Errorf("%s: PostgreSQL says not true", q)
		}
	}
}
