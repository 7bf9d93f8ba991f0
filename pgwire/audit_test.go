package pgwire

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"
)

// startAuditedServer runs a test server whose audit lines the returned
// observer records.
func startAuditedServer(t *testing.T, textBytes int) (*testServer, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	opt := Options{
		Logger: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)),
		Audit:  AuditOptions{Logger: zap.New(core).Named("audit"), StatementTextBytes: textBytes},
	}
	ts := startServerOptions(t, opt)
	return ts, logs
}

// auditLine is an audit entry without its duration, which varies.
type auditLine struct {
	Level   zapcore.Level
	Message string
	Fields  map[string]any
}

// auditLines returns the audit entries logged so far, checking that each
// duration is positive and leaving it out.
func auditLines(t *testing.T, logs *observer.ObservedLogs) []auditLine {
	t.Helper()
	var out []auditLine
	for _, e := range logs.AllUntimed() {
		if e.LoggerName != "audit" {
			t.Errorf("entry %q logged by %q, want audit", e.Message, e.LoggerName)
		}
		fields := e.ContextMap()
		if d, ok := fields["duration"]; ok {
			if d.(time.Duration) <= 0 {
				t.Errorf("%s: duration %v", e.Message, d)
			}
			delete(fields, "duration")
		}
		out = append(out, auditLine{Level: e.Level, Message: e.Message, Fields: fields})
	}
	return out
}

// waitAuditLines waits until n audit entries were logged.
func waitAuditLines(t *testing.T, logs *observer.ObservedLogs, n int) []auditLine {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for logs.Len() < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	lines := auditLines(t, logs)
	if len(lines) != n {
		t.Fatalf("got %d audit lines, want %d: %+v", len(lines), n, lines)
	}
	return lines
}

func assertAuditLine(t *testing.T, got auditLine, level zapcore.Level, msg string, fields map[string]any) {
	t.Helper()
	want := auditLine{Level: level, Message: msg, Fields: fields}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("audit line\n got %v\nwant %v", got, want)
	}
}

func TestAuditLog(t *testing.T) {
	ts, logs := startAuditedServer(t, 0)
	ctx := testCtx(t)
	cfg, err := pgx.ParseConfig(ts.dsn() + "&application_name=audit-test")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	pid := conn.PgConn().PID()
	remote := conn.PgConn().Conn().LocalAddr().String()

	// Simple protocol: a successful statement and a failing one.
	if _, err := conn.Exec(ctx, "select * from range(3)", pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "select * from no_such_table", pgx.QueryExecModeSimpleProtocol); err == nil {
		t.Fatal("query of a missing table succeeded")
	}
	// Extended protocol: the parameter's value is never logged.
	var n int
	if err := conn.QueryRow(ctx, "select $1::int + 1", 41724).Scan(&n); err != nil || n != 41725 {
		t.Fatalf("extended query: %d, %v", n, err)
	}
	if err := conn.Close(ctx); err != nil {
		t.Fatal(err)
	}

	lines := waitAuditLines(t, logs, 5)
	session := map[string]any{"user": "tester", "remote": remote, "application_name": "audit-test", "role": "analyst", "session": pid}
	with := func(extra map[string]any) map[string]any {
		m := map[string]any{}
		for k, v := range session {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	assertAuditLine(t, lines[0], zapcore.InfoLevel, "connection authorized", with(map[string]any{"tls": false}))
	assertAuditLine(t, lines[1], zapcore.InfoLevel, "statement",
		with(map[string]any{"kind": "select", "rows": int64(3), "tag": "SELECT 3", "sqlstate": "00000"}))
	assertAuditLine(t, lines[2], zapcore.InfoLevel, "statement",
		with(map[string]any{"kind": "select", "rows": int64(0), "tag": "", "sqlstate": "42P01"}))
	assertAuditLine(t, lines[3], zapcore.InfoLevel, "statement",
		with(map[string]any{"kind": "select", "rows": int64(1), "tag": "SELECT 1", "sqlstate": "00000"}))
	assertAuditLine(t, lines[4], zapcore.InfoLevel, "disconnection", with(map[string]any{"statements": int64(3), "sqlstate": "00000"}))
	if s := fmt.Sprint(lines); strings.Contains(s, "41724") || strings.Contains(s, "no_such_table") {
		t.Errorf("audit lines hold statement text or parameter values: %s", s)
	}
}

func TestAuditRefusedConnection(t *testing.T) {
	ts, logs := startAuditedServer(t, 0)
	nc, err := net.Dial("tcp", ts.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"application_name": "nobody"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	msg, err := fe.Receive()
	if er, ok := msg.(*pgproto3.ErrorResponse); err != nil || !ok || er.Code != "28000" {
		t.Fatalf("startup without user: %#v, %v", msg, err)
	}
	lines := waitAuditLines(t, logs, 1)
	assertAuditLine(t, lines[0], zapcore.WarnLevel, "connection refused", map[string]any{
		"user": "", "remote": nc.LocalAddr().String(), "application_name": "nobody", "tls": false,
		"sqlstate": "28000", "error": "no PostgreSQL user name specified in startup packet",
	})
}

func TestAuditLogin(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	users := map[string]User{"alice": {Role: RoleReader, Credentials: scramCredentials(t, "s3cret")}}
	opt := Options{Logger: zap.NewNop(), Users: users, AuthFailDelay: time.Millisecond, AuthFailMaxDelay: time.Millisecond,
		Audit: AuditOptions{Logger: zap.New(core).Named("audit")}}
	ts := startServerOptions(t, opt)
	ctx := testCtx(t)
	_, err := login(ctx, ts.addr.String(), "alice", "wrong")
	wantInvalidPassword(t, err, "wrong password")
	// The refusal is audited once the client has its FATAL: wait for it, so
	// that it comes before the next login's lines.
	waitAuditLines(t, logs, 1)
	conn, err := login(ctx, ts.addr.String(), "alice", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	pid := conn.PgConn().PID()
	remote := conn.PgConn().Conn().LocalAddr().String()
	if err := conn.Close(ctx); err != nil {
		t.Fatal(err)
	}
	lines := waitAuditLines(t, logs, 3)
	if l := lines[0]; l.Level != zapcore.WarnLevel || l.Message != "connection refused" || l.Fields["user"] != "alice" ||
		l.Fields["sqlstate"] != "28P01" || l.Fields["tls"] != false {
		t.Errorf("wrong password: %+v", l)
	}
	assertAuditLine(t, lines[1], zapcore.InfoLevel, "connection authorized", map[string]any{"user": "alice", "remote": remote,
		"application_name": "", "role": "reader", "session": pid, "tls": false})
	assertAuditLine(t, lines[2], zapcore.InfoLevel, "disconnection", map[string]any{"user": "alice", "remote": remote,
		"application_name": "", "role": "reader", "session": pid, "statements": int64(0), "sqlstate": "00000"})
}

func TestAuditStatementText(t *testing.T) {
	ts, logs := startAuditedServer(t, 20)
	rc := dialRaw(t, ts)
	rc.send(&pgproto3.Query{String: "select 1;\n select   'a long\tliteral, cut here'"})
	rc.until("ReadyForQuery")
	rc.send(&pgproto3.Terminate{})
	lines := waitAuditLines(t, logs, 4)
	if got := lines[1].Fields["statement"]; got != "select 1" {
		t.Errorf("first statement text %q", got)
	}
	if got := lines[2].Fields["statement"]; got != "select 'a long liter…" {
		t.Errorf("second statement text %q", got)
	}
}

func TestOneLine(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"select\n\t1", 20, "select 1"},
		{"select 'héé'", 10, "select 'h…"},
		{"select 'héé'", 11, "select 'hé…"},
	} {
		if got := oneLine(c.in, c.max); got != c.want {
			t.Errorf("oneLine(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestAuditProtocolViolation(t *testing.T) {
	ts, logs := startAuditedServer(t, 0)
	rc := dialRaw(t, ts)
	if _, err := rc.nc.Write(wireMsg('Z', []byte("x"))); err != nil {
		t.Fatal(err)
	}
	if got := answersUntilClose(t, rc.nc, false); !slices.Equal(got, []string{"ErrorResponse 08P01"}) {
		t.Fatalf("answers %q", got)
	}
	lines := waitAuditLines(t, logs, 2)
	if l := lines[1]; l.Message != "disconnection" || l.Fields["sqlstate"] != "08P01" || l.Fields["statements"] != int64(0) {
		t.Errorf("end of a session that broke the protocol: %+v", l)
	}
}

func TestAuditTLS(t *testing.T) {
	pki := newTestPKI(t)
	core, logs := observer.New(zapcore.InfoLevel)
	ts := startServerOptions(t, Options{TLS: pki.server, Audit: AuditOptions{Logger: zap.New(core).Named("audit")}})
	conn, err := connectPgxString(t, ts.connString("127.0.0.1", "require", ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	lines := waitAuditLines(t, logs, 2)
	if l := lines[0]; l.Message != "connection authorized" || l.Fields["tls"] != true {
		t.Errorf("a TLS session: %+v", l)
	}
}

func TestAuditTooManyClients(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	ts := startServerOptions(t, Options{MaxConnections: 1, Audit: AuditOptions{Logger: zap.New(core).Named("audit")}})
	connectPgx(t, ts, pgx.QueryExecModeSimpleProtocol) // open until the test ends
	// The session is audited once the client has its ReadyForQuery: wait
	// for it, so that it comes before the refusal.
	waitAuditLines(t, logs, 1)
	if _, err := pgx.Connect(testCtx(t), ts.dsn()); err == nil || !strings.Contains(err.Error(), "53300") {
		t.Fatalf("second client: %v, want 53300", err)
	}
	lines := waitAuditLines(t, logs, 2)
	if l := lines[1]; l.Level != zapcore.WarnLevel || l.Message != "connection refused" || l.Fields["sqlstate"] != "53300" {
		t.Errorf("a client over the limit: %+v", l)
	}
}
