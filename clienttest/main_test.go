package clienttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
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
	tpLogs *syncBuffer
	pgLogs *syncBuffer
}

var (
	fixOnce  sync.Once
	fix      *fixture
	fixErr   error
	stoppers []func()
	stopMu   sync.Mutex
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

func strict() bool { return os.Getenv("TPSERVER_TEST_STRICT") == "1" }

// missing skips the test because a tool is not installed, or fails it in
// strict mode (CI).
func missing(t testing.TB, what, install string) {
	t.Helper()
	msg := fmt.Sprintf("%s is not available; install it with: %s", what, install)
	if strict() {
		t.Fatal(msg)
	}
	t.Skip(msg)
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
		logs *syncBuffer
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

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func waitListening(port int, exited <-chan struct{}, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("process exited before listening")
		default:
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("not listening on 127.0.0.1:%d within %v", port, within)
}

// startProcess starts cmd with its output in a buffer and registers a
// graceful stop (SIGINT, then SIGKILL after 10 s) for the end of the run.
func startProcess(cmd *exec.Cmd) (*syncBuffer, <-chan struct{}, error) {
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	atExit(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	return logs, exited, nil
}

func startTPServer() (int, *syncBuffer, error) {
	root, err := os.MkdirTemp("", "clienttest-tpserver-")
	if err != nil {
		return 0, nil, err
	}
	atExit(func() { os.RemoveAll(root) })
	// TPSERVER_BIN runs a prebuilt binary instead of building this tree.
	bin := os.Getenv("TPSERVER_BIN")
	if bin == "" {
		bin = filepath.Join(root, "tpserver")
		build := exec.Command("go", "build", "-o", bin, "./cmd/tpserver")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			return 0, nil, fmt.Errorf("go build ./cmd/tpserver: %v\n%s", err, out)
		}
	}
	cfg := filepath.Join(root, "config")
	if err := os.MkdirAll(cfg, 0o755); err != nil {
		return 0, nil, err
	}
	port, err := freePort()
	if err != nil {
		return 0, nil, err
	}
	cmd := exec.Command(bin, "--config-path", cfg, "--data-dir", filepath.Join(root, "data"),
		"serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port))
	logs, exited, err := startProcess(cmd)
	if err != nil {
		return 0, nil, err
	}
	if err := waitListening(port, exited, 3*time.Minute); err != nil {
		return 0, nil, fmt.Errorf("%v; log:\n%s", err, logs.String())
	}
	return port, logs, nil
}

// pgBin finds a PostgreSQL server program on PATH or in Debian's layout.
func pgBin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return matches[len(matches)-1], nil
	}
	return "", fmt.Errorf("%s not found (apt-get install -y postgresql)", name)
}

// pgCredential returns the user the PostgreSQL server runs as: the current
// one, or when running as root the "postgres" account (created if absent).
func pgCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("useradd postgres: %v: %s", err, out)
		}
		if u, err = user.Lookup("postgres"); err != nil {
			return nil, err
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func startPostgres() (int, *syncBuffer, error) {
	initdb, err := pgBin("initdb")
	if err != nil {
		return 0, nil, err
	}
	postgres, err := pgBin("postgres")
	if err != nil {
		return 0, nil, err
	}
	cred, err := pgCredential()
	if err != nil {
		return 0, nil, err
	}
	root, err := os.MkdirTemp("", "clienttest-pg-")
	if err != nil {
		return 0, nil, err
	}
	atExit(func() { os.RemoveAll(root) })
	if cred != nil {
		if err := os.Chown(root, int(cred.Uid), int(cred.Gid)); err != nil {
			return 0, nil, err
		}
	}
	data := filepath.Join(root, "data")
	cmd := exec.Command(initdb, "-D", data, "-U", dbUser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Env = append(os.Environ(), "TZ=UTC")
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return 0, nil, err
	}
	cmd = exec.Command(postgres, "-D", data, "-p", strconv.Itoa(port), "-k", root,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "TimeZone=UTC", "-c", "DateStyle=ISO, MDY",
		"-c", "IntervalStyle=postgres", "-c", "lc_messages=C", "-c", "max_connections=40",
		"-c", "shared_buffers=32MB")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	logs, exited, err := startProcess(cmd)
	if err != nil {
		return 0, nil, err
	}
	if err := waitListening(port, exited, time.Minute); err != nil {
		return 0, nil, fmt.Errorf("postgres: %v; log:\n%s", err, logs.String())
	}
	// Wait until it accepts sessions, then create the database.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var conn *pgx.Conn
	for {
		conn, err = pgx.Connect(ctx, fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", dbUser, port))
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return 0, nil, fmt.Errorf("connect to postgres: %v; log:\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+dbName); err != nil {
		return 0, nil, err
	}
	return port, logs, nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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
