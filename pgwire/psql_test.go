package pgwire

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// psqlPath returns the psql binary or skips (fails with TPSERVER_TEST_STRICT=1).
func psqlPath(t *testing.T) string {
	t.Helper()
	return testsupport.Tool(t, "psql", "apt-get install postgresql-client")
}

func runPsql(t *testing.T, ts *testServer, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	base := []string{"-h", "127.0.0.1", "-p", ts.port(), "-U", "tester", "-d", "tpserver", "-X"}
	cmd := exec.CommandContext(ctx, psqlPath(t), append(base, args...)...)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGSSLMODE=disable")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestPsql(t *testing.T) {
	psqlPath(t)
	ts := startServer(t)

	out, err := runPsql(t, ts, "-A", "-t", "-c", "select 1; select 'a' as x")
	if err != nil || out != "1\na\n" {
		t.Fatalf("multi-statement: %q %v", out, err)
	}

	out, err = runPsql(t, ts, "-A", "-v", "ON_ERROR_STOP=1", "-c", "select nocolumn")
	if err == nil {
		t.Fatalf("expected failure, got %q", out)
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 0 {
		t.Fatalf("exit status: %v", err)
	}
	if !strings.Contains(out, "ERROR:") || !strings.Contains(out, `Referenced column "nocolumn"`) || !strings.Contains(out, "LINE 1: select nocolumn") {
		t.Fatalf("error output %q", out)
	}

	out, err = runPsql(t, ts, "-v", "VERBOSITY=verbose", "-c", "select * from missing_table")
	if err == nil || !strings.Contains(out, "ERROR:  42P01:") {
		t.Fatalf("verbose error output %q %v", out, err)
	}

	out, err = runPsql(t, ts, "-c", `\x`, "-c", "select 1 as a, 'two' as b")
	if err != nil || !strings.Contains(out, "-[ RECORD 1 ]") || !strings.Contains(out, "a | 1") || !strings.Contains(out, "b | two") {
		t.Fatalf("expanded output %q %v", out, err)
	}

	// Script with dollar quotes, comments and a string containing ';'.
	out, err = runPsql(t, ts, "-A", "-t", "-c", "select 'x;y' /* ; */; select $$a;b$$ -- ;\n; select 3")
	if err != nil || out != "x;y\na;b\n3\n" {
		t.Fatalf("script: %q %v", out, err)
	}
}

func TestPsqlSSLModes(t *testing.T) {
	psqlPath(t)
	ts := startServer(t)
	conn := "host=127.0.0.1 port=" + ts.port() + " user=tester dbname=tpserver connect_timeout=10"
	run := func(mode string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, psqlPath(t), "-X", "-A", "-t", "-c", "select 7", conn+" sslmode="+mode)
		env := []string{}
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "PGSSL") {
				env = append(env, e)
			}
		}
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("prefer"); err != nil || out != "7\n" {
		t.Fatalf("sslmode=prefer: %q %v", out, err)
	}
	out, err := run("require")
	if err == nil || !strings.Contains(out, "server does not support SSL") {
		t.Fatalf("sslmode=require should fail cleanly: %q %v", out, err)
	}
}
