package pgwire

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// testPKI is a throwaway CA (testsupport.NewTLSFiles) and the server's
// TLS configuration from its certificate for 127.0.0.1 and localhost.
type testPKI struct {
	caFile string      // the CA certificate, PEM, for sslrootcert
	server *tls.Config // the server's certificate and key
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	files := testsupport.NewTLSFiles(t)
	cfg, err := LoadTLSConfig(files.Cert, files.Key)
	if err != nil {
		t.Fatal(err)
	}
	return testPKI{caFile: files.CA, server: cfg}
}

// connString is a libpq connection string to ts with the given sslmode.
func (ts *testServer) connString(host, sslmode, caFile string) string {
	s := "host=" + host + " port=" + ts.port() + " user=tester dbname=tpserver connect_timeout=10 sslmode=" + sslmode
	if caFile != "" {
		s += " sslrootcert=" + caFile
	}
	return s
}

func connectPgxString(t *testing.T, conn string) (*pgx.Conn, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, conn)
	if err == nil {
		t.Cleanup(func() { c.Close(context.Background()) })
	}
	return c, err
}

func TestTLSVerifyFullPgx(t *testing.T) {
	pki := newTestPKI(t)
	ts := startServerOptions(t, Options{TLS: pki.server})
	for _, host := range []string{"127.0.0.1", "localhost"} {
		conn, err := connectPgxString(t, ts.connString(host, "verify-full", pki.caFile))
		if err != nil {
			t.Fatalf("verify-full to %s: %v", host, err)
		}
		tc, ok := conn.PgConn().Conn().(*tls.Conn)
		if !ok {
			t.Fatalf("connection to %s is %T, not TLS", host, conn.PgConn().Conn())
		}
		if v := tc.ConnectionState().Version; v < tls.VersionTLS12 {
			t.Fatalf("TLS version %x", v)
		}
		var n int
		if err := conn.QueryRow(testCtx(t), "select 40 + $1::int", 2).Scan(&n); err != nil || n != 42 {
			t.Fatalf("query over TLS: %d %v", n, err)
		}
	}
	// A CA the server's certificate does not chain to is refused by the client.
	other := newTestPKI(t)
	if _, err := connectPgxString(t, ts.connString("127.0.0.1", "verify-full", other.caFile)); err == nil {
		t.Fatal("verify-full with the wrong CA connected")
	}
	// Plaintext is still served when TLS is not required.
	conn, err := connectPgxString(t, ts.connString("127.0.0.1", "disable", ""))
	if err != nil {
		t.Fatalf("plaintext: %v", err)
	}
	if _, ok := conn.PgConn().Conn().(*tls.Conn); ok {
		t.Fatal("sslmode=disable connection is TLS")
	}
}

func TestTLSRefusesOldVersions(t *testing.T) {
	pki := newTestPKI(t)
	ts := startServerOptions(t, Options{TLS: pki.server})
	nc, err := net.Dial("tcp", ts.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	if reply := sslRequest(t, nc); reply != 'S' {
		t.Fatalf("SSLRequest answered %q, want S", reply)
	}
	tc := tls.Client(nc, &tls.Config{ServerName: "localhost", MaxVersion: tls.VersionTLS11, InsecureSkipVerify: true})
	if err := tc.Handshake(); err == nil {
		t.Fatal("a TLS 1.1 handshake succeeded")
	}
}

// sslRequest sends an SSLRequest and returns the server's one-byte answer.
func sslRequest(t *testing.T, nc net.Conn) byte {
	t.Helper()
	var req [8]byte
	binary.BigEndian.PutUint32(req[:4], 8)
	binary.BigEndian.PutUint32(req[4:], sslRequestCode)
	if _, err := nc.Write(req[:]); err != nil {
		t.Fatal(err)
	}
	var reply [1]byte
	if _, err := io.ReadFull(nc, reply[:]); err != nil {
		t.Fatalf("read SSLRequest answer: %v", err)
	}
	return reply[0]
}

func TestSSLRequestAnsweredNWithoutTLS(t *testing.T) {
	ts := startServer(t)
	nc, err := net.Dial("tcp", ts.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	if reply := sslRequest(t, nc); reply != 'N' {
		t.Fatalf("SSLRequest answered %q, want N", reply)
	}
	rc := &rawClient{t: t, nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
	rc.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "tester"}})
	rc.until("ReadyForQuery")
	rc.send(&pgproto3.Query{String: "select 5"})
	if got := rc.until("ReadyForQuery"); !strings.Contains(strings.Join(got, "|"), "DataRow 5") {
		t.Fatalf("query after N: %v", got)
	}
}

func TestRequireTLSRefusesPlaintext(t *testing.T) {
	pki := newTestPKI(t)
	ts := startServerOptions(t, Options{TLS: pki.server, RequireTLS: true})
	_, err := connectPgxString(t, ts.connString("127.0.0.1", "disable", ""))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "28000" || pe.Severity != "FATAL" || !strings.Contains(pe.Message, "requires an encrypted connection") {
		t.Fatalf("plaintext with TLS required: %v", err)
	}
	conn, err := connectPgxString(t, ts.connString("127.0.0.1", "verify-full", pki.caFile))
	if err != nil {
		t.Fatalf("verify-full with TLS required: %v", err)
	}
	var s string
	if err := conn.QueryRow(testCtx(t), "select 'ok'").Scan(&s); err != nil || s != "ok" {
		t.Fatalf("query: %q %v", s, err)
	}
}

func TestServeRequireTLSWithoutConfigFails(t *testing.T) {
	srv := NewServer(&testBackend{}, Options{RequireTLS: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(context.Background(), ln); err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("Serve with RequireTLS and no TLS: %v", err)
	}
}

func TestTLSPsqlVerifyFull(t *testing.T) {
	psql := psqlPath(t)
	pki := newTestPKI(t)
	ts := startServerOptions(t, Options{TLS: pki.server, RequireTLS: true})
	run := func(conn string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, psql, "-X", "-A", "-t", "-c", "select 6 * 7", "-c", `\conninfo`, conn)
		cmd.Env = withoutPGSSL(os.Environ())
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		out, err := run(ts.connString(host, "verify-full", pki.caFile))
		if err != nil || !strings.HasPrefix(out, "42\n") || !strings.Contains(out, "SSL connection (protocol: TLSv1.") {
			t.Fatalf("psql verify-full to %s: %q %v", host, out, err)
		}
	}
	out, err := run(ts.connString("127.0.0.1", "disable", ""))
	if err == nil || !strings.Contains(out, "requires an encrypted connection") {
		t.Fatalf("psql without TLS to a server requiring it: %q %v", out, err)
	}
}

// withoutPGSSL drops the PGSSL* variables so that the connection string alone decides.
func withoutPGSSL(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "PGSSL") {
			out = append(out, e)
		}
	}
	return out
}

func TestTLSPsycopg2VerifyFull(t *testing.T) {
	const python = "/usr/bin/python3" // Debian's python3-psycopg2 is only visible to Debian's interpreter
	if err := exec.Command(python, "-c", "import psycopg2").Run(); err != nil {
		testsupport.Missing(t, "psycopg2 for "+python, "apt-get install -y python3-psycopg2")
	}
	pki := newTestPKI(t)
	ts := startServerOptions(t, Options{TLS: pki.server, RequireTLS: true})
	const script = `import sys, psycopg2
c = psycopg2.connect(sys.argv[1])
cur = c.cursor()
cur.execute("select 6 * 7")
print(cur.fetchone()[0], c.info.ssl_in_use, c.info.ssl_attribute("protocol"))`
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", script, ts.connString("localhost", "verify-full", pki.caFile))
	cmd.Env = withoutPGSSL(os.Environ())
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "42 True TLSv1.") {
		t.Fatalf("psycopg2 verify-full: %q %v", out, err)
	}
}

func TestTLSPgjdbcVerifyFull(t *testing.T) {
	const jar = "/usr/share/java/postgresql.jar"
	java := testsupport.Tool(t, "java", "apt-get install -y default-jre-headless")
	if _, err := os.Stat(jar); err != nil {
		testsupport.Missing(t, "pgjdbc ("+jar+")", "apt-get install -y libpostgresql-jdbc-java")
	}
	pki := newTestPKI(t)
	ts := startServerOptions(t, Options{TLS: pki.server, RequireTLS: true})
	src := filepath.Join(t.TempDir(), "TLSCheck.java")
	const program = `import java.sql.*;
public class TLSCheck {
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection(a[0]); ResultSet r = c.createStatement().executeQuery("select 6 * 7")) {
      r.next();
      System.out.println(r.getInt(1));
    }
  }
}`
	if err := os.WriteFile(src, []byte(program), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	run := func(params string) (string, error) {
		url := "jdbc:postgresql://localhost:" + ts.port() + "/tpserver?user=tester&" + params
		out, err := exec.CommandContext(ctx, java, "-cp", jar, src, url).CombinedOutput()
		return string(out), err
	}
	if out, err := run("sslmode=verify-full&sslrootcert=" + pki.caFile); err != nil || out != "42\n" {
		t.Fatalf("pgjdbc verify-full: %q %v", out, err)
	}
	if out, err := run("sslmode=disable"); err == nil || !strings.Contains(out, "requires an encrypted connection") {
		t.Fatalf("pgjdbc without TLS: %q %v", out, err)
	}
}

// TestSCRAMChannelBinding: over TLS the server offers SCRAM-SHA-256-PLUS,
// bound to its certificate, so clients that require channel binding (pgx
// and libpq's channel_binding=require) log in; a wrong password still
// fails, and without TLS such clients refuse to go on.
func TestSCRAMChannelBinding(t *testing.T) {
	pki := newTestPKI(t)
	users := map[string]User{"tester": {Role: RoleReader, Credentials: scramCredentials(t, "bound pw")}}
	ts := startServerOptions(t, Options{TLS: pki.server, Users: users, AuthFailDelay: time.Millisecond, AuthFailMaxDelay: time.Millisecond})
	tlsConn := ts.connString("localhost", "verify-full", pki.caFile) + " channel_binding=require"

	conn, err := connectPgxString(t, tlsConn+" password='bound pw'")
	if err != nil {
		t.Fatalf("pgx with channel_binding=require over TLS: %v", err)
	}
	var n int
	if err := conn.QueryRow(testCtx(t), "select 6 * 7").Scan(&n); err != nil || n != 42 {
		t.Fatalf("select: %d, %v", n, err)
	}
	_, err = connectPgxString(t, tlsConn+" password='wrong'")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "28P01" {
		t.Fatalf("wrong password with channel binding: %v, want 28P01", err)
	}
	_, err = connectPgxString(t, ts.connString("127.0.0.1", "disable", "")+" channel_binding=require password='bound pw'")
	if err == nil || !strings.Contains(err.Error(), "channel binding") {
		t.Fatalf("channel_binding=require without TLS: %v, want the client to refuse", err)
	}

	psql := psqlPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, psql, "-X", "-A", "-t", "-c", "select 6 * 7", tlsConn)
	cmd.Env = append(withoutPGSSL(os.Environ()), "PGPASSWORD=bound pw")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "42\n") {
		t.Fatalf("psql with channel_binding=require over TLS: %q %v", out, err)
	}
}
