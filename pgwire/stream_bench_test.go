package pgwire

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// streamBenchRows is the size of BenchmarkStreamSelectStar's table:
// TPSERVER_STREAM_ROWS, default 200,000.
func streamBenchRows(b *testing.B) int {
	n := 200_000
	if s := os.Getenv("TPSERVER_STREAM_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("TPSERVER_STREAM_ROWS=%q: want a positive integer", s)
		}
		n = v
	}
	return n
}

// cloudtrailShapedSQL generates n rows shaped like aws_cloudtrail_log: many
// VARCHAR columns, JSON text columns, STRUCT columns (sent through the
// to_json rewrite), a list of structs, timestamps and booleans.
func cloudtrailShapedSQL(n int) string {
	return fmt.Sprintf(`SELECT
  '1.08' AS eventversion,
  {'type': 'AssumedRole', 'principalid': 'AROA' || (i %% 977)::VARCHAR || ':session', 'arn': 'arn:aws:sts::123456789012:assumed-role/Role' || (i %% 31)::VARCHAR || '/session',
   'accountid': '123456789012', 'accesskeyid': 'ASIA' || md5(i::VARCHAR)[1:16], 'username': NULL::VARCHAR,
   'sessioncontext': {'attributes': {'creationdate': '2024-01-01T00:00:00Z', 'mfaauthenticated': 'false'}, 'sessionissuer': {'type': 'Role', 'arn': 'arn:aws:iam::123456789012:role/R'}}} AS useridentity,
  TIMESTAMP '2024-01-01 00:00:00' + to_microseconds(i * 1000003) AS eventtime,
  ['ec2', 's3', 'iam', 'sts', 'kms'][1 + i %% 5] || '.amazonaws.com' AS eventsource,
  ['DescribeInstances', 'GetObject', 'ListRoles', 'AssumeRole', 'Decrypt', 'PutObject'][1 + i %% 6] AS eventname,
  ['us-east-1', 'eu-west-1', 'ap-south-1'][1 + i %% 3] AS awsregion,
  '10.' || (i %% 256)::VARCHAR || '.' || ((i // 256) %% 256)::VARCHAR || '.7' AS sourceipaddress,
  'aws-sdk-go/1.44.' || (i %% 300)::VARCHAR || ' (go1.21; linux; amd64)' AS useragent,
  CASE WHEN i %% 17 = 0 THEN 'AccessDenied' END AS errorcode,
  CASE WHEN i %% 17 = 0 THEN 'User is not authorized to perform this operation' END AS errormessage,
  ('{"instancesSet":{"items":[{"instanceId":"i-' || md5(i::VARCHAR)[1:17] || '"}]},"filterSet":{},"maxResults":' || (i %% 1000)::VARCHAR || '}')::JSON AS requestparameters,
  CASE WHEN i %% 3 = 0 THEN ('{"credentials":{"accessKeyId":"ASIA' || md5((i+1)::VARCHAR)[1:16] || '","expiration":"Jan 1, 2024 1:00:00 AM"}}')::JSON END AS responseelements,
  NULL::JSON AS additionaleventdata,
  uuid() AS requestid,
  md5(i::VARCHAR) AS eventid,
  CASE WHEN i %% 4 = 0 THEN [{'arn': 'arn:aws:s3:::bucket' || (i %% 50)::VARCHAR, 'accountid': '123456789012', 'type': 'AWS::S3::Bucket'}] END AS resources,
  'AwsApiCall' AS eventtype,
  i %% 2 = 0 AS readonly,
  '123456789012' AS recipientaccountid,
  'Management' AS eventcategory,
  {'tlsversion': 'TLSv1.2', 'ciphersuite': 'ECDHE-RSA-AES128-GCM-SHA256', 'clientprovidedhostheader': 'ec2.us-east-1.amazonaws.com'} AS tlsdetails,
  'us-east-1' AS region,
  ['arn:aws:iam::123456789012:role/R' || (i %% 31)::VARCHAR, '123456789012'] AS tp_akas,
  ['10.' || (i %% 256)::VARCHAR || '.0.7'] AS tp_ips,
  CASE WHEN i %% 5 = 0 THEN ['user' || (i %% 97)::VARCHAR] ELSE [] END AS tp_usernames,
  'aws_cloudtrail_log' AS tp_table,
  DATE '2024-01-01' + (i %% 20)::INTEGER AS tp_date
FROM range(%d) AS t(i)`, n)
}

// memSample is the process memory at one moment: DuckDB allocates outside
// Go's heap, so RSS is what counts.
type memSample struct {
	rss, hwm   int64 // VmRSS, VmHWM (bytes)
	heapInuse  uint64
	sys        uint64
	numGC      uint32
	pauseTotal time.Duration
}

func readMem(b *testing.B) memSample {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s := memSample{heapInuse: ms.HeapInuse, sys: ms.Sys, numGC: ms.NumGC, pauseTotal: time.Duration(ms.PauseTotalNs)}
	s.rss, s.hwm = procStatus(b)
	return s
}

// procStatus reads VmRSS and VmHWM of this process.
func procStatus(b *testing.B) (rss, hwm int64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		for _, k := range []string{"VmRSS:", "VmHWM:"} {
			if v, ok := strings.CutPrefix(line, k); ok {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				if err != nil {
					b.Fatalf("parse %s: %v", line, err)
				}
				if k == "VmRSS:" {
					rss = kb << 10
				} else {
					hwm = kb << 10
				}
			}
		}
	}
	return rss, hwm
}

// processCPU is the CPU time (user + system) this process has used so far:
// server and client together, as both run here.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rssPeak samples VmRSS every 20 ms until stopped and returns the peak.
// (Resetting VmHWM through /proc/self/clear_refs is not allowed everywhere.)
func rssPeak(b *testing.B) (stop func() int64) {
	return testsupport.WatchPeak(20*time.Millisecond, func() int64 {
		rss, _ := procStatus(b)
		return rss
	})
}

// BenchmarkStreamSelectStar reads `select *` of a Parquet table shaped like
// aws_cloudtrail_log through the server with pgx (text and binary results),
// read chunk by chunk, chunk by chunk with the next chunk fetched while
// one is encoded (_fetch_ahead, Options.FetchAhead), and, as before, value by value
// through database/sql (_value_rows), and through database/sql in
// process without encoding.
// It reports rows/s and the server process's RSS growth (peak over the
// RSS before the query). Run it once per size:
//
// TPSERVER_STREAM_PG=1 adds PostgreSQL 15 holding the same rows.
//
//	TPSERVER_STREAM_ROWS=500000 go test ./pgwire -run '^$' -bench StreamSelectStar -benchtime 1x
func BenchmarkStreamSelectStar(b *testing.B) {
	n := streamBenchRows(b)
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := createLakeView(ctx, db, b.TempDir(), n); err != nil {
		b.Fatal(err)
	}
	ts := startBenchServer(b, db)
	const query = "select * from aws_cloudtrail_log"

	measure := func(name string, read func() (int64, error)) {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				runtime.GC()
				before := readMem(b)
				stop := rssPeak(b)
				cpu0 := processCPU()
				start := time.Now()
				got, err := read()
				el := time.Since(start)
				cpu := processCPU() - cpu0
				peak := stop()
				after := readMem(b)
				if err != nil {
					b.Fatal(err)
				}
				if got != int64(n) {
					b.Fatalf("read %d rows, want %d", got, n)
				}
				b.ReportMetric(float64(n)/el.Seconds(), "rows/s")
				b.ReportMetric(cpu.Seconds()*1e6/float64(n), "CPU-s/1M-rows")
				b.ReportMetric(float64(max(peak, after.rss)-before.rss)/(1<<20), "MiB-RSS-growth")
				b.ReportMetric(float64(after.rss-before.rss)/(1<<20), "MiB-RSS-after")
				b.ReportMetric(float64(after.heapInuse)/(1<<20), "MiB-heap-inuse")
				b.ReportMetric(float64(after.sys)/(1<<20), "MiB-go-sys")
				b.ReportMetric(float64(after.numGC-before.numGC), "GCs")
				b.Logf("%s: %d rows in %v; RSS %d -> peak %d -> %d MiB; HWM %d MiB", name, n, el.Round(time.Millisecond),
					before.rss>>20, peak>>20, after.rss>>20, after.hwm>>20)
				b.Logf("%s: DuckDB memory after: %s", name, duckdbMemory(ctx, db))
			}
		})
	}

	measureSQL := func() {
		measure("database_sql", func() (int64, error) {
			rows, err := db.QueryContext(ctx, query)
			if err != nil {
				return 0, err
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			var k int64
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					return k, err
				}
				k++
			}
			return k, rows.Err()
		})
	}
	values := startBenchServer(b, db)
	values.srv.valueRows = true
	ahead := startBenchServer(b, db)
	ahead.srv.opt.FetchAhead = true
	for _, mode := range []struct {
		name string
		mode pgx.QueryExecMode
		ts   *testServer
	}{
		{"pgx_text", pgx.QueryExecModeSimpleProtocol, ts},
		{"pgx_text_fetch_ahead", pgx.QueryExecModeSimpleProtocol, ahead},
		{"pgx_binary", pgx.QueryExecModeDescribeExec, ts},
		{"pgx_binary_fetch_ahead", pgx.QueryExecModeDescribeExec, ahead},
		{"pgx_text_value_rows", pgx.QueryExecModeSimpleProtocol, values},
		{"pgx_binary_value_rows", pgx.QueryExecModeDescribeExec, values},
	} {
		measure(mode.name, func() (int64, error) {
			cfg, err := pgx.ParseConfig(mode.ts.dsn())
			if err != nil {
				return 0, err
			}
			cfg.DefaultQueryExecMode = mode.mode
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				return 0, err
			}
			defer conn.Close(ctx)
			rows, err := conn.Query(ctx, query)
			if err != nil {
				return 0, err
			}
			defer rows.Close()
			var k int64
			for rows.Next() {
				_ = rows.RawValues()
				k++
			}
			return k, rows.Err()
		})
	}
	measureSQL()
	if os.Getenv("TPSERVER_STREAM_PG") != "" {
		benchPostgres(b, ctx, db, n)
	}
}

// benchPostgres loads the same rows into PostgreSQL 15 (nested and list
// columns as json) and reads them with pgx in text format, the baseline of
// the target. PostgreSQL runs in its own processes: the RSS figures
// of this process do not apply to it.
func benchPostgres(b *testing.B, ctx context.Context, db *sql.DB, n int) {
	pg, err := testsupport.StartPostgres("tester", "tpserver")
	if err != nil {
		b.Logf("no PostgreSQL baseline: %v", err)
		return
	}
	defer pg.Stop()
	rows, err := db.QueryContext(ctx, "DESCRIBE SELECT * FROM aws_cloudtrail_log")
	if err != nil {
		b.Fatalf("describe: %v", err)
	}
	var sel, defs []string
	for rows.Next() {
		var name, typ string
		var null, key, def, extra sql.NullString
		if err := rows.Scan(&name, &typ, &null, &key, &def, &extra); err != nil {
			b.Fatal(err)
		}
		q := quoteIdent(name)
		pgType, expr := "text", q
		switch {
		case typ == "TIMESTAMP", typ == "DATE", typ == "BOOLEAN", typ == "UUID":
			pgType = strings.ToLower(typ)
		case typ == "JSON", strings.HasPrefix(typ, "STRUCT"), strings.HasSuffix(typ, "[]"):
			pgType, expr = "json", "CAST(to_json("+q+") AS VARCHAR)"
		}
		sel = append(sel, expr+" AS "+q)
		defs = append(defs, q+" "+pgType)
	}
	rows.Close()
	file := filepath.Join(b.TempDir(), "rows.csv")
	if _, err := db.ExecContext(ctx, "COPY (SELECT "+strings.Join(sel, ", ")+" FROM aws_cloudtrail_log) TO '"+file+"' (FORMAT csv, HEADER false)"); err != nil {
		b.Fatalf("export: %v", err)
	}
	conn, err := pgx.Connect(ctx, pg.DSN())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE aws_cloudtrail_log ("+strings.Join(defs, ", ")+")"); err != nil {
		b.Fatalf("create: %v", err)
	}
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := conn.PgConn().CopyFrom(ctx, f, "COPY aws_cloudtrail_log FROM STDIN (FORMAT csv)"); err != nil {
		b.Fatalf("load %s: %v", file, err)
	}
	b.Run("postgres15_text", func(b *testing.B) {
		for range b.N {
			start := time.Now()
			rows, err := conn.Query(ctx, "select * from aws_cloudtrail_log", pgx.QueryExecModeSimpleProtocol)
			if err != nil {
				b.Fatal(err)
			}
			var k int64
			for rows.Next() {
				_ = rows.RawValues()
				k++
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			if k != int64(n) {
				b.Fatalf("read %d rows, want %d", k, n)
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
		}
	})
}

// startBenchServer serves db's sessions on 127.0.0.1 until b ends.
func startBenchServer(b *testing.B, db *sql.DB) *testServer {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := NewServer(&testBackend{db: db}, Options{Logger: zapNop()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	b.Cleanup(func() {
		cancel()
		<-done
	})
	return &testServer{addr: ln.Addr().(*net.TCPAddr), db: db, srv: srv}
}

// createLakeView writes n generated rows as Parquet files partitioned by
// tp_date (20 days) under dir and creates the view aws_cloudtrail_log over
// them the way the catalog does: read_parquet of the files with hive
// partitioning and union_by_name, each column cast to its type.
func createLakeView(ctx context.Context, db *sql.DB, dir string, n int) error {
	// A database of its own writes the files, so that the memory it
	// used is returned before the server's figures are taken.
	genDB, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("open generator: %w", err)
	}
	defer genDB.Close()
	gen := cloudtrailShapedSQL(n)
	if _, err := genDB.ExecContext(ctx, "COPY ("+gen+") TO '"+dir+"' (FORMAT parquet, PARTITION_BY (tp_date))"); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	rows, err := genDB.QueryContext(ctx, "DESCRIBE "+gen)
	if err != nil {
		return fmt.Errorf("describe: %w", err)
	}
	defer rows.Close()
	var casts []string
	for rows.Next() {
		var name, typ string
		var null, key, def, extra sql.NullString
		if err := rows.Scan(&name, &typ, &null, &key, &def, &extra); err != nil {
			return fmt.Errorf("describe: %w", err)
		}
		casts = append(casts, fmt.Sprintf("CAST(%s AS %s) AS %s", quoteIdent(name), typ, quoteIdent(name)))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("describe: %w", err)
	}
	view := "CREATE VIEW aws_cloudtrail_log AS SELECT " + strings.Join(casts, ", ") +
		" FROM read_parquet('" + filepath.Join(dir, "*", "*.parquet") + "', hive_partitioning = true, union_by_name = true, hive_types = {'tp_date': DATE})"
	rows.Close()
	if err := genDB.Close(); err != nil {
		return fmt.Errorf("close generator: %w", err)
	}
	if _, err := db.ExecContext(ctx, view); err != nil {
		return fmt.Errorf("view: %w", err)
	}
	return nil
}

// duckdbMemory lists DuckDB's own memory accounting by tag (non-zero tags
// only), such as the external file cache that keeps Parquet bytes read.
func duckdbMemory(ctx context.Context, db *sql.DB) string {
	rows, err := db.QueryContext(ctx, "SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0")
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var tag string
		var n int64
		if err := rows.Scan(&tag, &n); err != nil {
			return err.Error()
		}
		out = append(out, fmt.Sprintf("%s %d MiB", tag, n>>20))
	}
	return strings.Join(out, ", ")
}
