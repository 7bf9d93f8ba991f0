package parquetcat

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"
)

// writeParts writes rows [lo, hi) of a table of nested, dictionary-encoded
// and plain columns as part files of a few row groups each, and returns
// their paths.
func writeParts(t *testing.T, dir string, bounds [][2]int) []string {
	t.Helper()
	conn := duckdbtest.Conn(t)
	var paths []string
	for i, b := range bounds {
		p := filepath.Join(dir, fmt.Sprintf("part%d.parquet", i))
		q := fmt.Sprintf(`COPY (SELECT i, 'svc' || (i %% 7) AS svc, {'a': i, 'b': ['x', i::VARCHAR]} AS nested,
			('{"k": ' || i || '}')::JSON AS doc, CASE WHEN i %% 3 = 0 THEN NULL ELSE i * 1.5 END AS d,
			TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts
			FROM range(%d, %d) r(i) ORDER BY i DESC) TO '%s' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)`, b[0], b[1], p)
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// The concatenation holds every row of its parts, in the parts' order, and
// DuckDB reads its row groups' statistics: a filter on the ordering column
// skips the row groups of the other parts.
func TestConcatKeepsRowsOrderAndStatistics(t *testing.T) {
	dir := t.TempDir()
	parts := writeParts(t, dir, [][2]int{{20000, 25000}, {10000, 20000}, {0, 3000}})
	dst := filepath.Join(dir, "all.parquet")
	if err := Concat(dst, parts); err != nil {
		t.Fatal(err)
	}
	conn := duckdbtest.Conn(t)
	ctx := context.Background()
	var rows, bad, sum int64
	err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE prev IS NOT NULL AND i >= prev), sum(i)
		FROM (SELECT i, lag(i) OVER (ORDER BY file_row_number) prev FROM read_parquet('%s', file_row_number = true))`, dst)).Scan(&rows, &bad, &sum)
	if err != nil {
		t.Fatal(err)
	}
	want := int64(5000 + 10000 + 3000)
	wantSum := int64((20000+24999)*5000/2 + (10000+19999)*10000/2 + 2999*3000/2)
	if rows != want || bad != 0 || sum != wantSum {
		t.Fatalf("concatenation: %d rows (want %d), %d out of order, sum %d (want %d)", rows, want, bad, sum, wantSum)
	}
	var diff int64
	err = conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM (
		(SELECT * FROM read_parquet('%s') EXCEPT ALL SELECT * FROM read_parquet([%s]))
		UNION ALL (SELECT * FROM read_parquet([%s]) EXCEPT ALL SELECT * FROM read_parquet('%s')))`,
		dst, quoteList(parts), quoteList(parts), dst)).Scan(&diff)
	if err != nil {
		t.Fatal(err)
	}
	if diff != 0 {
		t.Fatalf("%d rows differ between the concatenation and its parts", diff)
	}
	var groups, minOK int64
	err = conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(DISTINCT row_group_id),
		count(*) FILTER (WHERE path_in_schema = 'i' AND TRY_CAST(stats_min AS BIGINT) <= TRY_CAST(stats_max AS BIGINT))
		FROM parquet_metadata('%s')`, dst)).Scan(&groups, &minOK)
	if err != nil {
		t.Fatal(err)
	}
	var wantGroups int64
	for _, p := range parts {
		var g int64
		if err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('%s')`, p)).Scan(&g); err != nil {
			t.Fatal(err)
		}
		wantGroups += g
	}
	if groups != wantGroups || groups < int64(len(parts)) || minOK != groups {
		t.Fatalf("%d row groups (want %d), %d with min/max statistics of i", groups, wantGroups, minOK)
	}
	filter := "WHERE i >= 24000 AND svc = 'svc3' AND nested.a >= 0"
	var n, wantN int64
	if err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s') %s`, dst, filter)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM read_parquet([%s]) %s`, quoteList(parts), filter)).Scan(&wantN); err != nil {
		t.Fatal(err)
	}
	if n != wantN || n == 0 {
		t.Fatalf("filtered count %d, want %d of the parts", n, wantN)
	}
}

func quoteList(paths []string) string {
	var q []string
	for _, p := range paths {
		q = append(q, "'"+p+"'")
	}
	return strings.Join(q, ", ")
}

// Files of different schemas are not concatenated, and no output is left.
func TestConcatRefusesAnotherSchema(t *testing.T) {
	dir := t.TempDir()
	parts := writeParts(t, dir, [][2]int{{0, 10}})
	other := filepath.Join(dir, "other.parquet")
	if _, err := duckdbtest.Conn(t).ExecContext(context.Background(), fmt.Sprintf("COPY (SELECT 1 AS i) TO '%s' (FORMAT parquet)", other)); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "all.parquet")
	if err := Concat(dst, []string{parts[0], other}); err == nil || !strings.Contains(err.Error(), "another schema") {
		t.Fatalf("concatenating two schemas: %v", err)
	}
	if _, err := os.Stat(dst); !os.IsNotExist(err) {
		t.Fatalf("output left behind: %v", err)
	}
}

// A file that is not Parquet is an error, not a panic.
func TestConcatRejectsNonParquet(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.parquet")
	os.WriteFile(bad, []byte("PAR1\x05\x00\x00\x00PAR1"), 0o644)
	if err := Concat(filepath.Join(dir, "out.parquet"), []string{bad}); err == nil {
		t.Fatal("a truncated file concatenated")
	}
}
