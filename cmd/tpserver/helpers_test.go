package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// tpserverBinary builds the command once per test run.
func tpserverBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tpserver-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tpserver")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// requireTool skips when a command-line tool is missing, or fails under
// TPSERVER_TEST_STRICT=1.
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed: %s", name, install)
	if os.Getenv("TPSERVER_TEST_STRICT") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
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
	port := freePort(t)
	cmd := exec.Command(tpserverBinary(t), "--config-path", e.configDir, "--data-dir", e.dataDir,
		"serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port))
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Signal(os.Interrupt)
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-exited
			}
			if t.Failed() {
				t.Logf("server log:\n%s", logs.String())
			}
		})
	}
	t.Cleanup(stop)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("server exited before listening; log:\n%s", logs.String())
		default:
		}
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return port, stop
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not listen within 2 minutes; log:\n%s", logs.String())
	return 0, nil
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

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// psql runs one -c command through psql in unaligned tuples-only mode and
// returns its output lines, or the error text when psql fails.
func psql(t *testing.T, port int, sql string) ([]string, error) {
	t.Helper()
	requireTool(t, "psql", "apt-get install postgresql-client")
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

func init() {
	// The tests build the binary from this directory.
	_, file, _, _ := runtime.Caller(0)
	_ = os.Chdir(filepath.Dir(file))
}
