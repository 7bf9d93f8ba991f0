package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/spf13/cobra"

	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/pgwire"
)

func TestServeRefusesNetworkAddressWithoutUsers(t *testing.T) {
	e := newEnv(t)
	port := testsupport.MustFreePort(t)
	for _, listen := range []string{fmt.Sprintf("0.0.0.0:%d", port), fmt.Sprintf("[::]:%d", port), fmt.Sprintf(":%d", port)} {
		_, stderr, code := e.run(t, "serve", "--listen", listen)
		if code != exitUsage || !strings.Contains(stderr, "refusing to listen on "+listen) ||
			!strings.Contains(stderr, "no users are configured") || !strings.Contains(stderr, "configure users with passwords") {
			t.Fatalf("serve --listen %s: exit %d, stderr %q", listen, code, stderr)
		}
	}
}

// networkOptions parses serve's network flags from args and returns the
// server options they give, without users configured.
func networkOptions(args ...string) (pgwire.Options, error) {
	return networkOptionsWithUsers(false, args...)
}

func networkOptionsWithUsers(usersConfigured bool, args ...string) (pgwire.Options, error) {
	var n serveNetwork
	cmd := &cobra.Command{}
	n.addFlags(cmd)
	if err := cmd.ParseFlags(args); err != nil {
		return pgwire.Options{}, err
	}
	return n.serverOptions(cmd, usersConfigured)
}

func TestServeNetworkFlags(t *testing.T) {
	files := testsupport.NewTLSFiles(t)
	opt, err := networkOptions()
	if err != nil || opt.TLS != nil || opt.RequireTLS || opt.MaxConnections != 100 || opt.MaxMessageSize != 64<<20 || opt.IdleSessionTimeout != 0 || opt.MaxActiveStatements != 0 || opt.FetchAhead {
		t.Fatalf("defaults: %+v %v", opt, err)
	}
	opt, err = networkOptions("--tls-cert", files.Cert, "--tls-key", files.Key, "--require-tls", "--max-connections", "7",
		"--max-message-size", "2MiB", "--idle-session-timeout", "90s", "--analyst-statement-timeout", "1m", "--max-active-statements", "4", "--fetch-ahead")
	if err != nil || opt.TLS == nil || !opt.RequireTLS || opt.MaxConnections != 7 || opt.MaxMessageSize != 2<<20 || opt.MaxActiveStatements != 4 || !opt.FetchAhead ||
		opt.IdleSessionTimeout != 90*time.Second || opt.RoleStatementTimeout[pgwire.RoleAnalyst] != time.Minute {
		t.Fatalf("flags: %+v %v", opt, err)
	}
	t.Setenv("TPSERVER_TLS_CERT", files.Cert)
	t.Setenv("TPSERVER_TLS_KEY", files.Key)
	t.Setenv("TPSERVER_MAX_CONNECTIONS", "3")
	t.Setenv("TPSERVER_FETCH_AHEAD", "true")
	if opt, err = networkOptions(); err != nil || opt.TLS == nil || opt.MaxConnections != 3 || !opt.FetchAhead {
		t.Fatalf("from the environment: %+v %v", opt, err)
	}
}

func TestServeNetworkFlagErrors(t *testing.T) {
	files := testsupport.NewTLSFiles(t)
	for _, c := range []struct {
		args []string
		env  [2]string
		want string
	}{
		{args: []string{"--tls-cert", files.Cert}, want: "needs both --tls-cert and --tls-key"},
		{args: []string{"--require-tls"}, want: "give a certificate with --tls-cert"},
		{args: []string{"--tls-cert", files.Key, "--tls-key", files.Key}, want: "load TLS certificate"},
		{args: []string{"--max-message-size", "64 parsecs"}, want: "--max-message-size"},
		{args: []string{"--max-message-size", "10"}, want: "outside 1KiB to 1GiB"},
		{args: []string{"--max-connections", "0"}, want: "--max-connections must be at least 1"},
		{args: []string{"--listen", "nonsense"}, want: "--listen"},
		{env: [2]string{"TPSERVER_MAX_CONNECTIONS", "many"}, want: "TPSERVER_MAX_CONNECTIONS"},
		{env: [2]string{"TPSERVER_REQUIRE_TLS", "yes please"}, want: "TPSERVER_REQUIRE_TLS"},
	} {
		if c.env[0] != "" {
			t.Setenv(c.env[0], c.env[1])
		}
		if _, err := networkOptions(c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v, want an error with %q", c.args, c.env, err, c.want)
		}
		if c.env[0] != "" {
			os.Unsetenv(c.env[0])
		}
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int{"1024": 1024, "64MiB": 64 << 20, "64MB": 64 << 20, "1 GiB": 1 << 30, "512kB": 512 << 10, "2KiB": 2048} {
		if got, err := parseByteSize(in); err != nil || got != want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1MiB", "2GiB", "1023", "5 furlongs"} {
		if got, err := parseByteSize(in); err == nil {
			t.Errorf("parseByteSize(%q) = %d, want an error", in, got)
		}
	}
}

// TestServeTLSAndLimits runs the binary with TLS from the environment,
// TLS required and two connections at most.
func TestServeTLSAndLimits(t *testing.T) {
	psql := testsupport.Tool(t, "psql", "apt-get install postgresql-client")
	files := testsupport.NewTLSFiles(t)
	e := newEnv(t)
	port := testsupport.MustFreePort(t)
	cmd := exec.Command(tpserverBinary(t), "--config-path", e.configDir, "--data-dir", e.dataDir, "serve",
		"--listen", fmt.Sprintf("127.0.0.1:%d", port), "--require-tls", "--max-connections", "2", "--threads", "2", "--memory-limit", "1GB")
	cmd.Env = append(os.Environ(), "TPSERVER_TLS_CERT="+files.Cert, "TPSERVER_TLS_KEY="+files.Key)
	proc, err := testsupport.StartProcess(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		proc.Stop()
		if t.Failed() {
			t.Logf("server log:\n%s", proc.Logs.String())
		}
	})
	if err := proc.WaitListening(port, 2*time.Minute); err != nil {
		t.Fatalf("server: %v", err)
	}
	conninfo := func(sslmode string) string {
		return fmt.Sprintf("host=localhost port=%d user=analyst dbname=tpserver connect_timeout=10 sslmode=%s sslrootcert=%s", port, sslmode, files.CA)
	}
	runPsql := func(sslmode, sql string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c := exec.CommandContext(ctx, psql, "-X", "-A", "-t", "-c", sql, conninfo(sslmode))
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "PGSSL") {
				c.Env = append(c.Env, kv)
			}
		}
		out, err := c.CombinedOutput()
		return string(out), err
	}
	out, err := runPsql("verify-full", "select name, value from duckdb_settings() where name in ('threads', 'memory_limit') order by name")
	if err != nil || !strings.Contains(out, "memory_limit|953.6 MiB") || !strings.Contains(out, "threads|2") {
		t.Fatalf("psql verify-full: %q %v", out, err)
	}
	if out, err := runPsql("disable", "select 1"); err == nil || !strings.Contains(out, "requires an encrypted connection") {
		t.Fatalf("psql without TLS: %q %v", out, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for range 2 {
		conn, err := pgx.Connect(ctx, conninfo("verify-full"))
		if err != nil {
			t.Fatalf("connection within the limit: %v", err)
		}
		defer conn.Close(context.Background())
	}
	_, err = pgx.Connect(ctx, conninfo("verify-full"))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "53300" {
		t.Fatalf("third connection with --max-connections 2: %v", err)
	}
}

func TestServeNetworkAddressWithUsers(t *testing.T) {
	files := testsupport.NewTLSFiles(t)
	options := func(args ...string) (pgwire.Options, error) { return networkOptionsWithUsers(true, args...) }
	if _, err := options("--listen", "0.0.0.0:5433"); err == nil || !strings.Contains(err.Error(), "TLS is required") {
		t.Fatalf("non-loopback with users, without a certificate: %v", err)
	}
	opt, err := options("--listen", "0.0.0.0:5433", "--tls-cert", files.Cert, "--tls-key", files.Key)
	if err != nil || opt.TLS == nil || !opt.RequireTLS {
		t.Fatalf("non-loopback with users and a certificate: TLS required %v, %v", opt.RequireTLS, err)
	}
	if opt, err = options("--listen", "0.0.0.0:5433", "--require-tls=false"); err != nil || opt.RequireTLS {
		t.Fatalf("non-loopback with --require-tls=false: TLS required %v, %v", opt.RequireTLS, err)
	}
	if opt, err = options("--listen", "127.0.0.1:5433", "--tls-cert", files.Cert, "--tls-key", files.Key); err != nil || opt.RequireTLS {
		t.Fatalf("loopback with a certificate: TLS required %v, %v", opt.RequireTLS, err)
	}
}
