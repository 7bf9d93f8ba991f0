package clienttest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// The suite starts one tpserver (demo data) and one throwaway PostgreSQL 15
// cluster, loads the same values into both, and then runs every client
// against each. Both servers are shared by all tests and stopped in TestMain.

const (
	dbUser = "analyst"
	dbName = "tpserver"
)

// target is one server the clients talk to.
type target struct {
	name string // "tpserver" or "postgres"
	port int
}

func (tg target) dsn() string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", dbUser, tg.port, dbName)
}

// env returns the libpq environment for a client process talking to tg.
func (tg target) env() []string {
	return append(os.Environ(),
		"PGHOST=127.0.0.1", "PGPORT="+strconv.Itoa(tg.port), "PGUSER="+dbUser, "PGDATABASE="+dbName,
		"PGSSLMODE=disable", "PGCONNECT_TIMEOUT=10", "PGAPPNAME=clienttest", "PGTZ=UTC",
		"CT_TARGET="+tg.name, "PGOPTIONS=")
}

type fixture struct {
	tp     target
	pg     target
	pgErr  error // why there is no PostgreSQL to compare with
	tpLogs *testsupport.SyncBuffer
	pgLogs *testsupport.SyncBuffer
}

var (
	fixOnce  sync.Once
	fix      *fixture
	fixErr   error
	stoppers []func()
	stopMu   sync.Mutex

	tpserverBinary testsupport.Binary
)

func TestMain(m *testing.M) {
	// Programs and scripts are found relative to this directory.
	_, file, _, _ := runtime.Caller(0)
	_ = os.Chdir(filepath.Dir(file))
	code := m.Run()
	stopMu.Lock()
	for i := len(stoppers) - 1; i >= 0; i-- {
		stoppers[i]()
	}
	stopMu.Unlock()
	os.Exit(code)
}

func atExit(f func()) {
	stopMu.Lock()
	defer stopMu.Unlock()
	stoppers = append(stoppers, f)
}

// setup returns the shared servers, starting them on first use.
func setup(t testing.TB) *fixture {
	t.Helper()
	fixOnce.Do(func() {
		start := time.Now()
		fix, fixErr = startFixture()
		fmt.Fprintf(os.Stderr, "clienttest: servers ready in %v\n", time.Since(start).Round(time.Millisecond))
	})
	if fixErr != nil {
		t.Fatal(fixErr)
	}
	return fix
}

func startFixture() (*fixture, error) {
	f := &fixture{}
	type res struct {
		port int
		logs *testsupport.SyncBuffer
		err  error
	}
	tpc, pgc := make(chan res, 1), make(chan res, 1)
	go func() { p, l, err := startTPServer(); tpc <- res{p, l, err} }()
	go func() { p, l, err := startPostgres(); pgc <- res{p, l, err} }()
	tr, pr := <-tpc, <-pgc
	if tr.err != nil {
		return nil, fmt.Errorf("start tpserver: %w", tr.err)
	}
	f.tp, f.tpLogs = target{"tpserver", tr.port}, tr.logs
	if err := load(f.tp, tpDDL); err != nil {
		return nil, fmt.Errorf("load tpserver fixtures: %w\nserver log:\n%s", err, tr.logs.String())
	}
	if pr.err != nil {
		f.pgErr = pr.err
	} else {
		f.pg, f.pgLogs = target{"postgres", pr.port}, pr.logs
		if err := load(f.pg, pgDDL); err != nil {
			return nil, fmt.Errorf("load postgres fixtures: %w\nserver log:\n%s", err, pr.logs.String())
		}
	}
	return f, nil
}

// load runs DDL statements one by one through pgx.
func load(tg target, stmts []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, tg.dsn())
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// startTPServer builds tpserver (or takes $TPSERVER_BIN) and serves the
// built-in demo data from a temporary home on a free port.
func startTPServer() (int, *testsupport.SyncBuffer, error) {
	root, err := os.MkdirTemp("", "clienttest-tpserver-")
	if err != nil {
		return 0, nil, err
	}
	atExit(func() { os.RemoveAll(root) })
	bin, err := tpserverBinary.Path()
	atExit(tpserverBinary.Remove)
	if err != nil {
		return 0, nil, err
	}
	cfg := filepath.Join(root, "config")
	if err := os.MkdirAll(cfg, 0o755); err != nil {
		return 0, nil, err
	}
	port, err := testsupport.FreePort()
	if err != nil {
		return 0, nil, err
	}
	proc, err := testsupport.StartProcess(exec.Command(bin, "--config-path", cfg, "--data-dir", filepath.Join(root, "data"),
		"serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port)))
	if err != nil {
		return 0, nil, err
	}
	atExit(proc.Stop)
	if err := proc.WaitListening(port, 3*time.Minute); err != nil {
		return 0, nil, fmt.Errorf("%v; log:\n%s", err, proc.Logs.String())
	}
	return port, proc.Logs, nil
}

// startPostgres starts the PostgreSQL 15 cluster to compare with.
func startPostgres() (int, *testsupport.SyncBuffer, error) {
	pg, err := testsupport.StartPostgres(dbUser, dbName)
	if err != nil {
		return 0, nil, err
	}
	atExit(pg.Stop)
	return pg.Port, pg.Logs, nil
}

// runProgram runs a client program against tg and returns its stdout.
func runProgram(t testing.TB, tg target, timeout time.Duration, name string, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = tg.env()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s timed out after %v: %w", name, timeout, err)
	}
	return out.String(), strings.TrimSpace(errb.String()), err
}
