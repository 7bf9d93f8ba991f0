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

// loginFunc logs in as user with password ("" = none) through one client
// and returns current_user, or an error whose text says why it failed.
type loginFunc func(t *testing.T, port int, user, password string) (string, error)

// serveWithUsers writes a config with a password user (grafana, reader)
// and a password_hash user (alice, analyst) and serves it with short
// login delays.
func serveWithUsers(t *testing.T, delay, maxDelay time.Duration) int {
	t.Helper()
	e := newEnv(t)
	tpc := fmt.Sprintf(`user "grafana" {
  password = env("TPSERVER_TEST_GRAFANA_PASSWORD")
  role     = "reader"
}

user "alice" {
  password_hash = %q
  role          = "analyst"
}
`, hashPassword(t, "wonder land"))
	if err := os.WriteFile(filepath.Join(e.configDir, "users.tpc"), []byte(tpc), 0o600); err != nil {
		t.Fatal(err)
	}
	port := testsupport.MustFreePort(t)
	cmd := exec.Command(tpserverBinary(t), "--config-path", e.configDir, "--data-dir", e.dataDir, "serve",
		"--listen", fmt.Sprintf("127.0.0.1:%d", port), "--auth-fail-delay", delay.String(), "--auth-fail-max-delay", maxDelay.String())
	cmd.Env = append(os.Environ(), "TPSERVER_TEST_GRAFANA_PASSWORD=grafana pw")
	proc, err := testsupport.StartProcess(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		proc.Stop()
		logs := proc.Logs.String()
		for _, pw := range []string{"grafana pw", "wonder land", "not it"} {
			if strings.Contains(logs, pw) {
				t.Errorf("the server logged the password %q", pw)
			}
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs)
		}
	})
	if err := proc.WaitListening(port, 2*time.Minute); err != nil {
		t.Fatalf("server: %v; log:\n%s", err, proc.Logs.String())
	}
	return port
}

func TestServeAuthenticatesUsers(t *testing.T) {
	port := serveWithUsers(t, 5*time.Millisecond, 20*time.Millisecond)
	clients := map[string]loginFunc{
		"pgx": func(t *testing.T, port int, user, password string) (string, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return pgxLogin(ctx, port, user, password)
		},
		"psql": func(t *testing.T, port int, user, password string) (string, error) {
			testsupport.Tool(t, "psql", "apt-get install -y postgresql-client")
			return psqlLogin(port, user, password)
		},
		"psycopg2": psycopg2Login,
		"pgjdbc":   jdbcLogin,
	}
	for name, login := range clients {
		t.Run(name, func(t *testing.T) {
			for user, password := range map[string]string{"grafana": "grafana pw", "alice": "wonder land"} {
				if got, err := login(t, port, user, password); err != nil || got != user {
					t.Fatalf("%s with its password: current_user %q, %v", user, got, err)
				}
			}
			for _, bad := range []struct{ what, user, password string }{
				{"wrong password", "grafana", "not it"},
				{"unknown user", "mallory", "grafana pw"},
			} {
				_, err := login(t, port, bad.user, bad.password)
				if err == nil || !strings.Contains(err.Error(), "password authentication failed") {
					t.Fatalf("%s: %v, want password authentication failed", bad.what, err)
				}
				if name != "psql" && name != "psycopg2" && !strings.Contains(err.Error(), "28P01") {
					t.Fatalf("%s: %v, want SQLSTATE 28P01", bad.what, err)
				}
			}
			// Without a password, libpq and pgjdbc give up when asked for
			// one; pgx answers the challenge with an empty password.
			noPassword := map[string]string{
				"pgx": "28P01", "psql": "no password supplied", "psycopg2": "no password supplied",
				"pgjdbc": "no password was provided",
			}[name]
			if _, err := login(t, port, "alice", ""); err == nil || !strings.Contains(err.Error(), noPassword) {
				t.Fatalf("no password: %v, want %q", err, noPassword)
			}
		})
	}
}

func TestServeSlowsRepeatedFailures(t *testing.T) {
	const base = 25 * time.Millisecond
	port := serveWithUsers(t, base, 16*base)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var took []time.Duration
	for range 5 {
		start := time.Now()
		if _, err := pgxLogin(ctx, port, "grafana", "not it"); err == nil || !strings.HasPrefix(err.Error(), "28P01") {
			t.Fatalf("wrong password: %v", err)
		}
		took = append(took, time.Since(start))
	}
	// Delays of 1, 2, 4, 8 and 16 × base.
	for i := range took {
		if want := base << i; took[i] < want {
			t.Fatalf("failure %d answered after %v, want at least %v (all: %v)", i+1, took[i], want, took)
		}
	}
	// A delay that did not grow would make the first failure wait as long as
	// the fifth; the margin absorbs a slow first login on a loaded machine.
	if took[0] >= took[4]/2 {
		t.Fatalf("the delay does not grow: %v", took)
	}
}

// noPassFile is a .pgpass that does not exist, so that libpq finds no
// password of its own.
func noPassFile() string { return filepath.Join(os.TempDir(), "tpserver-test-no-pgpass") }

// psycopg2Login logs in through psycopg2 (Debian's python3).
func psycopg2Login(t *testing.T, port int, user, password string) (string, error) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import psycopg2").Run(); err != nil {
		testsupport.Missing(t, "psycopg2 for "+python, "apt-get install -y python3-psycopg2")
	}
	const script = `import sys, psycopg2
kw = dict(host="127.0.0.1", port=int(sys.argv[1]), user=sys.argv[2], dbname="tpserver", sslmode="disable", connect_timeout=10)
if sys.argv[3]:
    kw["password"] = sys.argv[3]
try:
    conn = psycopg2.connect(**kw)
except psycopg2.Error as e:
    print("ERROR", e.pgcode, str(e).strip())
    sys.exit(0)
cur = conn.cursor()
cur.execute("select current_user")
print(cur.fetchone()[0])
`
	cmd := exec.Command(python, "-c", script, fmt.Sprint(port), user, password)
	cmd.Env = append(os.Environ(), "PGPASSFILE="+noPassFile())
	return runLoginProgram(cmd)
}

// jdbcLogin logs in through pgjdbc (a single-file Java program).
func jdbcLogin(t *testing.T, port int, user, password string) (string, error) {
	const jar = "/usr/share/java/postgresql.jar"
	testsupport.Tool(t, "java", "apt-get install -y default-jdk-headless")
	if _, err := os.Stat(jar); err != nil {
		testsupport.Missing(t, "pgjdbc ("+jar+")", "apt-get install -y libpostgresql-jdbc-java")
	}
	const source = `import java.sql.*;
import java.util.Properties;
public class Login {
  public static void main(String[] a) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", a[1]);
    if (a.length > 2) p.setProperty("password", a[2]);
    p.setProperty("sslmode", "disable");
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + a[0] + "/tpserver", p);
         ResultSet rs = c.createStatement().executeQuery("select current_user")) {
      rs.next();
      System.out.println(rs.getString(1));
    } catch (SQLException e) {
      System.out.println("ERROR " + e.getSQLState() + " " + e.getMessage());
    }
  }
}
`
	file := filepath.Join(t.TempDir(), "Login.java")
	if err := os.WriteFile(file, []byte(source), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-cp", jar, file, fmt.Sprint(port), user}
	if password != "" {
		args = append(args, password)
	}
	return runLoginProgram(exec.Command("java", args...))
}

// runLoginProgram runs a client program that prints current_user, or
// "ERROR <sqlstate> <message>".
func runLoginProgram(cmd *exec.Cmd) (string, error) {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%v: %s", err, strings.TrimSpace(errb.String()))
	}
	line := strings.TrimSpace(out.String())
	if msg, failed := strings.CutPrefix(line, "ERROR "); failed {
		return "", fmt.Errorf("%s", msg)
	}
	return line, nil
}
