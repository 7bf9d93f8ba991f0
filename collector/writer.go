package collector

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/collector/internal/chunkappend"
	"github.com/tpserver/tpserver/collector/internal/colbuf"
	"github.com/tpserver/tpserver/lake"
)

// writer buffers mapped rows in an in-memory DuckDB table and publishes them
// as Parquet files, one per hive directory, each written aside and renamed in.
type writer struct {
	db      *sql.DB
	conn    *sql.Conn
	table   lake.Table
	dataDir string
	filter  string
	// chunks stages rows by filling DuckDB chunks in place; appender,
	// duckdb-go's row-by-row Appender, stages them when chunks cannot be
	// had (see chunkappend) or rowByRow asks for it.
	chunks   *chunkappend.Appender
	appender *duckdb.Appender
	rowByRow bool
	// rows and bytes count the staged rows and their text (see
	// colbuf.Batch.Bytes).
	rows, bytes int64
	// ids are the hashes of the staged tp_ids (column idCol), until one
	// repeats: only then does a flush look for the batch's duplicates.
	ids     map[uint64]struct{}
	seed    maphash.Seed
	idCol   int
	repeats bool
}

const stagingTable = "staging"

func newWriter(ctx context.Context, dataDir string, table lake.Table, filter string) (*writer, error) {
	return openWriter(ctx, dataDir, table, filter, false)
}

// openWriter is newWriter, staging rows through duckdb-go's Appender when
// rowByRow is set.
func openWriter(ctx context.Context, dataDir string, table lake.Table, filter string, rowByRow bool) (*writer, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("open staging database: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open staging connection: %w", err)
	}
	w := &writer{db: db, conn: conn, table: table, dataDir: dataDir, filter: filter, rowByRow: rowByRow,
		ids: map[uint64]struct{}{}, seed: maphash.MakeSeed(), idCol: -1}
	for i, c := range table.Columns {
		if c.Name == "tp_id" {
			w.idCol = i
		}
	}
	// One thread: the flush runs on the calling goroutine's thread beside
	// the decoding goroutines. With more, the calling thread spins on
	// DuckDB's context lock while waiting for the workers (a sixth of the
	// collection's CPU in perf), and the workers compete with decoding.
	for _, set := range append([]string{"SET TimeZone = 'UTC'", "SET threads = 1"}, memorySettings()...) {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			w.close()
			return nil, fmt.Errorf("configure staging database: %s: %w", set, err)
		}
	}
	if err := w.createStaging(ctx); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

// createStaging creates the empty staging table and its appender:
// chunkappend's, unless rowByRow asks for duckdb-go's, or chunkappend
// cannot reach the connection or write one of the table's types (then
// rowByRow is set, and the table made again for duckdb-go's Appender).
func (w *writer) createStaging(ctx context.Context) error {
	if err := w.createTable(ctx); err != nil {
		return err
	}
	if !w.rowByRow {
		a, err := chunkappend.New(w.conn, stagingTable)
		if err == nil {
			w.chunks = a
			return nil
		}
		if !errors.Is(err, chunkappend.ErrNoConnection) && !errors.Is(err, chunkappend.ErrUnsupportedType) {
			return fmt.Errorf("create appender: %w", err)
		}
		w.rowByRow = true
		if _, err := w.conn.ExecContext(ctx, "DROP TABLE "+stagingTable); err != nil {
			return fmt.Errorf("drop staging table: %w", err)
		}
		if err := w.createTable(ctx); err != nil {
			return err
		}
	}
	return w.conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", stagingTable)
		if err != nil {
			return fmt.Errorf("create appender: %w", err)
		}
		w.appender = a
		return nil
	})
}

// createTable creates the empty staging table, its columns typed by
// stagingType.
func (w *writer) createTable(ctx context.Context) error {
	var cols []string
	for _, c := range w.table.Columns {
		cols = append(cols, lake.QuoteIdent(c.Name)+" "+stagingType(c.Type, w.rowByRow))
	}
	ddl := fmt.Sprintf("CREATE TABLE %s (%s)", stagingTable, strings.Join(cols, ", "))
	if _, err := w.conn.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("create staging table: %w", err)
	}
	return nil
}

// resetStaging empties the staging table by dropping and creating it again:
// an in-memory table keeps the memory of deleted rows, a dropped one frees
// it, so the staging memory stays that of one batch.
func (w *writer) resetStaging(ctx context.Context) error {
	if err := w.closeAppender(); err != nil {
		return fmt.Errorf("close staging appender: %w", err)
	}
	if _, err := w.conn.ExecContext(ctx, "DROP TABLE "+stagingTable); err != nil {
		return fmt.Errorf("drop staging table: %w", err)
	}
	return w.createStaging(ctx)
}

// stagingType is the type a column of type t has while staged. Chunks
// stage JSON text as JSON, as is: a cast from VARCHAR when written would
// parse every value only to keep it byte for byte, and the mapper wrote
// it from valid JSON. duckdb-go's Appender (rowByRow) does not store a
// string into a JSON column as is, so for it JSON text is staged as
// VARCHAR and cast when written.
func stagingType(t string, rowByRow bool) string {
	if !rowByRow {
		return t
	}
	return jsonType.ReplaceAllString(t, "VARCHAR")
}

// jsonType matches the JSON type name inside a DuckDB type.
var jsonType = regexp.MustCompile(`\bJSON\b`)

// closeAppender closes the staging table's appender without flushing it.
func (w *writer) closeAppender() error {
	if w.chunks != nil {
		w.chunks.Close()
		w.chunks = nil
	}
	if w.appender != nil {
		err := w.appender.Close()
		w.appender = nil
		return err
	}
	return nil
}

// flushAppender makes the appended rows visible in the staging table.
func (w *writer) flushAppender() error {
	if w.chunks != nil {
		return w.chunks.Flush()
	}
	return w.appender.Flush()
}

// append adds the rows of one source file; b may change once it returns.
func (w *writer) append(b *colbuf.Batch) error {
	if w.chunks != nil {
		if err := w.chunks.AppendBatch(b); err != nil {
			return fmt.Errorf("stage rows: %w", err)
		}
	} else {
		for i := range b.Len() {
			r := b.Row(i)
			vals := make([]driver.Value, len(r))
			for i, v := range r {
				vals[i] = v
			}
			if err := w.appender.AppendRow(vals...); err != nil {
				return fmt.Errorf("stage row: %w", err)
			}
		}
	}
	w.bytes += b.Bytes()
	w.rows += int64(b.Len())
	w.noteIDs(b)
	return nil
}

// noteIDs adds the tp_ids of b to w.ids, and sets w.repeats when one was
// there (or its hash was). Without a tp_id column every batch may repeat.
func (w *writer) noteIDs(b *colbuf.Batch) {
	if w.repeats {
		return
	}
	if w.idCol < 0 || w.idCol >= len(b.Cols) || b.Cols[w.idCol].Kind != colbuf.String {
		w.repeats = true
		return
	}
	col := b.Cols[w.idCol]
	for i, s := range col.Str {
		if !col.Valid[i] {
			continue
		}
		h := maphash.String(w.seed, s)
		if _, ok := w.ids[h]; ok {
			w.repeats = true
			return
		}
		w.ids[h] = struct{}{}
	}
}

// writeAside writes the rows of a SELECT into f.Temp as zstd Parquet in
// the lake's time order (lake.FileOrder), in row groups of
// lake.RowGroupRows(f.Rows), and makes the file durable; a lake commit then
// renames it into place.
func writeAside(ctx context.Context, conn *sql.Conn, selectSQL string, f lake.StagedFile) error {
	return writeAsideLevel(ctx, conn, selectSQL, f, 0)
}

// flushZstdLevel is the zstd level of the files a flush writes. Against
// DuckDB's default (3), level 1 took about 5% off a collection's CPU and
// gave files of about the same size (29 MB against 30 MB for 292k bench
// events). Compaction keeps the default.
const flushZstdLevel = 1

// writeAsideLevel is writeAside at zstd level (0: DuckDB's default).
func writeAsideLevel(ctx context.Context, conn *sql.Conn, selectSQL string, f lake.StagedFile, level int) error {
	opts := fmt.Sprintf("FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE %d", lake.RowGroupRows(f.Rows))
	if level != 0 {
		opts += fmt.Sprintf(", COMPRESSION_LEVEL %d", level)
	}
	q := fmt.Sprintf("COPY (%s ORDER BY %s) TO %s (%s)", selectSQL, lake.FileOrder, lake.QuoteString(f.Temp), opts)
	if _, err := conn.ExecContext(ctx, q); err != nil {
		os.Remove(f.Temp)
		return fmt.Errorf("write %s: %w", f.Temp, err)
	}
	return syncFile(f.Temp)
}

// removeStaged deletes files written aside for a commit that will not
// happen.
func removeStaged(files []lake.StagedFile) {
	for _, f := range files {
		os.Remove(f.Temp)
	}
}

// flushStats counts the staged rows a flush did not publish.
type flushStats struct {
	// Filtered rows failed the partition filter.
	Filtered int64
	// Duplicates are events the partition already holds, or that an
	// earlier row of the batch holds.
	Duplicates int64
}

// flush writes the staged rows to temporary Parquet files next to their final
// place and returns them; the caller renames them in with a lake commit.
// live are the partition's live data files: events they hold are not written
// again.
func (w *writer) flush(ctx context.Context, batch int64, live []lake.DataFile) ([]lake.StagedFile, flushStats, error) {
	var st flushStats
	if err := w.flushAppender(); err != nil {
		return nil, st, fmt.Errorf("flush staged rows: %w", err)
	}
	if w.filter != "" {
		q := fmt.Sprintf("DELETE FROM %s WHERE NOT coalesce((%s), false)", stagingTable, w.filterOverTyped())
		res, err := w.conn.ExecContext(ctx, q)
		if err != nil {
			return nil, st, fmt.Errorf("apply partition filter %q: %w", w.filter, err)
		}
		st.Filtered, _ = res.RowsAffected()
	}
	dups, err := w.dropDuplicates(ctx, live)
	if err != nil {
		return nil, st, err
	}
	st.Duplicates = dups
	keys, err := w.conn.QueryContext(ctx, fmt.Sprintf(
		"SELECT %s, %s, %s, %s, count(*) FROM %s GROUP BY ALL ORDER BY ALL",
		lake.KeyTable, lake.KeyPartition, lake.KeyIndex, lake.KeyDate, stagingTable))
	if err != nil {
		return nil, st, fmt.Errorf("group staged rows: %w", err)
	}
	type group struct {
		key  lake.PartitionKey
		rows int64
	}
	var groups []group
	for keys.Next() {
		var g group
		if err := keys.Scan(&g.key.Table, &g.key.Partition, &g.key.Index, &g.key.Date, &g.rows); err != nil {
			keys.Close()
			return nil, st, fmt.Errorf("read staged groups: %w", err)
		}
		groups = append(groups, g)
	}
	keys.Close()
	if err := keys.Err(); err != nil {
		return nil, st, fmt.Errorf("read staged groups: %w", err)
	}

	var out []lake.StagedFile
	cleanup := func() { removeStaged(out) }
	sel := w.fileSelectList()
	for i, g := range groups {
		dir := g.key.Dir(w.dataDir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			cleanup()
			return nil, st, fmt.Errorf("create %s: %w", dir, err)
		}
		f := lake.Stage(dir, g.key, batch, i, g.rows)
		out = append(out, f)
		q := fmt.Sprintf(
			"SELECT %s FROM %s WHERE %s = %s AND %s = %s AND %s = %s AND %s = DATE %s",
			sel, stagingTable,
			lake.KeyTable, lake.QuoteString(g.key.Table),
			lake.KeyPartition, lake.QuoteString(g.key.Partition),
			lake.KeyIndex, lake.QuoteString(g.key.Index),
			lake.KeyDate, lake.QuoteString(g.key.Date.Format(lake.DateFormat)))
		if err := writeAsideLevel(ctx, w.conn, q, f, flushZstdLevel); err != nil {
			cleanup()
			return nil, st, err
		}
	}
	if err := w.resetStaging(ctx); err != nil {
		cleanup()
		return nil, st, err
	}
	w.rows, w.bytes = 0, 0
	clear(w.ids)
	w.repeats = false
	return out, st, nil
}

// dropDuplicates deletes the staged rows whose event the partition already
// holds, and all but the first staged row of each event, so the partition
// keeps one row per event: the first committed. An event's identity is its
// tp_id (eventID, recipient account and event time), so copies of an event
// share tp_date and tp_timestamp: only the live files of the staged days are
// read, only their tp_id and tp_timestamp columns, and only the row groups
// whose times overlap the staged ones. Within a batch the first copy is the
// one from the first source location (in byte order), then the first in that
// file.
func (w *writer) dropDuplicates(ctx context.Context, live []lake.DataFile) (int64, error) {
	var dups int64
	// The batch's tp_ids are looked at in DuckDB only when their hashes
	// repeated while staging: the look-up costs a tenth of the flush.
	if w.repeats {
		// The window runs over the rows of repeated tp_ids only: finding
		// them by a hash aggregate costs a third of ordering every row.
		res, err := w.conn.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %[1]s WHERE rowid IN (
		SELECT rowid FROM (SELECT rowid, row_number() OVER (PARTITION BY tp_id ORDER BY tp_source_location, rowid) AS n FROM %[1]s
			WHERE tp_id IN (SELECT tp_id FROM %[1]s GROUP BY tp_id HAVING count(*) > 1))
		WHERE n > 1)`, stagingTable))
		if err != nil {
			return 0, fmt.Errorf("drop duplicate events of the batch: %w", err)
		}
		dups, _ = res.RowsAffected()
	}
	if len(live) == 0 {
		return dups, nil
	}
	byDate := map[string][]string{}
	for _, f := range live {
		byDate[f.Date] = append(byDate[f.Date], lake.QuoteString(filepath.Join(w.dataDir, filepath.FromSlash(f.Path))))
	}
	rows, err := w.conn.QueryContext(ctx, fmt.Sprintf(
		"SELECT strftime(%s, '%%Y-%%m-%%d'), min(tp_timestamp), max(tp_timestamp) FROM %s GROUP BY 1 ORDER BY 1",
		lake.KeyDate, stagingTable))
	if err != nil {
		return 0, fmt.Errorf("staged days: %w", err)
	}
	type day struct {
		date     string
		from, to time.Time
	}
	var days []day
	for rows.Next() {
		var d day
		if err := rows.Scan(&d.date, &d.from, &d.to); err != nil {
			rows.Close()
			return 0, fmt.Errorf("staged days: %w", err)
		}
		if len(byDate[d.date]) > 0 {
			days = append(days, d)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("staged days: %w", err)
	}
	const ts = "2006-01-02 15:04:05.999999"
	for _, d := range days {
		q := fmt.Sprintf(`DELETE FROM %s WHERE %s = DATE %s AND tp_id IN (
			SELECT tp_id FROM read_parquet([%s], hive_partitioning = false)
			WHERE tp_timestamp BETWEEN TIMESTAMP %s AND TIMESTAMP %s)`,
			stagingTable, lake.KeyDate, lake.QuoteString(d.date), strings.Join(byDate[d.date], ", "),
			lake.QuoteString(d.from.UTC().Format(ts)), lake.QuoteString(d.to.UTC().Format(ts)))
		res, err := w.conn.ExecContext(ctx, q)
		if err != nil {
			return 0, fmt.Errorf("drop events already collected on %s: %w", d.date, err)
		}
		n, _ := res.RowsAffected()
		dups += n
	}
	return dups, nil
}

// filterOverTyped evaluates the partition filter with the JSON columns typed
// as JSON, as users see them.
func (w *writer) filterOverTyped() string {
	var b strings.Builder
	b.WriteString("rowid IN (SELECT rowid FROM (SELECT rowid, ")
	for i, c := range w.table.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "CAST(%s AS %s) AS %s", lake.QuoteIdent(c.Name), c.Type, lake.QuoteIdent(c.Name))
	}
	fmt.Fprintf(&b, " FROM %s) WHERE %s)", stagingTable, w.filter)
	return b.String()
}

// fileSelectList selects the columns stored in each file, typed as the lake says.
func (w *writer) fileSelectList() string {
	var parts []string
	for _, c := range w.table.FileColumns() {
		parts = append(parts, fmt.Sprintf("CAST(%s AS %s) AS %s", lake.QuoteIdent(c.Name), c.Type, lake.QuoteIdent(c.Name)))
	}
	return strings.Join(parts, ", ")
}

func (w *writer) close() {
	w.closeAppender()
	if w.conn != nil {
		w.conn.Close()
	}
	if w.db != nil {
		w.db.Close()
	}
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}
