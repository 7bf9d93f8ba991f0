package catalog

import (
	"context"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/pgwire"
)

// demoShapedLake writes a lake shaped like the demo data: rows events
// spread over days daily files of one partition.
func demoShapedLake(b *testing.B, dir string, rows, days int) {
	writeBenchLake(b, dir, days, rows/days, func(d, n int) string {
		return fmt.Sprintf("TIMESTAMP '2024-01-%02d' + to_seconds(i * 86400 // %d)", 1+d, n)
	})
}

// smallQueries are the statements of BenchmarkSmallQuery.
var smallQueries = []struct{ name, sql string }{
	{"select1", "select 1"},
	{"count", "select count(*) from aws_cloudtrail_log"},
	{"timeagg", "select event_source, count(*) from aws_cloudtrail_log where event_time >= timestamp '2024-01-14' group by 1 order by 2 desc limit 10"},
	// A text that changes at every run, as a dashboard's moving time range.
	{"timeagg-moving", "select event_source, count(*) from aws_cloudtrail_log where event_time >= timestamp '2024-01-14' + to_seconds(%d) group by 1 order by 2 desc limit 10"},
}

// smallQueryText is the statement's text for run i.
func smallQueryText(sql string, i int) string {
	if strings.Contains(sql, "%d") {
		return fmt.Sprintf(sql, i)
	}
	return sql
}

// processCPU is the CPU time this process has used so far (all threads,
// DuckDB's included).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the process's CPU time per operation since start
// (cpu-ms/op): unlike wall time, it hardly depends on what else the
// machine runs.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(processCPU()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkSmallQuery measures the fixed cost of a small statement on a
// lake shaped like the demo data (62,000 events in 21 daily files): run
// in-process on one session connection of the catalog (the baseline), and
// sent by pgx over the wire with the simple and the extended protocol.
// Compare each wire ns/op (and cpu-ms/op: client, server and engine in
// this one process) with the inproc one of the same query.
func BenchmarkSmallQuery(b *testing.B) {
	dir := b.TempDir()
	demoShapedLake(b, dir, 62_000, 21)
	c := open(b, dir)
	defer c.Close()
	ctx := context.Background()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- pgwire.NewServer(c, pgwire.Options{}).Serve(sctx, ln) }()
	defer func() { cancel(); <-done }()
	url := fmt.Sprintf("postgres://bench@%s/tpserver?sslmode=disable", ln.Addr())

	// run numbers every run of every sub-benchmark, so that a moving text
	// is new to the server (and its statement cache) each time.
	run := 0
	for _, q := range smallQueries {
		b.Run(q.name+"/inproc", func(b *testing.B) {
			conn, err := c.OpenSession(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			cpu := processCPU()
			for b.Loop() {
				run++
				rows, err := conn.QueryContext(ctx, smallQueryText(q.sql, run))
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					n++
				}
				if err := rows.Err(); err != nil || n == 0 {
					b.Fatalf("%s: %d rows, %v", q.sql, n, err)
				}
				rows.Close()
			}
			reportCPU(b, cpu)
		})
		for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement, pgx.QueryExecModeDescribeExec} {
			b.Run(q.name+"/wire-"+mode.String(), func(b *testing.B) {
				conn, err := pgx.Connect(ctx, url)
				if err != nil {
					b.Fatal(err)
				}
				defer conn.Close(ctx)
				cpu := processCPU()
				for b.Loop() {
					run++
					rows, err := conn.Query(ctx, smallQueryText(q.sql, run), mode)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						n++
					}
					if err := rows.Err(); err != nil || n == 0 {
						b.Fatalf("%s: %d rows, %v", q.sql, n, err)
					}
				}
				reportCPU(b, cpu)
			})
		}
	}
}
