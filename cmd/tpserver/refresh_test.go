package main

import (
	"context"
	"fmt"
	"math/rand"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// serveWithArgs starts `tpserver serve` with extra flags on a free loopback
// port; it returns the port and the server's log. The server is stopped when
// the test ends.
func (e env) serveWithArgs(t *testing.T, extra ...string) (int, *testsupport.SyncBuffer) {
	t.Helper()
	port := testsupport.MustFreePort(t)
	args := append([]string{"--config-path", e.configDir, "--data-dir", e.dataDir,
		"serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port)}, extra...)
	proc, err := testsupport.StartProcess(exec.Command(tpserverBinary(t), args...))
	if err != nil {
		t.Fatal(err)
	}
	logs, exited := proc.Logs, proc.Exited
	t.Cleanup(func() {
		proc.Stop()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for ctx.Err() == nil {
		select {
		case <-exited:
			t.Fatalf("server exited before listening; log:\n%s", logs.String())
		default:
		}
		c, err := pgx.Connect(ctx, fmt.Sprintf("postgres://analyst@127.0.0.1:%d/tpserver?sslmode=disable&connect_timeout=5", port))
		if err == nil {
			c.Close(ctx)
			return port, logs
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not answer within 2 minutes; log:\n%s", logs.String())
	return 0, nil
}

// queryLoop runs one query over and over on its own connection until stop
// is closed, recording every result and error.
type queryLoop struct {
	name    string
	results []int64 // count(*) per query (the sum of counts for grouped queries)
	errs    []string
	elapsed time.Duration
}

func runQueryLoop(ctx context.Context, t *testing.T, port int, mode pgx.QueryExecMode, name, sql string, stop <-chan struct{}) *queryLoop {
	ql := &queryLoop{name: name}
	cfg, err := pgx.ParseConfig(fmt.Sprintf("postgres://analyst@127.0.0.1:%d/tpserver?sslmode=disable&connect_timeout=5", port))
	if err != nil {
		t.Error(err)
		return ql
	}
	cfg.DefaultQueryExecMode = mode
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		ql.errs = append(ql.errs, "connect: "+err.Error())
		return ql
	}
	defer conn.Close(context.Background())
	start := time.Now()
	defer func() { ql.elapsed = time.Since(start) }()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return ql
		default:
		}
		qctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		rows, err := conn.Query(qctx, sql)
		var sum int64
		if err == nil {
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil {
					break
				}
				if n, ok := vals[len(vals)-1].(int64); ok {
					sum += n
				}
			}
			rows.Close()
			err = rows.Err()
		}
		cancel()
		if err != nil {
			ql.errs = append(ql.errs, fmt.Sprintf("query %d at %s: %v", i, time.Since(start).Round(time.Millisecond), err))
			if conn.IsClosed() {
				return ql
			}
			continue
		}
		ql.results = append(ql.results, sum)
	}
}

// TestCountsNeverDecreaseDuringRefresh queries a served lake in tight loops
// while source files arrive and the server's background collection commits
// them and compacts each day's small files: no query may fail, counts never
// go down, and the last count is exact.
func TestCountsNeverDecreaseDuringRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs a server for tens of seconds")
	}
	start := time.Now()
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)

	// Yesterday and today × 2 accounts: each source batch adds files to
	// both days, so every refresh commits a file per day and compaction
	// merges them. (A server run collects the events from 24 hours before
	// the last run's end: older events would not be picked up.)
	src := filepath.Join(t.TempDir(), "trail")
	gen := newTrailGen(src, 0, 2, "111111111111", "222222222222")
	gen.notBefore = start.Add(-23 * time.Hour)
	gen.generate(t, src, "init_", 2, 50, seed)
	e := newEnv(t)
	e.localPartitionConfig(t, src)
	port, logs := e.serveWithArgs(t, "--refresh-interval", "1s")
	t.Logf("server up after %s", time.Since(start).Round(time.Millisecond))

	ctx := context.Background()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var counts, groups *queryLoop
	wg.Add(2)
	go func() {
		defer wg.Done()
		counts = runQueryLoop(ctx, t, port, pgx.QueryExecModeCacheStatement, "count", "select count(*) from aws_cloudtrail_log", stop)
	}()
	go func() {
		defer wg.Done()
		groups = runQueryLoop(ctx, t, port, pgx.QueryExecModeSimpleProtocol, "group",
			"select event_name, count(*) from aws_cloudtrail_log group by 1", stop)
	}()

	// 20 batches × 32 files (8 per account and day) × 50 events.
	const batches = 20
	for b := range batches {
		for _, a := range gen.accts {
			for _, d := range gen.days {
				for i := range 8 {
					if _, err := gen.writeFile(src, a, d, fmt.Sprintf("b%02d_%d", b, i), 50, rng); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		time.Sleep(time.Duration(300+rng.Intn(700)) * time.Millisecond)
	}
	total := gen.events
	t.Logf("wrote %d files, %d events in %s", gen.files, total, time.Since(start).Round(time.Millisecond))

	// Wait for the exact total.
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://analyst@127.0.0.1:%d/tpserver?sslmode=disable&connect_timeout=5", port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var got, distinct int64
	deadline := time.Now().Add(60 * time.Second)
	for {
		if err := conn.QueryRow(ctx, "select count(*) from aws_cloudtrail_log").Scan(&got); err != nil {
			t.Fatalf("count: %v", err)
		}
		if got == total || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Wait until a background run found nothing new and finished (with its
	// compaction), while the loops go on.
	var state string
	var runs, lastRows, lastFiles int64
	var lastError *string
	for {
		if err := conn.QueryRow(ctx, "select state, runs, last_rows, last_files, last_error from tpserver.partitions").Scan(&state, &runs, &lastRows, &lastFiles, &lastError); err != nil {
			t.Fatalf("tpserver.partitions: %v", err)
		}
		if (state == "idle" && lastFiles == 0) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	t.Logf("count reached %d after %s", got, time.Since(start).Round(time.Millisecond))
	if got != total {
		t.Fatalf("count(*) = %d after 60 s, want %d", got, total)
	}
	if err := conn.QueryRow(ctx, "select count(*), count(distinct tp_id) from aws_cloudtrail_log").Scan(&got, &distinct); err != nil {
		t.Fatal(err)
	}
	if got != total || distinct != got {
		t.Errorf("count(*) = %d, count(distinct tp_id) = %d, want %d", got, distinct, total)
	}

	for _, ql := range []*queryLoop{counts, groups} {
		distinctCounts := map[int64]bool{}
		for _, n := range ql.results {
			distinctCounts[n] = true
		}
		t.Logf("%s loop: %d queries in %s (%.0f/s), %d errors, %d distinct counts, last %d",
			ql.name, len(ql.results), ql.elapsed.Round(time.Millisecond), float64(len(ql.results))/ql.elapsed.Seconds(),
			len(ql.errs), len(distinctCounts), last(ql.results))
		for i, e := range ql.errs {
			if i == 10 {
				t.Errorf("%s loop: ... %d more errors", ql.name, len(ql.errs)-10)
				break
			}
			t.Errorf("%s loop: %s", ql.name, e)
		}
		for i := 1; i < len(ql.results); i++ {
			if ql.results[i] < ql.results[i-1] {
				t.Errorf("%s loop: count went down at query %d: %d -> %d", ql.name, i, ql.results[i-1], ql.results[i])
			}
		}
		if len(ql.results) < 10 {
			t.Errorf("%s loop: only %d queries answered", ql.name, len(ql.results))
		}
		if n := last(ql.results); n != total {
			t.Errorf("%s loop: last count %d, want %d", ql.name, n, total)
		}
	}

	t.Logf("tpserver.partitions: state %s, runs %d, last_rows %d, last_files %d, last_error %v", state, runs, lastRows, lastFiles, lastError)
	if state != "idle" || lastFiles != 0 {
		t.Errorf("the background collection did not settle: state %s, last_files %d", state, lastFiles)
	}
	if runs <= 1 {
		t.Errorf("runs = %d, want > 1", runs)
	}
	if lastError != nil {
		t.Errorf("last_error = %q, want NULL", *lastError)
	}

	// Compaction ran: fewer live files than commits, and replaced files
	// retired (kept for the grace period).
	lf := readLake(t, e.dataDir)
	t.Logf("lake: %d commits, %d live files, %d retired, %d parquet files on disk, %d tmp",
		lf.batch, len(lf.listed), len(lf.retired), len(lf.parquet), len(lf.tmp))
	if int64(len(lf.listed)) >= lf.batch || len(lf.retired) == 0 {
		t.Errorf("compaction did not run: %d live files after %d commits, %d retired", len(lf.listed), lf.batch, len(lf.retired))
	}
	if lf.rows != total {
		t.Errorf("manifests list %d rows, want %d", lf.rows, total)
	}
	if o := lf.orphans(); len(o) > 0 {
		t.Errorf("orphaned parquet files: %v", o)
	}
	var bgRuns []string
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "\tcollected\t") {
			bgRuns = append(bgRuns, line[strings.Index(line, "{"):])
		}
	}
	t.Logf("background runs:\n  %s", strings.Join(bgRuns, "\n  "))
	if strings.Contains(logs.String(), "\terror\t") {
		t.Errorf("the server logged errors:\n%s", logs.String())
	}
	t.Logf("total %s", time.Since(start).Round(time.Millisecond))
}

func last(s []int64) int64 {
	if len(s) == 0 {
		return -1
	}
	return s[len(s)-1]
}
