package pgwire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/xdg-go/scram"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// scramCredentials derives a user's credentials from a password, as a
// configuration loader would.
func scramCredentials(t *testing.T, password string) SCRAMCredentials {
	t.Helper()
	client, err := scram.SHA256.NewClient("", password, "")
	if err != nil {
		t.Fatal(err)
	}
	salt := "0123456789abcdef"
	creds := client.GetStoredCredentials(scram.KeyFactors{Salt: salt, Iters: 4096})
	return SCRAMCredentials{Iterations: 4096, Salt: []byte(salt), StoredKey: creds.StoredKey, ServerKey: creds.ServerKey}
}

// serveUsers runs a server with users and small login delays until the
// test ends; its warnings and above are recorded in logs.
func serveUsers(t *testing.T, users map[string]User, delay, maxDelay time.Duration) (addr string, srv *Server, logs *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.InfoLevel)
	ts := startServerOptions(t, Options{Logger: zap.New(core), Users: users, AuthFailDelay: delay, AuthFailMaxDelay: maxDelay})
	return ts.addr.String(), ts.srv, logs
}

// login connects with pgx as user with password.
func login(ctx context.Context, addr, user, password string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(fmt.Sprintf("postgres://%s@%s/tpserver?sslmode=disable", user, addr))
	if err != nil {
		return nil, err
	}
	cfg.Password = password
	return pgx.ConnectConfig(ctx, cfg)
}

// wantInvalidPassword asserts err is FATAL 28P01.
func wantInvalidPassword(t *testing.T, err error, what string) {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "28P01" || pe.Severity != "FATAL" {
		t.Fatalf("%s: got %v, want FATAL 28P01", what, err)
	}
}

func TestSCRAMLogin(t *testing.T) {
	ctx := testCtx(t)
	users := map[string]User{
		"grafana": {Role: RoleReader, Credentials: scramCredentials(t, "s3cret pw")},
		"alice":   {Role: RoleAnalyst, Credentials: scramCredentials(t, "wonderland")},
	}
	addr, srv, logs := serveUsers(t, users, time.Millisecond, 4*time.Millisecond)

	for name, want := range map[string]Role{"grafana": RoleReader, "alice": RoleAnalyst} {
		pw := map[string]string{"grafana": "s3cret pw", "alice": "wonderland"}[name]
		conn, err := login(ctx, addr, name, pw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var one int
		if err := conn.QueryRow(ctx, "select 1").Scan(&one); err != nil || one != 1 {
			t.Fatalf("%s: select 1 = %d, %v", name, one, err)
		}
		srv.registry.mu.Lock()
		got := srv.registry.sessions[conn.PgConn().PID()].role
		srv.registry.mu.Unlock()
		if got != want {
			t.Fatalf("%s's session has role %q, want %q", name, got, want)
		}
		conn.Close(ctx)
	}

	_, err := login(ctx, addr, "grafana", "wrong")
	wantInvalidPassword(t, err, "wrong password")
	_, err = login(ctx, addr, "grafana", "")
	wantInvalidPassword(t, err, "empty password")
	_, err = login(ctx, addr, "mallory", "s3cret pw")
	wantInvalidPassword(t, err, "unknown user")

	warned := logs.FilterMessage("authentication failed").All()
	if len(warned) != 3 {
		t.Fatalf("%d authentication failures logged, want 3", len(warned))
	}
	for _, e := range logs.All() {
		for _, f := range e.Context {
			s := fmt.Sprint(f.String, f.Interface)
			if strings.Contains(s, "s3cret") || strings.Contains(s, "wrong") || strings.Contains(s, "wonderland") {
				t.Fatalf("log %q has a password in %s=%s", e.Message, f.Key, s)
			}
		}
	}
	if u := warned[2].ContextMap()["user"]; u != "mallory" || warned[2].ContextMap()["address"] != "127.0.0.1" {
		t.Fatalf("unknown user logged as %v", warned[2].ContextMap())
	}
}

func TestSCRAMUnknownUserLooksLikeWrongPassword(t *testing.T) {
	// The salt and iterations of a user who does not exist are as stable
	// as a real user's, so the first server message gives nothing away.
	addr, _, _ := serveUsers(t, map[string]User{"u": {Role: RoleReader, Credentials: scramCredentials(t, "pw")}}, time.Millisecond, time.Millisecond)
	salts := map[string]string{}
	for _, user := range []string{"ghost", "ghost", "u"} {
		salt := serverFirstSalt(t, addr, user)
		if prev, ok := salts[user]; ok && prev != salt {
			t.Fatalf("%s's salt changed: %s then %s", user, prev, salt)
		}
		salts[user] = salt
	}
	if salts["ghost"] == salts["u"] {
		t.Fatal("unknown and known user share a salt")
	}
}

// serverFirstSalt starts a SCRAM exchange as user and returns the salt
// the server announces.
func serverFirstSalt(t *testing.T, addr, user string) string {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": user}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	if msg, err := fe.Receive(); err != nil {
		t.Fatal(err)
	} else if sasl, ok := msg.(*pgproto3.AuthenticationSASL); !ok || !slices.Equal(sasl.AuthMechanisms, []string{"SCRAM-SHA-256"}) {
		t.Fatalf("got %#v, want AuthenticationSASL SCRAM-SHA-256", msg)
	}
	fe.Send(&pgproto3.SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256", Data: []byte("n,,n=,r=clientnonce")})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	msg, err := fe.Receive()
	if err != nil {
		t.Fatal(err)
	}
	cont, ok := msg.(*pgproto3.AuthenticationSASLContinue)
	if !ok {
		t.Fatalf("got %#v, want AuthenticationSASLContinue", msg)
	}
	for _, field := range strings.Split(string(cont.Data), ",") {
		if salt, ok := strings.CutPrefix(field, "s="); ok {
			return salt
		}
	}
	t.Fatalf("no salt in %q", cont.Data)
	return ""
}

func TestLoginDelayGrowsPerAddress(t *testing.T) {
	ctx := testCtx(t)
	const base = 20 * time.Millisecond
	addr, _, _ := serveUsers(t, map[string]User{"u": {Role: RoleReader, Credentials: scramCredentials(t, "right")}}, base, 8*base)
	elapsed := func() time.Duration {
		start := time.Now()
		_, err := login(ctx, addr, "u", "wrong")
		wantInvalidPassword(t, err, "wrong password")
		return time.Since(start)
	}
	var took []time.Duration
	for range 5 {
		took = append(took, elapsed())
	}
	// Delays 1, 2, 4, 8, 8 × base: each answer waits at least its delay,
	// and the fourth waits more than the first three together.
	for i, want := range []time.Duration{base, 2 * base, 4 * base, 8 * base, 8 * base} {
		if took[i] < want {
			t.Fatalf("failure %d answered after %v, want at least %v (all: %v)", i+1, took[i], want, took)
		}
	}
	if took[3] < 7*base {
		t.Fatalf("delays do not grow: %v", took)
	}
	conn, err := login(ctx, addr, "u", "right")
	if err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if d := elapsed(); d >= 8*base {
		t.Fatalf("a success did not reset the delay: %v", d)
	}
}

func TestLoginThrottleBoundsAddresses(t *testing.T) {
	th := newLoginThrottle(time.Millisecond, time.Second)
	now := time.Now()
	for i := range maxThrottledAddrs + 50 {
		th.failed(fmt.Sprintf("10.0.%d.%d", i/256, i%256), now.Add(time.Duration(i)))
	}
	if n := len(th.failures); n != maxThrottledAddrs {
		t.Fatalf("%d addresses remembered, want %d", n, maxThrottledAddrs)
	}
	if _, ok := th.failures["10.0.0.0"]; ok {
		t.Fatal("the stalest address was kept")
	}
	if d := th.failed("10.0.0.1", now.Add(time.Hour)); d != time.Millisecond {
		t.Fatalf("an address's failures an hour ago still count: delay %v", d)
	}
	for range 20 {
		th.failed("10.9.9.9", now)
	}
	if d := th.failed("10.9.9.9", now); d != time.Second {
		t.Fatalf("delay %v, want the 1s ceiling", d)
	}
	th.succeeded("10.9.9.9")
	if d := th.failed("10.9.9.9", now); d != time.Millisecond {
		t.Fatalf("delay after success %v, want 1ms", d)
	}
}

func TestNoUsersStillTrustsLoopback(t *testing.T) {
	ctx := testCtx(t)
	addr, _, _ := serveUsers(t, nil, 0, 0)
	conn, err := login(ctx, addr, "anyone", "")
	if err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
}
