package collector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/lake"
	"go.uber.org/zap"
)

// compactMemoryLimit is the DuckDB memory limit of compaction. A day is
// rewritten one time window (about a row group, lake.RowGroupRows) at a
// time (writeWindows), so compaction's memory is that of sorting one
// window, whatever the size of the day: the limit is only a backstop, its
// sort spills to the state dir's tmp folder beyond it, and the rewrite
// runs on one thread (with more, each holds its own buffers). A window
// that does not fit is rewritten again without the limit (compactGroup),
// so a window too large for it costs memory, never the collection.
const compactMemoryLimit = "512MB"

// CompactResult summarises a compaction.
type CompactResult struct {
	FilesBefore, FilesAfter int
	Rows                    int64
}

// Compact merges the data files of each day of a partition into one file,
// in the lake's time order (lake.FileOrder), leaving alone a file that
// dwarfs the rest of its day (tieredCandidates). Readers never see the change half-done: the new files
// replace the old ones in a single manifest commit, and the old files stay
// on disk for queries already reading them until the retire grace ends.
func (c *Collector) Compact(ctx context.Context, p *config.Partition) (*CompactResult, error) {
	table, err := tableFor(p.Table)
	if err != nil {
		return nil, err
	}
	st, _, err := c.openPartition(p)
	if err != nil {
		return nil, err
	}
	defer st.close()
	return c.compact(ctx, st, table)
}

// compactGroup is a set of files of one hive directory merged into one.
type compactGroup struct {
	files []lake.DataFile
	rows  int64
	bytes int64
}

// compact merges the files of each day of an open partition, in one
// lake commit that adds the merged files and retires the originals.
func (c *Collector) compact(ctx context.Context, st *partitionState, table lake.Table) (*CompactResult, error) {
	res := &CompactResult{}
	work := compactionGroups(st.manifest().Files)
	if len(work) == 0 {
		return res, nil
	}
	conn, closeDB, err := c.openScratchDB(ctx, "compaction")
	if err != nil {
		return nil, err
	}
	defer closeDB()
	batch := st.part.NextBatch()
	var staged []lake.StagedFile
	var retire []string
	for i, g := range work {
		f, err := c.compactGroup(ctx, conn, table, g, batch, i)
		if err != nil {
			removeStaged(staged)
			return nil, err
		}
		staged = append(staged, f)
		for _, old := range g.files {
			retire = append(retire, old.Path)
		}
		res.FilesBefore += len(g.files)
		res.Rows += g.rows
	}
	if err := st.commit(lake.Change{Add: staged, Retire: retire, Time: c.now().UTC()}); err != nil {
		return nil, err
	}
	res.FilesAfter = len(staged)
	c.committed()
	return res, nil
}

// compactionGroups plans a compaction: per hive directory (a day), the
// files worth merging into one.
func compactionGroups(live []lake.DataFile) []compactGroup {
	byDir := map[string][]lake.DataFile{}
	for _, f := range live {
		byDir[f.Dir] = append(byDir[f.Dir], f)
	}
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var work []compactGroup
	for _, d := range dirs {
		files := tieredCandidates(byDir[d])
		if len(files) < 2 {
			continue
		}
		g := compactGroup{}
		for _, f := range files {
			g.files = append(g.files, f)
			g.rows += f.Rows
			g.bytes += f.Size
		}
		work = append(work, g)
	}
	return work
}

// openScratchDB opens an in-memory DuckDB connection that spills to the
// state dir, for rewriting data files.
func (c *Collector) openScratchDB(ctx context.Context, purpose string) (*sql.Conn, func(), error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, nil, fmt.Errorf("open %s database: %w", purpose, err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	closeDB := func() {
		conn.Close()
		db.Close()
	}
	tmpDir := filepath.Join(c.stateDir(), "tmp")
	if err := os.MkdirAll(tmpDir, 0o755); err != nil {
		closeDB()
		return nil, nil, err
	}
	sets := append([]string{"SET temp_directory = " + lake.QuoteString(tmpDir), "SET memory_limit = " + lake.QuoteString(c.compactMemoryLimit()), "SET threads = 1"}, memorySettings()...)
	for _, set := range sets {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			closeDB()
			return nil, nil, fmt.Errorf("set up %s database (%s): %w", purpose, set, err)
		}
	}
	return conn, closeDB, nil
}

// compactMemoryLimit is the memory limit of the compaction database.
func (c *Collector) compactMemoryLimit() string {
	if c.compactMemory != "" {
		return c.compactMemory
	}
	return compactMemoryLimit
}

// compactGroup writes a group's rows aside as one file (writeCompacted)
// within the compaction memory limit, or, when DuckDB runs out of memory
// there, once more without the limit.
func (c *Collector) compactGroup(ctx context.Context, conn *sql.Conn, table lake.Table, g compactGroup, batch int64, n int) (lake.StagedFile, error) {
	f, err := c.writeCompacted(ctx, conn, table, g, batch, n)
	var de *duckdb.Error
	if err == nil || !errors.As(err, &de) || de.Type != duckdb.ErrorTypeOutOfMemory {
		return f, err
	}
	c.log().Warn("compaction out of its memory limit, rewriting without it",
		zap.String("dir", g.files[0].Dir), zap.Int64("rows", g.rows), zap.String("limit", c.compactMemoryLimit()), zap.Error(err))
	// RESET would show DuckDB's default but leave its buffer pool's limit
	// as it was; -1 lifts it.
	if _, err := conn.ExecContext(ctx, "SET memory_limit = '-1'"); err != nil {
		return f, fmt.Errorf("compact %s: lift the memory limit: %w", g.files[0].Dir, err)
	}
	defer conn.ExecContext(ctx, "SET memory_limit = "+lake.QuoteString(c.compactMemoryLimit()))
	return c.writeCompacted(ctx, conn, table, g, batch, n)
}

// writeCompacted writes the rows of a group's files aside as the n-th file
// of the batch, one time window at a time (writeWindows).
func (c *Collector) writeCompacted(ctx context.Context, conn *sql.Conn, table lake.Table, g compactGroup, batch int64, n int) (lake.StagedFile, error) {
	var paths []string
	for _, f := range g.files {
		paths = append(paths, lake.QuoteString(filepath.Join(c.DataDir, filepath.FromSlash(f.Path))))
	}
	dir := filepath.Join(c.DataDir, filepath.FromSlash(g.files[0].Dir))
	staged := lake.Stage(dir, g.files[0].Key(), batch, n, g.rows)
	if err := writeWindows(ctx, conn, fileColumnList(table), "["+strings.Join(paths, ", ")+"]", staged, windowRows(g.rows)); err != nil {
		return staged, fmt.Errorf("compact %s: %w", g.files[0].Dir, err)
	}
	return staged, nil
}

// fileColumnList lists, quoted, the columns stored in each data file.
func fileColumnList(table lake.Table) string {
	var cols []string
	for _, col := range table.FileColumns() {
		cols = append(cols, lake.QuoteIdent(col.Name))
	}
	return strings.Join(cols, ", ")
}

// compactRatio bounds write amplification: a file holding more than this
// many times the rows of all the other small files of its day is left alone
// until those have grown, so a refresh that adds a few rows to a day does not
// rewrite the whole day.
const compactRatio = 8

// tieredCandidates drops the largest file from a day's small files while it
// dwarfs the rest.
func tieredCandidates(files []lake.DataFile) []lake.DataFile {
	files = append([]lake.DataFile(nil), files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Rows > files[j].Rows })
	for len(files) >= 2 {
		var rest int64
		for _, f := range files[1:] {
			rest += f.Rows
		}
		if files[0].Rows <= compactRatio*rest {
			break
		}
		files = files[1:]
	}
	return files
}
