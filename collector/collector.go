// Package collector collects log files from a partition's source into the
// Parquet lake: it discovers files through the source's layout, decodes and
// maps their events, publishes Parquet files atomically and remembers what
// it collected.
package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/collector/cloudtrail"
	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/lake"
)

// DefaultInitialPeriod is how far back a partition's first collection reaches
// when no --from is given, as in Tailpipe.
const DefaultInitialPeriod = 7 * 24 * time.Hour

// flushRows is how many staged rows trigger publishing a batch.
const flushRows = 250_000

// Collector collects partitions into the lake under DataDir.
type Collector struct {
	DataDir string
	// StateDir holds collection state; default DataDir/state.
	StateDir string
	Logger   *zap.Logger
	// Connections by full name ("aws.prod"), for sources that name one.
	Connections map[string]*config.Connection
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

// Options narrow one collection run.
type Options struct {
	// From and To bound the files collected by their layout time. A zero From
	// means the default: the last run's end, or DefaultInitialPeriod ago.
	From, To time.Time
}

// FileError is a source file that could not be collected.
type FileError struct {
	Location string
	Err      error
}

func (e FileError) Error() string { return e.Location + ": " + e.Err.Error() }

// Result summarises the collection of one partition.
type Result struct {
	Partition    string
	From, To     time.Time
	Discovered   int
	Skipped      int // already collected
	Collected    int
	FailedFiles  int
	Rows         int64
	RowErrors    int64
	Filtered     int64
	PublishedTo  int // parquet files published
	Errors       []FileError
	Start, End   time.Time
	RolledBack   int // files of an interrupted earlier run that were removed
	fileRowCount map[string]int64
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

// tableFor returns the schema of a table and the mapper of its events.
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

// Collect collects one partition. Files that fail are reported in the result
// and the run goes on; the error is for failures of the whole run.
func (c *Collector) Collect(ctx context.Context, p *config.Partition, opt Options) (*Result, error) {
	res := &Result{Partition: p.FullName(), Start: c.now(), fileRowCount: map[string]int64{}}
	table, err := tableFor(p.Table)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Pos, err)
	}
	src, err := c.newSource(ctx, p.Source)
	if err != nil {
		return nil, err
	}
	stateDir := c.stateDir()
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("create state dir: %w", err)
	}
	unlock, err := lockPartition(stateDir, p.Table, p.Name)
	if err != nil {
		return nil, err
	}
	defer unlock()

	st, err := loadState(statePath(stateDir, p.Table, p.Name))
	if err != nil {
		return nil, err
	}
	if res.RolledBack, err = recoverPending(stateDir, p.Table, p.Name, st); err != nil {
		return nil, fmt.Errorf("recover interrupted run of %s: %w", p.FullName(), err)
	}
	removeTempFiles(lake.PartitionDir(c.DataDir, p.Table, p.Name))

	win := timeWindow{From: opt.From, To: opt.To}
	if win.From.IsZero() {
		if !st.LastTo.IsZero() {
			win.From = st.LastTo.Add(-24 * time.Hour)
		} else {
			win.From = res.Start.Add(-DefaultInitialPeriod)
		}
	}
	if win.To.IsZero() {
		win.To = res.Start
	}
	res.From, res.To = win.From, win.To
	log := c.log().With(zap.String("partition", p.FullName()))
	log.Info("collecting", zap.Time("from", win.From), zap.Time("to", win.To))

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
	type parsed struct {
		a         artifact
		rows      [][]any
		rowErrors []error
		err       error
	}
	work := make(chan artifact)
	done := make(chan parsed)
	type discovery struct {
		discovered, skipped int
		err                 error
	}
	discovered := make(chan discovery, 1)
	collected := make(map[string]bool, len(st.Files))
	for k := range st.Files {
		collected[k] = true
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(work)
		var d discovery
		d.err = src.Discover(ctx, win, func(a artifact) error {
			d.discovered++
			if collected[a.Location] {
				d.skipped++
				return nil
			}
			select {
			case work <- a:
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
			for a := range work {
				si := info
				si.SourceLocation = a.Location
				rows, rowErrs, err := readArtifact(ctx, a, si)
				select {
				case done <- parsed{a: a, rows: rows, rowErrors: rowErrs, err: err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	var batchFiles []string
	commit := func() error {
		if len(batchFiles) == 0 && w.rows == 0 {
			return nil
		}
		if err := c.commitBatch(ctx, p, st, w, batchFiles, res); err != nil {
			return err
		}
		batchFiles = nil
		return nil
	}
	var runErr error
	for r := range done {
		if runErr != nil {
			continue
		}
		if errors.Is(r.err, cloudtrail.ErrDigestFile) {
			res.Skipped++
			continue
		}
		if r.err != nil {
			res.FailedFiles++
			res.Errors = append(res.Errors, FileError{Location: r.a.Location, Err: r.err})
			log.Warn("file not collected", zap.String("file", r.a.Location), zap.Error(r.err))
			continue
		}
		for _, e := range r.rowErrors {
			res.RowErrors++
			res.Errors = append(res.Errors, FileError{Location: r.a.Location, Err: e})
			log.Warn("event skipped", zap.String("file", r.a.Location), zap.Error(e))
		}
		if err := w.append(r.rows); err != nil {
			runErr = err
			cancel()
			continue
		}
		batchFiles = append(batchFiles, r.a.Location)
		res.fileRowCount[r.a.Location] = int64(len(r.rows))
		st.Files[r.a.Location] = fileState{Size: r.a.Size, Rows: int64(len(r.rows))}
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
	if d.err != nil && runErr == nil && !errors.Is(d.err, context.Canceled) {
		runErr = fmt.Errorf("discover files of %s: %w", p.FullName(), d.err)
	}
	if runErr == nil {
		if err := ctx.Err(); err != nil {
			runErr = err
		}
	}
	if runErr != nil {
		// Forget files whose rows were staged but not published.
		for _, f := range batchFiles {
			delete(st.Files, f)
		}
		return res, runErr
	}
	st.LastTo = win.To
	if err := commit(); err != nil {
		return res, err
	}
	if err := saveJSON(statePath(stateDir, p.Table, p.Name), st); err != nil {
		return res, fmt.Errorf("save collection state: %w", err)
	}
	res.End = c.now()
	log.Info("collected",
		zap.Int("files", res.Collected), zap.Int("skipped", res.Skipped),
		zap.Int("failed_files", res.FailedFiles), zap.Int64("rows", res.Rows),
		zap.Int64("row_errors", res.RowErrors), zap.Duration("took", res.End.Sub(res.Start)))
	return res, nil
}

// commitBatch publishes the staged rows and then records their source files
// as collected. A crash between the two is rolled back by the next run.
func (c *Collector) commitBatch(ctx context.Context, p *config.Partition, st *state, w *writer, files []string, res *Result) error {
	batchID := newBatchID(c.now())
	out, filtered, err := w.flush(ctx, batchID)
	if err != nil {
		return err
	}
	pb := pendingBatch{ID: batchID}
	for _, f := range out {
		pb.Files = append(pb.Files, f.final)
	}
	stateDir := c.stateDir()
	if err := saveJSON(pendingPath(stateDir, p.Table, p.Name), pb); err != nil {
		for _, f := range out {
			os.Remove(f.tmp)
		}
		return fmt.Errorf("record pending batch: %w", err)
	}
	dirs := map[string]bool{}
	for _, f := range out {
		if err := os.Rename(f.tmp, f.final); err != nil {
			return fmt.Errorf("publish %s: %w", f.final, err)
		}
		dirs[filepath.Dir(f.final)] = true
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return fmt.Errorf("sync %s: %w", d, err)
		}
	}
	now := c.now().UTC()
	var rows int64
	for _, f := range files {
		fs := st.Files[f]
		fs.CollectedAt = now
		st.Files[f] = fs
		rows += res.fileRowCount[f]
	}
	st.LastBatch = batchID
	if err := saveJSON(statePath(stateDir, p.Table, p.Name), st); err != nil {
		return fmt.Errorf("save collection state: %w", err)
	}
	if err := os.Remove(pendingPath(stateDir, p.Table, p.Name)); err != nil {
		return fmt.Errorf("clear pending batch: %w", err)
	}
	res.Collected += len(files)
	res.Rows += rows - filtered
	res.Filtered += filtered
	res.PublishedTo += len(out)
	return nil
}

// readArtifact decodes and maps every event of one file. A file that cannot
// be decoded yields an error and no rows; a bad event yields a row error.
func readArtifact(ctx context.Context, a artifact, si cloudtrail.SourceInfo) ([][]any, []error, error) {
	mapper, err := cloudtrail.NewMapper(si)
	if err != nil {
		return nil, nil, err
	}
	rc, err := a.open(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("open: %w", err)
	}
	defer rc.Close()
	dec, err := cloudtrail.NewDecoder(rc)
	if err != nil {
		return nil, nil, err
	}
	var rows [][]any
	var rowErrs []error
	for {
		raw, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		row, err := mapper.Map(raw)
		if err != nil {
			rowErrs = append(rowErrs, fmt.Errorf("record %d: %w", dec.Records(), err))
			continue
		}
		rows = append(rows, row)
	}
	return rows, rowErrs, nil
}

// lockPartition takes an exclusive lock so two runs never collect the same
// partition at once.
func lockPartition(stateDir, table, partition string) (func(), error) {
	path := filepath.Join(stateDir, fmt.Sprintf("collection_%s_%s.lock", table, partition))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("partition %s.%s is being collected by another process (lock %s)", table, partition, path)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// removeTempFiles deletes files an interrupted run left half-written.
func removeTempFiles(root string) {
	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, lake.TempFileExt) {
			os.Remove(path)
		}
		return nil
	})
}
