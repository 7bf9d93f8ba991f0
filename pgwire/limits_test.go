package pgwire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// startupRaw connects, sends a StartupMessage and returns the client and
// the first message the server answers with.
func startupRaw(t *testing.T, ts *testServer, params map[string]string) (*rawClient, pgproto3.BackendMessage, error) {
	nc, err := net.Dial("tcp", ts.addr.String())
	if err != nil {
		return nil, nil, err
	}
	_ = nc.SetDeadline(time.Now().Add(60 * time.Second))
	rc := &rawClient{t: t, nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
	p := map[string]string{"user": "tester", "database": "tpserver"}
	for k, v := range params {
		p[k] = v
	}
	rc.fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: p})
	if err := rc.fe.Flush(); err != nil {
		nc.Close()
		return nil, nil, err
	}
	msg, err := rc.fe.Receive()
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return rc, msg, nil
}

// expectFatal reads the client's next messages up to an ErrorResponse,
// checks it is FATAL with code, and that the server then closes the
// connection.
func expectFatal(t *testing.T, rc *rawClient, code, message string) {
	t.Helper()
	for {
		msg, err := rc.fe.Receive()
		if err != nil {
			t.Fatalf("waiting for FATAL %s: %v", code, err)
		}
		e, ok := msg.(*pgproto3.ErrorResponse)
		if !ok {
			continue
		}
		if e.Severity != "FATAL" || e.Code != code || !strings.Contains(e.Message, message) {
			t.Fatalf("got %s %s %q, want FATAL %s %q", e.Severity, e.Code, e.Message, code, message)
		}
		break
	}
	if _, err := rc.fe.Receive(); !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !strings.Contains(fmt.Sprint(err), "EOF") {
		t.Fatalf("after FATAL the connection should close, got %v", err)
	}
}

func TestMaxConnections300AtOnce(t *testing.T) {
	const limit, clients = DefaultMaxConnections, 300
	ts := startServerOptions(t, Options{}) // MaxConnections defaults to 100

	var mu sync.Mutex
	var admitted []*rawClient
	refused, other := 0, []string{}
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc, msg, err := startupRaw(t, ts, nil)
			mu.Lock()
			defer mu.Unlock()
			switch m := msg.(type) {
			case *pgproto3.AuthenticationOk:
				admitted = append(admitted, rc)
				return
			case *pgproto3.ErrorResponse:
				if m.Severity == "FATAL" && m.Code == "53300" && m.Message == "sorry, too many clients already" {
					refused++
					rc.nc.Close()
					return
				}
			}
			other = append(other, fmt.Sprintf("%T %+v %v", msg, msg, err))
			if rc != nil {
				rc.nc.Close()
			}
		}()
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, rc := range admitted {
			rc.nc.Close()
		}
	})
	if len(other) > 0 || len(admitted) != limit || refused != clients-limit {
		t.Fatalf("admitted %d (want %d), refused %d (want %d), other answers %v", len(admitted), limit, refused, clients-limit, other)
	}
	// Every admitted session answers its own queries correctly.
	for i, rc := range admitted {
		rc.until("ReadyForQuery")
		rc.send(&pgproto3.Query{String: fmt.Sprintf("select %d * 3", i)})
		got := rc.until("ReadyForQuery")
		if want := fmt.Sprintf("DataRow %d", i*3); !strings.Contains(strings.Join(got, "|"), want) {
			t.Fatalf("session %d answered %v, want %s", i, got, want)
		}
	}
	// Still full: one more client is refused.
	rc, msg, err := startupRaw(t, ts, nil)
	if e, ok := msg.(*pgproto3.ErrorResponse); err != nil || !ok || e.Code != "53300" {
		t.Fatalf("client beyond the limit: %T %+v %v", msg, msg, err)
	}
	rc.nc.Close()
	// Once a session ends, a new client is admitted.
	admitted[0].send(&pgproto3.Terminate{})
	admitted[0].nc.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rc, msg, err := startupRaw(t, ts, nil)
		if _, ok := msg.(*pgproto3.AuthenticationOk); ok {
			rc.until("ReadyForQuery")
			rc.send(&pgproto3.Query{String: "select 'after'"})
			if got := rc.until("ReadyForQuery"); !strings.Contains(strings.Join(got, "|"), "DataRow after") {
				t.Fatalf("new session answered %v", got)
			}
			rc.nc.Close()
			break
		}
		if rc != nil {
			rc.nc.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("no session admitted after one closed: %T %+v %v", msg, msg, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOversizedMessageEndsOnlyItsSession(t *testing.T) {
	ts := startServerOptions(t, Options{MaxMessageSize: 1024})
	bystander := dialRaw(t, ts)

	// A Query longer than the limit.
	big := dialRaw(t, ts)
	big.send(&pgproto3.Query{String: "select '" + strings.Repeat("x", 2000) + "'"})
	expectFatal(t, big, "54000", "exceeds the server's maximum message size of 1024 bytes")

	// A header announcing 1 GiB: answered at once, the body is never awaited.
	huge := dialRaw(t, ts)
	var hdr [5]byte
	hdr[0] = 'Q'
	binary.BigEndian.PutUint32(hdr[1:], 1<<30)
	if _, err := huge.nc.Write(hdr[:]); err != nil {
		t.Fatal(err)
	}
	expectFatal(t, huge, "54000", "message of 1073741824 bytes")

	// A message within the limit still works, here and in the other session.
	bystander.send(&pgproto3.Query{String: "select '" + strings.Repeat("y", 900) + "' = repeat('y', 900)"})
	if got := bystander.until("ReadyForQuery"); !strings.Contains(strings.Join(got, "|"), "DataRow t") {
		t.Fatalf("bystander: %v", got)
	}
	fresh := dialRaw(t, ts)
	fresh.send(&pgproto3.Query{String: "select 1"})
	if got := fresh.until("ReadyForQuery"); !strings.Contains(strings.Join(got, "|"), "DataRow 1") {
		t.Fatalf("new session: %v", got)
	}
}

func TestIdleSessionTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	ts := startServerOptions(t, Options{IdleSessionTimeout: timeout})

	idle := dialRaw(t, ts)
	start := time.Now()
	expectFatal(t, idle, "57P05", "terminating connection due to idle-session timeout")
	if waited := time.Since(start); waited < timeout {
		t.Fatalf("ended after %v, before the %v timeout", waited, timeout)
	}

	// The server's value is the session's default, shown and overridable.
	kept := dialRaw(t, ts)
	kept.send(&pgproto3.Query{String: "show idle_session_timeout"})
	if got := kept.until("ReadyForQuery"); !strings.Contains(strings.Join(got, "|"), "DataRow 300ms") {
		t.Fatalf("show idle_session_timeout: %v", got)
	}
	kept.send(&pgproto3.Query{String: "set idle_session_timeout = 0"})
	kept.until("ReadyForQuery")

	// Inside a transaction block idle_session_timeout does not apply.
	inTx := dialRaw(t, ts)
	inTx.send(&pgproto3.Query{String: "begin"})
	inTx.until("ReadyForQuery")

	// A session that keeps working within the timeout is not ended.
	busy := dialRaw(t, ts)
	for i := range 4 {
		time.Sleep(timeout / 2)
		busy.send(&pgproto3.Query{String: fmt.Sprintf("select %d", i)})
		if got := busy.until("ReadyForQuery"); !strings.Contains(strings.Join(got, "|"), fmt.Sprintf("DataRow %d", i)) {
			t.Fatalf("busy session, query %d: %v", i, got)
		}
	}
	time.Sleep(timeout)
	for name, rc := range map[string]*rawClient{"idle_session_timeout = 0": kept, "in a transaction block": inTx} {
		rc.send(&pgproto3.Query{String: "select 'alive'"})
		if got := rc.until("ReadyForQuery"); !strings.Contains(strings.Join(got, "|"), "DataRow alive") {
			t.Fatalf("session with %s: %v", name, got)
		}
	}
}

func TestIdleTimeoutsAsSessionParameters(t *testing.T) {
	ts := startServer(t)
	rc, _, err := startupRaw(t, ts, map[string]string{"options": "-c idle_session_timeout=150ms"})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.nc.Close()
	expectFatal(t, rc, "57P05", "idle-session timeout")

	tx := dialRaw(t, ts)
	tx.send(&pgproto3.Query{String: "set idle_in_transaction_session_timeout = 150; begin"})
	tx.until("ReadyForQuery")
	expectFatal(t, tx, "25P03", "idle-in-transaction timeout")
}

func TestRoleStatementTimeoutIsTheDefault(t *testing.T) {
	ts := startServerOptions(t, Options{RoleStatementTimeout: map[Role]time.Duration{RoleAnalyst: 1500 * time.Millisecond, RoleReader: time.Second}})
	rc := dialRaw(t, ts)
	rc.send(&pgproto3.Query{String: "show statement_timeout"})
	if got := rc.until("ReadyForQuery"); !strings.Contains(strings.Join(got, "|"), "DataRow 1500ms") {
		t.Fatalf("analyst's statement_timeout: %v", got)
	}
	rc.send(&pgproto3.Query{String: "set statement_timeout = 0; reset statement_timeout; show statement_timeout"})
	if got := rc.until("ReadyForQuery"); !strings.Contains(strings.Join(got, "|"), "DataRow 1500ms") {
		t.Fatalf("statement_timeout after RESET: %v", got)
	}
}

func TestStalledLoginFreesItsSlot(t *testing.T) {
	users := map[string]User{"grafana": {Role: RoleReader, Credentials: SCRAMCredentials{Iterations: 4096, Salt: []byte("salt"), StoredKey: make([]byte, 32), ServerKey: make([]byte, 32)}}}
	ts := startServerOptions(t, Options{Users: users, MaxConnections: 1, StartupTimeout: 300 * time.Millisecond})
	stalled, msg, err := startupRaw(t, ts, map[string]string{"user": "grafana"})
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.nc.Close()
	if _, ok := msg.(*pgproto3.AuthenticationSASL); !ok {
		t.Fatalf("first answer to a configured user: %T %+v", msg, msg)
	}
	// The client never answers the SASL exchange: the server closes the
	// connection once StartupTimeout passes, and the slot is free again.
	if msg, err := stalled.fe.Receive(); err == nil {
		t.Fatalf("stalled login got %T %+v, want the connection closed", msg, msg)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		rc, msg, err := startupRaw(t, ts, map[string]string{"user": "grafana"})
		if _, ok := msg.(*pgproto3.AuthenticationSASL); ok {
			rc.nc.Close()
			break
		}
		if rc != nil {
			rc.nc.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("no slot after the stalled login ended: %T %+v %v", msg, msg, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
