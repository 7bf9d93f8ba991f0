package pgwire_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// dataErrorCases are statements PostgreSQL 15 answers with a data
// exception, with its SQLSTATE and message.
var dataErrorCases = []struct{ sql, code, msg string }{
	{`select 1 / 0`, "22012", "division by zero"},
	{`select 10 % n from (values (0)) t(n)`, "22012", "division by zero"},
	{`select 1.5 / 0`, "22012", "division by zero"},
	{`select 'abc'::int`, "22P02", `invalid input syntax for type integer: "abc"`},
	{`select 'x'::bigint`, "22P02", `invalid input syntax for type bigint: "x"`},
	{`select 'x'::float8`, "22P02", `invalid input syntax for type double precision: "x"`},
	{`select 'maybe'::boolean`, "22P02", `invalid input syntax for type boolean: "maybe"`},
	{`select 'abc'::numeric`, "22P02", `invalid input syntax for type numeric: "abc"`},
	{`select '99999999999'::int`, "22003", `value "99999999999" is out of range for type integer`},
	{`select 2147483647 + 1`, "22003", "integer out of range"},
	{`select 9223372036854775807 * 2`, "22003", "bigint out of range"},
	{`select 32767::smallint + 1::smallint`, "22003", "smallint out of range"},
	{`select 70000::smallint`, "22003", "smallint out of range"},
	{`select 'foo'::date`, "22007", `invalid input syntax for type date: "foo"`},
	{`select '2020-13-45'::date`, "22008", `date/time field value out of range: "2020-13-45"`},
	{`select 'a\' like 'a\'`, "22025", "LIKE pattern must not end with escape character"},
	{`select 'x'::interval`, "22007", `invalid input syntax for type interval: "x"`},
	{`select 'garbage'::timestamp`, "22007", `invalid input syntax for type timestamp: "garbage"`},
	{`select '25:00'::time`, "22008", `date/time field value out of range: "25:00"`},
	{`select 'x'::json`, "22P02", "invalid input syntax for type json"},
	{`select 300::smallint * 300::smallint`, "22003", "smallint out of range"},
	{`select sqrt(-1)`, "2201F", "cannot take square root of a negative number"},
	{`select ln(0)`, "2201E", "cannot take logarithm of zero"},
	{`select ln(-1)`, "2201E", "cannot take logarithm of a negative number"},
	{`select ntile(0) over ()`, "22014", "argument of ntile must be greater than zero"},
	{`select (select x from (values (1), (2)) t(x))`, "21000", "more than one row returned by a subquery used as an expression"},
	{`select 1e400::float8`, "22003", `"1` + strings.Repeat("0", 400) + `" is out of range for type double precision`},
	{`select 1.5e300::float8 * 1.5e300::float8`, "22003", "value out of range: overflow"},
	{`select 1.5e300::float8 * 1.5e300`, "22003", "value out of range: overflow"},
	{`select 1e308::float8 + 1e308::float8`, "22003", "value out of range: overflow"},
	{`select -1e308 - 1e308::float8`, "22003", "value out of range: overflow"},
	{`select 1e-400::float8`, "22003", `"0.` + strings.Repeat("0", 399) + `1" is out of range for type double precision`},
	{`select generate_series(1, 3, x) from (values (0)) t(x)`, "22023", "step size cannot equal zero"},
	{`select generate_series('2024-01-01'::timestamp, '2024-01-02', '0 hours')`, "22023", "step size cannot equal zero"},
	{`select x from generate_series('2024-01-01'::timestamp, '2024-01-02'::timestamp, '0 hours') g(x)`, "22023", "step size cannot equal zero"},
	{`select 2::float8 ^ 10000`, "22003", "value out of range: overflow"},
	{`select pow(10, 400)`, "22003", "value out of range: overflow"},
	{`select 2 ^ -10000`, "22003", "value out of range: underflow"},
	{`select power(1e-200::float8, 2)`, "22003", "value out of range: underflow"},
	{`select 0 ^ -1`, "2201F", "zero raised to a negative power is undefined"},
	{`select power(0::float8, -2)`, "2201F", "zero raised to a negative power is undefined"},
	{`select (-8) ^ (1.0/3)`, "2201F", "a negative number raised to a non-integer power yields a complex result"},
	{`select power(-8::float8, 0.5::float8)`, "2201F", "a negative number raised to a non-integer power yields a complex result"},
	{`select generate_series(1, 10, 0)`, "22023", "step size cannot equal zero"},
	{`select * from generate_series(1, 10, 0) g`, "22023", "step size cannot equal zero"},
	{`select array[[1,2],[3]]`, "2202E", "multidimensional arrays must have array expressions with matching dimensions"},
}

// TestDataErrorsArePostgres checks that tpserver answers data exceptions
// with PostgreSQL's SQLSTATE and message, and that the cases are
// PostgreSQL 15's.
func TestDataErrorsArePostgres(t *testing.T) {
	ts, _ := serveCatalog(t)
	targets := map[string]string{"tpserver": fmt.Sprintf("postgres://tester@%s/tpserver?sslmode=disable", ts.Addr())}
	if pg, err := testsupport.StartPostgres("tester", "tpserver"); err == nil {
		t.Cleanup(pg.Stop)
		targets["postgres"] = pg.DSN()
	} else if !errors.Is(err, testsupport.ErrNoPostgres) {
		t.Fatal(err)
	} else {
		testsupport.LeftOut(t, "PostgreSQL 15 server", testsupport.PostgresInstall, "the checks of the cases against PostgreSQL")
	}
	ctx := context.Background()
	for name, dsn := range targets {
		conn, err := pgconn.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, c := range dataErrorCases {
			_, err := conn.Exec(ctx, c.sql).ReadAll()
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				t.Errorf("%s: %s: got %v, want ERROR %s", name, c.sql, err, c.code)
				continue
			}
			if pe.Code != c.code || pe.Message != c.msg {
				t.Errorf("%s: %s: got %s %q, want %s %q", name, c.sql, pe.Code, pe.Message, c.code, c.msg)
			}
		}
	}
}

// TestCheckedArithmeticParams checks that the checks of power, float8
// arithmetic and series steps keep the types of parameters and results
// PostgreSQL 15 gives: double precision for a power's parameter, bigint
// for generate_series's step (DuckDB's, as before the check).
func TestCheckedArithmeticParams(t *testing.T) {
	ts, _ := serveCatalog(t)
	ctx := context.Background()
	conn, err := pgconn.Connect(ctx, fmt.Sprintf("postgres://tester@%s/tpserver?sslmode=disable", ts.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	cases := []struct {
		sql, param string
		paramOID   uint32
		want       string
	}{
		{`select $1 ^ 2`, "1.5", 701, "2.25"},
		{`select power($1, 2)`, "3", 701, "9"},
		{`select $1::float8 * 2`, "1.5", 701, "3"},
		{`select sum(g) from (select generate_series(1, 5, $1) g) s`, "2", 20, "9"},
	}
	for _, c := range cases {
		sd, err := conn.Prepare(ctx, "", c.sql, nil)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if len(sd.ParamOIDs) != 1 || sd.ParamOIDs[0] != c.paramOID {
			t.Errorf("%s: parameter types %v, want [%d]", c.sql, sd.ParamOIDs, c.paramOID)
		}
		res := conn.ExecParams(ctx, c.sql, [][]byte{[]byte(c.param)}, sd.ParamOIDs, nil, nil).Read()
		if res.Err != nil {
			t.Errorf("%s: %v", c.sql, res.Err)
			continue
		}
		if len(res.Rows) != 1 || string(res.Rows[0][0]) != c.want {
			t.Errorf("%s with %s: %q, want %s", c.sql, c.param, res.Rows, c.want)
		}
	}
}
