// Package collector collects log files from a partition's source into the
// Parquet lake: it discovers files through the source's layout, decodes and
// maps their events, publishes Parquet files atomically, compacts them and
// remembers what it collected.
package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/collector/cloudtrail"
	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/lake"
)

// DefaultInitialPeriod is how far back a partition's first collection reaches
// when no --from is given, as in Tailpipe.
const DefaultInitialPeriod = 7 * 24 * time.Hour

// DefaultRetireGrace is how long a data file replaced by compaction stays on
// disk for queries that were planned before the replacement.
const DefaultRetireGrace = 10 * time.Minute

// flushRows is how many staged rows trigger publishing a batch.
const flushRows = 250_000

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
// interrupted run.
func (c *Collector) openPartition(p *config.Partition) (*partitionState, int, func(), error) {
	unlock, err := lockPartition(c.stateDir(), p.Table, p.Name)
	if err != nil {
		return nil, 0, nil, err
	}
	st, removed, err := loadState(c.DataDir, c.stateDir(), p.Table, p.Name)
	if err != nil {
		unlock()
		return nil, 0, nil, fmt.Errorf("load state of %s: %w", p.FullName(), err)
	}
	if err := st.purgeRetired(c.now(), c.retireGrace()); err != nil {
		unlock()
		return nil, 0, nil, err
	}
	return st, removed, unlock, nil
}

// Collect collects one partition. Files that fail are reported in the result
// and the run goes on; the error is for failures of the whole run.
func (c *Collector) Collect(ctx context.Context, p *config.Partition, opt Options) (*Result, error) {
	res := &Result{Partition: p.FullName(), Start: c.now()}
	prog := opt.Progress
	if prog == nil {
		prog = &Progress{}
	}
	table, err := tableFor(p.Table)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Pos, err)
	}
	src, err := c.newSource(ctx, p.Source)
	if err != nil {
		return nil, err
	}
	st, removed, unlock, err := c.openPartition(p)
	if err != nil {
		return nil, err
	}
	defer unlock()
	res.RolledBack = removed

	win := timeWindow{From: opt.From, To: opt.To}
	if win.From.IsZero() {
		if !st.lastTo.IsZero() {
			win.From = st.lastTo.Add(-24 * time.Hour)
		} else {
			win.From = res.Start.Add(-DefaultInitialPeriod)
		}
	}
	if win.To.IsZero() {
		win.To = res.Start
	}
	res.From, res.To = win.From, win.To
	rowWin := spanOf(win.From, opt.To)
	log := c.log().With(zap.String("partition", p.FullName()))
	log.Info("collecting", zap.Time("from", win.From), zap.Time("to", win.To))

	if opt.Overwrite {
		var again []string
		err := src.Discover(ctx, win, func(a artifact) error {
			if f, ok := st.collected[a.Location]; ok && f.collectedIn(rowWin) {
				again = append(again, a.Location)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("discover files to overwrite in %s: %w", p.FullName(), err)
		}
		n, err := c.forgetSources(ctx, st, table, again, rowWin)
		if err != nil {
			return nil, fmt.Errorf("overwrite %s: %w", p.FullName(), err)
		}
		res.Overwritten = n
		log.Info("overwriting", zap.Int("files", len(again)), zap.Int64("rows_deleted", n))
	}

	w, err := newWriter(ctx, c.DataDir, table, p.Filter)
	if err != nil {
		return nil, err
	}
	defer w.close()

	info := cloudtrail.SourceInfo{
		Table:       p.Table,
		Partition:   p.Name,
		IndexColumn: p.TPIndex,
		SourceType:  src.Type(),
		IngestTime:  res.Start.UTC(),
	}

	// Discover, then decode files in parallel; stage and publish in one goroutine.
	type job struct {
		a    artifact
		read *fileRead
	}
	type parsed struct {
		job
		rows   [][]any
		events eventProblems
		err    error
	}
	work := make(chan job)
	done := make(chan parsed)
	type discovery struct {
		discovered, skipped, digests int
		err                          error
	}
	discovered := make(chan discovery, 1)
	collected := make(map[string]fileState, len(st.collected))
	for k, f := range st.collected {
		collected[k] = f
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(work)
		var d discovery
		d.err = src.Discover(ctx, win, func(a artifact) error {
			d.discovered++
			prog.Discovered.Add(1)
			f, known := collected[a.Location]
			if known && !f.needs(rowWin) {
				d.skipped++
				prog.Skipped.Add(1)
				return nil
			}
			if isDigestName(a.Location) {
				d.digests++
				prog.Digests.Add(1)
				return nil
			}
			select {
			case work <- job{a: a, read: &fileRead{win: rowWin, covered: f.covered}}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		discovered <- d
	}()
	var wg sync.WaitGroup
	workers := max(2, runtime.NumCPU(), src.Concurrency())
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				si := info
				si.SourceLocation = j.a.Location
				rows, events, err := readArtifact(ctx, j.a, si, j.read, prog)
				select {
				case done <- parsed{job: j, rows: rows, events: events, err: err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	rep := &report{res: res, prog: prog, log: log, failures: opt.Failures, now: res.Start}
	var batch []logEntry
	commit := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := c.commitBatch(ctx, st, w, batch, res); err != nil {
			return err
		}
		prog.Saved.Store(res.Rows)
		batch = nil
		return nil
	}
	var runErr error
	for r := range done {
		if runErr != nil {
			continue
		}
		if errors.Is(r.err, cloudtrail.ErrDigestFile) {
			rep.digest(r.a.Location)
			continue
		}
		if r.err != nil {
			rep.fileFailed(r.a.Location, r.err)
			continue
		}
		rep.fileRead(r.a.Location, r.events)
		if err := w.append(r.rows); err != nil {
			runErr = err
			cancel()
			continue
		}
		res.OutsideWindow += r.read.outside
		batch = append(batch, r.read.entry(r.a, int64(len(r.rows))))
		if w.rows >= flushRows {
			if err := commit(); err != nil {
				runErr = err
				cancel()
			}
		}
	}
	d := <-discovered
	res.Discovered += d.discovered
	res.Skipped += d.skipped
	res.Digests += d.digests
	if d.err != nil && runErr == nil && !errors.Is(d.err, context.Canceled) {
		runErr = fmt.Errorf("discover files of %s: %w", p.FullName(), d.err)
	}
	if runErr == nil {
		runErr = ctx.Err()
	}
	if runErr == nil {
		runErr = commit()
	}
	if runErr != nil {
		return res, runErr
	}
	if err := st.saveRunInfo(win.To); err != nil {
		return res, fmt.Errorf("save run info: %w", err)
	}
	if opt.Compact {
		cr, err := c.compact(ctx, st, table)
		res.Compaction = cr
		if err != nil {
			return res, err
		}
	}
	res.End = c.now()
	log.Info("collected",
		zap.Int("files", res.Collected), zap.Int("skipped", res.Skipped), zap.Int("digests", res.Digests),
		zap.Int("failed_files", res.FailedFiles), zap.Int64("rows", res.Rows),
		zap.Int64("row_errors", res.RowErrors), zap.Int64("row_warnings", res.RowWarnings), zap.Int64("duplicates", res.Duplicates),
		zap.Int64("outside_window", res.OutsideWindow), zap.Duration("took", res.End.Sub(res.Start)))
	return res, nil
}

// commitBatch publishes the staged rows and records their source files; the
// manifest replacement at the end is the commit point (see partitionState).
func (c *Collector) commitBatch(ctx context.Context, st *partitionState, w *writer, sources []logEntry, res *Result) error {
	batch := st.manifest.Batch + 1
	out, fs, err := w.flush(ctx, batch, st.manifest.Files)
	if err != nil {
		return err
	}
	next := *st.manifest
	next.Files = append([]lake.DataFile(nil), st.manifest.Files...)
	next.Batch = batch
	now := c.now().UTC()
	for _, f := range out {
		if err := publish(f.tmp, f.final); err != nil {
			return err
		}
		next.Files = append(next.Files, f.dataFile(c.DataDir, now))
	}
	var rows int64
	for i := range sources {
		sources[i].Batch = batch
		rows += sources[i].Rows
	}
	if err := st.appendLog(sources); err != nil {
		return err
	}
	if err := st.commitManifest(&next); err != nil {
		return err
	}
	for _, e := range sources {
		st.apply(e)
	}
	res.Collected += len(sources)
	res.Rows += rows - fs.Filtered - fs.Duplicates
	res.Filtered += fs.Filtered
	res.Duplicates += fs.Duplicates
	res.Published += len(out)
	if len(out) > 0 {
		c.committed()
	}
	return nil
}

// readArtifact decodes and maps every event of one file and returns the rows
// that fr keeps. A file that cannot be decoded yields an error and no rows; a
// bad event is skipped, and a value of a kept row that cannot be read is
// stored as NULL, each counted in the returned problems with its record
// number.
func readArtifact(ctx context.Context, a artifact, si cloudtrail.SourceInfo, fr *fileRead, prog *Progress) ([][]any, eventProblems, error) {
	var events eventProblems
	mapper, err := cloudtrail.NewMapper(si)
	if err != nil {
		return nil, events, err
	}
	ts := -1
	for i, c := range lake.CloudTrailLog().Columns {
		if c.Name == "tp_timestamp" {
			ts = i
		}
	}
	if ts < 0 {
		return nil, events, errors.New("the table has no tp_timestamp column")
	}
	rc, err := a.open(ctx)
	if err != nil {
		return nil, events, fmt.Errorf("open: %w", err)
	}
	defer rc.Close()
	prog.Downloaded.Add(1)
	counted := &countingReader{r: rc, n: &prog.Bytes}
	dec, err := cloudtrail.NewDecoder(counted)
	if err != nil {
		return nil, events, err
	}
	var rows [][]any
	var mapped int64
	for {
		raw, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, eventProblems{}, err
		}
		row, warnings, err := mapper.Map(raw)
		if err != nil {
			events.add(true, fmt.Errorf("record %d: %w", dec.Records(), err))
			continue
		}
		mapped++
		if t, ok := row[ts].(time.Time); ok && !fr.keep(t) {
			continue
		}
		for _, w := range warnings {
			events.add(false, fmt.Errorf("record %d: %w", dec.Records(), w))
		}
		rows = append(rows, row)
	}
	prog.Parsed.Add(1)
	prog.Rows.Add(mapped)
	return rows, events, nil
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
