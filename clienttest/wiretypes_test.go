package clienttest

import (
	"context"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// wireTypeCases are expressions whose RowDescription (type oid, size,
// typmod) and values in text and binary format must be byte for byte
// PostgreSQL's.
var wireTypeCases = []string{
	"1::int2", "1", "9000000000::int8", "-7::int4",
	"1.5::numeric", "123.45::numeric(10,2)", "-0.05::numeric(4,2)", "0::numeric(5,1)", "12345678.9::numeric(12,1)",
	"100::numeric(10,0)", "0.0001::numeric(6,4)", "-1000000::numeric(12,2)",
	"1.5::float4", "2.25::float8", "'NaN'::float8", "'-Infinity'::float8",
	"'a'::text", "true", `'\xde00ad'::bytea`,
	"date '2024-02-29'", "date '0001-01-01'", "'infinity'::date",
	"time '01:02:03.5'",
	"timestamp '2024-01-02 03:04:05.123456'", "timestamp '1970-01-01 00:00:00'", "'-infinity'::timestamp",
	"timestamptz '2024-01-02 03:04:05+02'", "'infinity'::timestamptz",
	"interval '1 year 2 mons 3 days 04:05:06.5'", "interval '-1 day -02:03:04.5'", "interval '0 seconds'",
	"'5b6f3a2e-9d5c-4b1e-8f3a-2c1d0e9f8a7b'::uuid",
	`'{"a":1}'::json`,
	"ARRAY[1,2]", "ARRAY[1::int8,NULL]", "ARRAY['a','b c',NULL]", "ARRAY[true,false]", "ARRAY[1.5::float8]",
	"ARRAY[1.50::numeric(5,2)]", "ARRAY[date '2024-01-02']", "ARRAY[timestamp '2024-01-02 03:04:05']",
	"ARRAY[timestamptz '2024-01-02 03:04:05+00']", "ARRAY['5b6f3a2e-9d5c-4b1e-8f3a-2c1d0e9f8a7b'::uuid]",
	"'{}'::int[]",
	"(SELECT count(*) FROM (VALUES (1)) v(x))",
	"(SELECT sum(x) FROM (VALUES (1::int8),(2::int8)) v(x))",
	"(SELECT sum(x) FROM (VALUES (1.5::numeric),(2::numeric)) v(x))",
}

// numericTypmodDiffers are cases whose numeric typmod PostgreSQL computes
// from the expression (-1 after an operator or aggregate, or for a bare
// numeric), while DuckDB's DECIMAL always has a width and scale, which
// tpserver reports: only the typmod differs.
var numericTypmodDiffers = map[string]bool{
	"1.5::numeric": true, "-0.05::numeric(4,2)": true, "-1000000::numeric(12,2)": true,
	"(SELECT sum(x) FROM (VALUES (1.5::numeric),(2::numeric)) v(x))": true,
}

// wireAnswer is a statement's RowDescription field and value in one format.
type wireAnswer struct {
	oid    uint32
	size   int16
	typmod int32
	value  string
	err    string
}

func wireQuery(ctx context.Context, c *pgconn.PgConn, expr string, format int16) wireAnswer {
	rr := c.ExecParams(ctx, "SELECT "+expr+" AS v", nil, nil, nil, []int16{format})
	var a wireAnswer
	for rr.NextRow() {
		v := rr.Values()[0]
		if v == nil {
			a.value = "NULL"
		} else if format == 1 {
			a.value = hex.EncodeToString(v)
		} else {
			a.value = string(v)
		}
	}
	if fds := rr.FieldDescriptions(); len(fds) == 1 {
		a.oid, a.size, a.typmod = fds[0].DataTypeOID, fds[0].DataTypeSize, fds[0].TypeModifier
	}
	if _, err := rr.Close(); err != nil {
		a.err = sqlState(err)
	}
	return a
}

// TestWireTypes compares RowDescription and text and binary values of
// wireTypeCases with PostgreSQL's.
func TestWireTypes(t *testing.T) {
	f := setup(t)
	if f.pgErr != nil {
		t.Skipf("no PostgreSQL to compare with: %v", f.pgErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conns := map[string]*pgconn.PgConn{}
	for _, tg := range []target{f.tp, f.pg} {
		c, err := pgconn.Connect(ctx, tg.dsn()+"&timezone=UTC")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(context.Background())
		conns[tg.name] = c
	}
	for _, expr := range wireTypeCases {
		for _, format := range []int16{0, 1} {
			tp := wireQuery(ctx, conns["tpserver"], expr, format)
			pg := wireQuery(ctx, conns["postgres"], expr, format)
			if numericTypmodDiffers[expr] && tp.typmod != pg.typmod {
				tp.typmod = pg.typmod
			}
			if tp != pg {
				t.Errorf("%s (format %d):\n tpserver %s\n postgres %s", expr, format, fmt.Sprintf("%+v", tp), fmt.Sprintf("%+v", pg))
			}
		}
	}
}
