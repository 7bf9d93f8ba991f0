package pqfooter

import (
	"database/sql"
	"fmt"
	"testing"
)

// TestNullCountsAgreeWithDuckDB checks NullCounts against DuckDB's own
// count of NULLs, over files of one and many row groups, and that nested
// and absent columns are not reported.
func TestNullCountsAgreeWithDuckDB(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	sel := `SELECT CASE WHEN i %% %d = 0 THEN NULL ELSE TIMESTAMP '2024-01-01' + to_seconds(i) END AS t,
		CASE WHEN i %% 3 = 0 THEN NULL ELSE i END AS n, {'k': NULL} AS s FROM range(%d) r(i)`
	for _, c := range []struct {
		every, rows int
		opts        string
	}{{7, 10, ""}, {1000000, 10, ""}, {5, 50000, ", ROW_GROUP_SIZE 2048"}, {1, 3000, ", ROW_GROUP_SIZE 2048, COMPRESSION zstd"}} {
		p := writeParquet(t, db, dir, fmt.Sprintf("f%d_%d", c.every, c.rows), fmt.Sprintf(sel, c.every, c.rows), c.opts)
		got, err := NullCounts(p, []string{"t", "n", "s", "absent"})
		if err != nil {
			t.Fatal(err)
		}
		var wantT, wantN int64
		if err := db.QueryRow("SELECT count(*) - count(t), count(*) - count(n) FROM read_parquet('"+p+"')").Scan(&wantT, &wantN); err != nil {
			t.Fatal(err)
		}
		if v, ok := got["t"]; !ok || v != wantT {
			t.Errorf("%s: t has %d NULLs (known %v), want %d", p, v, ok, wantT)
		}
		if v, ok := got["n"]; !ok || v != wantN {
			t.Errorf("%s: n has %d NULLs (known %v), want %d", p, v, ok, wantN)
		}
		if _, ok := got["s"]; ok {
			t.Errorf("%s: the struct column s got a count", p)
		}
		if _, ok := got["absent"]; ok {
			t.Errorf("%s: an absent column got a count", p)
		}
	}
}
