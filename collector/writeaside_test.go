package collector

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/tpserver/tpserver/lake"
)

// TestWriteAsideTimeOrder checks the layout every data file gets: rows
// newest first and row groups of lake.RowGroupRows, whose tp_timestamp
// statistics do not overlap, so a time filter prunes them.
func TestWriteAsideTimeOrder(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const rows = 30_000 // 1,250 an hour: row groups of 2,048 rows
	f := lake.Stage(t.TempDir(), lake.PartitionKey{}, 1, 0, rows)
	// Rows in a shuffled order, one every 2.88 s over a day.
	sel := fmt.Sprintf(`SELECT TIMESTAMP '2024-01-02' + to_microseconds((i * 7919 %% %[1]d) * 2880000) AS tp_timestamp,
		'id' || (i * 7919 %% %[1]d) AS tp_id FROM range(%[1]d) r(i)`, rows)
	if err := writeAside(ctx, conn, sel, f); err != nil {
		t.Fatal(err)
	}
	var groups, sorted int64
	q := fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE lag_min IS NULL OR stats_max::TIMESTAMP < lag_min) FROM (
		SELECT stats_max, lag(stats_min::TIMESTAMP) OVER (ORDER BY row_group_id) AS lag_min
		FROM parquet_metadata(%s) WHERE path_in_schema = 'tp_timestamp')`, lake.QuoteString(f.Temp))
	if err := conn.QueryRowContext(ctx, q).Scan(&groups, &sorted); err != nil {
		t.Fatal(err)
	}
	if want := (rows + lake.RowGroupRows(rows) - 1) / lake.RowGroupRows(rows); groups != want {
		t.Errorf("%d row groups, want %d", groups, want)
	}
	if sorted != groups {
		t.Errorf("%d of %d row groups are older than the next, want all", sorted, groups)
	}
	var first, last time.Time
	var inOrder bool
	q = fmt.Sprintf(`SELECT first(tp_timestamp), last(tp_timestamp),
		bool_and(tp_timestamp <= prev) FILTER (WHERE prev IS NOT NULL) FROM (
		SELECT tp_timestamp, lag(tp_timestamp) OVER (ORDER BY file_row_number) AS prev
		FROM read_parquet(%s, file_row_number = true) ORDER BY file_row_number)`, lake.QuoteString(f.Temp))
	if err := conn.QueryRowContext(ctx, q).Scan(&first, &last, &inOrder); err != nil {
		t.Fatal(err)
	}
	if !inOrder || !first.After(last) {
		t.Errorf("rows not newest first: first %v, last %v, ordered %v", first, last, inOrder)
	}
	if filepath.Ext(f.Temp) != filepath.Ext(lake.TempFileExt) {
		t.Errorf("written to %s", f.Temp)
	}
}
