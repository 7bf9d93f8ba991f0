package pgwire_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The examples of "User SQL means what PostgreSQL says it means", over
// the wire with the real catalog, each with PostgreSQL 15's answer.
func TestPostgresMeaningExamples(t *testing.T) {
	ts, _ := serveCatalog(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://tester@%s/tailpipe?sslmode=disable", ts.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		for _, c := range []struct{ sql, want string }{
			{`select count(*) / 7 from generate_series(1, 15)`, "2"},
			{`select 1 / 0`, "ERROR 22012"},
			{`select string_agg(coalesce(x::text, 'null'), ',') from (select x from (values (1), (null), (2)) t(x) order by x desc) s`, "null,2,1"},
			{`select 'a_b' like 'a\_b'`, "true"},
			{`select current_database()`, "tailpipe"},
		} {
			var got string
			var v any
			err := conn.QueryRow(ctx, c.sql, mode).Scan(&v)
			var pe *pgconn.PgError
			switch {
			case errors.As(err, &pe):
				got = "ERROR " + pe.Code
			case err != nil:
				t.Fatalf("%s: %v", c.sql, err)
			default:
				got = fmt.Sprint(v)
			}
			if !strings.EqualFold(got, c.want) {
				t.Errorf("%v %s: got %s, want %s", mode, c.sql, got, c.want)
			}
		}
	}
}
