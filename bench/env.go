package main

import (
	"fmt"
	"os"
	"time"
)

// env holds what several sections need, each made once on first use: the
// generated CloudTrail files, the tpserver binary and the collected lake.
type env struct {
	c   *config
	dir string
	r   *report

	ds         *dataset
	bin        string
	binCleanup func()
	cr         *collectResult
}

// dataset generates the -events CloudTrail files once and reports them.
func (e *env) dataset() (*dataset, error) {
	if e.ds != nil {
		return e.ds, nil
	}
	fmt.Fprintf(os.Stderr, "bench: generating %d events in %s\n", e.c.events, e.dir)
	ds, err := generate(e.dir+"/cloudtrail", e.c.events)
	if err != nil {
		return nil, err
	}
	e.r.section("Generated data")
	e.r.line(fmt.Sprintf("%d events in %d files (%.1f MB gzipped, %.0f events/file, %.1f KB/file), %s to %s, generated in %s.",
		ds.events, ds.files, mb(ds.gzBytes), float64(ds.events)/float64(ds.files), float64(ds.gzBytes)/float64(ds.files)/1024,
		ds.from.Format("2006-01-02"), ds.to.Format("2006-01-02"), ds.took.Round(time.Millisecond)))
	e.ds = ds
	return ds, nil
}

// binary returns the tpserver binary to measure, built once.
func (e *env) binary() (string, error) {
	if e.bin != "" {
		return e.bin, nil
	}
	bin, cleanup, err := tpserverBinary(e.c.bin)
	if err != nil {
		return "", err
	}
	e.bin, e.binCleanup = bin, cleanup
	return bin, nil
}

// collected runs the collect section once (measuring and reporting it) and
// returns the lake it made.
func (e *env) collected() (*collectResult, error) {
	if e.cr != nil {
		return e.cr, nil
	}
	ds, err := e.dataset()
	if err != nil {
		return nil, err
	}
	bin, err := e.binary()
	if err != nil {
		return nil, err
	}
	cr, err := collectSection(e.r, bin, e.c.baselineBin, e.dir, ds, collectRunsFor(e.c.collectRuns, e.c.events))
	if err != nil {
		return nil, err
	}
	e.cr = cr
	return cr, nil
}

// withLake calls f with the tpserver binary and the collected lake, made
// on first use.
func (e *env) withLake(f func(bin string, cr *collectResult) error) error {
	cr, err := e.collected()
	if err != nil {
		return err
	}
	bin, err := e.binary()
	if err != nil {
		return err
	}
	return f(bin, cr)
}

func (e *env) close() {
	if e.binCleanup != nil {
		e.binCleanup()
	}
}
