// Package collector collects log files from a partition's source into the
// Parquet lake: it discovers files through the source's layout, decodes and
// maps their events, publishes Parquet files atomically, compacts them and
// remembers what it collected.
//
// A run is a pipeline: discovery feeds decode workers (one file each at a
// time), one goroutine stages their rows in an in-memory DuckDB table, and
// a batch is published (partition filter, dedup, sorted zstd Parquet per
// hive directory, one lake commit) when it reaches flushRows rows or
// flushBytes of text, in the background while the next batch is staged in
// a second staging database. Commits stay one at a time and in order. So
// memory holds at most two batches, whatever the number of events. A
// decode worker maps a file's events into a batch of typed columns
// (internal/colbuf: one Go slice per column, no []any rows or maps), which
// staging copies column by column into DuckDB data chunks filled in place
// (internal/chunkappend), without a cgo call per value, and hands back to
// the workers; duckdb-go's Appender is the fallback. A batch's duplicates
// are looked for in DuckDB only when its tp_id hashes repeated.
//
// Memory: DuckDB's share is bounded by design (memorySettings: freed pages
// are returned, no file cache; compaction merges a day into one file one
// sorted time window of about a row group at a time, within
// compactMemoryLimit, after the staging databases are closed). What grows with a run is the partition state, 16 bytes of
// key and a few spans per source file collected (partitionState). At debug
// level each batch logs its rows and text and the process's RSS and Go
// share (memoryFields), to tell the two apart over a run.
package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/collector/cloudtrail"
	"github.com/tpserver/tpserver/collector/internal/colbuf"
	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/lake"
)

// DefaultInitialPeriod is how far back a partition's first collection reaches
// when no --from is given, as in Tailpipe.
const DefaultInitialPeriod = 7 * 24 * time.Hour

// DefaultRetireGrace is how long a data file replaced by compaction stays on
// disk for queries that were planned before the replacement.
const DefaultRetireGrace = 10 * time.Minute

// flushRows and flushBytes bound a batch: staged rows, or bytes of staged
// text, that trigger publishing it. With one batch staging while the
// previous one is written, they bound the collection's memory whatever the
// number of events: the peak RSS of a collection is that of the two staging
// databases, each holding a batch, one of them writing it (1M CloudTrail
// events: 615 MiB with batches of 64 MB, 460 MiB with 32 MB, for the same
// CPU time; at 10M events 519-539 MiB with 32 or 24 MB, 603 MiB with 64).
const (
	flushRows  = 125_000
	flushBytes = 32 << 20
)

// Collector collects partitions into the lake under DataDir.
type Collector struct {
	DataDir string
	// StateDir holds collection logs and locks; default DataDir/state.
	StateDir string
	Logger   *zap.Logger
	// Connections by full name ("aws.prod"), for sources that name one.
	Connections map[string]*config.Connection
	// OnCommit is called after each commit that changed a partition's live
	// files, so readers can pick them up at once.
	OnCommit func()
	// RetireGrace overrides DefaultRetireGrace.
	RetireGrace time.Duration
	// Now returns the current time; default time.Now.
	Now func() time.Time
	// batchRows, when positive, replaces flushRows (tests use small
	// batches to exercise background commits).
	batchRows int64
	// compactMemory, when set, replaces compactMemoryLimit (tests use a
	// tiny one to exercise the retry without a limit).
	compactMemory string
	// rowByRow stages rows through duckdb-go's Appender instead of
	// chunkappend (tests compare the two).
	rowByRow bool
}

// Options narrow one collection run.
type Options struct {
	// From and To bound the events collected by their time, in [From, To),
	// and the files read by their layout time. A zero From means the
	// default: a day before the last run's end, or DefaultInitialPeriod ago;
	// a zero To means now for files and no bound for events.
	From, To time.Time
	// Compact merges the partition's small files after collecting.
	Compact bool
	// Overwrite collects again the events of the window from the files in
	// the window that were already collected, replacing their rows.
	Overwrite bool
	// Progress, if set, is updated while the run goes on.
	Progress *Progress
	// Failures, if set, remembers failing files across runs: a file that
	// fails again for the same reason is logged at debug level only.
	Failures *Failures
}

// Progress holds live counters of a run, safe to read from another goroutine.
type Progress struct {
	Discovered, Skipped, Digests, Downloaded, Parsed, Failed atomic.Int64
	Bytes, Rows, RowErrors, RowWarnings, Saved               atomic.Int64
}

// Result summarises the collection of one partition.
type Result struct {
	Partition   string
	From, To    time.Time
	Discovered  int
	Skipped     int // already collected
	Digests     int // CloudTrail digest files, which hold no events
	Collected   int // in full, or the window's part of them
	FailedFiles int
	Rows        int64
	RowErrors   int64 // events skipped
	RowWarnings int64 // events collected with a value stored as NULL
	Filtered    int64
	Published   int // parquet files published
	Compaction  *CompactResult
	// Problems describes the files that failed or had bad events, in the
	// order met, up to MaxProblemFiles; ProblemsOmitted counts the rest.
	Problems        []FileProblems
	ProblemsOmitted int
	Start, End      time.Time
	RolledBack      int // files of an interrupted earlier run that were removed
	// Overwritten is how many rows --overwrite deleted before collecting again.
	Overwritten int64
	// Duplicates are events not stored again because the partition already
	// held them (from another file, source or run) or an earlier file of
	// the run did.
	Duplicates int64
	// OutsideWindow counts the rows of collected files whose event time is
	// outside the window, left for a run whose window covers them.
	OutsideWindow int64
}

func (c *Collector) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Collector) stateDir() string {
	if c.StateDir != "" {
		return c.StateDir
	}
	return filepath.Join(c.DataDir, "state")
}

func (c *Collector) log() *zap.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return zap.NewNop()
}

// flushAt is how many staged rows trigger publishing a batch.
func (c *Collector) flushAt() int64 {
	if c.batchRows > 0 {
		return c.batchRows
	}
	return flushRows
}

func (c *Collector) retireGrace() time.Duration {
	if c.RetireGrace > 0 {
		return c.RetireGrace
	}
	return DefaultRetireGrace
}

func (c *Collector) committed() {
	if c.OnCommit != nil {
		c.OnCommit()
	}
}

// tableFor returns the schema of a table.
func tableFor(name string) (lake.Table, error) {
	switch name {
	case lake.CloudTrailTableName:
		return lake.CloudTrailLog(), nil
	}
	return lake.Table{}, fmt.Errorf("unsupported table %q", name)
}

func (c *Collector) newSource(ctx context.Context, src config.Source) (source, error) {
	switch src.Type {
	case "file":
		return newFileSource(src)
	case "aws_s3_bucket":
		name := src.Connection
		if name == "" {
			name = "aws.default"
		}
		conn := c.Connections[name]
		if conn == nil {
			conn = &config.Connection{Type: "aws", Name: "default"}
			if name != "aws.default" {
				return nil, fmt.Errorf("%s: connection %q is not defined", src.Pos, name)
			}
		}
		return newS3Source(ctx, src, conn, c.log())
	}
	return nil, fmt.Errorf("%s: source type %q is not supported yet", src.Pos, src.Type)
}

// openPartition locks a partition and loads its state, cleaning up after an
// interrupted run and deleting retired files whose grace is over.
func (c *Collector) openPartition(p *config.Partition) (*partitionState, int, error) {
	st, removed, err := loadState(c.DataDir, c.stateDir(), p.Table, p.Name)
	if errors.Is(err, lake.ErrLocked) {
		return nil, 0, err
	}
	if err != nil {
		return nil, 0, fmt.Errorf("load state of %s: %w", p.FullName(), err)
	}
	if err := st.part.PurgeRetired(c.now(), c.retireGrace()); err != nil {
		st.close()
		return nil, 0, err
	}
	return st, removed, nil
}

// readArtifact decodes and maps every event of one file and appends the
// rows that fr keeps to batch, a batch of cloudtrail.Mapper.NewBatch (a new
// one when nil), which it returns. A file that cannot be decoded yields an
// error and leaves batch as it was; a bad event is skipped, and a value of
// a kept row that cannot be read is stored as NULL, each counted in the
// returned problems with its record number. bufs, if not nil, are the read
// buffers to reuse (see cloudtrail.Buffers).
func readArtifact(ctx context.Context, a artifact, si cloudtrail.SourceInfo, fr *fileRead, prog *Progress, bufs *cloudtrail.Buffers, batch *colbuf.Batch) (*colbuf.Batch, eventProblems, error) {
	var events eventProblems
	mapper, err := cloudtrail.NewMapper(si)
	if err != nil {
		return batch, events, err
	}
	if batch == nil {
		batch = mapper.NewBatch()
	}
	start := batch.Len()
	rc, err := a.open(ctx)
	if err != nil {
		return batch, events, fmt.Errorf("open: %w", err)
	}
	defer rc.Close()
	prog.Downloaded.Add(1)
	counted := &countingReader{r: rc, n: &prog.Bytes}
	dec, err := bufs.NewFileDecoder(counted)
	if err != nil {
		return batch, events, err
	}
	var mapped int64
	for {
		raw, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			batch.Truncate(start)
			return batch, eventProblems{}, err
		}
		n := batch.Len()
		t, warnings, err := mapper.Append(raw, batch)
		if err != nil {
			events.add(true, fmt.Errorf("record %d: %w", dec.Records(), err))
			continue
		}
		mapped++
		if !fr.keep(t) {
			batch.Truncate(n)
			continue
		}
		for _, w := range warnings {
			events.add(false, fmt.Errorf("record %d: %w", dec.Records(), w))
		}
	}
	prog.Parsed.Add(1)
	prog.Rows.Add(mapped)
	return batch, events, nil
}

// countingReader counts the bytes read from a source file.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
