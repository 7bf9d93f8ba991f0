package pgwire

import (
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"
)

// jsonbBackend is a testBackend that says the first result column of any
// statement is jsonb.
type jsonbBackend struct{ testBackend }

func (b *jsonbBackend) ColumnTypes(q string) ([]uint32, bool) {
	return []uint32{jsonbTypeOID, 0}, true
}

// TestJSONBColumns checks that a ColumnTyper's jsonb columns are described
// as jsonb, sent in jsonb's binary format (pgx decodes it), and that a
// column that is not JSON stays what it is.
func TestJSONBColumns(t *testing.T) {
	ts := serveBackend(t, func(db *sql.DB) Backend { return &jsonbBackend{testBackend{db: db}} }, nil)
	ctx := testCtx(t)
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		conn := connectPgx(t, ts, mode)
		rows, err := conn.Query(ctx, `SELECT '{"a": [1, 2]}'::JSON AS j, '{"b":1}'::JSON AS k`)
		if err != nil {
			t.Fatal(err)
		}
		if f := rows.FieldDescriptions(); f[0].DataTypeOID != jsonbTypeOID || f[1].DataTypeOID != oidJSON {
			t.Errorf("mode %v: types %d, %d", mode, f[0].DataTypeOID, f[1].DataTypeOID)
		}
		var j, k map[string]any
		for rows.Next() {
			if err := rows.Scan(&j, &k); err != nil {
				t.Fatal(err)
			}
		}
		if rows.Err() != nil || len(j["a"].([]any)) != 2 || k["b"] != float64(1) {
			t.Errorf("mode %v: %v %v %v", mode, j, k, rows.Err())
		}
		rows, err = conn.Query(ctx, `SELECT 1 AS n, 2 AS m`)
		if err != nil {
			t.Fatal(err)
		}
		if f := rows.FieldDescriptions(); f[0].DataTypeOID != oidInt4 {
			t.Errorf("mode %v: a non-JSON column became %d", mode, f[0].DataTypeOID)
		}
		rows.Close()
	}
}
