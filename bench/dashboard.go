package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/lake"
)

// dashboardClients are the client counts of the dashboard mix.
var dashboardClients = []int{1, 8, 32}

// dashboardScript is the pgbench script of one dashboard refresh: three
// panels over the last 7 days of the data (top services, events per hour,
// latest 50 events). The window's end (:end, Unix seconds) is the data's
// last event; each refresh moves its start by up to an hour, so that with
// the simple protocol every refresh sends texts the server has not seen,
// as Grafana does when it expands its time range into literals. The bound
// is a timestamp constant, as Grafana's $__timeFilter literals are
// ('2026-06-24T10:00:00Z' compared with a timestamp column), written as
// arithmetic because pgbench cannot format one.
const dashboardScript = `\set shift random(0, 3600)
select event_source, count(*) as events from aws_cloudtrail_log where event_time >= timestamp 'epoch' + (:end - 604800 + :shift) * interval '1 second' group by event_source order by events desc limit 10;
select date_trunc('hour', event_time) as hour, count(*) as events from aws_cloudtrail_log where event_time >= timestamp 'epoch' + (:end - 604800 + :shift) * interval '1 second' group by 1 order by 1;
select event_time, event_source, event_name, aws_region, source_ip_address, error_code from aws_cloudtrail_log order by event_time desc limit 50;
`

// mixResult is one pgbench run of the dashboard mix.
type mixResult struct {
	tps    float64
	p99    time.Duration
	txns   int
	errors int
	first  string // the first error pgbench printed, if any
	// cpu is the server's CPU time per transaction (treeCPU): unlike tps,
	// it hardly depends on what else loads the machine.
	cpu time.Duration
}

// dashboardSection runs the dashboard mix with pgbench at 1, 8 and 32
// clients against tpserver serve on the collected lake and against
// PostgreSQL 15 holding the same rows.
func dashboardSection(r *report, bin, dir string, cr *collectResult, mixFor time.Duration) error {
	r.section("Dashboard mix at 1/8/32 clients vs PostgreSQL 15 (tps, p99)")
	pgbench, err := exec.LookPath("pgbench")
	if err != nil {
		r.line("pgbench not installed (apt-get install postgresql-client): not measured.")
		return nil
	}
	db, closeDB, err := lakeDuckDB(context.Background(), cr.dataDir)
	if err != nil {
		return err
	}
	defer closeDB()
	var end int64
	if err := db.QueryRow("select epoch(max(event_time))::bigint from aws_cloudtrail_log").Scan(&end); err != nil {
		return fmt.Errorf("last event time: %w", err)
	}
	script := filepath.Join(dir, "dashboard.pgbench")
	if err := os.WriteFile(script, []byte(dashboardScript), 0o644); err != nil {
		return fmt.Errorf("write pgbench script: %w", err)
	}
	srv, port, err := startServe(bin, cr)
	if err != nil {
		return err
	}
	defer srv.Stop()
	tpDSN := fmt.Sprintf("postgresql://bench@127.0.0.1:%d/bench?sslmode=disable", port)
	pgDSN := ""
	pg, conn, err := startLoadedPostgres(context.Background(), db)
	switch {
	case errors.Is(err, testsupport.ErrNoPostgres):
	case err != nil:
		return err
	default:
		conn.Close(context.Background())
		defer pg.Stop()
		pgDSN = pg.DSN()
	}
	// Each client count runs on tpserver and then on PostgreSQL, so that
	// the two figures of a row share the machine's load.
	var tp, pgm []mixResult
	for _, n := range dashboardClients {
		fmt.Fprintf(os.Stderr, "bench: dashboard mix, %d clients\n", n)
		m, err := runPgbench(pgbench, tpDSN, script, filepath.Join(dir, fmt.Sprintf("pgbench-tp-%d", n)), n, end, mixFor, srv.PID())
		if err != nil {
			return fmt.Errorf("tpserver: %w", err)
		}
		tp = append(tp, m)
		if pgDSN == "" {
			continue
		}
		m, err = runPgbench(pgbench, pgDSN, script, filepath.Join(dir, fmt.Sprintf("pgbench-pg-%d", n)), n, end, mixFor, pg.PID())
		if err != nil {
			return fmt.Errorf("PostgreSQL 15: %w", err)
		}
		pgm = append(pgm, m)
	}
	writeDashboard(r, tp, pgm, mixFor)
	return nil
}

// writeDashboard adds the dashboard mix's table to the report.
func writeDashboard(r *report, tp, pg []mixResult, mixFor time.Duration) {
	r.line(fmt.Sprintf("pgbench, simple protocol, %s per client count on tpserver then on PostgreSQL 15, one connection per client (`-c N -j N`), "+
		"a transaction = one refresh of three panels over the data's last 7 days: top 10 services, events per hour, "+
		"latest 50 events (script in bench/dashboard.go; each refresh moves the window by a random shift, so every "+
		"text is new to the server). p99 from pgbench's per-transaction log. Errors: failed transactions and aborted clients. "+
		"Ratio = tpserver tps / PostgreSQL 15 tps (above 1 = tpserver faster). CPU/refresh: the server's CPU time "+
		"(user + system, PostgreSQL's postmaster and backends together) per transaction, which depends far less "+
		"on the machine's other load than tps does.\n", mixFor))
	var rows [][]string
	for i, n := range dashboardClients {
		t := tp[i]
		row := []string{strconv.Itoa(n), fmt.Sprintf("%.1f", t.tps), ms(t.p99), strconv.Itoa(t.errors), ms(t.cpu)}
		if pg == nil {
			row = append(row, "not measured", "", "", "", "")
		} else {
			p := pg[i]
			row = append(row, fmt.Sprintf("%.1f", p.tps), ms(p.p99), strconv.Itoa(p.errors), ms(p.cpu), fmt.Sprintf("%.2f", t.tps/p.tps))
		}
		rows = append(rows, row)
	}
	r.table([]string{"clients", "tpserver tps", "tpserver p99", "tpserver errors", "tpserver CPU/refresh",
		"PostgreSQL 15 tps", "PostgreSQL 15 p99", "PostgreSQL 15 errors", "PostgreSQL 15 CPU/refresh", "tpserver/PostgreSQL tps"}, rows)
	for i, n := range dashboardClients {
		if tp[i].first != "" {
			r.line(fmt.Sprintf("\ntpserver at %d clients, first error: `%s`", n, tp[i].first))
		}
		if pg != nil && pg[i].first != "" {
			r.line(fmt.Sprintf("\nPostgreSQL 15 at %d clients, first error: `%s`", n, pg[i].first))
		}
	}
	if pg == nil {
		r.line("\n" + pgNotInstalled + ".")
	}
}

// startServe starts tpserver serve on the collected lake on a free port,
// with extra flags if any.
func startServe(bin string, cr *collectResult, extra ...string) (*testsupport.Process, int, error) {
	port, err := testsupport.FreePort()
	if err != nil {
		return nil, 0, fmt.Errorf("free port: %w", err)
	}
	args := append([]string{"serve", "--config-path", cr.configDir, "--data-dir", cr.dataDir,
		"--listen", "127.0.0.1:" + strconv.Itoa(port), "--refresh-interval", "24h"}, extra...)
	srv, err := testsupport.StartProcess(exec.Command(bin, args...))
	if err != nil {
		return nil, 0, fmt.Errorf("start tpserver serve: %w", err)
	}
	if err := srv.WaitListening(port, 5*time.Minute); err != nil {
		srv.Stop()
		return nil, 0, fmt.Errorf("tpserver serve: %w\n%s", err, lastLines(srv.Logs.String(), 20))
	}
	return srv, port, nil
}

// lakeDuckDB opens tpserver's own DuckDB set-up in-process, in memory: the
// lake view over the manifests' live files (not a glob, which would also
// read the files a compaction retired), with the engine's settings. close
// releases it.
func lakeDuckDB(ctx context.Context, dataDir string) (db *sql.DB, close func(), err error) {
	cat, err := catalog.Open(ctx, catalog.Options{DataDir: dataDir, Tables: []lake.Table{lake.CloudTrailLog()}, InMemory: true})
	if err != nil {
		return nil, nil, fmt.Errorf("in-process catalog over %s: %w", dataDir, err)
	}
	return cat.DB(), func() { cat.Close() }, nil
}

// pgbenchTPS and pgbenchFailed read pgbench's summary; pgbenchAborted
// matches a client aborted by an error.
var (
	pgbenchTPS     = regexp.MustCompile(`(?m)^tps = ([0-9.]+)`)
	pgbenchTxns    = regexp.MustCompile(`(?m)^number of transactions actually processed: ([0-9]+)`)
	pgbenchFailed  = regexp.MustCompile(`(?m)^number of failed transactions: ([0-9]+)`)
	pgbenchAborted = regexp.MustCompile(`(?m)^pgbench: error: client [0-9]+ .*aborted.*$|^.*client [0-9]+ aborted.*$`)
)

// runPgbench runs the dashboard script with clients connections for
// mixFor against dsn, logging every transaction under logPrefix, and reads
// tps, p99 and errors from its output and logs, and the CPU time per
// transaction of the server process pid and its children.
func runPgbench(pgbench, dsn, script, logPrefix string, clients int, end int64, mixFor time.Duration, pid int) (mixResult, error) {
	cpu0 := treeCPU(pid)
	cmd := exec.Command(pgbench, "-n", "-M", "simple", "-f", script, "-D", fmt.Sprintf("end=%d", end),
		"-c", strconv.Itoa(clients), "-j", strconv.Itoa(clients), "-T", strconv.Itoa(max(1, int(mixFor.Seconds()))),
		"-l", "--log-prefix", logPrefix, dsn)
	out, err := cmd.CombinedOutput()
	time.Sleep(200 * time.Millisecond) // PostgreSQL's backends exit and are reaped
	cpu := treeCPU(pid) - cpu0
	text := string(out)
	var m mixResult
	if sm := pgbenchTPS.FindStringSubmatch(text); sm != nil {
		m.tps, _ = strconv.ParseFloat(sm[1], 64)
	} else {
		return m, fmt.Errorf("pgbench -c %d printed no tps (%v):\n%s", clients, err, lastLines(text, 20))
	}
	if sm := pgbenchTxns.FindStringSubmatch(text); sm != nil {
		m.txns, _ = strconv.Atoi(sm[1])
	}
	if m.txns > 0 {
		m.cpu = cpu / time.Duration(m.txns)
	}
	if sm := pgbenchFailed.FindStringSubmatch(text); sm != nil {
		m.errors, _ = strconv.Atoi(sm[1])
	}
	aborted := pgbenchAborted.FindAllString(text, -1)
	m.errors += len(aborted)
	if len(aborted) > 0 {
		m.first = strings.TrimSpace(aborted[0])
	}
	lat, err := pgbenchLatencies(logPrefix)
	if err != nil {
		return m, err
	}
	m.p99 = percentile(lat, 0.99)
	return m, nil
}

// pgbenchLatencies reads the latencies of every transaction from the
// per-transaction logs pgbench wrote under prefix (one file per thread),
// then removes them.
func pgbenchLatencies(prefix string) ([]time.Duration, error) {
	files, err := filepath.Glob(prefix + ".*")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("pgbench logs %s.*: none found (%v)", prefix, err)
	}
	var out []time.Duration
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, fmt.Errorf("pgbench log: %w", err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			// client_id transaction_no time script_no time_epoch time_us
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 {
				continue
			}
			us, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil {
				continue // "failed" or "skipped" transactions
			}
			out = append(out, time.Duration(us)*time.Microsecond)
		}
		fh.Close()
		os.Remove(f)
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read pgbench log %s: %w", f, err)
		}
	}
	return out, nil
}

// percentile returns the q-quantile of ds (nearest rank); 0 when empty.
func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(q*float64(len(ds))+0.5) - 1
	return ds[max(0, min(i, len(ds)-1))]
}
