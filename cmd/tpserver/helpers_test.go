package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// builtBinary is this tree's tpserver, built on first use.
var builtBinary testsupport.Binary

func TestMain(m *testing.M) {
	code := m.Run()
	builtBinary.Remove()
	os.Exit(code)
}

// tpserverBinary builds the command once per test run.
func tpserverBinary(t *testing.T) string {
	t.Helper()
	bin, err := builtBinary.Path()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// env is an isolated tpserver home: config and data dirs.
type env struct {
	configDir, dataDir string
}

func newEnv(t *testing.T) env {
	root := t.TempDir()
	e := env{configDir: filepath.Join(root, "config"), dataDir: filepath.Join(root, "data")}
	if err := os.MkdirAll(e.configDir, 0o755); err != nil {
		t.Fatal(err)
	}
	return e
}

// run runs tpserver with the env's dirs and returns stdout, stderr and the exit code.
func (e env) run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	full := append([]string{"--config-path", e.configDir, "--data-dir", e.dataDir}, args...)
	cmd := exec.CommandContext(ctx, tpserverBinary(t), full...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("run tpserver %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return out.String(), errb.String(), code
}

// serve starts `tpserver serve` on a free loopback port and returns the
// port; the server is stopped when the test ends or stop is called.
func (e env) serve(t *testing.T) int {
	port, _ := e.serveStoppable(t)
	return port
}

func (e env) serveStoppable(t *testing.T) (int, func()) {
	t.Helper()
	port := testsupport.MustFreePort(t)
	proc, err := testsupport.StartProcess(exec.Command(tpserverBinary(t), "--config-path", e.configDir, "--data-dir", e.dataDir,
		"serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port)))
	if err != nil {
		t.Fatal(err)
	}
	stop := func() {
		proc.Stop()
		if t.Failed() {
			t.Logf("server log:\n%s", proc.Logs.String())
		}
	}
	t.Cleanup(stop)
	if err := proc.WaitListening(port, 2*time.Minute); err != nil {
		t.Fatalf("server: %v; log:\n%s", err, proc.Logs.String())
	}
	return port, stop
}

// psql runs one -c command through psql in unaligned tuples-only mode and
// returns its output lines, or the error text when psql fails.
func psql(t *testing.T, port int, sql string) ([]string, error) {
	t.Helper()
	testsupport.Tool(t, "psql", "apt-get install postgresql-client")
	cmd := exec.Command("psql", "-h", "127.0.0.1", "-p", fmt.Sprint(port), "-U", "analyst", "-d", "tpserver",
		"-X", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", sql)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGSSLMODE=prefer")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(errb.String()))
	}
	s := strings.TrimRight(out.String(), "\n")
	if s == "" {
		return nil, nil
	}
	return strings.Split(s, "\n"), nil
}
