package collector

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"
	"github.com/tpserver/tpserver/lake"
)

// TestWriteWindowsMergesADayInBoundedMemory merges files whose times
// overlap (as a day's batches do) into one file: every row once, newest
// first (rows without a timestamp last), in row groups of
// lake.RowGroupRows whose time statistics do not overlap; and it does so
// within a memory limit under which sorting the day whole runs out of
// memory. The newest rows make a small row group of their own
// (headWindowRows).
func TestWriteWindowsMergesADayInBoundedMemory(t *testing.T) {
	ctx := context.Background()
	conn := duckdbtest.Conn(t)
	dir := t.TempDir()
	const perFile, files = 12_000, 4
	var paths []string
	for i := range files {
		p := filepath.Join(dir, fmt.Sprintf("in%d.parquet", i))
		// One row every 7.2 s of the day per file, at sub-second offsets
		// that differ by file, with a 2 KB payload; every 1000th row has
		// no timestamp.
		q := fmt.Sprintf(`COPY (SELECT CASE WHEN j %% 1000 = 7 THEN NULL ELSE TIMESTAMP '2024-01-02' + to_microseconds(j * 7200000 + %[1]d * 1700) END AS tp_timestamp,
			'id-%[1]d-' || j AS tp_id, repeat(chr(65 + ((j * 31 + %[1]d) %% 26)::INT), 2000) || j AS payload
			FROM range(%[2]d) r(j) ORDER BY tp_timestamp DESC, tp_id DESC) TO %[3]s (FORMAT parquet, ROW_GROUP_SIZE 2048)`, i, perFile, lake.QuoteString(p))
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, lake.QuoteString(p))
	}
	list := "[" + strings.Join(paths, ", ") + "]"
	for _, set := range []string{"SET threads = 1", "SET memory_limit = '48MB'", "SET temp_directory = " + lake.QuoteString(t.TempDir())} {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			t.Fatal(err)
		}
	}
	const rows = perFile * files
	whole := lake.Stage(dir, lake.PartitionKey{}, 1, 0, rows)
	err := writeAside(ctx, conn, "SELECT * FROM read_parquet("+list+")", whole)
	var de *duckdb.Error
	if !errors.As(err, &de) || de.Type != duckdb.ErrorTypeOutOfMemory {
		t.Fatalf("sorting the day whole within 48 MB: %v (want out of memory, or the limit does not bite)", err)
	}
	f := lake.Stage(dir, lake.PartitionKey{}, 1, 1, rows)
	if err := writeWindows(ctx, conn, "*", list, f, 2*lake.RowGroupRows(rows)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "SET memory_limit = '1GB'"); err != nil {
		t.Fatal(err)
	}
	out := lake.QuoteString(f.Temp)
	var diff int64
	q := fmt.Sprintf(`SELECT count(*) FROM ((SELECT * FROM read_parquet(%[1]s) EXCEPT ALL SELECT * FROM read_parquet(%[2]s))
		UNION ALL (SELECT * FROM read_parquet(%[2]s) EXCEPT ALL SELECT * FROM read_parquet(%[1]s)))`, out, list)
	if err := conn.QueryRowContext(ctx, q).Scan(&diff); err != nil {
		t.Fatal(err)
	}
	var n, misordered, nullsBefore int64
	q = fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE tp_timestamp > pt OR (tp_timestamp = pt AND tp_id > pid)),
		count(*) FILTER (WHERE pt IS NULL AND tp_timestamp IS NOT NULL AND file_row_number > 0) FROM (
		SELECT file_row_number, tp_timestamp, tp_id, lag(tp_timestamp) OVER w AS pt, lag(tp_id) OVER w AS pid
		FROM read_parquet(%s, file_row_number = true) WINDOW w AS (ORDER BY file_row_number))`, out)
	if err := conn.QueryRowContext(ctx, q).Scan(&n, &misordered, &nullsBefore); err != nil {
		t.Fatal(err)
	}
	if diff != 0 || n != rows || misordered != 0 || nullsBefore != 0 {
		t.Fatalf("merged file: %d rows (want %d), %d differ from the inputs, %d out of order, %d after a row without timestamp",
			n, rows, diff, misordered, nullsBefore)
	}
	var groups, overlapping, biggest, head int64
	q = fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE stats_max::TIMESTAMP >= lag_min), max(row_group_num_rows),
		arg_min(row_group_num_rows, row_group_id) FROM (
		SELECT stats_max, row_group_num_rows, row_group_id, lag(stats_min::TIMESTAMP) OVER (ORDER BY row_group_id) AS lag_min
		FROM parquet_metadata(%s) WHERE path_in_schema = 'tp_timestamp' AND stats_max IS NOT NULL)`, out)
	if err := conn.QueryRowContext(ctx, q).Scan(&groups, &overlapping, &biggest, &head); err != nil {
		t.Fatal(err)
	}
	if head < headWindowRows/2 || head > headWindowRows {
		t.Fatalf("the newest row group holds %d rows, want at most %d (and not much fewer)", head, headWindowRows)
	}
	want := lake.RowGroupRows(rows)
	if overlapping != 0 || biggest > want || groups < rows/want {
		t.Fatalf("%d row groups of up to %d rows (want about %d of %d), %d overlapping the previous in time",
			groups, biggest, rows/want, want, overlapping)
	}
}
