package collector

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
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
	if len(keys) == 0 || len(st.manifest().Files) == 0 {
		return 0, nil
	}
	conn, closeDB, err := c.openScratchDB(ctx, "overwrite")
	if err != nil {
		return 0, err
	}
	defer closeDB()
	if err := stageForgotten(ctx, conn, keys); err != nil {
		return 0, fmt.Errorf("stage sources to forget: %w", err)
	}
	gone := fmt.Sprintf("tp_source_location IN (SELECT k FROM forget) AND %s", timePredicate(w))
	affected, err := c.rowsToForget(ctx, conn, st.manifest().Files, gone)
	if err != nil {
		return 0, err
	}
	change := lake.Change{Time: c.now().UTC()}
	batch := st.part.NextBatch()
	var deleted int64
	for _, f := range st.manifest().Files {
		n, ok := affected[f.Path]
		if !ok {
			continue
		}
		deleted += n
		change.Retire = append(change.Retire, f.Path)
		if n == f.Rows {
			continue
		}
		staged, err := c.rewriteWithout(ctx, conn, table, f, f.Rows-n, gone, batch, len(change.Add))
		if err != nil {
			removeStaged(change.Add)
			return 0, err
		}
		change.Add = append(change.Add, staged)
	}
	for _, k := range keys {
		e := logEntry{Key: k, Forget: true}
		if w != allTime {
			setEntryWindow(&e, w)
		}
		change.Log = append(change.Log, e)
	}
	if err := st.commit(change); err != nil {
		return 0, err
	}
	c.committed()
	return deleted, nil
}

// stageForgotten loads the source locations to forget into the temporary
// table forget.
func stageForgotten(ctx context.Context, conn *sql.Conn, keys []string) error {
	if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE forget (k VARCHAR PRIMARY KEY)"); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
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
}

// rowsToForget counts, per live file (by manifest path), the rows matching
// the condition gone; files without such rows are left out.
func (c *Collector) rowsToForget(ctx context.Context, conn *sql.Conn, live []lake.DataFile, gone string) (map[string]int64, error) {
	paths := make([]string, len(live))
	byAbs := map[string]string{}
	for i, f := range live {
		abs := filepath.Join(c.DataDir, filepath.FromSlash(f.Path))
		paths[i] = lake.QuoteString(abs)
		byAbs[abs] = f.Path
	}
	q := fmt.Sprintf(`SELECT filename, count(*) FROM read_parquet([%s], hive_partitioning = false, filename = true)
		WHERE %s GROUP BY filename`, strings.Join(paths, ", "), gone)
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find rows to overwrite: %w", err)
	}
	defer rows.Close()
	affected := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		affected[byAbs[name]] = n
	}
	return affected, rows.Err()
}

// rewriteWithout writes aside, as the n-th file of the batch, the rows of
// live file f that do not match gone; keep is how many there are. The new
// file takes f's place in the manifest.
func (c *Collector) rewriteWithout(ctx context.Context, conn *sql.Conn, table lake.Table, f lake.DataFile, keep int64, gone string, batch int64, n int) (lake.StagedFile, error) {
	abs := filepath.Join(c.DataDir, filepath.FromSlash(f.Path))
	staged := lake.Stage(filepath.Dir(abs), f.Key(), batch, n, keep)
	staged.Replaces = f.Path
	q := fmt.Sprintf("SELECT %s FROM read_parquet(%s, hive_partitioning = false) WHERE NOT (%s)",
		fileColumnList(table), lake.QuoteString(abs), gone)
	if err := writeAside(ctx, conn, q, staged); err != nil {
		return staged, fmt.Errorf("rewrite %s: %w", f.Path, err)
	}
	return staged, nil
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
