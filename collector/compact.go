package collector

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/lake"
)

// compactSmallRows is the row count under which a data file counts as small.
const compactSmallRows = 1_000_000

// compactMaxRows caps the rows of one compacted file.
const compactMaxRows = 8_000_000

// CompactResult summarises a compaction.
type CompactResult struct {
	FilesBefore, FilesAfter int
	Rows                    int64
}

// Compact merges the small data files of each day of a partition into one
// file, sorted by time. Readers never see the change half-done: the new
// file replaces the old ones in a single manifest commit, and the old files
// stay on disk for queries already reading them until the retire grace ends.
func (c *Collector) Compact(ctx context.Context, p *config.Partition) (*CompactResult, error) {
	table, err := tableFor(p.Table)
	if err != nil {
		return nil, err
	}
	st, _, unlock, err := c.openPartition(p)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return c.compact(ctx, st, table)
}

// compactGroup is a set of small files of one hive directory merged into one.
type compactGroup struct {
	files []lake.DataFile
	rows  int64
}

func (c *Collector) compact(ctx context.Context, st *partitionState, table lake.Table) (*CompactResult, error) {
	res := &CompactResult{}
	byDir := map[string][]lake.DataFile{}
	for _, f := range st.manifest.Files {
		if f.Rows < compactSmallRows {
			byDir[f.Dir] = append(byDir[f.Dir], f)
		}
	}
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var groups []compactGroup
	for _, d := range dirs {
		files := tieredCandidates(byDir[d])
		if len(files) < 2 {
			continue
		}
		g := compactGroup{}
		for _, f := range files {
			if g.rows+f.Rows > compactMaxRows && len(g.files) > 0 {
				groups = append(groups, g)
				g = compactGroup{}
			}
			g.files = append(g.files, f)
			g.rows += f.Rows
		}
		groups = append(groups, g)
	}
	var work []compactGroup
	for _, g := range groups {
		if len(g.files) >= 2 {
			work = append(work, g)
		}
	}
	if len(work) == 0 {
		return res, nil
	}

	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("open compaction database: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	tmpDir := filepath.Join(c.stateDir(), "tmp")
	if err := os.MkdirAll(tmpDir, 0o755); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "SET temp_directory = "+lake.QuoteString(tmpDir)); err != nil {
		return nil, err
	}

	batch := st.manifest.Batch + 1
	retire := map[string]bool{}
	var out []publishedFile
	cleanup := func() {
		for _, f := range out {
			os.Remove(f.tmp)
			os.Remove(f.final)
		}
	}
	var cols []string
	for _, col := range table.FileColumns() {
		cols = append(cols, lake.QuoteIdent(col.Name))
	}
	for i, g := range work {
		var paths []string
		for _, f := range g.files {
			paths = append(paths, lake.QuoteString(filepath.Join(c.DataDir, filepath.FromSlash(f.Path))))
			retire[f.Path] = true
		}
		dir := filepath.Join(c.DataDir, filepath.FromSlash(g.files[0].Dir))
		name := dataFileName(batch, i)
		pf := publishedFile{
			tmp:   filepath.Join(dir, name+lake.TempFileExt),
			final: filepath.Join(dir, name+lake.DataFileExt),
			rows:  g.rows,
			key:   keyOf(g.files[0]),
		}
		out = append(out, pf)
		q := fmt.Sprintf("SELECT %s FROM read_parquet([%s], hive_partitioning = false)", strings.Join(cols, ", "), strings.Join(paths, ", "))
		if err := writeAside(ctx, conn, q, pf); err != nil {
			cleanup()
			return nil, fmt.Errorf("compact %s: %w", g.files[0].Dir, err)
		}
		if err := publish(pf.tmp, pf.final); err != nil {
			cleanup()
			return nil, err
		}
		res.FilesBefore += len(g.files)
		res.Rows += g.rows
	}

	now := c.now().UTC()
	next := *st.manifest
	next.Batch = batch
	next.Files = nil
	next.Retired = append([]lake.RetiredFile(nil), st.manifest.Retired...)
	for _, f := range st.manifest.Files {
		if retire[f.Path] {
			next.Retired = append(next.Retired, lake.RetiredFile{Path: f.Path, Retired: now})
			continue
		}
		next.Files = append(next.Files, f)
	}
	for _, f := range out {
		next.Files = append(next.Files, f.dataFile(c.DataDir, now))
	}
	if err := st.commitManifest(&next); err != nil {
		cleanup()
		return nil, err
	}
	res.FilesAfter = len(out)
	c.committed()
	return res, nil
}

// keyOf recovers the partition key of a data file from its manifest entry.
func keyOf(f lake.DataFile) lake.PartitionKey {
	var k lake.PartitionKey
	for _, part := range strings.Split(f.Dir, "/") {
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		switch name {
		case lake.KeyTable:
			k.Table = value
		case lake.KeyPartition:
			k.Partition = value
		case lake.KeyIndex:
			k.Index = value
		case lake.KeyDate:
			k.Date, _ = timeParseDate(value)
		}
	}
	return k
}

func timeParseDate(s string) (time.Time, error) { return time.Parse(lake.DateFormat, s) }

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
