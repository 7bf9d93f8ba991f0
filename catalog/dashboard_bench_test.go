package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"
	"github.com/tpserver/tpserver/lake"
	"github.com/tpserver/tpserver/pgwire"
)

// passThrough is the catalog without SQL translation: the baseline of
// BenchmarkDashboardRefresh.
type passThrough struct{ *Catalog }

func (passThrough) TranslateSQL(sql string) string { return sql }

// dashboardPanels are ten panels of a CloudTrail dashboard, as Grafana
// sends them with the time range expanded into literals.
func dashboardPanels(from, to time.Time) []string {
	tf := fmt.Sprintf("event_time BETWEEN '%s' AND '%s'", from.Format(time.RFC3339), to.Format(time.RFC3339))
	return []string{
		`SELECT floor(extract(epoch from event_time)/300)*300 AS "time", count(*) AS "events" FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY 1 ORDER BY 1`,
		`SELECT event_source, count(*) AS event_count FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY event_source ORDER BY event_count DESC LIMIT 10`,
		`SELECT event_time, event_source, event_name, error_code FROM aws_cloudtrail_log WHERE error_code IN ('AccessDenied', 'UnauthorizedOperation') AND ` + tf + ` ORDER BY event_time DESC LIMIT 50`,
		`SELECT event_time, event_name, source_ip_address, user_agent FROM aws_cloudtrail_log WHERE event_name LIKE '%SecurityGroup%' AND ` + tf + ` ORDER BY event_time DESC LIMIT 50`,
		`SELECT aws_region AS metric, count(*) AS value FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY 1 ORDER BY 2 DESC`,
		`SELECT source_ip_address, count(*) AS event_count, count(DISTINCT event_name) AS event_types FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY source_ip_address HAVING count(*) > 100 ORDER BY event_count DESC LIMIT 20`,
		`SELECT date_trunc('hour', event_time) AS hour, count(*) FILTER (WHERE error_code IS NOT NULL) * 100.0 / count(*) AS error_rate FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY 1 ORDER BY 1`,
		`SELECT count(*) AS n FROM aws_cloudtrail_log WHERE event_name = 'ConsoleLogin' AND ` + tf,
		`SELECT count(*) / 7 AS per_day, count(DISTINCT recipient_account_id) AS accounts FROM aws_cloudtrail_log WHERE ` + tf,
		`SELECT event_name, count(*) AS n FROM aws_cloudtrail_log WHERE event_source = 'iam.amazonaws.com' AND ` + tf + ` GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
	}
}

// benchLake writes rows events, three seconds apart, into one file of the
// catalog's lake.
func benchLake(b *testing.B, dir string, rows int) {
	writeBenchLake(b, dir, 1, rows, func(int, int) string { return "TIMESTAMP '2024-01-01' + to_seconds(i * 3)" })
}

// writeBenchLake writes days daily files of perDay CloudTrail-shaped events
// each into one partition of the lake under dir, with a manifest;
// eventTime gives the event_time expression of day d (of i, the row).
func writeBenchLake(b *testing.B, dir string, days, perDay int, eventTime func(d, perDay int) string) {
	c := open(b, dir)
	defer c.Close()
	var files []lake.DataFile
	for d := range days {
		key := lake.PartitionKey{Table: lake.CloudTrailTableName, Partition: "p", Index: "default", Date: time.Date(2024, 1, 1+d, 0, 0, 0, 0, time.UTC)}
		if err := os.MkdirAll(key.Dir(dir), 0o755); err != nil {
			b.Fatal(err)
		}
		file := filepath.Join(key.Dir(dir), fmt.Sprintf("data_1_%d%s", d, lake.DataFileExt))
		vals := map[string]string{
			"event_id": "'e' || i", "tp_id": "'t' || i", "event_time": eventTime(d, perDay),
			"event_source": "['iam.amazonaws.com', 's3.amazonaws.com', 'ec2.amazonaws.com', 'signin.amazonaws.com'][i % 4 + 1]",
			"event_name":   "['ConsoleLogin', 'GetObject', 'AuthorizeSecurityGroupIngress', 'AssumeRole', 'ListBuckets'][i % 5 + 1]",
			"aws_region":   "['us-east-1', 'eu-west-1', 'ap-south-1'][i % 3 + 1]", "source_ip_address": "'10.0.' || (i % 7) || '.' || (i % 250)",
			"user_agent": "'aws-cli/2'", "error_code": "CASE WHEN i % 17 = 0 THEN 'AccessDenied' END", "recipient_account_id": "'12345678901' || (i % 3)",
		}
		q := fmt.Sprintf("COPY (SELECT %s FROM range(%d) r(i)) TO '%s' (FORMAT parquet, COMPRESSION zstd)", duckdbtest.CloudTrailRow(vals), perDay, file)
		if _, err := c.DB().Exec(q); err != nil {
			b.Fatal(err)
		}
		info, err := os.Stat(file)
		if err != nil {
			b.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, file)
		files = append(files, lake.DataFile{Path: filepath.ToSlash(rel), Rows: int64(perDay), Size: info.Size()})
	}
	writeTestManifest(b, dir, files)
}

// BenchmarkDashboardRefresh measures a refresh of a 100-statement
// dashboard (ten panels over ten time ranges) sent by pgx over the wire to
// a server on a 200,000-event lake: with SQL translation, and with the
// statements passed to DuckDB as they are. Every refresh moves the time
// range, as Grafana's does, so each statement is a text neither the
// translator nor pgwire has seen. Compare the two ns/op for the cost of
// translation in a refresh.
func BenchmarkDashboardRefresh(b *testing.B) {
	dir := b.TempDir()
	benchLake(b, dir, 200_000)
	c := open(b, dir)
	defer c.Close()
	for _, tc := range []struct {
		name    string
		backend pgwire.Backend
	}{{"translated", c}, {"passthrough", passThrough{c}}} {
		b.Run(tc.name, func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- pgwire.NewServer(tc.backend, pgwire.Options{}).Serve(ctx, ln) }()
			defer func() { cancel(); <-done }()
			conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://bench@%s/tpserver?sslmode=disable", ln.Addr()))
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close(context.Background())
			start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			for refresh := 0; b.Loop(); refresh++ {
				for r := range 10 {
					from := start.Add(time.Duration(refresh*10+r) * time.Second)
					for _, q := range dashboardPanels(from, from.Add(7*24*time.Hour)) {
						rows, err := conn.Query(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						for rows.Next() {
						}
						if err := rows.Err(); err != nil {
							b.Fatalf("%s: %v", q, err)
						}
					}
				}
			}
		})
	}
}

// mixPanels are the statements of one refresh of the dashboard of the
// bench program's dashboard section (bench/dashboard.go): top services and
// events per hour over the 7 days before end (Unix seconds), moved by
// shift seconds, and the latest 50 events.
func mixPanels(end int64, shift int) []string {
	from := end - 7*86400 + int64(shift)
	return []string{
		fmt.Sprintf("select event_source, count(*) as events from aws_cloudtrail_log where event_time >= timestamp 'epoch' + %d * interval '1 second' group by event_source order by events desc limit 10", from),
		fmt.Sprintf("select date_trunc('hour', event_time) as hour, count(*) as events from aws_cloudtrail_log where event_time >= timestamp 'epoch' + %d * interval '1 second' group by 1 order by 1", from),
		"select event_time, event_source, event_name, aws_region, source_ip_address, error_code from aws_cloudtrail_log order by event_time desc limit 50",
	}
}

// BenchmarkDashboardMix measures the dashboard mix (mixPanels) at 1, 8 and
// 32 concurrent clients on a lake shaped like the demo data: in-process,
// each client on its own session connection of the catalog (the
// baseline), and over the wire, each client a pgx connection with the
// simple protocol. Every refresh moves the time range, so each text is
// new. ns/op is wall time per refresh (all clients together: the inverse
// of throughput); cpu-ms/op the process's CPU time per refresh; p99-ms the
// 99th percentile of one refresh's latency.
// Compare wire with inproc at the same client count for what the server
// adds under concurrency; the rest is the engine's. TP_BENCH_THREADS sets
// DuckDB's threads (serve --threads).
func BenchmarkDashboardMix(b *testing.B) {
	dir := b.TempDir()
	demoShapedLake(b, dir, 62_000, 21)
	c := open(b, dir)
	defer c.Close()
	ctx := context.Background()
	if n := os.Getenv("TP_BENCH_THREADS"); n != "" { // DuckDB's threads, as serve --threads
		if _, err := c.DB().ExecContext(ctx, "SET threads = "+n); err != nil {
			b.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- pgwire.NewServer(c, pgwire.Options{}).Serve(sctx, ln) }()
	defer func() { cancel(); <-done }()
	url := fmt.Sprintf("postgres://bench@%s/tpserver?sslmode=disable", ln.Addr())
	end := time.Date(2024, 1, 22, 0, 0, 0, 0, time.UTC).Unix()

	inproc := func() (func(string) error, func()) {
		conn, err := c.OpenSession(ctx)
		if err != nil {
			b.Fatal(err)
		}
		return func(q string) error {
			rows, err := conn.QueryContext(ctx, q)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
			}
			return rows.Err()
		}, func() { conn.Close() }
	}
	wire := func() (func(string) error, func()) {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		return func(q string) error {
			rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			return rows.Err()
		}, func() { conn.Close(ctx) }
	}
	for _, clients := range []int{1, 8, 32} {
		for _, tc := range []struct {
			name    string
			connect func() (func(string) error, func())
		}{{"inproc", inproc}, {"wire", wire}} {
			b.Run(fmt.Sprintf("%s/clients=%d", tc.name, clients), func(b *testing.B) {
				runMix(b, clients, end, tc.connect)
			})
		}
	}
}

// runMix runs b.N refreshes of mixPanels spread over clients concurrent
// connections made by connect, and reports the p99 refresh latency.
func runMix(b *testing.B, clients int, end int64, connect func() (func(string) error, func())) {
	runs := make([]func(string) error, clients)
	for i := range runs {
		run, closeConn := connect()
		defer closeConn()
		runs[i] = run
	}
	var next atomic.Int64
	lat := make([][]time.Duration, clients)
	errs := make(chan error, clients)
	b.ResetTimer()
	cpu := processCPU()
	var wg sync.WaitGroup
	for i, run := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
				start := time.Now()
				for _, q := range mixPanels(end, int(n%3600)) {
					if err := run(q); err != nil {
						errs <- fmt.Errorf("%s: %w", q, err)
						return
					}
				}
				lat[i] = append(lat[i], time.Since(start))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	reportCPU(b, cpu)
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(all[(len(all)*99+99)/100-1].Microseconds())/1000, "p99-ms")
	}
}

// writeTestManifest publishes files as the live data of partition "p" of
// aws_cloudtrail_log under dir, in a manifest of batch 1.
func writeTestManifest(tb testing.TB, dir string, files []lake.DataFile) {
	tb.Helper()
	m, err := json.Marshal(lake.Manifest{Version: 1, Batch: 1, Files: files})
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(lake.ManifestPath(dir, lake.CloudTrailTableName, "p"), m, 0o644); err != nil {
		tb.Fatal(err)
	}
}
