package pgwire

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// originBackend is a testBackend whose fake ColumnOriginer answers from a
// table of statement texts.
type originBackend struct {
	testBackend
	origins map[string][]ColumnOrigin
}

func (b *originBackend) ColumnOrigins(q string) ([]ColumnOrigin, bool) {
	o, ok := b.origins[strings.TrimSpace(q)]
	return o, ok
}

func startOriginServer(t *testing.T, origins map[string][]ColumnOrigin) *testServer {
	t.Helper()
	return serveBackend(t, func(db *sql.DB) Backend {
		return &originBackend{testBackend: testBackend{db: db}, origins: origins}
	}, nil)
}

// TestColumnOriginsInRowDescription checks that RowDescription carries the
// table oid and attribute number a ColumnOriginer reports, in the simple
// and the extended protocol, and zeros when the origins do not fit.
func TestColumnOriginsInRowDescription(t *testing.T) {
	ts := startOriginServer(t, map[string][]ColumnOrigin{
		"SELECT a, b, a + 1 AS c FROM t": {{TableOID: 40001, Attnum: 1}, {TableOID: 40001, Attnum: 2}, {}},
		"SELECT * FROM t":                {{TableOID: 40001, Attnum: 1}, {TableOID: 40001, Attnum: 2}},
		"SELECT a, b FROM t":             {{TableOID: 40001, Attnum: 1}}, // wrong count: ignored
	})
	ctx := testCtx(t)
	if _, err := ts.db.ExecContext(ctx, "CREATE TABLE t (a INTEGER, b VARCHAR); INSERT INTO t VALUES (1, 'x')"); err != nil {
		t.Fatal(err)
	}
	type field struct {
		oid    uint32
		attnum uint16
	}
	cases := []struct {
		sql  string
		want []field
	}{
		{"SELECT a, b, a + 1 AS c FROM t", []field{{40001, 1}, {40001, 2}, {0, 0}}},
		{"SELECT * FROM t", []field{{40001, 1}, {40001, 2}}},
		{"SELECT a, b FROM t", []field{{0, 0}, {0, 0}}},
		{"SELECT 1 AS one", []field{{0, 0}}},
	}
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeExec, pgx.QueryExecModeDescribeExec, pgx.QueryExecModeCacheStatement} {
		conn := connectPgx(t, ts, mode)
		for _, c := range cases {
			rows, err := conn.Query(ctx, c.sql)
			if err != nil {
				t.Fatalf("mode %v: %s: %v", mode, c.sql, err)
			}
			var got []field
			for _, fd := range rows.FieldDescriptions() {
				got = append(got, field{fd.TableOID, fd.TableAttributeNumber})
			}
			for rows.Next() {
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				t.Fatalf("mode %v: %s: %v", mode, c.sql, err)
			}
			if len(got) != len(c.want) {
				t.Errorf("mode %v: %s: fields %v, want %v", mode, c.sql, got, c.want)
				continue
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("mode %v: %s: fields %v, want %v", mode, c.sql, got, c.want)
					break
				}
			}
		}
	}
}
