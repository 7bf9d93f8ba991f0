package collector

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/lake"
)

// forgetSources deletes the rows of events in the window w that came from the
// given source files and marks those events as not collected, in one commit,
// so the run that follows collects them again (--overwrite). Data files
// holding such rows are rewritten without them; the originals are retired
// like compacted files. Rows of the files outside w stay, and so do copies of
// the events kept from other files.
func (c *Collector) forgetSources(ctx context.Context, st *partitionState, table lake.Table, keys []string, w span) (int64, error) {
	if len(keys) == 0 || len(st.manifest.Files) == 0 {
		return 0, nil
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return 0, fmt.Errorf("open overwrite database: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE forget (k VARCHAR PRIMARY KEY)"); err != nil {
		return 0, err
	}
	err = conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "forget")
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := a.AppendRow(k); err != nil {
				a.Close()
				return err
			}
		}
		return a.Close()
	})
	if err != nil {
		return 0, fmt.Errorf("stage sources to forget: %w", err)
	}

	// Which live files hold rows of those sources, and how many.
	paths := make([]string, len(st.manifest.Files))
	byPath := map[string]lake.DataFile{}
	for i, f := range st.manifest.Files {
		abs := filepath.Join(c.DataDir, filepath.FromSlash(f.Path))
		paths[i] = lake.QuoteString(abs)
		byPath[abs] = f
	}
	gone := fmt.Sprintf("tp_source_location IN (SELECT k FROM forget) AND %s", timePredicate(w))
	q := fmt.Sprintf(`SELECT filename, count(*) FROM read_parquet([%s], hive_partitioning = false, filename = true)
		WHERE %s GROUP BY filename`, strings.Join(paths, ", "), gone)
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("find rows to overwrite: %w", err)
	}
	affected := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			rows.Close()
			return 0, err
		}
		affected[name] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}

	batch := st.manifest.Batch + 1
	now := c.now().UTC()
	next := *st.manifest
	next.Batch = batch
	next.Files = nil
	next.Retired = append([]lake.RetiredFile(nil), st.manifest.Retired...)
	var deleted int64
	var rewritten []string
	cleanup := func() {
		for _, p := range rewritten {
			os.Remove(p)
		}
	}
	var cols []string
	for _, col := range table.FileColumns() {
		cols = append(cols, lake.QuoteIdent(col.Name))
	}
	written := 0
	for _, f := range st.manifest.Files {
		abs := filepath.Join(c.DataDir, filepath.FromSlash(f.Path))
		n, ok := affected[abs]
		if !ok {
			next.Files = append(next.Files, f)
			continue
		}
		deleted += n
		next.Retired = append(next.Retired, lake.RetiredFile{Path: f.Path, Retired: now})
		if n == f.Rows {
			continue
		}
		name := dataFileName(batch, written)
		written++
		pf := publishedFile{
			tmp:   filepath.Join(filepath.Dir(abs), name+lake.TempFileExt),
			final: filepath.Join(filepath.Dir(abs), name+lake.DataFileExt),
			rows:  f.Rows - n,
			key:   keyOf(f),
		}
		q := fmt.Sprintf("SELECT %s FROM read_parquet(%s, hive_partitioning = false) WHERE NOT (%s)",
			strings.Join(cols, ", "), lake.QuoteString(abs), gone)
		if err := writeAside(ctx, conn, q, pf); err != nil {
			cleanup()
			return 0, fmt.Errorf("rewrite %s: %w", f.Path, err)
		}
		if err := publish(pf.tmp, pf.final); err != nil {
			cleanup()
			return 0, err
		}
		rewritten = append(rewritten, pf.final)
		next.Files = append(next.Files, pf.dataFile(c.DataDir, now))
	}
	forget := make([]logEntry, len(keys))
	for i, k := range keys {
		forget[i] = logEntry{Batch: batch, Key: k, Forget: true}
		if w != allTime {
			forget[i].setWindow(w)
		}
	}
	if err := st.appendLog(forget); err != nil {
		cleanup()
		return 0, err
	}
	if err := st.commitManifest(&next); err != nil {
		cleanup()
		return 0, err
	}
	for _, e := range forget {
		st.apply(e)
	}
	c.committed()
	return deleted, nil
}

// timePredicate is a SQL condition on tp_timestamp selecting the events of w.
func timePredicate(w span) string {
	const layout = "2006-01-02 15:04:05.999999"
	from, to := w.bounds()
	var conds []string
	if !from.IsZero() {
		conds = append(conds, "tp_timestamp >= TIMESTAMP "+lake.QuoteString(from.Format(layout)))
	}
	if !to.IsZero() {
		conds = append(conds, "tp_timestamp < TIMESTAMP "+lake.QuoteString(to.Format(layout)))
	}
	if len(conds) == 0 {
		return "true"
	}
	return "(" + strings.Join(conds, " AND ") + ")"
}
