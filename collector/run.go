package collector

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/collector/cloudtrail"
	"github.com/tpserver/tpserver/collector/internal/colbuf"
	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/lake"
)

// run is one collection of one partition: what it reads, where it stands,
// and what it has done so far.
type run struct {
	c     *Collector
	p     *config.Partition
	opt   Options
	table lake.Table
	src   source
	st    *partitionState
	// win bounds the files read; rowWin the events collected.
	win    timeWindow
	rowWin span
	res    *Result
	prog   *Progress
	log    *zap.Logger
	// w stages the rows of the files read; spare is the other staging
	// writer, whose rows a background commit may be publishing meanwhile.
	// Each is opened when first needed, so a run with nothing to read
	// opens no database.
	w, spare *writer
	// batch are the log entries of the files staged in w, not committed yet.
	batch []logEntry
	// inflight receives the outcome of the background commit, if one runs.
	inflight chan commitOutcome
	// free are emptied batches that staging hands back to the decoders.
	free chan *colbuf.Batch
}

// Collect collects one partition. Files that fail are reported in the result
// and the run goes on; the error is for failures of the whole run.
func (c *Collector) Collect(ctx context.Context, p *config.Partition, opt Options) (*Result, error) {
	r, err := c.startRun(ctx, p, opt)
	if err != nil {
		return nil, err
	}
	defer r.st.close()
	if opt.Overwrite {
		if err := r.overwrite(ctx); err != nil {
			return nil, err
		}
	}
	defer r.closeWriters()
	if err := r.collectFiles(ctx); err != nil {
		return r.res, err
	}
	// The staging databases go before compaction, which would otherwise
	// run beside the memory they hold.
	r.closeWriters()
	if err := r.st.saveRunInfo(r.win.To); err != nil {
		return r.res, fmt.Errorf("save run info: %w", err)
	}
	if opt.Compact {
		// The Go heap a run grew while decoding (up to the collect
		// command's soft limit) is returned too: compaction allocates
		// little in Go, and its DuckDB memory would otherwise come on top.
		debug.FreeOSMemory()
		cr, err := c.compact(ctx, r.st, r.table)
		r.res.Compaction = cr
		if err != nil {
			return r.res, err
		}
	}
	r.finish()
	return r.res, nil
}

// startRun opens the partition and settles the run's window.
func (c *Collector) startRun(ctx context.Context, p *config.Partition, opt Options) (*run, error) {
	r := &run{c: c, p: p, opt: opt, prog: opt.Progress, res: &Result{Partition: p.FullName(), Start: c.now()}}
	if r.prog == nil {
		r.prog = &Progress{}
	}
	var err error
	if r.table, err = tableFor(p.Table); err != nil {
		return nil, fmt.Errorf("%s: %w", p.Pos, err)
	}
	if r.src, err = c.newSource(ctx, p.Source); err != nil {
		return nil, err
	}
	if r.st, r.res.RolledBack, err = c.openPartition(p); err != nil {
		return nil, err
	}
	r.win = timeWindow{From: opt.From, To: opt.To}
	if r.win.From.IsZero() {
		if !r.st.lastTo.IsZero() {
			r.win.From = r.st.lastTo.Add(-24 * time.Hour)
		} else {
			r.win.From = r.res.Start.Add(-DefaultInitialPeriod)
		}
	}
	if r.win.To.IsZero() {
		r.win.To = r.res.Start
	}
	r.res.From, r.res.To = r.win.From, r.win.To
	r.rowWin = spanOf(r.win.From, opt.To)
	r.log = c.log().With(zap.String("partition", p.FullName()))
	r.log.Info("collecting", zap.Time("from", r.win.From), zap.Time("to", r.win.To))
	return r, nil
}

// overwrite forgets the window's events of the files in the window that
// were already collected (--overwrite), so the run collects them again.
func (r *run) overwrite(ctx context.Context) error {
	var again []string
	err := r.src.Discover(ctx, r.win, func(a artifact) error {
		if f, ok := r.st.lookup(a.Location); ok && f.collectedIn(r.rowWin) {
			again = append(again, a.Location)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("discover files to overwrite in %s: %w", r.p.FullName(), err)
	}
	n, err := r.c.forgetSources(ctx, r.st, r.table, again, r.rowWin)
	if err != nil {
		return fmt.Errorf("overwrite %s: %w", r.p.FullName(), err)
	}
	r.res.Overwritten = n
	r.log.Info("overwriting", zap.Int("files", len(again)), zap.Int64("rows_deleted", n))
	return nil
}

// job is a discovered file to read.
type job struct {
	a    artifact
	read *fileRead
}

// parsed is a file read by a worker.
type parsed struct {
	job
	rows   *colbuf.Batch
	events eventProblems
	err    error
}

// discovery counts what discovery met.
type discovery struct {
	discovered, skipped, digests int
	err                          error
}

// collectFiles discovers the files to read, decodes them in parallel and
// stages and commits their rows in one goroutine.
func (r *run) collectFiles(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(2, runtime.NumCPU(), r.src.Concurrency())
	work := make(chan job)
	// Decoders run ahead of staging by up to one file each.
	done := make(chan parsed, workers)
	// Each file's rows are collected in a batch, which staging empties and
	// hands back (see recycle).
	r.free = make(chan *colbuf.Batch, workers)
	discovered := make(chan discovery, 1)
	go func() {
		defer close(work)
		discovered <- r.discover(ctx, work)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.decode(ctx, work, done)
		}()
	}
	go func() { wg.Wait(); close(done) }()

	runErr := r.stage(ctx, done, cancel)
	d := <-discovered
	r.res.Discovered += d.discovered
	r.res.Skipped += d.skipped
	r.res.Digests += d.digests
	if d.err != nil && runErr == nil && !errors.Is(d.err, context.Canceled) {
		runErr = fmt.Errorf("discover files of %s: %w", r.p.FullName(), d.err)
	}
	if runErr == nil {
		runErr = ctx.Err()
	}
	// A commit still running is waited for even after a failure: it may
	// have changed the partition, and it uses a writer that closes after.
	if err := r.waitCommit(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr == nil {
		runErr = r.commit(ctx)
	}
	return runErr
}

// discover sends the files of the window that need reading, as the
// partition state says, to work. Commits of the files it sent update the
// state meanwhile: a file is discovered once per run, so it reads the same.
func (r *run) discover(ctx context.Context, work chan<- job) discovery {
	var d discovery
	d.err = r.src.Discover(ctx, r.win, func(a artifact) error {
		d.discovered++
		r.prog.Discovered.Add(1)
		f, known := r.st.lookup(a.Location)
		if known && !f.needs(r.rowWin) {
			d.skipped++
			r.prog.Skipped.Add(1)
			return nil
		}
		if isDigestName(a.Location) {
			d.digests++
			r.prog.Digests.Add(1)
			return nil
		}
		select {
		case work <- job{a: a, read: &fileRead{win: r.rowWin, covered: f.covered}}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	return d
}

// decode reads the files of work until it is closed.
func (r *run) decode(ctx context.Context, work <-chan job, done chan<- parsed) {
	info := cloudtrail.SourceInfo{
		Table:       r.p.Table,
		Partition:   r.p.Name,
		IndexColumn: r.p.TPIndex,
		SourceType:  r.src.Type(),
		IngestTime:  r.res.Start.UTC(),
	}
	// The rows of a file do not refer to its bytes, so the next file is
	// read into the same buffers.
	var bufs cloudtrail.Buffers
	for j := range work {
		si := info
		si.SourceLocation = j.a.Location
		var b *colbuf.Batch
		select {
		case b = <-r.free:
		default:
		}
		rows, events, err := readArtifact(ctx, j.a, si, j.read, r.prog, &bufs, b)
		select {
		case done <- parsed{job: j, rows: rows, events: events, err: err}:
		case <-ctx.Done():
			return
		}
	}
}

// stage reports and stages the files read, publishing a batch in the
// background whenever the staged rows reach flushRows or flushBytes, while
// the next batch is staged. After a failure it cancels the run and drains
// done.
func (r *run) stage(ctx context.Context, done <-chan parsed, cancel func()) error {
	rep := &report{res: r.res, prog: r.prog, log: r.log, failures: r.opt.Failures, now: r.res.Start}
	var runErr error
	fail := func(err error) {
		runErr = err
		cancel()
	}
	for p := range done {
		if runErr != nil {
			continue
		}
		if errors.Is(p.err, cloudtrail.ErrDigestFile) {
			rep.digest(p.a.Location)
			continue
		}
		if p.err != nil {
			rep.fileFailed(p.a.Location, p.err)
			continue
		}
		rep.fileRead(p.a.Location, p.events)
		if err := r.openWriter(ctx, &r.w); err != nil {
			fail(err)
			continue
		}
		n := p.rows.Len()
		if err := r.w.append(p.rows); err != nil {
			fail(err)
			continue
		}
		r.recycle(p.rows)
		r.res.OutsideWindow += p.read.outside
		r.batch = append(r.batch, p.read.entry(p.a, int64(n)))
		if r.w.rows >= r.c.flushAt() || r.w.bytes >= flushBytes {
			if err := r.startCommit(ctx); err != nil {
				fail(err)
			}
		}
	}
	return runErr
}

// recycleRows bounds the batches handed back to the decoders: a batch
// that held more rows is left to the garbage collector, so that kept
// batches hold the memory of a usual file, not of the largest one.
const recycleRows = 4096

// recycle empties b, whose rows are staged, and hands it back to the
// decoders unless it is large or enough are waiting.
func (r *run) recycle(b *colbuf.Batch) {
	if b.Len() > recycleRows {
		return
	}
	b.Truncate(0)
	select {
	case r.free <- b:
	default:
	}
}

// openWriter opens the staging writer *w unless it is open.
func (r *run) openWriter(ctx context.Context, w **writer) error {
	if *w != nil {
		return nil
	}
	nw, err := openWriter(ctx, r.c.DataDir, r.table, r.p.Filter, r.c.rowByRow)
	if err != nil {
		return err
	}
	*w = nw
	return nil
}

// closeWriters closes the staging writers that are open.
func (r *run) closeWriters() {
	for _, w := range []*writer{r.w, r.spare} {
		if w != nil {
			w.close()
		}
	}
	r.w, r.spare = nil, nil
}

// commitOutcome is what a commit of one batch did.
type commitOutcome struct {
	sources   []logEntry
	published int
	stats     flushStats
	err       error
}

// commit publishes the staged rows and records their source files in one
// lake commit, after the background commit, if any, is done.
func (r *run) commit(ctx context.Context) error {
	if err := r.startCommit(ctx); err != nil {
		return err
	}
	return r.waitCommit()
}

// startCommit waits for the background commit, if any, then hands the
// staged rows and their log entries to a new one and stages the next rows
// in the spare writer. Commits happen one at a time and in order, so each
// batch's duplicates are looked up in the files of the commits before it.
func (r *run) startCommit(ctx context.Context) error {
	if err := r.waitCommit(); err != nil {
		return err
	}
	if len(r.batch) == 0 {
		return nil
	}
	w, sources := r.w, r.batch
	if ce := r.log.Check(zap.DebugLevel, "publishing batch"); ce != nil {
		ce.Write(append([]zap.Field{zap.Int64("rows", w.rows), zap.Int64("bytes", w.bytes), zap.Int("files", len(sources))}, memoryFields()...)...)
	}
	r.w, r.spare, r.batch = r.spare, w, nil
	out := make(chan commitOutcome, 1)
	r.inflight = out
	go func() { out <- r.publish(ctx, w, sources) }()
	return nil
}

// waitCommit waits for the background commit, if any, and counts what it
// did.
func (r *run) waitCommit() error {
	if r.inflight == nil {
		return nil
	}
	o := <-r.inflight
	r.inflight = nil
	if o.err != nil {
		return o.err
	}
	var rows int64
	for _, e := range o.sources {
		rows += e.Rows
	}
	res := r.res
	res.Collected += len(o.sources)
	res.Rows += rows - o.stats.Filtered - o.stats.Duplicates
	res.Filtered += o.stats.Filtered
	res.Duplicates += o.stats.Duplicates
	res.Published += o.published
	r.prog.Saved.Store(res.Rows)
	return nil
}

// publish writes the rows staged in w to Parquet and commits them with the
// log entries of their source files. It runs beside staging: it touches
// only w, the partition state and the lake.
func (r *run) publish(ctx context.Context, w *writer, sources []logEntry) commitOutcome {
	start := time.Now()
	out, fs, err := w.flush(ctx, r.st.part.NextBatch(), r.st.manifest().Files)
	if err != nil {
		return commitOutcome{err: err}
	}
	if ce := r.log.Check(zap.DebugLevel, "batch written"); ce != nil {
		ce.Write(append([]zap.Field{zap.Int("data_files", len(out)), zap.Duration("took", time.Since(start))},
			memoryFields()...)...)
	}
	change := lake.Change{Add: out, Log: sources, Time: r.c.now().UTC()}
	if err := r.st.commit(change); err != nil {
		return commitOutcome{err: err}
	}
	if len(out) > 0 {
		r.c.committed()
	}
	return commitOutcome{sources: sources, published: len(out), stats: fs}
}

// finish stamps the run's end and logs its summary.
func (r *run) finish() {
	res := r.res
	res.End = r.c.now()
	r.log.Info("collected",
		zap.Int("files", res.Collected), zap.Int("skipped", res.Skipped), zap.Int("digests", res.Digests),
		zap.Int("failed_files", res.FailedFiles), zap.Int64("rows", res.Rows),
		zap.Int64("row_errors", res.RowErrors), zap.Int64("row_warnings", res.RowWarnings), zap.Int64("duplicates", res.Duplicates),
		zap.Int64("outside_window", res.OutsideWindow), zap.Duration("took", res.End.Sub(res.Start)))
}
