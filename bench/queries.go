package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// queryRuns is how many timed runs each query gets after one warm-up run.
const queryRuns = 5

// benchQuery is one query of the queries section.
type benchQuery struct{ name, sql, pgSQL string }

// benchQueries are the small queries of the issue, the blog's top
// services query, and queries on windows of time ending at newest, the time
// of the lake's newest event (the generated data lies in the past, so the
// windows are literal times, not now()).
func benchQueries(newest time.Time) []benchQuery {
	qs := []benchQuery{
		{"count(*)", `select count(*) from aws_cloudtrail_log`, ""},
		{"ORDER BY event_time DESC LIMIT 100", `select * from aws_cloudtrail_log order by event_time desc limit 100`, ""},
		{"latest 50", `select * from aws_cloudtrail_log order by event_time desc limit 50`, ""},
		{"most active services (blog)", `select event_source, event_name, count(*) as event_count from aws_cloudtrail_log
group by event_source, event_name order by event_count desc limit 10`, ""},
		{"errors by user (blog)", `select user_identity.arn as arn, error_code, count(*) as n from aws_cloudtrail_log
where error_code is not null group by 1, 2 order by n desc limit 10`, `select user_identity->>'arn' as arn, error_code, count(*) as n
from aws_cloudtrail_log where error_code is not null group by 1, 2 order by n desc limit 10`},
	}
	qs = append(qs, windowQueries(newest)...)
	for i := range qs {
		if qs[i].pgSQL == "" {
			qs[i].pgSQL = qs[i].sql
		}
	}
	return qs
}

// windowQueries are a dashboard's queries on the last hour, day and week
// before newest: their cost should follow the window, not the lake. The
// bound is a TIMESTAMP for DuckDB (event_time's type, so the filter reaches
// the Parquet scan) and a timestamptz for PostgreSQL's timestamptz column.
func windowQueries(newest time.Time) []benchQuery {
	since := func(d time.Duration) (string, string) {
		t := newest.Add(-d).UTC().Format("2006-01-02 15:04:05")
		return "timestamp '" + t + "'", "timestamptz '" + t + "+00'"
	}
	var qs []benchQuery
	ts, tz := since(time.Hour)
	qs = append(qs, benchQuery{"last hour, events",
		`select * from aws_cloudtrail_log where event_time > ` + ts + ` order by event_time desc`,
		`select * from aws_cloudtrail_log where event_time > ` + tz + ` order by event_time desc`})
	for _, w := range []struct {
		name string
		d    time.Duration
	}{{"last hour", time.Hour}, {"last day", 24 * time.Hour}, {"last 7 days", 7 * 24 * time.Hour}} {
		ts, tz := since(w.d)
		q := `select event_source, count(*) as n from aws_cloudtrail_log where event_time > %s group by 1 order by n desc, 1`
		qs = append(qs, benchQuery{w.name + ", by service", fmt.Sprintf(q, ts), fmt.Sprintf(q, tz)})
	}
	return qs
}

// queriesSection times benchQueries through pgx on tpserver serve against
// in-process DuckDB over the same Parquet files.
func queriesSection(r *report, bin string, cr *collectResult) error {
	fmt.Fprintln(os.Stderr, "bench: tpserver serve")
	srv, port, err := startServe(bin, cr)
	if err != nil {
		return err
	}
	defer srv.Stop()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://bench@127.0.0.1:%d/bench?sslmode=disable", port))
	if err != nil {
		return fmt.Errorf("connect to tpserver: %w", err)
	}
	defer conn.Close(ctx)

	// In-process: tpserver's own DuckDB set-up (the lake view over the
	// manifests' live files, the engine settings), without the wire.
	db, closeDB, err := lakeDuckDB(ctx, cr.dataDir)
	if err != nil {
		return err
	}
	defer closeDB()

	var newest time.Time
	if err := db.QueryRow(`select max(event_time) from aws_cloudtrail_log`).Scan(&newest); err != nil {
		return fmt.Errorf("newest event in-process: %w", err)
	}
	qs := benchQueries(newest)
	var tps, dks []time.Duration
	for _, q := range qs {
		tp, err := median(func() error { return pgxQuery(ctx, conn, q.sql) })
		if err != nil {
			return fmt.Errorf("%s through pgx: %w", q.name, err)
		}
		dk, err := median(func() error { return sqlQuery(db, q.sql) })
		if err != nil {
			return fmt.Errorf("%s in-process: %w", q.name, err)
		}
		tps, dks = append(tps, tp), append(dks, dk)
	}
	tpPsql, err := psqlTimes(fmt.Sprintf("postgresql://bench@127.0.0.1:%d/bench?sslmode=disable", port), qs, func(q benchQuery) string { return q.sql })
	if err != nil {
		return fmt.Errorf("tpserver: %w", err)
	}
	pgs, pgPsql, err := postgresTimes(ctx, db, qs)
	if err != nil {
		return err
	}
	var rows [][]string
	for i, q := range qs {
		row := []string{q.name, ms(tps[i]), ms(dks[i]), fmt.Sprintf("%.2f", tps[i].Seconds()/dks[i].Seconds())}
		if pgs == nil {
			row = append(row, "not measured", "")
		} else {
			row = append(row, ms(pgs[i]), fmt.Sprintf("%.2f", tps[i].Seconds()/pgs[i].Seconds()))
		}
		rows = append(rows, row)
	}
	r.section("Queries")
	r.line(fmt.Sprintf("Median of %d runs after a warm-up, every value of every row read. tpserver: pgx (extended protocol) to `tpserver serve` on 127.0.0.1. In-process: the same SQL in tpserver's DuckDB set-up (the lake view over the manifests' live files, the same engine settings) in the bench process, without the wire. PostgreSQL 15: the same rows through pgx, in a table of the columns the queries use (nested objects as jsonb, `select *` returns those %d columns), with an index on event_time, after VACUUM ANALYZE. The \"last ...\" queries end at the newest event of the data (%s). Ratios = tpserver time / baseline time (above 1 = tpserver slower).\n", queryRuns, len(pgColumns), newest.UTC().Format("2006-01-02 15:04:05")))
	r.table([]string{"query", "tpserver via pgx", "DuckDB in-process", "tpserver/in-process", "PostgreSQL 15 via pgx", "tpserver/PostgreSQL"}, rows)
	if pgs == nil {
		r.line("\n" + pgNotInstalled + ".")
	}
	switch {
	case tpPsql == nil:
		r.line("\npsql not installed: the queries through psql are not measured.")
	case pgPsql == nil:
		r.line("\nThrough psql (median of psql's `\\timing`, output to /dev/null): PostgreSQL 15 not measured.\n")
		var prow [][]string
		for i, q := range qs {
			prow = append(prow, []string{q.name, ms(tpPsql[i])})
		}
		r.table([]string{"query", "tpserver via psql"}, prow)
	default:
		r.line("\nThrough psql (median of psql's `\\timing` over 5 runs after a warm-up, output to /dev/null):\n")
		var prow [][]string
		for i, q := range qs {
			prow = append(prow, []string{q.name, ms(tpPsql[i]), ms(pgPsql[i]), fmt.Sprintf("%.2f", tpPsql[i].Seconds()/pgPsql[i].Seconds())})
		}
		r.table([]string{"query", "tpserver via psql", "PostgreSQL 15 via psql", "tpserver/PostgreSQL"}, prow)
	}
	return nil
}

// median runs f once to warm up, then queryRuns times, and returns the
// median duration.
func median(f func() error) (time.Duration, error) {
	if err := f(); err != nil {
		return 0, err
	}
	ds := make([]time.Duration, queryRuns)
	for i := range ds {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ds[i] = time.Since(start)
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

// pgxQuery runs q and reads every value of every row.
func pgxQuery(ctx context.Context, conn *pgx.Conn, q string) error {
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if _, err := rows.Values(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sqlQuery runs q and scans every value of every row.
func sqlQuery(db *sql.DB, q string) error {
	rows, err := db.Query(q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
