package main

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/lake"
)

// duckdbStartupCmd is the hidden first argument that makes the bench binary
// run the start-up baseline: DuckDB alone defining the lake view over the
// same files and running the same statements.
const duckdbStartupCmd = "__duckdb_startup"

// startupFigures are one server's start-up and per-statement costs.
type startupFigures struct {
	toSelect1, toCount     time.Duration // from exec
	rss, peakRSS           int64         // after the first count(*)
	select1, count, recent time.Duration // medians once warm
}

// startupSection splits the collected lake into -startup-files files (and
// into a hundredth as many, to show how costs grow with files) and measures
// tpserver serve starting on each against DuckDB alone.
func startupSection(e *env) error {
	cr, err := e.collected()
	if err != nil {
		return err
	}
	bin, err := e.binary()
	if err != nil {
		return err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	counts := []int{e.c.startupFiles}
	if few := e.c.startupFiles / 100; few >= 1 {
		counts = append(counts, few)
	}
	var rows [][]string
	var lakes []*splitLake
	var figs []startupFigures
	for _, n := range counts {
		fmt.Fprintf(os.Stderr, "bench: start-up lake of %d files\n", n)
		sl, err := splitLakeFiles(db, cr.dataDir, filepath.Join(e.dir, fmt.Sprintf("startup-%d", n)), n)
		if err != nil {
			return err
		}
		tp, err := medianStart(func() (startupFigures, error) { return measureServe(bin, sl) })
		if err != nil {
			return err
		}
		dk, err := medianStart(func() (startupFigures, error) { return measureDuckDBStartup(sl) })
		if err != nil {
			return err
		}
		name := fmt.Sprintf("%d files", len(sl.files))
		rows = append(rows, startupRow("tpserver serve, "+name, tp), startupRow("DuckDB alone, "+name, dk), startupRatio(tp, dk))
		lakes, figs = append(lakes, sl), append(figs, tp)
	}
	e.r.section(fmt.Sprintf("Start-up with %d lake files", len(lakes[0].files)))
	e.r.line(fmt.Sprintf("The collected rows (%d) split into files of consecutive tp_timestamp (%.1f MB in all), published through the lake's commit path as one partition. "+
		"Each figure is the median of %d starts. tpserver serve: from exec until `select 1` and then `select count(*) from aws_cloudtrail_log` answer through pgx, its RSS after that count (peak in brackets), "+
		"then the median of %d runs once warm of `select 1`, `count(*)` and `count(*)` of the last day (`where tp_date = ...`). "+
		"DuckDB alone: a child process opening an in-memory DuckDB, defining the same view over the same files (parquet_metadata_cache on, as tpserver) and running the same statements in-process. "+
		"Ratios = tpserver / DuckDB alone (above 1 = tpserver slower or larger).\n",
		lakes[0].rows, mb(lakes[0].bytes), startupRuns, queryRuns))
	e.r.table([]string{"run", "exec → select 1", "exec → count(*)", "RSS after count(*) (peak)", "select 1", "count(*)", "count(*) last day"}, rows)
	if len(figs) == 2 {
		e.r.line(fmt.Sprintf("\nPer-statement growth with files (tpserver, %d vs %d files): count(*) %.2f×, count(*) of the last day %.2f×, start-up to count(*) %.2f×.",
			len(lakes[0].files), len(lakes[1].files), ratio(figs[0].count, figs[1].count), ratio(figs[0].recent, figs[1].recent), ratio(figs[0].toCount, figs[1].toCount)))
	}
	return nil
}

// startupRuns is how many times each server is started on each lake.
const startupRuns = 3

// medianStart runs start startupRuns times and returns the median of each
// figure.
func medianStart(start func() (startupFigures, error)) (startupFigures, error) {
	var runs []startupFigures
	for range startupRuns {
		f, err := start()
		if err != nil {
			return f, err
		}
		runs = append(runs, f)
	}
	return startupFigures{
		toSelect1: medianOf(runs, func(f startupFigures) time.Duration { return f.toSelect1 }),
		toCount:   medianOf(runs, func(f startupFigures) time.Duration { return f.toCount }),
		rss:       medianOf(runs, func(f startupFigures) int64 { return f.rss }),
		peakRSS:   medianOf(runs, func(f startupFigures) int64 { return f.peakRSS }),
		select1:   medianOf(runs, func(f startupFigures) time.Duration { return f.select1 }),
		count:     medianOf(runs, func(f startupFigures) time.Duration { return f.count }),
		recent:    medianOf(runs, func(f startupFigures) time.Duration { return f.recent }),
	}, nil
}

// medianOf is the median of one figure over runs.
func medianOf[T cmp.Ordered](runs []startupFigures, of func(startupFigures) T) T {
	vals := make([]T, len(runs))
	for i, r := range runs {
		vals[i] = of(r)
	}
	slices.Sort(vals)
	return vals[len(vals)/2]
}

func startupRow(name string, f startupFigures) []string {
	return []string{name, ms(f.toSelect1), ms(f.toCount), fmt.Sprintf("%.0f MiB (%.0f)", mib(f.rss), mib(f.peakRSS)),
		ms(f.select1), ms(f.count), ms(f.recent)}
}

func startupRatio(tp, dk startupFigures) []string {
	return []string{"tpserver/DuckDB alone", fmt.Sprintf("%.2f", ratio(tp.toSelect1, dk.toSelect1)), fmt.Sprintf("%.2f", ratio(tp.toCount, dk.toCount)),
		fmt.Sprintf("%.2f", float64(tp.rss)/float64(max(dk.rss, 1))), fmt.Sprintf("%.2f", ratio(tp.select1, dk.select1)),
		fmt.Sprintf("%.2f", ratio(tp.count, dk.count)), fmt.Sprintf("%.2f", ratio(tp.recent, dk.recent))}
}

func ratio(a, b time.Duration) float64 { return a.Seconds() / max(b.Seconds(), 1e-9) }

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// startupConfig is serve's configuration for a start-up lake: another
// partition of the table, with a local source holding no files. The lake's
// own partition is served (the catalog reads every partition's manifest)
// but not scheduled, so background compaction does not merge its files
// while they are measured.
const startupConfig = `partition "aws_cloudtrail_log" %q {
  source "file" {
    paths = [%q]
  }
}
`

// lastDayCount is the time-filtered statement of the start-up section.
func lastDayCount(sl *splitLake) string {
	return "select count(*) from aws_cloudtrail_log where tp_date = date '" + sl.lastDate.Format(lake.DateFormat) + "'"
}

// measureServe starts tpserver serve on sl and measures it.
func measureServe(bin string, sl *splitLake) (startupFigures, error) {
	cfgDir, empty := filepath.Join(sl.dataDir, "config"), filepath.Join(sl.dataDir, "empty-source")
	for _, d := range []string{cfgDir, empty} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return startupFigures{}, fmt.Errorf("start-up config: %w", err)
		}
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "bench.tpc"), []byte(fmt.Sprintf(startupConfig, "idle", empty)), 0o644); err != nil {
		return startupFigures{}, fmt.Errorf("start-up config: %w", err)
	}
	port, err := testsupport.FreePort()
	if err != nil {
		return startupFigures{}, fmt.Errorf("free port: %w", err)
	}
	cmd := exec.Command(bin, "serve", "--config-path", cfgDir, "--data-dir", sl.dataDir,
		"--listen", "127.0.0.1:"+strconv.Itoa(port), "--refresh-interval", "24h")
	start := time.Now()
	srv, err := testsupport.StartProcess(cmd)
	if err != nil {
		return startupFigures{}, fmt.Errorf("start tpserver serve: %w", err)
	}
	defer srv.Stop()
	ctx := context.Background()
	conn, err := connectWhenUp(ctx, srv, port, 10*time.Minute)
	if err != nil {
		return startupFigures{}, err
	}
	defer conn.Close(ctx)
	var f startupFigures
	if err := pgxQuery(ctx, conn, "select 1"); err != nil {
		return f, fmt.Errorf("select 1: %w", err)
	}
	f.toSelect1 = time.Since(start)
	var n int64
	if err := conn.QueryRow(ctx, "select count(*) from aws_cloudtrail_log").Scan(&n); err != nil {
		return f, fmt.Errorf("count(*): %w", err)
	}
	f.toCount = time.Since(start)
	if n != sl.rows {
		return f, fmt.Errorf("tpserver counted %d rows in the start-up lake, want %d", n, sl.rows)
	}
	f.rss, f.peakRSS = procStatusKB(cmd.Process.Pid, "VmRSS"), procStatusKB(cmd.Process.Pid, "VmHWM")
	for _, m := range []struct {
		d *time.Duration
		q string
	}{{&f.select1, "select 1"}, {&f.count, "select count(*) from aws_cloudtrail_log"}, {&f.recent, lastDayCount(sl)}} {
		if *m.d, err = median(func() error { return pgxQuery(ctx, conn, m.q) }); err != nil {
			return f, fmt.Errorf("%s: %w", m.q, err)
		}
	}
	return f, nil
}

// connectWhenUp connects to the server on port as soon as it accepts
// sessions, failing when it exits first or within passes.
func connectWhenUp(ctx context.Context, srv *testsupport.Process, port int, within time.Duration) (*pgx.Conn, error) {
	dsn := fmt.Sprintf("postgres://bench@127.0.0.1:%d/bench?sslmode=disable&connect_timeout=5", port)
	deadline := time.Now().Add(within)
	for {
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			return conn, nil
		}
		select {
		case <-srv.Exited:
			return nil, fmt.Errorf("tpserver serve exited before accepting sessions:\n%s", lastLines(srv.Logs.String(), 20))
		default:
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("tpserver serve accepted no session within %v: %w\n%s", within, err, lastLines(srv.Logs.String(), 20))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// measureDuckDBStartup runs the DuckDB-alone baseline in a child process,
// timing its progress lines from exec.
func measureDuckDBStartup(sl *splitLake) (startupFigures, error) {
	list := filepath.Join(sl.dataDir, "files.txt")
	if err := writeFileList(list, sl.files); err != nil {
		return startupFigures{}, err
	}
	self, err := os.Executable()
	if err != nil {
		return startupFigures{}, fmt.Errorf("own executable: %w", err)
	}
	cmd := exec.Command(self, duckdbStartupCmd, list, lastDayCount(sl))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return startupFigures{}, fmt.Errorf("duckdb start-up baseline: %w", err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return startupFigures{}, fmt.Errorf("duckdb start-up baseline: %w", err)
	}
	var f startupFigures
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 1 && fields[0] == "select1":
			f.toSelect1 = time.Since(start)
		case len(fields) == 2 && fields[0] == "count":
			f.toCount = time.Since(start)
			f.rss, f.peakRSS = procStatusKB(cmd.Process.Pid, "VmRSS"), procStatusKB(cmd.Process.Pid, "VmHWM")
			if fields[1] != strconv.FormatInt(sl.rows, 10) {
				err = fmt.Errorf("DuckDB alone counted %s rows, want %d", fields[1], sl.rows)
			}
		case len(fields) == 4 && fields[0] == "warm":
			for i, d := range []*time.Duration{&f.select1, &f.count, &f.recent} {
				ns, _ := strconv.ParseInt(fields[i+1], 10, 64)
				*d = time.Duration(ns)
			}
		}
	}
	if werr := cmd.Wait(); werr != nil {
		return f, fmt.Errorf("duckdb start-up baseline: %w\n%s", werr, lastLines(stderr.String(), 20))
	}
	if err == nil && (f.toCount == 0 || f.count == 0) {
		err = fmt.Errorf("duckdb start-up baseline printed no figures:\n%s", lastLines(stderr.String(), 20))
	}
	return f, err
}

// duckdbStartupMain is the baseline child: args are the file list and the
// time-filtered statement. It prints "select1", "count N" and
// "warm <select 1 ns> <count ns> <filtered ns>" as it goes.
func duckdbStartupMain(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: %s <file list> <filtered count>", duckdbStartupCmd)
	}
	files, err := readFileList(args[0])
	if err != nil {
		return err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	view := "CREATE VIEW aws_cloudtrail_log AS " + lake.CloudTrailLog().ScanSameSchemaSQL(files)
	for _, q := range []string{"SET GLOBAL parquet_metadata_cache = true", view, "select 1"} {
		if _, err := db.Exec(q); err != nil {
			return fmt.Errorf("%.60s: %w", q, err)
		}
	}
	fmt.Println("select1")
	var n int64
	if err := db.QueryRow("select count(*) from aws_cloudtrail_log").Scan(&n); err != nil {
		return fmt.Errorf("count(*): %w", err)
	}
	fmt.Println("count", n)
	var warm []string
	for _, q := range []string{"select 1", "select count(*) from aws_cloudtrail_log", args[1]} {
		d, err := median(func() error { return sqlQuery(db, q) })
		if err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
		warm = append(warm, strconv.FormatInt(d.Nanoseconds(), 10))
	}
	fmt.Println("warm", strings.Join(warm, " "))
	return nil
}
