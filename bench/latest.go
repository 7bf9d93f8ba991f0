package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"syscall"
	"time"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/lake"
)

// latestRuns is how many timed runs each query of the latest section gets:
// its figures are a few milliseconds, so more runs than queryRuns.
const latestRuns = 31

// latestQuery is one query of the latest section: a name and its SQL.
type latestQuery struct{ name, sql string }

// latestSection breaks "the latest 100 events" down in-process, where its
// cost goes: the query as tpserver runs it on the lake view (translated:
// it reads the table's head, see catalog/head.go), the same without the
// head (day bound only: it reads Parquet), then the same query over the
// newest day's files only and over the newest file alone, the newest file's first 100 rows
// unsorted (DuckDB decoding one vector of every column: the floor of any
// select * over a file) and the sort key alone. Every figure is against
// the newest file alone, the best a lake holding the newest rows in one
// file can do. CPU/query is the process's CPU time (DuckDB's threads and
// Go's) per run, which depends far less on the machine's other load than
// wall time.
func latestSection(r *report, cr *collectResult) error {
	fmt.Fprintln(os.Stderr, "bench: latest N in-process")
	ctx := context.Background()
	table := lake.CloudTrailLog()
	cat, err := catalog.Open(ctx, catalog.Options{DataDir: cr.dataDir, Tables: []lake.Table{table}, InMemory: true})
	if err != nil {
		return fmt.Errorf("in-process catalog over %s: %w", cr.dataDir, err)
	}
	defer cat.Close()
	noHead, err := catalog.Open(ctx, catalog.Options{DataDir: cr.dataDir, Tables: []lake.Table{table}, InMemory: true, HeadRows: -1})
	if err != nil {
		return fmt.Errorf("in-process catalog without heads over %s: %w", cr.dataDir, err)
	}
	defer noHead.Close()
	live, err := lake.Live(cr.dataDir, table.Name)
	if err != nil {
		return fmt.Errorf("live files: %w", err)
	}
	if len(live) == 0 {
		return fmt.Errorf("latest: the lake has no files")
	}
	lake.NewestFirst(live)
	var day []string
	for _, f := range live {
		if f.Date == live[0].Date {
			day = append(day, f.Path)
		}
	}
	const q = `select * from aws_cloudtrail_log order by event_time desc limit 100`
	sorted := func(scan string) string {
		return "select * from (" + scan + ") order by event_time desc limit 100"
	}
	newest := table.ScanSQL(day[:1])
	qs := []latestQuery{
		{"lake view, as tpserver runs it (the head)", cat.TranslateSQL(q)},
		{"lake view without the head (day bound only)", noHead.TranslateSQL(q)},
		{fmt.Sprintf("newest day's %d files only", len(day)), sorted(table.ScanSQL(day))},
		{"newest file alone", sorted(newest)},
		{"newest file, first 100 rows unsorted", "select * from (" + newest + ") limit 100"},
		{"lake view, event_time alone", cat.TranslateSQL(`select event_time from aws_cloudtrail_log order by event_time desc limit 100`)},
	}
	const base = 3 // the newest file alone
	walls, cpus := make([]time.Duration, len(qs)), make([]time.Duration, len(qs))
	for i, lq := range qs {
		if walls[i], cpus[i], err = medianWithCPU(cat.DB(), lq.sql); err != nil {
			return fmt.Errorf("latest, %s: %w", lq.name, err)
		}
	}
	groups, rows := rowGroups(cat.DB(), day[0])
	r.section("Latest 100 events, in-process")
	r.line(fmt.Sprintf("`%s` in-process over the collected lake (%d live files; the newest day, %s, has %d; its newest file %d row groups of up to %d rows), median of %d runs. Ratio: to the same query over the newest file alone.\n",
		q, len(live), live[0].Date, len(day), groups, rows, latestRuns))
	var out [][]string
	for i, lq := range qs {
		out = append(out, []string{lq.name, ms(walls[i]), ms(cpus[i]),
			fmt.Sprintf("%.2f", walls[i].Seconds()/walls[base].Seconds()), fmt.Sprintf("%.2f", cpus[i].Seconds()/cpus[base].Seconds())})
	}
	r.table([]string{"query", "wall", "CPU/query", "wall / newest file", "CPU / newest file"}, out)
	r.line("\n" + headLine(cat, noHead, table.Name))
	return nil
}

// headLine describes the head the catalog built at Open: its rows, the
// files it read, the build's time and the memory its table holds (DuckDB's
// in-memory table bytes of the catalog with heads less those of one
// without).
func headLine(cat, noHead *catalog.Catalog, table string) string {
	st, ok := cat.HeadStatus(table)
	if !ok {
		return "No head was built."
	}
	mem := func(c *catalog.Catalog) int64 {
		var n int64
		_ = c.DB().QueryRow("select coalesce(sum(memory_usage_bytes), 0) from duckdb_memory() where tag = 'IN_MEMORY_TABLE'").Scan(&n)
		return n
	}
	return fmt.Sprintf("The head (catalog/head.go): %d rows built from the newest %d files in %s at Open (the same at each commit of the lake); its table holds %.1f MB of memory.",
		st.Rows, st.Files, st.Took.Round(time.Millisecond), mb(mem(cat)-mem(noHead)))
}

// medianWithCPU runs q once to warm up, then latestRuns times, and
// returns the median wall time and the process's mean CPU time per run.
func medianWithCPU(db *sql.DB, q string) (wall, cpu time.Duration, err error) {
	if err := sqlQuery(db, q); err != nil {
		return 0, 0, err
	}
	ds := make([]time.Duration, latestRuns)
	cpu0 := processCPU()
	for i := range ds {
		start := time.Now()
		if err := sqlQuery(db, q); err != nil {
			return 0, 0, err
		}
		ds[i] = time.Since(start)
	}
	cpu = (processCPU() - cpu0) / latestRuns
	slices.Sort(ds)
	return ds[len(ds)/2], cpu, nil
}

// processCPU is this process's user and system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rowGroups returns the number of row groups of a Parquet file and the
// rows of its largest; zeros when its metadata cannot be read.
func rowGroups(db *sql.DB, path string) (groups, rows int64) {
	_ = db.QueryRow(`select count(distinct row_group_id), coalesce(max(row_group_num_rows), 0) from parquet_metadata(`+lake.QuoteString(path)+`)`).Scan(&groups, &rows)
	return groups, rows
}
