package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// streamRuns is how many times each client reads the whole result (once
// above psqlFetchAbove rows, where psql alone takes minutes a run); the
// report keeps the fastest run and the highest RSS.
const streamRuns = 2

func streamRunsFor(n int64) int {
	if n > psqlFetchAbove {
		return 1
	}
	return streamRuns
}

// streamQuery is what every client reads.
const streamQuery = "select * from aws_cloudtrail_log"

// streamClient reads streamQuery from dsn and returns the rows it read
// (-1 when the client does not count them).
type streamClient struct {
	name string
	read func(ctx context.Context, dsn string) (int64, error)
}

// streamResult is one client's best run against one server.
type streamResult struct {
	took                   time.Duration
	rssBefore, peak, after int64 // bytes; 0 when not sampled
	// cpu is the server's CPU time (treeCPU) of its cheapest run.
	cpu time.Duration
}

// streamSection streams `select *` of the collected lake from `tpserver
// serve` to pgx (text and binary) and psql, sampling the server's RSS, and
// the same from PostgreSQL 15 holding the same rows (copied from tpserver
// with COPY TO STDOUT, columns of the types tpserver describes); then to
// pgx again from a server started with --fetch-ahead.
func streamSection(r *report, bin string, cr *collectResult) error {
	fmt.Fprintln(os.Stderr, "bench: tpserver serve (stream)")
	n, tp, pg, err := streamServeAndPostgres(bin, cr)
	if err != nil {
		return err
	}
	ahead, err := streamFetchAhead(bin, cr, n)
	if err != nil {
		return err
	}
	r.section("Streaming select *")
	r.line(fmt.Sprintf("`%s` (%d rows, every column) read to the end by each client from `tpserver serve` over the collected lake and from PostgreSQL 15 holding the same rows (a table of the types tpserver describes, filled from tpserver's COPY TO STDOUT). Best of %d run(s); pgx reads raw values (text: simple protocol; binary: described statement, binary for every type pgx knows); psql (`-X`, output to /dev/null; the whole result in memory, as psql does by default, or through a cursor with FETCH_COUNT=10000 above %d rows) by the wall time of the process. Server RSS: the tpserver process before the read, its peak (sampled every 20 ms) and after; PostgreSQL serves from other processes. Ratio = tpserver rows/s / PostgreSQL rows/s (above 1 = tpserver faster). CPU/1M rows: the server's CPU time (user + system; PostgreSQL's postmaster and backends together) per million rows in its cheapest run, which depends far less on the machine's other load than rows/s does. Rows marked fetch ahead: pgx again, from a second `tpserver serve --fetch-ahead` started after the first stopped (the next chunk fetched from DuckDB on another goroutine while the current one is sent), against the same PostgreSQL figures.\n", streamQuery, n, streamRunsFor(n), psqlFetchAbove))
	clients := streamClients(n)
	var rows [][]string
	for i, c := range clients {
		rows = append(rows, streamRow(c.name, n, tp[i], pg, i))
	}
	for i, res := range ahead {
		rows = append(rows, streamRow(clients[i].name+", fetch ahead", n, res, pg, i))
	}
	r.table([]string{"client", "tpserver rows/s", "tpserver RSS before → peak → after", "tpserver CPU/1M rows", "PostgreSQL 15 rows/s", "PostgreSQL CPU/1M rows", "tpserver/PostgreSQL"}, rows)
	if pg == nil {
		r.line("\n" + pgNotInstalled + ".")
	}
	return nil
}

// streamRow is one line of the streaming table: tpserver's result tp for
// a client and PostgreSQL's for the client of index i (pg nil: not
// measured).
func streamRow(name string, n int64, tp streamResult, pg []streamResult, i int) []string {
	row := []string{name, rowsPerSec(n, tp.took), fmt.Sprintf("%d → %d → %d MiB (+%d)", tp.rssBefore>>20, tp.peak>>20, tp.after>>20, (tp.peak-tp.rssBefore)>>20), cpuPerMillion(tp.cpu, n)}
	if pg == nil {
		return append(row, "not measured", "", "")
	}
	return append(row, rowsPerSec(n, pg[i].took), cpuPerMillion(pg[i].cpu, n), fmt.Sprintf("%.2f", pg[i].took.Seconds()/tp.took.Seconds()))
}

// streamServeAndPostgres measures every client against `tpserver serve`,
// then against PostgreSQL 15 filled from that server (pg nil when
// PostgreSQL is not installed). n is the number of rows.
func streamServeAndPostgres(bin string, cr *collectResult) (n int64, tp, pg []streamResult, err error) {
	srv, port, err := startServe(bin, cr)
	if err != nil {
		return 0, nil, nil, err
	}
	defer srv.Stop()
	ctx := context.Background()
	dsn := fmt.Sprintf("postgres://bench@127.0.0.1:%d/bench?sslmode=disable", port)
	if n, err = countRows(ctx, dsn); err != nil {
		return 0, nil, nil, fmt.Errorf("tpserver: %w", err)
	}
	clients := streamClients(n)
	tp = make([]streamResult, len(clients))
	for i, c := range clients {
		fmt.Fprintf(os.Stderr, "bench: stream %d rows to %s from tpserver\n", n, c.name)
		if tp[i], err = measureStream(ctx, c, dsn, n, srv.PID(), srv.PID()); err != nil {
			return 0, nil, nil, fmt.Errorf("tpserver to %s: %w", c.name, err)
		}
	}
	pg, err = streamPostgres(ctx, dsn, n, clients)
	return n, tp, pg, err
}

// streamFetchAhead measures the pgx clients (the first two of
// streamClients) against `tpserver serve --fetch-ahead`.
func streamFetchAhead(bin string, cr *collectResult, n int64) ([]streamResult, error) {
	fmt.Fprintln(os.Stderr, "bench: tpserver serve --fetch-ahead (stream)")
	srv, port, err := startServe(bin, cr, "--fetch-ahead")
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	ctx := context.Background()
	dsn := fmt.Sprintf("postgres://bench@127.0.0.1:%d/bench?sslmode=disable", port)
	out := make([]streamResult, 2)
	for i, c := range streamClients(n)[:2] {
		fmt.Fprintf(os.Stderr, "bench: stream %d rows to %s from tpserver --fetch-ahead\n", n, c.name)
		if out[i], err = measureStream(ctx, c, dsn, n, srv.PID(), srv.PID()); err != nil {
			return nil, fmt.Errorf("tpserver --fetch-ahead to %s: %w", c.name, err)
		}
	}
	return out, nil
}

func rowsPerSec(n int64, d time.Duration) string {
	return fmt.Sprintf("%.0f", float64(n)/d.Seconds())
}

// cpuPerMillion renders CPU time cpu spent on n rows per million rows.
func cpuPerMillion(cpu time.Duration, n int64) string {
	if cpu <= 0 || n <= 0 {
		return "not measured"
	}
	return fmt.Sprintf("%.2f s", cpu.Seconds()*1e6/float64(n))
}

// countRows counts the rows of aws_cloudtrail_log.
func countRows(ctx context.Context, dsn string) (int64, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	var n int64
	if err := conn.QueryRow(ctx, "select count(*) from aws_cloudtrail_log").Scan(&n); err != nil {
		return 0, fmt.Errorf("count rows: %w", err)
	}
	return n, nil
}

// streamClients are pgx in text and binary and psql (when installed).
func streamClients(n int64) []streamClient {
	cs := []streamClient{
		{"pgx text", func(ctx context.Context, dsn string) (int64, error) {
			return pgxStream(ctx, dsn, pgx.QueryExecModeSimpleProtocol)
		}},
		{"pgx binary", func(ctx context.Context, dsn string) (int64, error) {
			return pgxStream(ctx, dsn, pgx.QueryExecModeDescribeExec)
		}},
	}
	if _, err := exec.LookPath("psql"); err == nil {
		cs = append(cs, streamClient{"psql", psqlStream(n)})
	}
	return cs
}

// cpuSettle is how long measureStream lets the server's processes settle
// before and after a read when it takes their CPU time: a PostgreSQL
// backend that has exited counts (in its parent's reaped-children time)
// only once the postmaster has reaped it, so without the wait the backend
// of the read before (or of the load) lands in the next read's figure and
// the read's own backend in none.
const cpuSettle = 500 * time.Millisecond

// measureStream runs c streamRunsFor(want) times and keeps the fastest time, the
// highest RSS of process pid (0: not sampled) and the least CPU time of
// process tree cpuPID (0: not measured).
func measureStream(ctx context.Context, c streamClient, dsn string, want int64, pid, cpuPID int) (streamResult, error) {
	var best streamResult
	for range streamRunsFor(want) {
		var res streamResult
		stop := func() int64 { return 0 }
		if pid != 0 {
			res.rssBefore = processRSS(pid)
			stop = samplePeakRSS(pid)
		}
		var cpu0 time.Duration
		if cpuPID != 0 {
			time.Sleep(cpuSettle)
			cpu0 = treeCPU(cpuPID)
		}
		start := time.Now()
		got, err := c.read(ctx, dsn)
		res.took = time.Since(start)
		res.peak = stop()
		if cpuPID != 0 {
			time.Sleep(cpuSettle)
			res.cpu = treeCPU(cpuPID) - cpu0
		}
		if pid != 0 {
			res.after = processRSS(pid)
		}
		if err != nil {
			return best, err
		}
		if got >= 0 && got != want {
			return best, fmt.Errorf("read %d rows, want %d", got, want)
		}
		cpu := res.cpu // a run whose CPU time could not be read (<= 0) does not count
		if best.cpu > 0 && (cpu <= 0 || best.cpu < cpu) {
			cpu = best.cpu
		}
		if best.took == 0 || res.took < best.took {
			peak := max(best.peak, res.peak)
			best = res
			best.peak = peak
		} else {
			best.peak = max(best.peak, res.peak)
		}
		best.cpu = cpu
	}
	return best, nil
}

// pgxStream reads every row of streamQuery as raw values.
func pgxStream(ctx context.Context, dsn string, mode pgx.QueryExecMode) (int64, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return 0, err
	}
	cfg.DefaultQueryExecMode = mode
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return 0, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, streamQuery)
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
}

// psqlFetchAbove is the result size above which psql reads through a
// cursor (FETCH_COUNT) instead of holding the whole result in memory.
const psqlFetchAbove = 2_000_000

// psqlStream returns a client reading streamQuery through psql into
// /dev/null; its time is the wall time of the psql process (psql's \timing
// would leave out printing). Rows are not counted (-1).
func psqlStream(n int64) func(ctx context.Context, dsn string) (int64, error) {
	return func(ctx context.Context, dsn string) (int64, error) {
		args := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-o", "/dev/null"}
		if n > psqlFetchAbove {
			args = append(args, "-v", "FETCH_COUNT=10000")
		}
		cmd := exec.CommandContext(ctx, "psql", append(args, "-c", streamQuery)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("psql: %w\n%s", err, lastLines(string(out), 10))
		}
		return -1, nil
	}
}

// processRSS reads VmRSS of process pid in bytes (0 if unreadable).
func processRSS(pid int) int64 { return procStatusKB(pid, "VmRSS") }

// samplePeakRSS samples VmRSS of pid every rssPollInterval until stopped
// and returns the peak.
func samplePeakRSS(pid int) (stop func() int64) {
	return testsupport.WatchPeak(rssPollInterval, func() int64 { return processRSS(pid) })
}

// streamPostgres loads tpserver's rows into PostgreSQL 15 and runs the
// clients against it; nil results when PostgreSQL 15 is not installed.
func streamPostgres(ctx context.Context, tpDSN string, n int64, clients []streamClient) ([]streamResult, error) {
	fmt.Fprintln(os.Stderr, "bench: PostgreSQL 15 (stream)")
	pg, err := testsupport.StartPostgres("bench", "bench")
	if errors.Is(err, testsupport.ErrNoPostgres) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("start PostgreSQL 15: %w", err)
	}
	defer pg.Stop()
	if err := copyToPostgres(ctx, tpDSN, pg.DSN()); err != nil {
		return nil, err
	}
	out := make([]streamResult, len(clients))
	for i, c := range clients {
		fmt.Fprintf(os.Stderr, "bench: stream %d rows to %s from PostgreSQL 15\n", n, c.name)
		if out[i], err = measureStream(ctx, c, pg.DSN(), n, 0, pg.PID()); err != nil {
			return nil, fmt.Errorf("PostgreSQL 15 to %s: %w", c.name, err)
		}
	}
	return out, nil
}

// copyToPostgres creates aws_cloudtrail_log in PostgreSQL with the column
// types tpserver describes and copies tpserver's rows into it.
func copyToPostgres(ctx context.Context, tpDSN, pgDSN string) error {
	tp, err := pgconn.Connect(ctx, tpDSN)
	if err != nil {
		return fmt.Errorf("connect to tpserver: %w", err)
	}
	defer tp.Close(ctx)
	pg, err := pgconn.Connect(ctx, pgDSN)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL 15: %w", err)
	}
	defer pg.Close(ctx)
	res := tp.ExecParams(ctx, streamQuery+" limit 1", nil, nil, nil, nil).Read() // (Read keeps the fields only with a row)
	if res.Err != nil {
		return fmt.Errorf("describe on tpserver: %w", res.Err)
	}
	types := pgtype.NewMap()
	var defs []string
	for _, f := range res.FieldDescriptions {
		typ := "text"
		if t, ok := types.TypeForOID(f.DataTypeOID); ok {
			typ = t.Name
		}
		defs = append(defs, pgx.Identifier{f.Name}.Sanitize()+" "+typ)
	}
	if err := pg.Exec(ctx, "create table aws_cloudtrail_log ("+strings.Join(defs, ", ")+")").Close(); err != nil {
		return fmt.Errorf("create PostgreSQL table: %w", err)
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := tp.CopyTo(ctx, pw, "copy ("+streamQuery+") to stdout")
		pw.CloseWithError(err)
	}()
	if _, err := pg.CopyFrom(ctx, pr, "copy aws_cloudtrail_log from stdin"); err != nil {
		_ = pr.CloseWithError(err)
		return fmt.Errorf("copy rows from tpserver into PostgreSQL: %w", err)
	}
	if err := pg.Exec(ctx, "vacuum analyze aws_cloudtrail_log").Close(); err != nil {
		return fmt.Errorf("PostgreSQL vacuum analyze: %w", err)
	}
	return nil
}
